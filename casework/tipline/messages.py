"""The anonymous two-way thread. The tipster writes with their receipt; officers see only the
tipster's pseudonym, and the tipster sees "integrity officer", never an officer's name.
Bodies are sealed; times are kept to the day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import attachments, lifecycle, timeline
from casework.cases.attachments import Upload
from casework.cases.errors import FollowUpError
from casework.cases.textinput import LIMITS, clean
from casework.extensions import db
from casework.models import Attachment, Case, CaseEvent, CaseMessage, TipClaim
from casework.tipline import sealing, trail
from casework.tipline.filing import details_of, store_files

__all__ = ["FollowUpError"]


@dataclass
class Entry:
    id: int
    direction: str  # from_citizen | to_citizen
    at: datetime
    text: str
    files: list = field(default_factory=list)


def _check(case: Case, text: str, uploads: list[Upload]) -> str:
    text = clean(text, multiline=True)
    errors: dict[str, object] = {}
    if lifecycle.state(case.channel, case.status).final:
        errors["message"] = _l("This report is closed; messages can no longer be added.")
    elif not text and not uploads:
        errors["message"] = _l("Write something or attach a file.")
    elif len(text) > LIMITS["message"]:
        errors["message"] = _l("At most %(n)d characters.", n=LIMITS["message"])
    existing = db.session.scalar(select(db.func.count(Attachment.id)).filter_by(case_id=case.id))
    problem = attachments.problems(uploads)
    if problem is None and existing + len(uploads) > 2 * attachments.MAX_FILES:
        problem = _l("This report already has the most files it can take.")
    if problem:
        errors["attachments"] = problem
    if errors:
        raise FollowUpError(errors)
    return text


def _add(case: Case, direction: str, text: str, author_id: int | None) -> CaseMessage:
    message = CaseMessage(
        organization_id=case.organization_id,
        case=case,
        at=timeline.stamp(case),
        direction=direction,
        author_id=author_id,
        body="",
    )
    db.session.add(message)
    db.session.flush()
    message.body_sealed = sealing.seal_text("case-message", case, text)
    return message


def from_tipster(case: Case, text: str, uploads: list[Upload]) -> CaseMessage:
    """A reply or more evidence from the tipster (files are scrubbed). Commits."""
    text = _check(case, text, uploads)
    try:
        message = _add(case, "from_citizen", text, None)
        unscrubbed = store_files(case, uploads, message_id=message.id)
        timeline.record(
            case,
            "tipster_message",
            public=False,
            data={"files": len(uploads), "unscrubbed": unscrubbed},
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return message


def reaches_tipster(case: Case) -> bool:
    """Whether the tipster can ever read a message: the tip has a receipt, or one can still be
    claimed (a transferred complaint's old code; a held or disputed claim a custodian may yet
    confirm or reopen). A tip registered from paper with no receipt slip has neither: officers
    reach that tipster, if at all, the way the tip came in."""
    details = details_of(case)
    if details is not None and details.receipt_lookup:
        return True
    return db.session.scalar(select(TipClaim.id).filter_by(case_id=case.id).limit(1)) is not None


def to_tipster(case: Case, officer_id: int, text: str) -> CaseMessage:
    """A question or update for the tipster, read with their receipt. Commits."""
    if not reaches_tipster(case):
        raise FollowUpError(
            {
                "message": _l(
                    "The tipster has no receipt, so nobody can read a message here. Contact "
                    "them the way the tip came in, if known."
                )
            }
        )
    text = _check(case, text, [])
    try:
        message = _add(case, "to_citizen", text, officer_id)
        timeline.record(case, "officer_message", public=False, actor_id=officer_id)
        trail.record(case, "message_sent", officer_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return message


def thread(case: Case) -> list[Entry]:
    files: dict[int | None, list] = {}
    for att in db.session.scalars(
        select(Attachment).filter_by(case_id=case.id).order_by(Attachment.id)
    ):
        files.setdefault(att.message_id, []).append(att)
    return [
        Entry(m.id, m.direction, m.at, sealing.message_text(case, m), files.get(m.id, []))
        for m in case.messages
    ]


def read(case: Case, actor_id: int) -> None:
    """An assigned officer opened the tip's content (answers, thread, files): the trail keeps
    that they read it. Commits."""
    trail.note(case, "content_viewed", actor_id)


def file_for(case: Case, file_id: int, actor_id: int) -> Attachment | None:
    """One of the tip's files, for an officer who may read it (None when the tip has no such
    file); the download goes to the trail. Commits."""
    att = db.session.get(Attachment, file_id)
    if att is None or att.case_id != case.id:
        return None
    trail.note(case, "file_downloaded", actor_id, file=att.id)
    return att


def initial_files(case: Case) -> list:
    return list(
        db.session.scalars(
            select(Attachment)
            .filter_by(case_id=case.id, message_id=None, retaliation_id=None)
            .order_by(Attachment.id)
        )
    )


@dataclass
class Step:
    event: CaseEvent
    text: str
    new_date: date | None  # an explanation of delay's new expected date


def progress(case: Case) -> list[Step]:
    """What the tipster sees of the history: each public entry (received, each stage,
    explanations of delay, each day their identity was opened) with its note."""
    steps = []
    for e in timeline.public_events(case):
        raw = (e.data or {}).get("new_date") if e.kind == "explanation" else None
        steps.append(Step(e, sealing.event_text(case, e), date.fromisoformat(raw) if raw else None))
    return steps
