"""The audit entries this channel writes, in the organization's ``tips`` chain (casework.audit):
kept out of the general trail the system administrator reads, dated to the day, and carrying no
detail that identifies the tipster or says whom the tip accuses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from casework import audit
from casework.extensions import db
from casework.models import Case

# What each entry means, for the custodians' view of the trail.
ACTIONS = {
    "tip.filed": _l("Tip filed"),
    "tip.transferred_in": _l("Transferred in from the general channel"),
    "tip.receipt_claimed": _l("Receipt claimed with the old tracking code"),
    "tip.receipt_held": _l("Receipt claimed with the old tracking code, waiting for a custodian"),
    "tip.claim_disputed": _l("Old tracking code used again: its receipts no longer work"),
    "tip.claim_confirmed": _l("Claimed receipt confirmed by a custodian"),
    "tip.claim_refused": _l("Claimed receipt refused by a custodian"),
    "tip.claim_reopened": _l("Disputed claim reopened by a custodian"),
    "tip.assigned": _l("Officer assigned"),
    "tip.excluded": _l("Account excluded (conflict of interest)"),
    "tip.exclusion_reversed": _l("Exclusion reversed"),
    "tip.content_viewed": _l("Content read"),
    "tip.file_downloaded": _l("File downloaded"),
    "tip.message_sent": _l("Message sent to the tipster"),
    "tip.status": _l("Status changed"),
    "tip.delay_explained": _l("Delay explained to the tipster"),
    "tip.referred": _l("Referred to an outside body"),
    "tip.closure_requested": _l("Closing without action requested"),
    "tip.closure_approved": _l("Closing without action approved by a second person"),
    "tip.closure_refused": _l("Closing without action refused"),
    "tip.reveal_requested": _l("Identity reveal requested"),
    "tip.reveal_approval": _l("A custodian approved an identity reveal"),
    "tip.reveal_approved": _l("Identity reveal approved"),
    "tip.reveal_refused": _l("Identity reveal refused"),
    "tip.reveal_failed": _l("Identity could not be opened (wrong passphrase or no key)"),
    "tip.identity_viewed": _l("Identity shown to a custodian"),
    "tip.identity_resealed": _l("Identity shared with newly enrolled custodians"),
    "tip.category_created": _l("Tip category added"),
    "tip.category_updated": _l("Tip category changed"),
    "tip.deadlines_changed": _l("Stage deadlines changed"),
    "tip.escalated": _l("Escalated: the stage ran past its deadline"),
    "tip.retaliation_reported": _l("The tipster reported retaliation"),
    "tip.retaliation_viewed": _l("Report of retaliation read"),
    "tip.retaliation_closed": _l("Report of retaliation handled and closed"),
    "tip.retaliation_escalated": _l("Report of retaliation escalated to the executive (late)"),
    "tip.penalty_kind_created": _l("Penalty kind added"),
    "tip.penalty_kind_updated": _l("Penalty kind changed"),
    "tip.retaliation_kind_created": _l("Kind of retaliation added"),
    "tip.retaliation_kind_updated": _l("Kind of retaliation changed"),
    "tip.follow_up_checked": _l("Offender follow-up check recorded"),
    "tip.referral_decided": _l("Outside body's decision recorded"),
    "tip.record_corrected": _l("A stage's record corrected (the old values kept sealed)"),
    audit.KEYED: _l("Audit chain keyed: the entries before this one were written without the key"),
}


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


def note(case: Case, action: str, actor_id: int | None, **data) -> None:
    """Append ``tip.<action>`` on its own and commit: a read that leaves a trace (content
    viewed, file downloaded) changes nothing else."""
    try:
        record(case, action, actor_id, **data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def record_channel(
    organization_id: int, action: str, actor_id: int | None, target: str = "", **data
) -> None:
    """Append ``tip.<action>`` about the channel itself (no case), in the same chain."""
    audit.record(
        organization_id,
        f"tip.{action}",
        actor_id=actor_id,
        target=target,
        data=data or None,
        chain=audit.TIPS,
    )
