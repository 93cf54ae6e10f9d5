"""General complaints over the LINE Official Account: the chat's side of the rules.

Each webhook event is one *turn*: in one short transaction it records the event's id (LINE
redelivers), moves the chat's conversation on and queues the reply. The chat row carries a
version counter, so two workers handling the same chat cannot both move it: the second one's
write fails and its turn runs again from what the first left (``run_turn``). Anything slow —
downloading the photos — is queued as a job for the outbox worker.

Filing goes through ``casework.general.intake.file_complaint`` (received via ``line``), adding
information, rating and "not fixed" (reopening) through ``casework.general.followup``, exactly
as on the web. A case
filed in a chat is linked to it (``LineLink``) so that officers' actions reach the chat as
pushes, until the complainant unlinks it.

The user id is stored only sealed, beside a keyed hash (casework.notify.line); the draft of a
complaint is sealed too until it is filed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from casework.cases import attachments, timeline
from casework.cases.attachments import ImageRefused, Upload
from casework.cases.errors import FollowUpError
from casework.cases.images import reencode_image
from casework.crypto import fields, keys
from casework.dates import clock
from casework.extensions import db, owned
from casework.general import followup, intake
from casework.models import Case, LineChat, LineEvent, LineLink, Organization, OutboxMessage
from casework.notify import line

IDLE = "idle"
MAX_PHOTOS = attachments.MAX_FILES
EVENT_MEMORY = timedelta(days=7)  # LINE redelivers for a day at most
TRIES = 5


# --- a turn -----------------------------------------------------------------------------


@dataclass
class Turn:
    """One event's work on one chat. The dialog reads ``state`` and ``draft``, changes them
    with ``move``, and says things with ``say``; ``commit`` (or a domain call given
    ``stage`` as its ``before_commit``) writes it all at once."""

    org: Organization
    chat: LineChat
    user: str
    reply_token: str | None
    draft: dict
    expired: bool = False  # an unfinished complaint was dropped for idleness just now
    parts: list[dict] = field(default_factory=list)
    replies: list[OutboxMessage] = field(default_factory=list)
    reply_ids: list[int] = field(default_factory=list)  # known once staged
    committed: bool = False
    _moved: bool = False

    @property
    def state(self) -> str:
        return self.chat.state

    def say(self, key: str, **params) -> None:
        self.parts.append({"say": key, **params})

    def move(self, state: str, draft: dict | None = None) -> None:
        self.chat.state = state
        self.draft = {} if draft is None else draft
        self._moved = True

    def update(self, **values) -> None:
        self.draft = {**self.draft, **values}
        self._moved = True

    def stage(self, *_ignored) -> None:
        """Put the chat's new state and the reply into the session (and check the version)."""
        if self._moved:
            self.chat.draft_sealed = seal_draft(self.chat, self.draft) if self.draft else None
            self._moved = False
        if self.chat.state != IDLE or self.chat.draft_sealed is not None:
            self.chat.touched_at = clock.utcnow()  # idleness counts from the last turn
        if self.parts and self.reply_token:  # the bot answers what it can reply to
            spec = {"kind": "dialog", "parts": self.parts}
            self.replies.append(
                line.enqueue(self.chat, spec, to=self.user, reply_token=self.reply_token)
            )
        self.parts = []
        db.session.flush()
        self.reply_ids = [row.id for row in self.replies]

    def commit(self) -> None:
        self.stage()
        db.session.commit()
        self.committed = True

    def job(self, spec: dict, *, case: Case) -> None:
        """Slow work for the outbox worker (never for the web worker after the response)."""
        line.enqueue(self.chat, spec, to=self.user, case=case, transport=line.JOB)


def seal_draft(chat: LineChat, draft: dict) -> bytes:
    return fields.encrypt_json(keys.keyring(), draft, line.draft_aad(chat))


def open_draft(chat: LineChat) -> dict:
    if not chat.draft_sealed:
        return {}
    return fields.decrypt_json(keys.keyring(), chat.draft_sealed, line.draft_aad(chat))


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config.get("LINE_CONVERSATION_IDLE_MINUTES", 30))


def already_seen(org: Organization, event_id: str | None) -> bool:
    """Record a webhook event's id; True when it was handled before (a redelivery)."""
    if not event_id:
        return False
    event_id = event_id[:64]
    found = db.session.scalar(
        select(LineEvent.id).filter_by(organization_id=org.id, event_id=event_id)
    )
    if found is not None:
        return True
    db.session.add(LineEvent(organization_id=org.id, event_id=event_id))
    return False


