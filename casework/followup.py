"""What a citizen can do with a tracking code: look the case up, add information, rate it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework import attachments, casefile, clock, keys, lifecycle, timeline, tracking
from casework.attachments import Upload
from casework.extensions import db
from casework.models import Case, CaseMessage, Organization
from casework.textinput import LIMITS, clean


class FollowUpError(ValueError):
    def __init__(self, fields: dict[str, str]):
        super().__init__("invalid follow-up")
        self.fields = fields


def find_by_code(org: Organization, text: str | None) -> Case | None:
    """The general complaint a tracking code opens, or None (wrong, unknown or a tip alike)."""
    if not text or len(text) > LIMITS["tracking_code"]:
        return None
    canonical = tracking.normalize_code(text)
    if canonical is None:
        return None
    digest = tracking.hash_code(keys.keyring().tracking_key, canonical)
    return db.session.scalar(
        select(Case).filter_by(organization_id=org.id, channel="complaint", tracking_hash=digest)
    )


@dataclass
class PublicView:
    """What the citizen sees: status, public timeline, due date and result. No internal notes."""

    case: Case
    status_label: str
    bucket: str
    is_open: bool
    can_rate: bool
    outcome_label: str
    events: list


def public_view(case: Case) -> PublicView:
    st = lifecycle.state(case.channel, case.status)
    return PublicView(
        case=case,
        status_label=str(st.label),
        bucket=st.bucket,
        is_open=not st.final,
        can_rate=st.final and case.rating is None,
        outcome_label=lifecycle.outcome_label(case.channel, case.outcome),
        events=timeline.public_events(case),
    )


def add_information(case: Case, text: str, uploads: list[Upload]) -> CaseMessage:
    """More details or files from the citizen while the case is open. Commits."""
    text = clean(text, multiline=True)
    errors: dict[str, object] = {}
    if lifecycle.state(case.channel, case.status).final:
        errors["message"] = _l("This case is closed; you can no longer add information.")
    elif not text and not uploads:
        errors["message"] = _l("Write something or attach a file.")
    elif len(text) > LIMITS["message"]:
        errors["message"] = _l("At most %(n)d characters.", n=LIMITS["message"])
    existing = len(case_attachments(case))
    problem = attachments.problems(uploads)
    if problem is None and existing + len(uploads) > 2 * attachments.MAX_FILES:
        problem = _l("This case already has the most files it can take.")
    if problem:
        errors["attachments"] = problem
    if errors:
        raise FollowUpError({k: str(v) for k, v in errors.items()})
    try:
        message = CaseMessage(
            organization_id=case.organization_id,
            case=case,
            at=timeline.stamp(case),
            direction="from_citizen",
            body=text,
        )
        db.session.add(message)
        db.session.flush()
        attachments.store(case, uploads, uploaded_by="citizen", message_id=message.id)
        timeline.record(case, "citizen_info", public=True, data={"files": len(uploads)})
        if case.status == "awaiting_info":  # the answer arrived: the clock runs again
            casefile.change_status(case, "in_progress", public=True)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return message


def case_attachments(case: Case) -> list:
    from casework.models import Attachment

    return list(db.session.scalars(select(Attachment).filter_by(case_id=case.id)))


def rate(case: Case, score, comment: str) -> None:
    """A satisfaction rating (1–5) once the case is completed; only once. Commits."""
    comment = clean(comment, multiline=True)
    errors: dict[str, object] = {}
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not lifecycle.state(case.channel, case.status).final:
        errors["rating"] = _l("You can rate the service once the case is completed.")
    elif case.rating is not None:
        errors["rating"] = _l("This case has already been rated. Thank you.")
    elif not 1 <= score <= 5:
        errors["rating"] = _l("Choose a score from 1 to 5.")
    if len(comment) > LIMITS["rating_comment"]:
        errors["comment"] = _l("At most %(n)d characters.", n=LIMITS["rating_comment"])
    if errors:
        raise FollowUpError({k: str(v) for k, v in errors.items()})
    case.rating = score
    case.rating_comment = comment
    case.rated_at = clock.utcnow()
    timeline.record(case, "rated", public=False, data={"rating": score})
    db.session.commit()
