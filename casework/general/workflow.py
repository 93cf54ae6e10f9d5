"""What officers do to a general complaint. Each action is one transaction: the change, its
timeline event, its audit entry and any notification rows commit together or not at all.

Status changes go through ``casework.cases.casefile.change_status`` (state machine + SLA clock).
Actions raise ``WorkflowError`` with field messages when the input cannot be accepted, and
``lifecycle.IllegalTransition`` when the case's state does not allow the action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework import audit
from casework.cases import (
    attachments,
    casefile,
    identity,
    images,
    lifecycle,
    sla,
    timeline,
    values,
)
from casework.cases.errors import FieldErrors
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db, transaction
from casework.general import access
from casework.models import Attachment, Case, Department, Organization, User
from casework.notify import line, outbox
from casework.staff import roles

# Outside agencies a complaint can be forwarded to (ส่งต่อหน่วยงานภายนอก).
AGENCIES: dict[str, object] = {
    "nacc": _l("NACC (สำนักงาน ป.ป.ช.)"),
    "damrongdham": _l("Damrongdham Centre 1567 (ศูนย์ดำรงธรรม)"),
    "pm1111": _l("Government Complaint Centre 1111 (ศูนย์บริการประชาชน สำนักปลัดสำนักนายกฯ)"),
    "local_gov": _l("Another local government (องค์กรปกครองส่วนท้องถิ่นอื่น)"),
    "other": _l("Another government agency"),
}
AGENCY_TH = {
    "nacc": "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (ป.ป.ช.)",
    "damrongdham": "ศูนย์ดำรงธรรม (สายด่วน 1567)",
    "pm1111": "ศูนย์บริการประชาชน สำนักปลัดสำนักนายกรัฐมนตรี (สายด่วน 1111)",
    "local_gov": "",
    "other": "",
}
NOTE_LIMIT = LIMITS["message"]


class WorkflowError(FieldErrors):
    """A staff action on a complaint that cannot be taken as given."""


def _text(value: str, field: str, errors: dict, *, required: bool = True, limit=NOTE_LIMIT):
    text = clean(value, multiline=True)
    if required and not text:
        errors[field] = _l("This field is required.")
    elif len(text) > limit:
        errors[field] = _l("At most %(n)d characters.", n=limit)
    return text


def _commit(case: Case, actor: User, action: str, change: Callable[[], dict | None]) -> None:
    """Run ``change``, audit it and commit; roll everything back on any error."""
    with transaction():
        data = change()
        audit.record(case.organization_id, action, actor_id=actor.id, case=case, data=data)


def _citizen_email(case: Case, template: str, **payload) -> None:
    if not case.contact_consent:
        return
    email = identity.contact_email(case)
    if email:
        outbox.enqueue_citizen_email(case, email, template, **payload)


def _citizen_line(case: Case, template: str, **params) -> None:
    """A push to the LINE chat the case was filed from (when it still is linked). Unlike the
    email, it carries the officer's words, so the complainant can answer in the chat."""
    line.enqueue_case_push(case, template, **params)


def _org(case: Case) -> Organization:
    return db.session.get(Organization, case.organization_id)


def accept(case: Case, actor: User) -> None:
    """The responsible unit takes the case on (received → in progress)."""

    def change():
        casefile.change_status(case, "in_progress", actor_id=actor.id)
        case.accepted_at = clock.utcnow()
        if case.assignee_id is None and actor.role == roles.OFFICER:
            case.assignee_id = actor.id
        _citizen_line(case, "accepted")
        return {"status": "in_progress"}

    _commit(case, actor, "case.accept", change)


def assign(case: Case, actor: User, department_id, assignee_id) -> None:
    """Give the case to a department and (optionally) one of its officers."""
    errors: dict[str, object] = {}
    wants_assignee = assignee_id not in (None, "")
    department_id, assignee_id = values.record_id(department_id), values.record_id(assignee_id)
    department = db.session.get(Department, department_id) if department_id else None
    if department is None or department.organization_id != case.organization_id:
        errors["department"] = _l("Choose a department from the list.")
    elif department.id != case.department_id and not access.can(
        actor, "case.reassign_department", case
    ):
        errors["department"] = _l("Only a complaint supervisor can move a case to another unit.")
    assignee = db.session.get(User, assignee_id) if assignee_id else None
    if wants_assignee and (
        assignee is None
        or not assignee.active
        or assignee.role != roles.OFFICER
        or department is None
        or assignee.department_id != department.id
    ):
        errors["assignee"] = _l("Choose an officer of that department.")
    if lifecycle.state(case.channel, case.status).final:
        errors["department"] = _l("This case is closed.")
    if errors:
        raise WorkflowError(errors)

    def change():
        before = {"department_id": case.department_id, "assignee_id": case.assignee_id}
        case.department_id = department.id
        case.assignee_id = assignee.id if assignee else None
        db.session.flush()
        timeline.record(
            case,
            "assigned",
            public=False,
            actor_id=actor.id,
            data={"department_id": department.id, "assignee_id": case.assignee_id},
        )
        if assignee and assignee.id != actor.id:
            outbox.enqueue_staff_email(assignee, "assigned", case)
        return {"from": before, "department_id": department.id, "assignee_id": case.assignee_id}

    _commit(case, actor, "case.assign", change)