def _chat(org: Organization, user: str) -> LineChat:
    tag = line.user_tag(org.id, user)
    chat = db.session.scalar(select(LineChat).filter_by(organization_id=org.id, user_tag=tag))
    if chat is None:
        chat = LineChat(
            organization_id=org.id,
            user_tag=tag,
            user_sealed=line.seal_user(org.id, tag, user),
            state=IDLE,
        )
        db.session.add(chat)
        db.session.flush()
    return chat


def _begin(org: Organization, event_id: str | None, user: str, reply_token: str | None):
    if already_seen(org, event_id):
        return None
    chat = _chat(org, user)
    turn = Turn(org, chat, user, reply_token, open_draft(chat))
    if chat.state != IDLE and clock.utcnow() - chat.touched_at > idle_limit():
        turn.move(IDLE)
        turn.expired = True
    return turn


def run_turn(
    org: Organization,
    event_id: str | None,
    user: str,
    reply_token: str | None,
    act: Callable[[Turn], None],
) -> list[int]:
    """Run ``act`` on the user's chat as one transaction; again from the top when another
    worker moved the chat meanwhile. Returns the ids of the replies it queued (none for a
    redelivered event), which the webhook may send at once."""
    for attempt in range(TRIES):
        try:
            turn = _begin(org, event_id, user, reply_token)
            if turn is None:
                db.session.rollback()
                return []
            act(turn)
            if not turn.committed:
                turn.commit()
            return turn.reply_ids
        except (StaleDataError, IntegrityError):
            # Another worker moved this chat (or created it, or handled this event) first.
            db.session.rollback()
            if attempt == TRIES - 1:
                raise
    return []


def record_only(org: Organization, event_id: str | None) -> None:
    """An event with nothing to do (a group's message, an unknown type): remember its id."""
    try:
        already_seen(org, event_id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


# --- what a turn can do -----------------------------------------------------------------


def file(turn: Turn, sub: intake.ComplaintSubmission, photos: list[str]) -> intake.Filed:
    """File the chat's complaint (IntakeError on bad input), link the case to the chat, queue
    its photos for download and say the receipt, in the filing's one transaction."""
    sub.received_via = "line"

    def within(filed: intake.Filed) -> None:
        case = filed.case
        db.session.add(
            LineLink(organization_id=case.organization_id, case_id=case.id, chat_id=turn.chat.id)
        )
        if photos:
            job = {"kind": "job", "job": "case_photos", "case_id": case.id, "photos": photos}
            turn.job(job, case=case)
        turn.say("receipt", case_id=case.id, code=filed.tracking_code)
        turn.move(IDLE)
        turn.stage()

    filed = intake.file_complaint(turn.org, sub, before_commit=within)
    turn.committed = True
    return filed


def answer(turn: Turn, case: Case, text: str, photos: list[str], then: Callable[[], None]) -> None:
    """The complainant's answer to an officer's question: text alone lands at once (and the
    clock runs again); with photos it lands, photos and all, once they are downloaded.
    FollowUpError as on the web; ``then()`` says what happened, in the same transaction."""
    if photos:
        job = {"kind": "job", "job": "answer", "case_id": case.id, "text": text, "photos": photos}
        turn.job(job, case=case)
        then()
        turn.commit()
        return
    followup.add_information(case, text, [], before_commit=lambda _m: _finish(turn, then))
    turn.committed = True


def rate(turn: Turn, case: Case, score, then: Callable[[], None]) -> None:
    """A 1–5 rating from the chat; FollowUpError as on the web."""
    followup.rate(case, score, "", before_commit=lambda: _finish(turn, then), source="line")
    turn.committed = True


def not_fixed(
    turn: Turn, case: Case, reason: str, then: Callable[[followup.NotFixed], None]
) -> followup.NotFixed:
    """Not fixed (ยังไม่ได้แก้ไข) from the chat, with the reason typed there, exactly as on
    the web (``followup.not_fixed``): within the window the case reopens with a new deadline,
    after it a new case follows it up, linked to this chat so that its news reaches the chat
    too. ``then(done)`` says what happened, in the same transaction. FollowUpError as on the
    web."""

    def within(done: followup.NotFixed) -> None:
        if done.filed is not None:
            new = done.case
            db.session.add(
                LineLink(organization_id=new.organization_id, case_id=new.id, chat_id=turn.chat.id)
            )
        then(done)
        turn.stage()

    done = followup.not_fixed(case, reason, via="line", before_commit=within)
    turn.committed = True
    return done


def rateable(case: Case) -> bool:
    """Whether the complainant can rate the case now (as on the tracking page)."""
    return followup.public_view(case).can_rate


def _finish(turn: Turn, then: Callable[[], None]) -> None:
    then()
    turn.stage()


def linked_cases(chat: LineChat, limit: int = 10) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .join(LineLink, LineLink.case_id == Case.id)
            .where(LineLink.chat_id == chat.id)
            .order_by(Case.id.desc())
            .limit(limit)
        )
    )


