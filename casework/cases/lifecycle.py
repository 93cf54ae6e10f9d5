"""The case state machine: the one place that says which status may follow which.

General complaints (ร้องเรียน/ร้องทุกข์) and corruption tips (แจ้งเบาะแส) have their own states.
Every state maps onto one of the three figures the plans publish: received (รับเรื่อง),
in progress (อยู่ระหว่างดำเนินการ) and completed (ดำเนินการแล้วเสร็จ).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

RECEIVED, IN_PROGRESS, COMPLETED = "received", "in_progress", "completed"
BUCKETS = (RECEIVED, IN_PROGRESS, COMPLETED)


@dataclass(frozen=True)
class State:
    code: str
    bucket: str
    label: object  # lazy translated string
    paused: bool = False  # the SLA clock stops while a case sits here
    final: bool = False


COMPLAINT_STATES: dict[str, State] = {
    s.code: s
    for s in (
        State("received", RECEIVED, _l("Received")),
        State("in_progress", IN_PROGRESS, _l("In progress")),
        State("awaiting_info", IN_PROGRESS, _l("Waiting for information from you"), paused=True),
        State("forwarded", IN_PROGRESS, _l("Forwarded to another agency")),
        State("completed", COMPLETED, _l("Completed"), final=True),
    )
}

TIP_STATES: dict[str, State] = {
    s.code: s
    for s in (
        State("received", RECEIVED, _l("Received")),
        State("preliminary_review", IN_PROGRESS, _l("Preliminary fact-finding")),
        State("investigation", IN_PROGRESS, _l("Investigation")),
        State("findings", IN_PROGRESS, _l("Findings")),
        State("disciplinary", IN_PROGRESS, _l("Penalty and follow-up of the offender")),
        State("closed", COMPLETED, _l("Closed"), final=True),
        # Not final: the tip waits for the body's decision (casework.tipline.followups), or for
        # an officer to close it with a reason.
        State("referred_out", IN_PROGRESS, _l("Referred to an outside body")),
    )
}

STATES = {"complaint": COMPLAINT_STATES, "tip": TIP_STATES}

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "complaint": {
        "received": frozenset({"in_progress", "awaiting_info", "forwarded", "completed"}),
        "in_progress": frozenset({"awaiting_info", "forwarded", "completed"}),
        "awaiting_info": frozenset({"in_progress", "forwarded", "completed"}),
        "forwarded": frozenset({"in_progress", "completed"}),
        # Reopening: only the complainant's "not fixed" within the organization's window
        # (casework.cases.casefile.reopen, through casework.general.followup.not_fixed).
        "completed": frozenset({"in_progress"}),
    },
    "tip": {
        "received": frozenset({"preliminary_review", "closed", "referred_out"}),
        "preliminary_review": frozenset({"investigation", "closed", "referred_out"}),
        "investigation": frozenset({"findings", "referred_out"}),
        "findings": frozenset({"disciplinary", "closed", "referred_out"}),
        "disciplinary": frozenset({"closed"}),
        "closed": frozenset(),
        "referred_out": frozenset({"closed"}),
    },
}

# Outcomes a case must carry when it enters a final state.
OUTCOMES: dict[str, dict[str, object]] = {
    "complaint": {
        "resolved": _l("Resolved (ยุติ)"),
        "not_jurisdiction": _l("Not within our jurisdiction"),
        "forwarded": _l("Forwarded to the responsible agency"),
        "duplicate": _l("Duplicate of another case"),
        "transferred": _l("Transferred"),
    },
    "tip": {
        "insufficient": _l("Closed: not enough facts to act on"),
        "unfounded": _l("Closed: allegation not substantiated"),
        "substantiated": _l("Closed: allegation substantiated, action taken"),
        "referred": _l("Closed: referred to an outside body"),
    },
}


# The change that reopens a completed case: the clock starts again from that day.
REOPEN: dict[str, tuple[str, str]] = {"complaint": ("completed", "in_progress")}


def reopens(channel: str, current: str, target: str) -> bool:
    """Whether ``current -> target`` reopens a completed case of ``channel``."""
    return REOPEN.get(channel) == (current, target)


class IllegalTransition(ValueError):
    """A status change the state machine does not allow."""


def state(channel: str, code: str) -> State:
    try:
        return STATES[channel][code]
    except KeyError:
        raise IllegalTransition(f"unknown status {code!r} for channel {channel!r}") from None


def bucket(channel: str, code: str) -> str:
    return state(channel, code).bucket


def allowed(channel: str, current: str) -> frozenset[str]:
    return TRANSITIONS[channel].get(current, frozenset())


def check(channel: str, current: str, target: str, outcome: str | None = None) -> None:
    """Raise IllegalTransition unless ``current -> target`` (with ``outcome``) is allowed."""
    if channel not in TRANSITIONS:
        raise IllegalTransition(f"unknown channel {channel!r}")
    state(channel, current)
    target_state = state(channel, target)
    if target not in allowed(channel, current):
        raise IllegalTransition(f"a {channel} cannot go from {current!r} to {target!r}")
    if target_state.final:
        if outcome not in OUTCOMES[channel]:
            raise IllegalTransition(
                f"closing a {channel} as {target!r} needs an outcome: "
                + ", ".join(sorted(OUTCOMES[channel]))
            )
    elif outcome is not None:
        raise IllegalTransition(f"outcome {outcome!r} is only given when a case is closed")


def status_label(channel: str, code: str) -> str:
    return str(state(channel, code).label)


def outcome_label(channel: str, code: str | None) -> str:
    if not code:
        return ""
    return str(OUTCOMES[channel].get(code, code))
