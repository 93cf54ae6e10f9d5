"""The audit entries this channel writes, through the shared hash-chained trail
(casework.audit). Entries about a tip carry no detail that identifies the tipster."""

from __future__ import annotations

from casework import audit
from casework.models import Case


def record(case: Case, action: str, actor_id: int | None, **data) -> None:
    """Append ``tip.<action>`` for ``case`` in the current transaction (the caller commits)."""
    audit.record(
        case.organization_id,
        f"tip.{action}",
        actor_id=actor_id,
        case=case,
        target=case.case_number,
        data=data or None,
    )
