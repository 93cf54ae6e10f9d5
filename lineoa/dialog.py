"""The conversation: what each webhook event means where the chat stands, and what to answer.

Filing a complaint goes: category → details → photos (0 to 5) → place (a shared location or
typed words) → contact details or not: title (คำนำหน้าชื่อ: a button of the complaint form's
list, or typed), name, phone, consent → summary → filed, with the case number
and tracking code in a Flex message. "ยกเลิก" (cancel) stops at any step; a message out of
order gets the question of the current step again, never silence. Commands (file, track, my
cases, report corruption, contact) come from the rich menu as postbacks or as typed words.

After completion the result asks "แก้ไขแล้วหรือยัง" (has it been fixed?): "แก้ไขแล้ว" leads to
the 1–5 rating; "ยังไม่ได้แก้ไข" asks what is still wrong, in one message, and then the case
reopens, or after the window a new case follows it up (``linechat.not_fixed``).

Every event runs as one turn of ``casework.general.linechat`` (one short transaction). Replies
are queued as *what to say* (``Turn.say``) and rendered in the chat's language when they are
sent (lineoa.messages). Nothing here logs what anyone typed.
"""

from __future__ import annotations

from flask import current_app
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UnsendEvent,
)

from casework.cases import casefile, contact, identity, lookup
from casework.cases.categories import active_categories, find_category
from casework.cases.errors import FieldErrors
from casework.cases.textinput import LIMITS, clean
from casework.crypto import tracking
from casework.general import intake, linechat
from casework.general.linechat import IDLE, MAX_PHOTOS, Turn
from casework.models import Organization
from casework.notify import line

CANCEL = {"ยกเลิก", "cancel", "ยกเลิกเรื่อง", "stop"}
COMMANDS = {
    "file": {
        "ยื่นเรื่องร้องเรียน",
        "ยื่นเรื่อง",
        "แจ้งเรื่อง",
        "ร้องเรียน",
        "แจ้งเรื่องร้องเรียน",
        "แจ้งปัญหา",
        "file a complaint",
    },
    "track": {"ติดตามเรื่อง", "ติดตาม", "track", "track a case"},
    "mine": {"เรื่องของฉัน", "my cases"},
    "tip": {"แจ้งเบาะแส", "แจ้งเบาะแสทุจริต", "แจ้งเบาะแสการทุจริต", "report corruption"},
    "contact": {"ติดต่อ", "ติดต่อเรา", "contact", "contact us"},
    "help": {"ช่วยเหลือ", "เมนู", "สวัสดี", "help", "menu", "hi", "hello"},
}
# Words that make a message a corruption tip, which this channel does not take.
TIP_WORDS = (
    "ทุจริต",
    "คอร์รัปชัน",
    "คอร์รัปชั่น",
    "คอรัปชั่น",
    "คอรัปชัน",
    "สินบน",
    "ใต้โต๊ะ",
    "ฮั้ว",
    "corruption",
    "corrupt",
    "bribe",
    "kickback",
)
# Buttons that only move one step on: action -> (the step they belong to, the next step).
BUTTON_STEPS = {
    "next": ("photos", "place"),
    "skip_place": ("place", "contact"),
    "give_contact": ("contact", "title"),
    "skip_title": ("title", "name"),
    "skip_phone": ("phone", "consent"),
}
DRAFT_STATES = (
    "category", "details", "photos", "place", "contact", "title", "name", "phone", "consent",
)  # fmt: skip
# Steps in the middle of something: a command asks the step's question again.
BUSY = (*DRAFT_STATES, "confirm", "answer", "reason")


def parse(raw: dict) -> Event | None:
    """The SDK's model of one event; None for a type (or shape) it does not know."""
    try:
        return Event.from_dict(raw)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def handle(org: Organization, raw: dict) -> list[int]:
    """Handle one webhook event; returns the ids of the replies it queued."""
    if not isinstance(raw, dict):
        return []
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    user = source.get("userId") if source.get("type") == "user" else None
    event_id = _string(raw.get("webhookEventId"))
    event = parse(raw)
    unknown = event is None and raw.get("type") != "message"
    if not isinstance(user, str) or not user or unknown or raw.get("mode") == "standby":
        # Groups, rooms, events without a user, types nobody knows yet, and events another
        # webhook of the channel is answering (standby mode): nothing to do here.
        linechat.record_only(org, event_id)
        return []
    if isinstance(event, UnfollowEvent):
        linechat.unfollowed(org, event_id, user)
        return []
    token = _string(raw.get("replyToken"))
    return linechat.run_turn(org, event_id, user, token, lambda turn: Conversation(turn).on(event))


