"""Protection from retaliation: a tipster who suffers for their tip (a transfer, a threat,
harassment) reports it with their receipt, in their own words, with evidence if they have any.

The report is an urgent item linked to the tip, not a new tip:

* its kinds are a labels table (``RetaliationKind``), seeded with ``DEFAULT_KINDS`` and kept
  by the integrity officers (casework.tipline.labels, like the penalty kinds);
* its text and the officers' notes are sealed like the tip's content; its files are scrubbed
  and encrypted like the tip's evidence;
* the integrity officers able to act on the tip and the custodians hear of it at once, by email
  (the number of the tip and a link, never the text); they handle it, and the tipster reads the
  short note they write on the status page;
* it has its own short deadline (casework.tipline.deadlines, ``retaliation``); when it runs late,
  the daily sweep escalates it to the executive (casework.tipline.sweep);
* anyone the tip excludes (casework.tipline.access) is excluded from its reports too: they do
  not see them, handle them or receive their emails, whatever their role.

Executives see the list (tip number, kind, dates, state) to follow up what is late, never the
text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import attachments, sla
from casework.cases.attachments import Upload
from casework.cases.errors import FieldErrors, FollowUpError
from casework.cases.textinput import LIMITS, clean
from casework.dates import clock
from casework.extensions import db, owned, transaction
from casework.models import (
    Attachment,
    Case,
    Organization,
    RetaliationKind,
    RetaliationReport,
    User,
)
from casework.notify import outbox
from casework.staff.roles import CUSTODIAN, EXECUTIVE, INTEGRITY
from casework.tipline import access, deadlines, labels, scrub, sealing, trail

OPEN, CLOSED = "open", "closed"
DEFAULT_KINDS = (
    ("transfer", "ถูกสั่งย้ายหรือเปลี่ยนหน้าที่โดยไม่เป็นธรรม", "Unfair transfer or change of duties"),
    ("threat", "ถูกข่มขู่", "Threats"),
    ("harassment", "ถูกคุกคามหรือกลั่นแกล้ง", "Harassment"),
    ("other", "ถูกตอบโต้ในรูปแบบอื่น", "Other retaliation"),
)


class RetaliationError(FollowUpError):
    """A report of retaliation that cannot be accepted as given (the tipster's side)."""


class HandlingError(FieldErrors):
    """An officer's handling of a report that cannot be recorded as given."""


# --- the kinds (a labels table) -----------------------------------------------------------


class KindError(FieldErrors):
    """A kind of retaliation that cannot be saved as given."""


# The organization's list, kept by integrity officers at /admin/tips/retaliation-kinds
# (casework.tipline.labels, as the penalty kinds).
KINDS = labels.LabelList(RetaliationKind, DEFAULT_KINDS, "retaliation_kind", KindError)


def seed_kinds(organization_id: int) -> None:
    """Add the default kinds to an organization that has none yet (the caller commits)."""
    KINDS.seed(organization_id)


def kinds(organization_id: int) -> list[RetaliationKind]:
    """The kinds a tipster can choose, in order (the defaults are added on first use)."""
    return KINDS.listing(organization_id, active_only=True)


def _kind(organization_id: int, code: str) -> RetaliationKind | None:
    return next((k for k in kinds(organization_id) if k.code == code), None)


# --- who hears of it, who handles it ------------------------------------------------------


def _not_excluded(case: Case, users) -> list[User]:
    excluded = access.excluded_ids(case)
    return [u for u in users if u.active and u.id not in excluded]


def _with_role(case: Case, *roles: str) -> list[User]:
    return _not_excluded(
        case,
        db.session.scalars(
            select(User)
            .where(User.organization_id == case.organization_id, User.role.in_(roles))
            .order_by(User.id)
        ),
    )


def handlers(case: Case) -> list[User]:
    """Who is told of a report and may handle it: the integrity officers and the custodians
    the tip does not exclude."""
    return _with_role(case, INTEGRITY, CUSTODIAN)


def executives(case: Case) -> list[User]:
    """Who hears of a report that runs late: the executives the tip does not exclude."""
    return _with_role(case, EXECUTIVE)


def _active_in(user, case: Case) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.active
        and user.organization_id == case.organization_id
        and case.channel == "tip"
        and not access.is_excluded(user.id, case)
    )


