"""What a citizen can do with their case once the tracking code has found it
(``casework.cases.lookup``): see it, add information, rate it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework import audit
from casework.cases import attachments, casefile, lifecycle, timeline
from casework.cases.attachments import Upload
from casework.cases.errors import FollowUpError
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db, transaction
from casework.general import notices
from casework.models import Case, CaseEvent, CaseMessage
from casework.tipline import claims


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
    paused: bool = False  # the clock waits for the citizen (awaiting_info)
    question: str = ""  # what the municipality asked, while it waits for the answer
    extended_from: date | None = None  # the first deadline, when the date was moved
    explanation: CaseEvent | None = None  # the latest explanation of the delay
    # Transferred to the corruption channel: whether its receipt was claimed, and when.
    transfer_claim: claims.Notice | None = None


def public_view(case: Case) -> PublicView:
    st = lifecycle.state(case.channel, case.status)
    events = timeline.public_events(case)
    question = ""
    if st.paused:
        asked = [e for e in events if e.kind == "status" and e.status_to == case.status]
        question = asked[-1].body if asked else ""
    explanation = notices.latest_explanation(case)
    return PublicView(
        case=case,
        status_label=str(st.label),
        bucket=st.bucket,
        is_open=not st.final,
        can_rate=st.final and case.rating is None,
        outcome_label=lifecycle.outcome_label(case.channel, case.outcome),
        events=events,
        paused=st.paused,
        question=question,
        extended_from=case.original_due_date
        if case.original_due_date and case.original_due_date != case.due_date
        else None,
        explanation=explanation if explanation is not None and explanation.public else None,
        transfer_claim=claims.notice_for(case),
    )


def explained_date(event: CaseEvent) -> date | None:
    """The new expected date an explanation of delay announced (None for other events)."""
    value = (event.data or {}).get("new_date") if event.kind == "explanation" else None
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def add_information(
    case: Case, text: str, uploads: list[Upload], *, before_commit=None
) -> CaseMessage:
    """More details or files from the citizen while the case is open. Commits;
    ``before_commit(message)`` runs in the same transaction (the LINE chat's reply)."""
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
        raise FollowUpError(errors)
    repeat = _same_as_last(case, text, uploads)
    if repeat is not None:
        return repeat
    with transaction():
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
            event = casefile.change_status(case, "in_progress", public=True)
            audit.record(
                case.organization_id,
                "case.resume",
                case=case,
                data={"status": "in_progress", "by": "citizen", **(event.data or {})},
            )
        if before_commit is not None:
            before_commit(message)
    return message


REPEAT_WINDOW = timedelta(hours=1)


def _same_as_last(case: Case, text: str, uploads: list[Upload]) -> CaseMessage | None:
    """The citizen's previous message when this one repeats it (a refreshed page or a second
    click sends the form again): the same text and files of the same sizes within the hour."""
    last = db.session.scalar(
        select(CaseMessage)
        .filter_by(case_id=case.id, direction="from_citizen")
        .order_by(CaseMessage.id.desc())
        .limit(1)
    )
    if last is None or last.body != text or clock.utcnow() - last.at > REPEAT_WINDOW:
        return None
    sent = sorted(a.size for a in case_attachments(case) if a.message_id == last.id)
    return last if sent == sorted(len(u.data) for u in uploads) else None


def case_attachments(case: Case) -> list:
    from casework.models import Attachment

    return list(db.session.scalars(select(Attachment).filter_by(case_id=case.id)))


def rate(case: Case, score, comment: str, *, before_commit=None) -> None:
    """A satisfaction rating (1–5) once the case is completed; only once. Commits;
    ``before_commit()`` runs in the same transaction (the LINE chat's reply)."""
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
        raise FollowUpError(errors)
    with transaction():
        case.rating = score
        case.rating_comment = comment
        case.rated_at = clock.utcnow()
        timeline.record(case, "rated", public=False, data={"rating": score})
        if before_commit is not None:
            before_commit()