def add_note(case: Case, actor: User, text: str) -> None:
    errors: dict = {}
    text = _text(text, "body", errors)
    if errors:
        raise WorkflowError(errors)

    def change():
        timeline.record(case, "note", public=False, actor_id=actor.id, body=text)
        return None

    _commit(case, actor, "case.note", change)


def public_update(case: Case, actor: User, text: str) -> None:
    """A message the citizen sees on the tracking page (and by email if they gave one)."""
    errors: dict = {}
    text = _text(text, "body", errors)
    if lifecycle.state(case.channel, case.status).final:
        errors["body"] = _l("This case is closed.")
    if errors:
        raise WorkflowError(errors)

    def change():
        timeline.record(case, "public_update", public=True, actor_id=actor.id, body=text)
        _citizen_email(case, "update")
        _citizen_line(case, "update", text=text)
        return None

    _commit(case, actor, "case.public_update", change)


def after_photos(
    case: Case, actor: User, uploads: list[attachments.Upload], text: str, public: bool
) -> None:
    """Officers' "after" photos: with a public update while the case is open (``text`` is the
    update), or added to the result once it is completed. Photos only (JPEG or PNG), re-encoded
    without their camera and GPS data; ``public`` ones the complainant sees on the tracking
    page. WorkflowError under ``photos`` or ``body``."""
    errors: dict = {}
    final = lifecycle.state(case.channel, case.status).final
    text = _text(text, "body", errors, required=not final)
    problem = attachments.problems(uploads)
    if not uploads:
        problem = _l("Attach at least one photo.")
    elif problem is None and any(
        attachments.sniff(u.data) not in attachments.IMAGE_TYPES for u in uploads
    ):
        problem = _l("Photos only: JPEG or PNG.")
    if problem:
        errors["photos"] = problem
    result = _result_event(case) if final and takes_after_photos(case) else None
    if final and result is None:
        errors["photos"] = _l("This case has no result to add photos to.")
    if errors:
        raise WorkflowError(errors)
    clean = [
        attachments.Upload(u.filename, images.reencode_image(u.data, attachments.sniff(u.data)))
        for u in uploads
    ]

    def change():
        event = result
        if event is None:
            event = timeline.record(
                case, "public_update", public=True, actor_id=actor.id, body=text
            )
            _citizen_email(case, "update")
            _citizen_line(case, "update", text=text)
        db.session.flush()  # the photos name the entry by its id
        for row in attachments.store(case, clean, uploaded_by="staff"):
            row.event_id, row.public = event.id, bool(public)
        if final:
            timeline.record(
                case,
                "after_photos",
                public=bool(public),
                actor_id=actor.id,
                data={"files": len(clean)},
            )
        return {"photos": len(clean), "public": bool(public), "to": "result" if final else "update"}

    _commit(case, actor, "case.after_photos", change)


# Outcomes with no work of this organization's behind them: nothing to show "after" photos of.
NO_RESULT_OF_OURS = frozenset({"transferred", "duplicate"})


def takes_after_photos(case: Case) -> bool:
    """Whether officers can add "after" photos: to a public update while the case is open, or
    to the result of a case this organization completed itself (not sent elsewhere or merged)."""
    if not lifecycle.state(case.channel, case.status).final:
        return True
    return case.outcome not in NO_RESULT_OF_OURS and _result_event(case) is not None


def _result_event(case: Case):
    """The timeline entry that completed the case (the latest one)."""
    done = [e for e in case.events if e.kind == "status" and e.status_to == case.status]
    return done[-1] if done else None


def request_info(case: Case, actor: User, text: str) -> None:
    """Ask the citizen for more information; the SLA clock pauses (awaiting_info)."""
    errors: dict = {}
    text = _text(text, "body", errors)
    if errors:
        raise WorkflowError(errors)

    def change():
        casefile.change_status(case, "awaiting_info", actor_id=actor.id, note=text)
        _citizen_email(case, "info_request")
        _citizen_line(case, "info_request", text=text)
        return {"status": "awaiting_info"}

    _commit(case, actor, "case.request_info", change)