def _string(value) -> str | None:
    return value if isinstance(value, str) and value else None


class Conversation:
    def __init__(self, turn: Turn):
        self.turn = turn

    # --- saying ---------------------------------------------------------------------

    def say(self, key: str, **params) -> None:
        self.turn.say(key, **params)

    def prompt(self) -> None:
        """Ask the current step's question again (the menu when nothing is in progress)."""
        state, draft = self.turn.state, self.turn.draft
        if state == IDLE:
            self.say("menu", quick="menu")
        elif state == "photos":
            self.say("ask_photos", n=MAX_PHOTOS, quick="photos", have=len(draft.get("photos", [])))
        elif state == "confirm":
            self.say("summary", draft=draft, quick="confirm")
        elif state == "answer":
            self.say("ask_answer", case_id=draft.get("case_id"), quick="answer")
        elif state == "reason":
            self.say("ask_reason", case_id=draft.get("case_id"), quick="reason")
        else:
            self.say(f"ask_{state}", quick=state)

    # --- events ---------------------------------------------------------------------

    def on(self, event: Event | None) -> None:
        if self.turn.expired:
            self.say("expired", n=current_app.config["LINE_CONVERSATION_IDLE_MINUTES"])
        if event is None:  # a message of a type the SDK does not know yet
            self.say("unsupported")
            self.prompt()
        elif isinstance(event, FollowEvent):
            self.turn.chat.following = True
            self.turn.chat.language = None  # read the profile again: it may have changed
            self.say("welcome")
            self.prompt()
        elif isinstance(event, MessageEvent):
            self.on_message(event.message)
        elif isinstance(event, PostbackEvent):
            self.on_postback(line.parse_postback(event.postback.data))
        elif isinstance(event, UnsendEvent):
            self.on_unsend(event.unsend.message_id)
        # Anything else (membership, beacon, video played, …) has no meaning here.

    def on_message(self, message) -> None:
        if isinstance(message, TextMessageContent):
            self.on_text(clean(message.text, multiline=True))
        elif isinstance(message, ImageMessageContent):
            image_set = message.image_set
            last = (
                image_set is None or image_set.index is None or image_set.index == image_set.total
            )
            self.on_image(message.id, last)
        elif isinstance(message, LocationMessageContent):
            self.on_location(message)
        elif isinstance(message, StickerMessageContent):
            self.say("sticker")
            self.prompt()
        else:  # video, audio, file, …
            self.say("unsupported")
            self.prompt()

    def on_unsend(self, message_id: str) -> None:
        """A photo the user took back leaves the draft too (no reply: there is no token)."""
        photos = self.turn.draft.get("photos", [])
        if message_id in photos:
            self.turn.update(photos=[p for p in photos if p != message_id])

    # --- text -----------------------------------------------------------------------

    def on_text(self, text: str) -> None:
        word = text.casefold()
        if word in CANCEL:
            return self.cancel()
        for command, words in COMMANDS.items():
            if word in words:
                return self.command(command)
        if tracking.normalize_code(text) and len(text) <= LIMITS["tracking_code"]:
            return self.track(text)
        handler = getattr(self, f"text_{self.turn.state}", None)
        if handler is None:
            return self.prompt()
        handler(text)

    def text_idle(self, text: str) -> None:
        if _is_tip(text):
            return self.say("tip", url=_tip_url(), quick="menu")
        waiting = linechat.waiting_for_answer(self.turn.chat)
        if len(waiting) == 1:
            self.turn.move("answer", {"case_id": waiting[0].id, "text": text, "photos": []})
            return self.say("answer_from_idle", case_id=waiting[0].id, quick="answer")
        if waiting:
            return self.say("which_case", case_ids=[c.id for c in waiting], quick="which")
        self.say("not_understood", quick="menu")

    def text_track(self, text: str) -> None:
        if _is_tip(text):
            self.turn.move(IDLE)
            return self.say("tip", url=_tip_url(), quick="menu")
        self.track(text)

    def text_category(self, text: str) -> None:
        word = text.casefold()
        for category in active_categories(self.turn.org, "complaint"):
            if word in (category.name_th.casefold(), category.name_en.casefold(), category.code):
                return self.choose_category(category.code)
        self.say("pick_category")
        self.prompt()

    def text_details(self, text: str) -> None:
        if not self.refused_tip(text) and self.keep("details", text, LIMITS["details"]):
            self.next("photos")

    def text_photos(self, text: str) -> None:
        more = f"{self.turn.draft.get('details', '')}\n{text}".strip()
        if not self.refused_tip(text) and self.keep("details", more, LIMITS["details"]):
            self.say("details_added")
            self.prompt()

    def text_place(self, text: str) -> None:
        if self.keep("location", clean(text), LIMITS["location"]):
            self.next("contact")

    def text_title(self, text: str) -> None:
        """A title typed rather than tapped (ว่าที่ร้อยตรี, ดร., …), as the web form allows."""
        if self.keep("title", clean(text), LIMITS["title"]):
            self.next("name")

    def text_name(self, text: str) -> None:
        if self.keep("name", clean(text), LIMITS["name"]):
            self.next("phone")

    def text_phone(self, text: str) -> None:
        phone = clean(text)
        if contact.problems({"phone": phone}, "reporter"):
            self.say("bad_phone")
            return self.prompt()
        if self.keep("phone", phone, LIMITS["phone"]):
            self.next("consent")

    def text_answer(self, text: str) -> None:
        more = f"{self.turn.draft.get('text', '')}\n{text}".strip()
        if not self.refused_tip(text) and self.keep("text", more, LIMITS["message"]):
            self.say("answer_noted", quick="answer")

    def text_reason(self, text: str) -> None:
        """What is still wrong, in one message: the case reopens, or a new case follows it."""
        case = linechat.linked_case(self.turn.chat, self.turn.draft.get("case_id"))
        if case is None:
            self.turn.move(IDLE)
            return self.say("not_yours", quick="menu")
        if self.refused_tip(text):
            return

        def then(done) -> None:
            self.turn.move(IDLE)
            if done.filed is None:
                return self.say("reopened", case_id=case.id, quick="menu")
            n = self.turn.org.reopen_window_days
            self.say("followed_up", case_id=case.id, new=done.case.case_number, n=n)
            self.say("receipt", case_id=done.case.id, code=done.filed.tracking_code)

        try:
            linechat.not_fixed(self.turn, case, text, then)
        except FieldErrors as error:
            if set(error.fields) == {"comment"}:  # too long: say so and ask again
                self.say("refused", problems=_problems(error))
                return self.prompt()
            self.turn.move(IDLE)
            self.say("refused", problems=_problems(error), quick="menu")

    def refused_tip(self, text: str) -> bool:
        """A corruption tip is not kept: say why and where to go, and ask again."""
        if not _is_tip(text):
            return False
        self.say("tip_detected", url=_tip_url())
        self.prompt()
        return True

    def keep(self, name: str, value: str, limit: int) -> bool:
        """Put ``value`` in the draft; too long, say so and ask again."""
        if len(value) > limit:
            self.say("too_long", n=limit)
            self.prompt()
            return False
        self.turn.update(**{name: value})
        return True

    def next(self, state: str) -> None:
        self.turn.move(state, self.turn.draft)
        self.prompt()

    # --- photos and places ----------------------------------------------------------

    def on_image(self, message_id: str, last_of_set: bool) -> None:
        state, draft = self.turn.state, self.turn.draft
        if state == IDLE:
            waiting = linechat.waiting_for_answer(self.turn.chat)
            if len(waiting) == 1:
                draft = {"case_id": waiting[0].id, "text": "", "photos": []}
                self.turn.move("answer", draft)
                state = "answer"
        if state not in ("details", "photos", "answer"):
            self.say("photo_out_of_place")
            return self.prompt()
        photos = draft.get("photos", [])
        if len(photos) >= MAX_PHOTOS:
            if last_of_set:
                self.say("too_many_photos", n=MAX_PHOTOS)
                self.prompt()
            return
        self.turn.update(photos=[*photos, message_id])
        if last_of_set:
            count = len(photos) + 1
            if state == "answer":
                self.say("answer_noted", quick="answer")
            elif state == "details":
                self.say("photo_received", count=count, n=MAX_PHOTOS)
                self.prompt()
            else:
                self.say("photo_received", count=count, n=MAX_PHOTOS, quick="photos")

    def on_location(self, message) -> None:
        if self.turn.state not in ("details", "photos", "place"):
            self.say("location_out_of_place")
            return self.prompt()
        place = clean(message.address or message.title or "")[: LIMITS["location"]]
        self.turn.update(location=place, lat=message.latitude, lng=message.longitude)
        if self.turn.state == "place":
            return self.next("contact")
        self.say("location_saved")
        self.prompt()

    # --- postbacks ------------------------------------------------------------------

    def on_postback(self, data: dict) -> None:
        action = data.get("a", "")
        if action == "cancel":
            return self.cancel()
        if action in COMMANDS:
            return self.command(action)
        if action in BUTTON_STEPS:
            return self.advance(*BUTTON_STEPS[action])
        handler = getattr(self, f"postback_{action}", None)
        if handler is None:
            return self.prompt()
        handler(data)

    def expect(self, state: str) -> bool:
        """True when the chat is at ``state``; otherwise ask the current question again."""
        if self.turn.state == state:
            return True
        self.prompt()
        return False

    def postback_category(self, data: dict) -> None:
        if self.expect("category"):
            self.choose_category(data.get("code", ""))

    def choose_category(self, code: str) -> None:
        if find_category(self.turn.org, code, "complaint") is None:
            self.say("pick_category")
            return self.prompt()
        self.turn.update(category=code)
        self.next("details")

    def postback_title(self, data: dict) -> None:
        """A title button: one of the complaint form's titles (postback data is not trusted)."""
        if not self.expect("title"):
            return
        if data.get("t") not in identity.TITLES:
            return self.prompt()
        self.turn.update(title=data["t"])
        self.next("name")

    def postback_anonymous(self, data: dict) -> None:
        if self.turn.state not in ("contact", "title", "name", "phone", "consent"):
            return self.prompt()
        self.turn.update(title="", name="", phone="", consent=False)
        self.next("confirm")

    def postback_consent(self, data: dict) -> None:
        if self.expect("consent"):
            self.turn.update(consent=True)
            self.next("confirm")

    def advance(self, step: str, then: str) -> None:
        """A button that moves ``step`` on to ``then`` (elsewhere: the current question)."""
        if self.expect(step):
            self.next(then)

    def postback_confirm(self, data: dict) -> None:
        if not self.expect("confirm"):
            return
        draft = self.turn.draft
        details = draft.get("details", "")
        sub = intake.ComplaintSubmission(
            category=draft.get("category", ""),
            subject=_subject(details),
            details=details,
            location=draft.get("location", ""),
            lat=draft.get("lat"),
            lng=draft.get("lng"),
            reporter={k: draft.get(k, "") for k in ("title", "name", "phone")},
            consent=bool(draft.get("consent")),
        )
        try:
            linechat.file(self.turn, sub, draft.get("photos", []))
        except intake.IntakeError as error:
            self.say("cannot_file", problems=_problems(error))
            self.prompt()

    def postback_answer(self, data: dict) -> None:
        case = linechat.linked_case(self.turn.chat, data.get("case"))
        if case is None:
            return self.say("not_yours", quick="menu")
        if case.status != "awaiting_info":
            return self.say("no_question", case_id=case.id, quick="menu")
        if self.turn.state in BUSY:
            self.say("in_progress")
            return self.prompt()
        self.turn.move("answer", {"case_id": case.id, "text": "", "photos": []})
        self.prompt()

    def postback_send_answer(self, data: dict) -> None:
        if not self.expect("answer"):
            return
        draft = self.turn.draft
        case = linechat.linked_case(self.turn.chat, draft.get("case_id"))
        text, photos = draft.get("text", ""), draft.get("photos", [])
        if case is None:
            self.turn.move(IDLE)
            return self.say("not_yours", quick="menu")
        if not text and not photos:
            self.say("answer_empty")
            return self.prompt()
        key = "answer_sent_photos" if photos else "answer_sent"

        def then() -> None:
            self.turn.move(IDLE)
            self.say(key, case_id=case.id, quick="menu")

        try:
            linechat.answer(self.turn, case, text, photos, then)
        except FieldErrors as error:
            self.turn.move(IDLE)
            self.say("refused", problems=_problems(error), quick="menu")

    def postback_rate(self, data: dict) -> None:
        case = linechat.linked_case(self.turn.chat, data.get("case"))
        if case is None:
            return self.say("not_yours", quick="menu")
        score = data.get("score")
        if score is None:
            return self.say("ask_rating", case_id=case.id, quick="rate")
        try:
            linechat.rate(self.turn, case, score, lambda: self.say("rated", case_id=case.id))
        except FieldErrors as error:
            self.say("refused", problems=_problems(error), quick="menu")

    def postback_fixed(self, data: dict) -> None:
        """The "แก้ไขแล้ว" (fixed) button under the result: then the rating, as today."""
        case = linechat.linked_case(self.turn.chat, data.get("case"))
        if case is None:
            return self.say("not_yours", quick="menu")
        if not linechat.rateable(case):
            return self.say("status", case_id=case.id, quick="menu")
        self.say("ask_rating", case_id=case.id, quick="rate")

    def postback_not_fixed(self, data: dict) -> None:
        """The "ยังไม่ได้แก้ไข" (not fixed) button: ask what is still wrong, in one message."""
        case = linechat.linked_case(self.turn.chat, data.get("case"))
        if case is None:
            return self.say("not_yours", quick="menu")
        if self.turn.state in BUSY and self.turn.state != "reason":
            self.say("in_progress")
            return self.prompt()
        if not casefile.reopenable(case):
            return self.say("not_reopenable", case_id=case.id, quick="menu")
        self.turn.move("reason", {"case_id": case.id})
        self.prompt()

    def postback_status(self, data: dict) -> None:
        case = linechat.linked_case(self.turn.chat, data.get("case"))
        if case is None:
            return self.say("not_yours", quick="menu")
        self.say("status", case_id=case.id, quick="menu")

    def postback_unlink(self, data: dict) -> None:
        case = linechat.linked_case(self.turn.chat, data.get("case"))
        if case is None:
            return self.say("not_yours", quick="menu")
        if data.get("sure") != "1":
            return self.say("unlink_confirm", case_id=case.id, quick="unlink")
        number = case.case_number
        linechat.unlink(self.turn, case)
        self.say("unlinked", number=number, quick="menu")

    # --- commands -------------------------------------------------------------------

    def command(self, name: str) -> None:
        state = self.turn.state
        busy = state in BUSY
        if name == "file":
            if busy:
                self.say("in_progress")
                return self.prompt()
            self.turn.move("category", {})
            return self.prompt()
        if name == "track":
            if state == IDLE:
                self.turn.move("track")
            return self.say("ask_track", quick="track")
        quick = None if busy else "menu"  # in the middle of something: its question again
        if name == "mine":
            cases = linechat.linked_cases(self.turn.chat)
            if cases:
                self.say("my_cases", case_ids=[c.id for c in cases], quick=quick)
            else:
                self.say("no_cases", quick=quick)
        elif name == "tip":
            self.say("tip", url=_tip_url(), quick=quick)
        elif name == "contact":
            self.say("contact", quick=quick)
        else:
            self.say("help", quick=quick)
        if busy:
            self.prompt()

    def cancel(self) -> None:
        had = self.turn.state != IDLE
        self.turn.move(IDLE)
        self.say("cancelled" if had else "nothing_to_cancel", quick="menu")

    def track(self, text: str) -> None:
        if not _track_allowed(self.turn):
            return self.say("track_limited", quick="menu")
        case = lookup.find_by_code(self.turn.org, text)
        if case is None:
            self.say("track_unknown", quick={"track": "track", IDLE: "menu"}.get(self.turn.state))
            if self.turn.state not in (IDLE, "track"):
                self.prompt()
        else:
            if self.turn.state == "track":
                self.turn.move(IDLE)
            idle = self.turn.state == IDLE
            self.say("status", case_id=case.id, quick="menu" if idle else None)
            if not idle:
                self.prompt()


def _is_tip(text: str) -> bool:
    folded = text.casefold()
    return any(word in folded for word in TIP_WORDS)


def _tip_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + "/whistleblow/"


def _subject(details: str) -> str:
    """The case's subject: the first line of the details, cut at a word near 80 characters."""
    first = clean(details.split("\n", 1)[0])
    if len(first) <= 80:
        return first
    cut = first[:80].rsplit(" ", 1)[0] if " " in first[:80] else first[:80]
    return cut + "…"


def _problems(error: FieldErrors) -> str:
    return " ".join(str(message) for message in error.fields.values())


def _track_allowed(turn: Turn) -> bool:
    """Tracking codes typed in a chat count against the same budget as the web's lookups,
    per chat (the keyed hash of the user, never the id)."""
    from limits import parse

    from casework.extensions import limiter

    item = parse(current_app.config["TRACK_RATE_LIMIT"])
    return limiter.limiter.hit(item, "line-track", turn.chat.user_tag)