def linked_case(chat: LineChat, case_id) -> Case | None:
    """The case with this id if it was filed from this chat (postback data is not trusted)."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(
        select(Case)
        .join(LineLink, LineLink.case_id == Case.id)
        .where(LineLink.chat_id == chat.id, Case.id == case_id)
    )


def organization_of(row: OutboxMessage) -> Organization:
    """The organization a queued chat message speaks for."""
    return db.session.get(Organization, row.organization_id)


def case_in(org: Organization, case_id) -> Case | None:
    """The organization's case with this id (a queued message names its cases by id)."""
    try:
        return owned(Case, org.id, int(case_id))
    except (TypeError, ValueError):
        return None


def waiting_for_answer(chat: LineChat) -> list[Case]:
    return [c for c in linked_cases(chat, limit=50) if c.status == "awaiting_info"]


def unlink(turn: Turn, case: Case) -> None:
    """The complainant stops hearing about ``case`` in LINE; officers see it on the timeline."""
    db.session.execute(delete(LineLink).where(LineLink.case_id == case.id))
    timeline.record(case, "line_unlinked", public=False)


def unfollowed(org: Organization, event_id: str | None, user: str) -> None:
    """The user blocked the account: drop the draft, stop pushes until they follow again."""

    def act(turn: Turn) -> None:
        turn.move(IDLE)
        turn.chat.following = False

    run_turn(org, event_id, user, None, act)


def reachable(case: Case) -> bool:
    """Whether the complainant hears about this case in LINE (officers never see the id)."""
    return line.linked_chat(case) is not None


# --- the worker's jobs ------------------------------------------------------------------


def _photos(message_ids: list[str]) -> list[Upload]:
    """Download the photos LINE still has, as JPEG or PNG re-encoded without metadata."""
    uploads = []
    for message_id in message_ids[:MAX_PHOTOS]:
        data = line.fetch_content(str(message_id))
        kind = attachments.sniff(data or b"")
        if kind not in ("image/jpeg", "image/png") or len(data) > attachments.MAX_BYTES:
            continue
        try:
            clean = reencode_image(data, kind)
        except ImageRefused:  # too large to decode, or not a picture after all
            continue
        extension = attachments.EXTENSIONS[kind]
        uploads.append(Upload(f"LINE-photo-{len(uploads) + 1}.{extension}", clean))
    return uploads


def _case_photos(row: OutboxMessage, chat: LineChat | None, spec: dict) -> None:
    """Photos sent while filing: stored on the case (committed with the row's status)."""
    case = db.session.get(Case, spec["case_id"])
    if case is None:
        return
    attachments.store(case, _photos(spec.get("photos", [])), uploaded_by="citizen")


def _answer(row: OutboxMessage, chat: LineChat | None, spec: dict) -> None:
    """An answer with photos: text and photos land together, as one message on the web."""
    case = db.session.get(Case, spec["case_id"])
    if case is None:
        return
    try:
        followup.add_information(case, spec.get("text", ""), _photos(spec.get("photos", [])))
    except FollowUpError:
        if chat is not None:  # closed meanwhile: say so rather than fail in silence
            spec = {"kind": "dialog", "parts": [{"say": "answer_refused", "case_id": case.id}]}
            line.enqueue(chat, spec, case=case)


def init_app() -> None:
    line.init_app()
    line.register_job("case_photos", _case_photos)
    line.register_job("answer", _answer)


# --- housekeeping (the daily sweep) -----------------------------------------------------


def purge() -> int:
    """Forget event ids LINE can no longer redeliver, and drafts left idle too long."""
    now = clock.utcnow()
    db.session.execute(delete(LineEvent).where(LineEvent.received_at < now - EVENT_MEMORY))
    stale = db.session.scalars(
        select(LineChat).where(LineChat.state != IDLE, LineChat.touched_at < now - idle_limit())
    ).all()
    for chat in stale:
        chat.state = IDLE
        chat.draft_sealed = None
    db.session.commit()
    return len(stale)