def resume(case: Case, actor: User) -> None:
    """Information arrived (or the wait is over): the clock runs again, moved by the wait."""

    def change():
        event = casefile.change_status(case, "in_progress", actor_id=actor.id)
        return {"status": "in_progress", **(event.data or {})}

    _commit(case, actor, "case.resume", change)


def forward(
    case: Case,
    actor: User,
    agency: str,
    agency_name: str,
    reference: str,
    follow_up_on,
    note: str,
) -> None:
    """Send the case to an outside agency, keeping their reference and a follow-up date."""
    errors: dict = {}
    if agency not in AGENCIES:
        errors["agency"] = _l("Choose an agency from the list.")
    agency_name = clean(agency_name)
    if agency in ("local_gov", "other") and not agency_name:
        errors["agency_name"] = _l("Give the agency's name.")
    if len(agency_name) > 200:
        errors["agency_name"] = _l("At most %(n)d characters.", n=200)
    reference = clean(reference)
    if len(reference) > 100:
        errors["reference"] = _l("At most %(n)d characters.", n=100)
    follow_up_on = _future_date(follow_up_on, "follow_up_on", errors, required=True)
    note = _text(note, "note", errors, required=False)
    if errors:
        raise WorkflowError(errors)
    name = agency_name or AGENCY_TH[agency]

    def change():
        body = name + (f"\n{note}" if note else "")
        casefile.change_status(case, "forwarded", actor_id=actor.id, note=body)
        case.forwarded_to = agency
        case.forwarded_name = name
        case.forwarded_reference = reference
        case.forwarded_follow_up_on = follow_up_on
        _citizen_email(case, "forwarded", agency=name)
        _citizen_line(case, "forwarded", agency=name, reference=reference, text=note)
        return {"agency": agency, "reference": reference, "follow_up_on": follow_up_on.isoformat()}

    _commit(case, actor, "case.forward", change)


def needs_delay_explanation(case: Case) -> bool:
    """The 15-day rule: completing the case today would be after its deadline, and no
    explanation of the delay covers it (an explanation moves the deadline to the date it gave,
    so one that was sent and is still being kept to means the case is not past its deadline)."""
    if lifecycle.state(case.channel, case.status).final:
        return False
    return sla.past_deadline(case, _org(case), clock.today())


@dataclass(frozen=True)
class Completion:
    """A completion that passed the checks: what ``complete`` records and sends."""

    outcome: str
    result_text: str
    delay_explanation: str  # "" unless the case is past its deadline
    late: bool


def check_completion(
    case: Case, outcome: str, result_text: str, delay_explanation: str = ""
) -> Completion:
    """The checks ``complete`` makes, without changing anything (raises ``WorkflowError``):
    the back office asks them before it asks the officer to confirm.

    After the deadline, the complainant must be told why it took longer: either an explanation
    of delay was sent before (``explain_delay``), or ``delay_explanation`` is written now and
    goes out with the result, by the same channels (tracking page, email, LINE, the letter).
    """
    errors: dict = {}
    if outcome not in lifecycle.OUTCOMES[case.channel] or outcome == "duplicate":
        errors["outcome"] = _l("Choose an outcome.")
    result_text = _text(result_text, "result_text", errors)
    late = needs_delay_explanation(case)
    delay_explanation = _text(delay_explanation, "delay_explanation", errors, required=False)
    if late and not delay_explanation and "delay_explanation" not in errors:
        errors["delay_explanation"] = _l(
            "This case is past its deadline and the complainant has not been told why. "
            "Explain the delay; the explanation is sent with the result."
        )
    if errors:
        raise WorkflowError(errors)
    return Completion(outcome, result_text, delay_explanation if late else "", late)


def complete(
    case: Case, actor: User, outcome: str, result_text: str, delay_explanation: str = ""
) -> None:
    """Close the case with an outcome and the result the citizen reads (``check_completion``
    says what it needs, the 15-day rule included)."""
    done = check_completion(case, outcome, result_text, delay_explanation)
    outcome, result_text, delay_explanation, late = (
        done.outcome,
        done.result_text,
        done.delay_explanation,
        done.late,
    )

    def change():
        if late:
            case.explained_at = clock.utcnow()
            timeline.record(
                case,
                "explanation",
                public=True,
                actor_id=actor.id,
                body=delay_explanation,
                data={"old_date": case.due_date.isoformat(), "with_result": True},
            )
        casefile.change_status(
            case, "completed", actor_id=actor.id, outcome=outcome, note=result_text
        )
        _citizen_email(case, "result", late=late)
        _citizen_line(case, "result", text=result_text, delay=delay_explanation if late else "")
        return {"outcome": outcome, "late": late}

    _commit(case, actor, "case.complete", change)


