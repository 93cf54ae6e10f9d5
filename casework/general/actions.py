"""Which actions an officer may take on a general complaint now, grouped by what they are doing.

Nothing here decides anything anew: the state machine (``casework.cases.lifecycle``) says which
status may follow the case's current one, and ``casework.general.access`` says what the user's
role may do. This module only names the actions the case page offers and asks those two.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from casework.cases import lifecycle
from casework.general import access
from casework.models import Case, User

# What the officer is doing, in the order the case page shows it.
GROUPS: dict[str, object] = {
    "work": _l("Take the case on"),
    "tell": _l("Tell the complainant"),
    "close": _l("Hand over or close"),
}


@dataclass(frozen=True)
class Action:
    code: str
    group: str
    permission: str  # the access rule the user must pass for this case
    target: str | None = None  # the status the action moves the case to, if any
    irreversible: bool = False  # asks for confirmation before it is taken


ACTIONS: tuple[Action, ...] = (
    Action("accept", "work", "case.work", target="in_progress"),
    Action("resume", "work", "case.work", target="in_progress"),
    Action("assign", "work", "case.assign"),
    Action("note", "work", "case.work"),
    Action("update", "tell", "case.work"),
    Action("request_info", "tell", "case.work", target="awaiting_info"),
    Action("explain", "tell", "case.work"),
    Action("forward", "close", "case.work", target="forwarded"),
    Action("complete", "close", "case.work", target="completed", irreversible=True),
    Action("merge", "close", "case.work", target="completed", irreversible=True),
    Action("transfer", "close", "case.work", target="completed", irreversible=True),
)
BY_CODE = {a.code: a for a in ACTIONS}


def _fits_state(action: Action, case: Case) -> bool:
    current = lifecycle.state(case.channel, case.status)
    if current.final:
        return False
    if action.target is None:
        return True
    if action.target not in lifecycle.allowed(case.channel, case.status):
        return False
    if action.code == "accept":  # taking on a case that was only received
        return current.bucket == lifecycle.RECEIVED
    if action.code == "resume":  # back to work after waiting for the complainant or forwarding
        return current.bucket != lifecycle.RECEIVED
    return True


def allowed(user: User | None, case: Case) -> list[Action]:
    """The actions ``user`` may take on ``case`` in its current state, in page order."""
    return [a for a in ACTIONS if _fits_state(a, case) and access.can(user, a.permission, case)]


def grouped(user: User | None, case: Case) -> list[tuple[str, object, list[Action]]]:
    """``allowed`` as (group code, group label, actions), leaving out empty groups."""
    actions = allowed(user, case)
    return [
        (code, label, [a for a in actions if a.group == code])
        for code, label in GROUPS.items()
        if any(a.group == code for a in actions)
    ]


def may(user: User | None, case: Case, code: str) -> bool:
    return BY_CODE[code] in allowed(user, case)