def can_handle(user, case: Case) -> bool:
    """Read a report of ``case`` (text, files) and record how it was handled."""
    return _active_in(user, case) and user.role in (INTEGRITY, CUSTODIAN)


def can_see(user, case: Case) -> bool:
    """See a report of ``case`` in the list (executives too, without the text)."""
    return _active_in(user, case) and user.role in (INTEGRITY, CUSTODIAN, EXECUTIVE)


def may_list(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)) and (
        user.role in (INTEGRITY, CUSTODIAN, EXECUTIVE)
    )


# --- the tipster reports --------------------------------------------------------------------


def _check(case: Case, kind_code: str, text: str, uploads: list[Upload]):
    errors: dict[str, object] = {}
    kind = _kind(case.organization_id, kind_code or "")
    if kind is None:
        errors["kind"] = _l("Choose what happened to you.")
    text = clean(text, multiline=True)
    if not text:
        errors["text"] = _l("Tell us what happened, when, and who did it if you know.")
    elif len(text) > LIMITS["message"]:
        errors["text"] = _l("At most %(n)d characters.", n=LIMITS["message"])
    problem = attachments.problems(uploads)
    if problem:
        errors["attachments"] = problem
    if errors:
        raise RetaliationError(errors)
    return kind, text


def report(case: Case, kind_code: str, text: str, uploads: list[Upload]) -> RetaliationReport:
    """The tipster of ``case`` (who opened it with their receipt) reports retaliation. Commits,
    with the email to everyone who handles it; RetaliationError with field messages."""
    kind, text = _check(case, kind_code, text, uploads)
    org = db.session.get(Organization, case.organization_id)
    today = clock.today()
    row = RetaliationReport(
        organization_id=case.organization_id,
        case_id=case.id,
        kind_id=kind.id,
        text_sealed=b"",
        reported_on=today,
        due_date=deadlines.due_date(org, deadlines.RETALIATION, today),
        status=OPEN,
    )
    with transaction():
        db.session.add(row)
        db.session.flush()
        row.text_sealed = sealing.seal_text("tip-retaliation", case, text)
        done = [scrub.scrub(u) for u in uploads]
        for att in attachments.store(case, [d.upload for d in done], uploaded_by="citizen"):
            att.retaliation_id = row.id
        trail.record(
            case,
            "retaliation_reported",
            None,
            kind=kind.code,
            files=len(uploads),
            unscrubbed=sum(1 for d in done if not d.complete),
        )
        outbox.queue_reminders(
            case.organization_id,
            [
                outbox.Reminder(
                    handlers(case),
                    "retaliation_reported",
                    case,
                    f"retaliation_reported:{row.id}",
                    reminder_payload(row),
                )
            ],
        )
    return row


def reminder_payload(row: RetaliationReport) -> dict:
    """What a staff email about a report carries: its deadline and a link, nothing it says."""
    return {"due_date": row.due_date.isoformat(), "path": f"/admin/tips/retaliation/{row.id}"}


@dataclass
class TipsterView:
    kind: RetaliationKind
    reported_on: date
    closed: bool
    closed_on: date | None
    note: str  # what the officers tell the tipster


def for_tipster(case: Case) -> list[TipsterView]:
    """The tipster's own reports, oldest first, as their status page shows them."""
    return [
        TipsterView(
            db.session.get(RetaliationKind, r.kind_id),
            r.reported_on,
            r.status == CLOSED,
            r.closed_on,
            sealing.open_text("tip-retaliation-public", case, r.public_note_sealed),
        )
        for r in _reports_of(case)
    ]


def _reports_of(case: Case) -> list[RetaliationReport]:
    return list(
        db.session.scalars(
            select(RetaliationReport)
            .filter_by(case_id=case.id)
            .order_by(RetaliationReport.reported_on, RetaliationReport.id)
        )
    )


# --- the back office ------------------------------------------------------------------------


@dataclass
class Row:
    report: RetaliationReport
    case: Case
    kind: RetaliationKind
    due: str  # a casework.cases.sla due state


def due_state(row: RetaliationReport, org: Organization, today: date, cal=None) -> str:
    if row.status == CLOSED:
        return sla.DONE
    return sla.deadline_state(row.due_date, org, today, cal)


ORDER = {sla.OVERDUE: 0, sla.DUE_SOON: 1, sla.ON_TIME: 2, sla.DONE: 3}