def explain_delay(case: Case, actor: User, text: str, new_date) -> None:
    """Tell the complainant why the case needs more time and when to expect an answer.

    The plans require it when a case cannot be resolved within the time frame. The first
    deadline is kept in ``original_due_date``; ``due_date`` becomes the new expected date.
    """
    errors: dict = {}
    text = _text(text, "body", errors)
    new_date = _future_date(new_date, "new_date", errors, required=True)
    if new_date and new_date <= case.due_date:
        errors["new_date"] = _l("The new date must be after the current due date.")
    if lifecycle.state(case.channel, case.status).final:
        errors["body"] = _l("This case is closed.")
    if errors:
        raise WorkflowError(errors)

    def change():
        old = case.due_date
        if case.original_due_date is None:
            case.original_due_date = old
        case.due_date = new_date
        case.explained_at = clock.utcnow()
        timeline.record(
            case,
            "explanation",
            public=True,
            actor_id=actor.id,
            body=text,
            data={"new_date": new_date.isoformat(), "old_date": old.isoformat()},
        )
        _citizen_email(case, "explanation", new_date=new_date.isoformat())
        _citizen_line(case, "explanation", text=text, new_date=new_date.isoformat())
        return {"old_date": old.isoformat(), "new_date": new_date.isoformat()}

    _commit(case, actor, "case.explain_delay", change)


def merge_target(case: Case, actor: User, target_number: str) -> Case:
    """The case ``case`` would be merged into (raises ``WorkflowError`` if there is none the
    actor can reach); asked before the officer confirms, and again by ``merge``."""
    errors: dict = {}
    target_number = clean(target_number)
    target = None
    if target_number:
        target = db.session.scalar(
            access.visible_cases(actor).where(Case.case_number == target_number)
        )
    if target is None:
        errors["target"] = _l("No case you can reach has that number.")
    elif target.id == case.id:
        errors["target"] = _l("A case cannot be merged into itself.")
    elif target.merged_into_id is not None:
        errors["target"] = _l("That case was itself merged; use the case it was merged into.")
    if errors:
        raise WorkflowError(errors)
    return target


def merge(case: Case, actor: User, target_number: str) -> Case:
    """Close ``case`` as a duplicate of another case the actor can reach."""
    target = merge_target(case, actor, target_number)

    def change():
        casefile.change_status(
            case,
            "completed",
            actor_id=actor.id,
            outcome="duplicate",
            note=f"รวมกับเรื่องเลขที่ {target.case_number}",
        )
        case.merged_into_id = target.id
        timeline.record(
            target,
            "merged_in",
            public=False,
            actor_id=actor.id,
            data={"case_id": case.id, "case_number": case.case_number},
        )
        return {"into": target.case_number}

    _commit(case, actor, "case.merge", change)
    return target


def _future_date(value, field: str, errors: dict, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            errors[field] = _l("Enter a date.")
        return None
    value = values.date_field(errors, field, value, buddhist_era=True)
    if value is None:
        return None
    if value <= clock.today():
        errors[field] = _l("The date must be in the future.")
        return None
    return value


def reveal_contact(case: Case, actor: User) -> dict:
    """Decrypt the reporter's identity for an officer; the view is audited. Commits."""
    data = identity.reveal(case)
    audit.viewed(case, actor.id, "identity.view", data={"fields": sorted(data)})
    return data


def open_attachment(case: Case, actor: User, attachment_id: int) -> tuple[Attachment, bytes] | None:
    """Decrypt one of the case's files for an officer (None if the case has no such file);
    each opening is audited. Commits."""
    att = db.session.get(Attachment, attachment_id)
    if att is None or att.case_id != case.id:
        return None
    data = attachments.content(att, case)
    audit.viewed(case, actor.id, "attachment.view", target=str(att.id))
    return att, data


def merged_into(case: Case) -> Case | None:
    """The case this one was closed as a duplicate of."""
    return db.session.get(Case, case.merged_into_id) if case.merged_into_id else None


def officers_of(org_id: int, department_id: int | None) -> list[User]:
    query = select(User).where(
        User.organization_id == org_id, User.role == roles.OFFICER, User.active.is_(True)
    )
    if department_id is not None:
        query = query.where(User.department_id == department_id)
    return list(db.session.scalars(query.order_by(User.name, User.email)))


def due_state(case: Case) -> str:
    return sla.due_state(case, _org(case), clock.today())
