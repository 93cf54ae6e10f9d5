"""What a citizen can do with their case once the tracking code has found it
(``casework.cases.lookup``): see it, add information, and once it is completed say whether it
was fixed (แก้ไขแล้วหรือยัง) and rate it.

"Not fixed" (ยังไม่ได้แก้ไข), with a reason, reopens the case within the organization's window
(``Organization.reopen_window_days`` from the day it was completed) and its clock starts again
(``casework.cases.casefile.reopen``); after the window it files a new case that follows the
completed one (``Case.follows_id``). Either way the completed case counts as reopened in the
figures (``Case.reopen_count``). Ratings go into the survey table (``SurveyAnswer``, source
``web`` or ``line``) as well as onto the case, which the published satisfaction figure counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework import audit
from casework.cases import attachments, casefile, identity, images, lifecycle, timeline
from casework.cases.attachments import Upload
from casework.cases.errors import FollowUpError
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.dates.thaidate import local_date
from casework.extensions import db, transaction
from casework.general import intake, notices, workflow
from casework.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseMessage,
    Organization,
    SurveyAnswer,
    User,
)
from casework.notify import outbox
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
    # Completed: the complainant may say it is not fixed; until this day it reopens, after it a
    # new case follows it up.
    can_reopen: bool = False
    reopen_until: date | None = None
    reopens_in_place: bool = False  # today is within the window
    follows: Case | None = None  # the completed case this one follows up
    followed_by: str = ""  # the number of the case that follows this one up


def public_view(case: Case) -> PublicView:
    st = lifecycle.state(case.channel, case.status)
    events = timeline.public_events(case)
    question = ""
    if st.paused:
        asked = [e for e in events if e.kind == "status" and e.status_to == case.status]
        question = asked[-1].body if asked else ""
    explanation = notices.latest_explanation(case)
    if explanation is not None and case.reopened_at and explanation.at < case.reopened_at:
        explanation = None  # it explained the delay of the work before the case reopened
    until = reopen_until(case) if st.final else None
    followed_by = next(
        (e.data.get("case_number", "") for e in reversed(events) if e.kind == "followed_up"), ""
    )
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
        # Once a new case follows it up, that case is the one to say "not fixed" about.
        can_reopen=casefile.reopenable(case),
        reopen_until=until,
        reopens_in_place=until is not None and clock.today() <= until,
        follows=db.session.get(Case, case.follows_id) if case.follows_id else None,
        followed_by=followed_by,
    )


def reopen_until(case: Case) -> date | None:
    """The last day on which "not fixed" reopens this completed case (Bangkok)."""
    if case.completed_at is None:
        return None
    org = db.session.get(Organization, case.organization_id)
    return local_date(case.completed_at) + timedelta(days=org.reopen_window_days)


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
    return list(db.session.scalars(select(Attachment).filter_by(case_id=case.id)))


def rate(case: Case, score, comment: str, *, before_commit=None, source: str = "web") -> None:
    """A satisfaction rating (1–5) once the case is completed; only once (until it reopens).
    Commits; ``before_commit()`` runs in the same transaction (the LINE chat's reply)."""
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
        _rating(case, score, comment, source)
        if before_commit is not None:
            before_commit()


def _rating(case: Case, score: int, comment: str, source: str) -> None:
    """The complainant's own answer, on the case and in the survey table (not committed)."""
    now = clock.utcnow()
    case.rating = score
    case.rating_comment = comment
    case.rated_at = now
    answers = [("overall", score, "")] + ([("comment", None, comment)] if comment else [])
    for question, value, text in answers:
        db.session.add(
            SurveyAnswer(
                organization_id=case.organization_id,
                case_id=case.id,
                question=question,
                score=value,
                text=text,
                source=source,
                recorded_at=now,
            )
        )
    timeline.record(case, "rated", public=False, data={"rating": score, "source": source})


@dataclass
class NotFixed:
    """What "not fixed" did: reopened ``case`` itself, or filed ``filed`` to follow it up."""

    case: Case
    reopened: bool
    filed: intake.Filed | None = None


def not_fixed(
    case: Case,
    reason: str,
    score=None,
    *,
    token: str | None = None,
    via: str = "web",
    before_commit: Callable[[NotFixed], None] | None = None,
) -> NotFixed:
    """The complainant says the completed case is not fixed, with a reason (and, if they like,
    a rating of how it was handled). Within the window the case reopens and its clock starts
    again; after it a new case is filed that follows this one (``token``, the form's one-time
    token, makes a repeated click show the same new case). ``via`` is where they said it
    (``web`` or ``line``: the rating's source and how the new case was received).
    Commits; ``before_commit(done)`` runs in the same transaction (the LINE chat's reply and
    the new case's link to the chat). FollowUpError by field."""
    reason = clean(reason, multiline=True)
    errors: dict[str, object] = {}
    st = lifecycle.state(case.channel, case.status)
    if not st.final or case.outcome in casefile.NOT_REOPENED:
        errors["fixed"] = _l("This case is not completed, so there is nothing to reopen.")
    if not reason:
        errors["comment"] = _l("Tell us what is still wrong, so that the officers can fix it.")
    elif len(reason) > LIMITS["rating_comment"]:
        errors["comment"] = _l("At most %(n)d characters.", n=LIMITS["rating_comment"])
    value = _score(score, errors, required=False)
    if case.rating is not None and value is not None:
        value = None  # rated already: the reason is what counts now
    if errors:
        raise FollowUpError(errors)
    until = reopen_until(case)
    if until is not None and clock.today() > until:
        return _follow_up(case, reason, value, token, via, before_commit)
    done = NotFixed(case, reopened=True)
    with transaction():
        if value is not None:
            _rating(case, value, "", via)
        casefile.reopen(case, reason)
        audit.record(case.organization_id, "case.reopen", case=case, data={"by": "citizen"})
        _tell_officers(case)
        if before_commit is not None:
            before_commit(done)
    return done


def _tell_officers(case: Case, new_number: str = "") -> None:
    """Email the case's officer (else its unit's officers) that the complainant said it is not
    fixed: the number, the new deadline or the new case's number, a link; nothing they wrote."""
    assignee = db.session.get(User, case.assignee_id) if case.assignee_id else None
    people = [assignee] if assignee is not None and assignee.active else []
    if not people and case.department_id is not None:
        people = workflow.officers_of(case.organization_id, case.department_id)
    for user in people:
        outbox.enqueue_staff_email(user, "reopened", case, new_number=new_number)


def _score(score, errors: dict, *, required: bool) -> int | None:
    if score in (None, "") and not required:
        return None
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors["rating"] = _l("Choose a score from 1 to 5.")
        return None
    return value


def _follow_up(
    case: Case,
    reason: str,
    score: int | None,
    token: str | None,
    via: str,
    before_commit: Callable[[NotFixed], None] | None,
) -> NotFixed:
    """After the window: a new case, in the same category and place, with the complainant's
    contact details, that names the completed one; the completed one counts as reopened."""
    sub = intake.ComplaintSubmission(
        category=case.category.code,
        kind=case.kind,
        subject=case.subject,
        details=reason,
        location=case.location,
        lat=case.lat,
        lng=case.lng,
        reporter=identity.reveal(case),
        consent=case.contact_consent,
        received_via=via,
        idempotency_token=token if intake.usable_token(token) else None,
    )

    def link(filed: intake.Filed) -> None:
        if score is not None:
            _rating(case, score, "", via)
        filed.case.follows_id = case.id
        case.reopen_count = (case.reopen_count or 0) + 1
        case.reopened_at = clock.utcnow()
        timeline.record(
            case,
            "followed_up",
            public=True,
            body=reason,
            data={"case_number": filed.case.case_number},
        )
        audit.record(
            case.organization_id,
            "case.follow_up",
            case=case,
            data={"case_number": filed.case.case_number},
        )
        _tell_officers(case, filed.case.case_number)
        if before_commit is not None:
            before_commit(NotFixed(filed.case, reopened=False, filed=filed))

    try:
        filed = intake.file_complaint(
            db.session.get(Organization, case.organization_id), sub, before_commit=link
        )
    except intake.IntakeError:
        raise FollowUpError(
            {
                "fixed": _l(
                    "A new case could not be filed from this one (its category may no longer "
                    "be in use). Please file a new complaint and give this case's number."
                )
            }
        ) from None
    return NotFixed(filed.case, reopened=False, filed=filed)


@dataclass
class Photo:
    """A photo the complainant may see on the tracking page: theirs, or an officer's public
    one, as a small JPEG preview put into the page itself (no URL can fetch it)."""

    by_officer: bool
    data_uri: str


def photos(case: Case) -> list[Photo]:
    """The complainant's own photos and the officers' public ones, decrypted for this page."""
    found = []
    for att in case.attachments:  # loaded with the case (casework.cases.lookup)
        mine = att.uploaded_by == "citizen"
        if not (mine or att.public) or att.content_type not in attachments.IMAGE_TYPES:
            continue
        try:
            preview = images.preview(attachments.content(att, case), att.content_type)
        except attachments.ImageRefused:
            continue
        found.append(Photo(not mine, "data:image/jpeg;base64," + preview))
    return found
