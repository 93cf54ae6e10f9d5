"""What each kind of timeline entry means: the one table of event kinds.

Every entry of a case's timeline (``CaseEvent.kind``, written through casework.cases.timeline)
has two labels:

- ``staff``: the officers' history of a case in the back office;
- ``public``: the complainant's tracking page, or the tipster's status page where ``tip`` words
  it differently. Only entries recorded with ``public=True`` are ever shown there; an internal
  kind's public label is the neutral "Update", so that its staff wording (an escalation, a
  reveal request) could never reach a citizen.

Pages add the details (the new status, the new expected date, the number of files) next to the
label. A kind that is not in the table (old data, or a kind added without a label) reads as the
neutral "Update" on every page and never fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

UPDATE = _l("Update")


@dataclass(frozen=True)
class EventKind:
    staff: LazyString
    public: LazyString
    tip: LazyString | None = None  # the tipster's wording, where it differs from the public one

    def public_for(self, channel: str) -> LazyString:
        return self.tip if channel == "tip" and self.tip is not None else self.public


KINDS: dict[str, EventKind] = {
    # Both channels.
    "received": EventKind(_l("Received"), _l("Complaint received"), _l("Report received")),
    "status": EventKind(_l("Status"), _l("Status changed to")),
    "note": EventKind(_l("Internal note"), UPDATE),
    "explanation": EventKind(
        _l("Explanation of delay"),
        _l("Explanation of delay"),
        _l("More time is needed. Expect an answer by %(date)s."),
    ),
    # The general channel.
    "public_update": EventKind(_l("Update to the complainant"), _l("Update from the municipality")),
    "assigned": EventKind(_l("Assigned"), UPDATE),
    "escalated": EventKind(_l("Escalated to the supervisor (overdue)"), UPDATE),
    "citizen_info": EventKind(_l("The complainant added information"), _l("You added information")),
    "merged_in": EventKind(_l("A duplicate was merged into this case"), UPDATE),
    "rated": EventKind(_l("Rated by the complainant"), UPDATE),
    "reopened": EventKind(
        _l("Reopened: the complainant says it is not fixed"),
        _l("You said the problem is not fixed: the case is being worked on again"),
    ),
    "followed_up": EventKind(
        _l("Not fixed, after the reopening window: followed up by a new case"),
        _l("You said the problem is not fixed: a new case follows this one"),
    ),
    "after_photos": EventKind(
        _l("Photos of the result added"), _l("Photos of the result from the municipality")
    ),
    "line_unlinked": EventKind(_l("The complainant stopped hearing about it in LINE"), UPDATE),
    "transferred": EventKind(
        _l("Moved to the corruption-tip channel"), _l("Moved to the corruption-tip channel")
    ),
    # The corruption-tip channel.
    "officer_message": EventKind(_l("Message to the tipster"), UPDATE),
    "tipster_message": EventKind(_l("Message from the tipster"), UPDATE),
    "reveal_requested": EventKind(_l("Identity reveal requested"), UPDATE),
    "reveal_refused": EventKind(_l("Identity reveal refused"), UPDATE),
    "identity_accessed": EventKind(
        _l("Identity opened by a custodian"),
        UPDATE,
        _l("Your identity was accessed with a custodian's approval"),
    ),
}
UNKNOWN = EventKind(UPDATE, UPDATE)


def staff_label(kind: str) -> str:
    """The officers' name for a timeline entry of ``kind``."""
    return str(KINDS.get(kind, UNKNOWN).staff)


def public_label(kind: str, channel: str, **values) -> str:
    """What the complainant (``channel="complaint"``) or the tipster (``"tip"``) reads for a
    public entry of ``kind``; ``values`` fill a label's placeholders (the tipster's
    explanation of delay takes ``date``)."""
    label = str(KINDS.get(kind, UNKNOWN).public_for(channel))
    return label % values if values else label