def register(user) -> list[Row]:
    """The reports ``user`` may see (never those of a tip that excludes them): open ones
    first, the most urgent first."""
    if not may_list(user):
        return []
    org = db.session.get(Organization, user.organization_id)
    cal = sla.work_calendar(org)
    today = clock.today()
    rows = []
    for r in db.session.scalars(
        select(RetaliationReport).filter_by(organization_id=user.organization_id)
    ):
        case = db.session.get(Case, r.case_id)
        if can_see(user, case):
            kind = db.session.get(RetaliationKind, r.kind_id)
            rows.append(Row(r, case, kind, due_state(r, org, today, cal)))
    return _urgent_first(rows)


def _urgent_first(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda x: (ORDER[x.due], x.report.due_date, x.case.case_number))


def of_case(user, case: Case) -> list[Row]:
    """The reports of one tip, for its back-office page: what ``register`` lists of it (none
    for anyone the tip excludes or who may not see reports), open ones first."""
    if not (may_list(user) and can_see(user, case)):
        return []
    org = db.session.get(Organization, case.organization_id)
    cal = sla.work_calendar(org)
    today = clock.today()
    return _urgent_first(
        [
            Row(r, case, db.session.get(RetaliationKind, r.kind_id), due_state(r, org, today, cal))
            for r in _reports_of(case)
        ]
    )


def report_for(user, report_id: int) -> Row | None:
    """One report ``user`` may see, or None (unknown, another organization's, or a tip that
    excludes them all look the same)."""
    r = owned(RetaliationReport, user.organization_id, report_id) if may_list(user) else None
    if r is None:
        return None
    case = db.session.get(Case, r.case_id)
    if not can_see(user, case):
        return None
    org = db.session.get(Organization, r.organization_id)
    return Row(
        r, case, db.session.get(RetaliationKind, r.kind_id), due_state(r, org, clock.today())
    )


@dataclass
class Contents:
    text: str
    action: str
    public_note: str
    files: list = field(default_factory=list)


def contents(row: Row, actor: User) -> Contents:
    """The sealed text, notes and files of a report, for someone who may handle it; the
    reading goes to the trail. Commits."""
    r, case = row.report, row.case
    found = Contents(
        sealing.open_text("tip-retaliation", case, r.text_sealed),
        sealing.open_text("tip-retaliation-action", case, r.action_sealed),
        sealing.open_text("tip-retaliation-public", case, r.public_note_sealed),
        list(
            db.session.scalars(
                select(Attachment).filter_by(retaliation_id=r.id).order_by(Attachment.id)
            )
        ),
    )
    trail.note(case, "retaliation_viewed", actor.id)
    return found


def file_for(row: Row, file_id: int, actor: User) -> Attachment | None:
    """One file of the report (None when it has no such file); the download goes to the
    trail. Commits."""
    att = db.session.get(Attachment, file_id)
    if att is None or att.retaliation_id != row.report.id:
        return None
    trail.note(row.case, "file_downloaded", actor.id, file=att.id)
    return att


def close(row: Row, actor: User, *, action: str, public_note: str) -> None:
    """Record what was done and what the tipster is told, and close the report. Commits;
    HandlingError with field messages."""
    action = clean(action, multiline=True)
    public_note = clean(public_note, multiline=True)
    errors: dict[str, object] = {}
    if not can_handle(actor, row.case):
        errors["action"] = _l("You cannot handle this report.")
    elif row.report.status == CLOSED:
        errors["action"] = _l("This report is already closed.")
    if not action:
        errors.setdefault("action", _l("Record what was done to protect the tipster."))
    if not public_note:
        errors["public_note"] = _l("Write a short note for the tipster.")
    for name, value in (("action", action), ("public_note", public_note)):
        if len(value) > LIMITS["message"]:
            errors[name] = _l("At most %(n)d characters.", n=LIMITS["message"])
    if errors:
        raise HandlingError(errors)
    r, case = row.report, row.case
    with transaction():
        r.action_sealed = sealing.seal_text("tip-retaliation-action", case, action)
        r.public_note_sealed = sealing.seal_text("tip-retaliation-public", case, public_note)
        r.status = CLOSED
        r.closed_by = actor.id
        r.closed_on = clock.today()
        trail.record(case, "retaliation_closed", actor.id)
