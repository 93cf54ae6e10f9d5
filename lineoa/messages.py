"""What the bot says, as LINE messages: the dialog's queued parts rendered when they are sent,
in the locale the outbox transport chose for the chat (Thai, or English for an English LINE
profile). Registered with casework.notify.line as the ``dialog`` renderer.

A reply holds at most five messages: consecutive texts are joined into one, and the quick-reply
buttons of the last part that has them go under the last message.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.cases import casefile, identity, lifecycle
from casework.cases.categories import active_categories
from casework.dates import thaidate
from casework.general import followup, linechat
from casework.models import Case, LineChat, Organization, OutboxMessage
from casework.notify import line
from casework.notify.line import postback, text
from rongrian.i18n import current_locale, localized

# Button labels (LINE allows 20 characters; tests check both languages).
FILE = _l("File a complaint")
TRACK = _l("Track a case")
MINE = _l("My cases")
TIP = _l("Report corruption")
CONTACT = _l("Contact us")
CANCEL = _l("Cancel")
CAMERA = _l("Take a photo")
ROLL = _l("Choose photos")
NEXT = _l("Next")
NO_PHOTOS = _l("No photos")
SHARE_LOCATION = _l("Share location")
SKIP = _l("Skip")
ANONYMOUS = _l("Stay anonymous")
GIVE_CONTACT = _l("Give contact details")
AGREE = _l("I agree")
DISAGREE = _l("I do not agree")
SEND = _l("Send")
SEND_ANSWER = _l("Send answer")
STATUS = _l("Status")
RATE = _l("Rate")
UNLINK = _l("Stop LINE updates")
UNLINK_YES = _l("Yes, stop")
UNLINK_NO = _l("No, keep")
TRACK_ONLINE = _l("Track on the website")
TIP_CHANNEL = _l("Corruption channel")
FIXED = _l("Fixed")
NOT_FIXED = _l("Not fixed yet")
LABELS = (
    FILE, TRACK, MINE, TIP, CONTACT, CANCEL, CAMERA, ROLL, NEXT, NO_PHOTOS, SHARE_LOCATION, SKIP,
    ANONYMOUS, GIVE_CONTACT, AGREE, DISAGREE, SEND, SEND_ANSWER, STATUS, RATE, UNLINK,
    UNLINK_YES, UNLINK_NO, TRACK_ONLINE, TIP_CHANNEL, line.ANSWER, FIXED, NOT_FIXED,
)  # fmt: skip

TEXTS = {
    "welcome": _l(
        "Hello! This is the complaint service of %(org)s. Here you can file a complaint with "
        "photos and a location, follow your cases, and hear about their progress."
    ),
    "menu": _l("What would you like to do? Tap a button below, or use the menu."),
    "help": _l(
        "File a complaint: I ask a few questions, one at a time. Track a case: type its "
        "tracking code. My cases: the cases filed from this LINE account. Type “cancel” at "
        "any time to stop."
    ),
    "ask_category": _l("What kind of problem is it? Choose a category."),
    "pick_category": _l("Please choose a category from the list."),
    "ask_details": _l(
        "Describe the problem in your own words: what is wrong, since when, and who is affected."
    ),
    "ask_photos": _l(
        "Send up to %(n)d photos of the problem, or tap “No photos”. You can also type more "
        "details."
    ),
    "photo_received": _l("Photo %(count)d of at most %(n)d received."),
    "too_many_photos": _l("At most %(n)d photos: the extra ones were not kept."),
    "details_added": _l("Added to the details."),
    "ask_place": _l(
        "Where is it? Share the location on the map, or type the place (for example: in front "
        "of house no. 12, Soi 3)."
    ),
    "location_saved": _l("Location saved."),
    "ask_contact": _l(
        "Would you like to give your name and phone number so that officers can contact you? "
        "If not, the complaint is anonymous: you still hear about it here, but no one can call "
        "you back."
    ),
    "ask_title": _l("Choose your title below, or type another (for example ว่าที่ร้อยตรี)."),
    "ask_name": _l("Type your full name."),
    "ask_phone": _l("Type a phone number officers can call, or tap “Skip”."),
    "bad_phone": _l("That does not look like a Thai phone number (e.g. 081 234 5678)."),
    "ask_consent": _l(
        "Do you agree that the municipality may use your name and phone number to handle this "
        "complaint? They are stored encrypted, and every time an officer opens them it is "
        "recorded."
    ),
    "cancelled": _l("Cancelled. What you typed was not kept."),
    "nothing_to_cancel": _l("There is nothing to cancel."),
    "expired": _l(
        "Your unfinished complaint was discarded after %(n)d minutes without a reply, and what "
        "you typed was not kept. Please start again."
    ),
    "in_progress": _l(
        "You are in the middle of something. Continue below, or type “cancel” to start over."
    ),
    "sticker": _l("Thank you! I can read text, photos and locations only."),
    "unsupported": _l("I can read text, photos and locations only; this message was not kept."),
    "not_understood": _l("Sorry, I did not understand that. What would you like to do?"),
    "photo_out_of_place": _l(
        "To send photos with a complaint, tap “File a complaint” first. This photo was not kept."
    ),
    "location_out_of_place": _l(
        "To give a place with a complaint, tap “File a complaint” first. It was not kept."
    ),
    "too_long": _l("At most %(n)d characters, please. It was not kept."),
    "tip": _l(
        "Corruption tips are not taken over LINE: a LINE account identifies the person who "
        "uses it, and a tipster must be able to stay unknown. Please use our confidential "
        "corruption channel on the website, where you need not give your name: %(url)s\n\n"
        "Nothing you type here about it is kept.\n\nYou can also call the NACC (ป.ป.ช.) "
        "hotline 1205, the PACC (ป.ป.ท.) hotline 1206 or the Damrongdham Centre hotline 1567."
    ),
    "tip_detected": _l(
        "This sounds like a corruption tip, so it was not kept. Corruption tips are not taken "
        "over LINE, because a LINE account identifies the person who uses it. Please use the "
        "confidential channel on the website, where you need not give your name: %(url)s\n\n"
        "If it is not about corruption, describe the problem again without it."
    ),
    "cannot_file": _l("The complaint could not be filed yet: %(problems)s"),
    "refused": _l("That did not work: %(problems)s"),
    "ask_track": _l("Type the tracking code (16 letters and digits, e.g. 7KQ4-M2XD-9HBT-0RZP)."),
    "track_unknown": _l("No case has this code. Check it and type it again."),
    "track_limited": _l("Too many tries. Please wait a minute and try again."),
    "no_cases": _l("No case has been filed from this LINE account yet."),
    "not_yours": _l("That case is not linked to this LINE account."),
    "no_question": _l("Case %(case_number)s is not waiting for an answer from you."),
    "ask_answer": _l(
        "Type your answer about case %(case_number)s, and send photos if they help. Then tap "
        "“Send answer”."
    ),
    "answer_noted": _l("Noted. Add more, or tap “Send answer”."),
    "answer_from_idle": _l(
        "Is this your answer to the question about case %(case_number)s? Tap “Send answer” "
        "to send it, or add more first."
    ),
    "which_case": _l("Several of your cases are waiting for an answer. Which one is this about?"),
    "answer_empty": _l("Type your answer or send a photo first."),
    "answer_sent": _l(
        "Thank you. Your answer was added to case %(case_number)s, and the clock runs again."
    ),
    "answer_sent_photos": _l(
        "Thank you. Your answer and photos are being added to case %(case_number)s."
    ),
    "answer_refused": _l(
        "Your answer could not be added to case %(case_number)s because it is closed. "
        "Please contact us."
    ),
    "ask_rating": _l(
        "How satisfied are you with how case %(case_number)s was handled? 1 = not at all, 5 = very."
    ),
    "rated": _l("Thank you for rating case %(case_number)s."),
    "ask_fixed": _l("Has the problem of case %(case_number)s been fixed?"),
    "followed_up": _l(
        "Case %(case_number)s was completed more than %(n)d days ago, so it cannot be reopened. "
        "It is followed up by a new case, number %(new)s, with what you said is still wrong; the "
        "officers see both. Follow the new case with its own tracking code:"
    ),
    "unlink_confirm": _l(
        "Stop hearing about case %(case_number)s in LINE? It leaves “My cases”; you can still "
        "follow it with its tracking code."
    ),
    "unlinked": _l("Done: case %(case_number)s is no longer linked to this LINE account."),
}
ASK_REASON_REOPEN = _l(
    "Please tell us in one message what is still wrong with case %(case_number)s. The case "
    "will then be reopened and the officers will work on it again, with a new deadline from "
    "today."
)
ASK_REASON_FOLLOW_UP = _l(
    "Please tell us in one message what is still wrong with case %(case_number)s. It was "
    "completed more than %(n)d days ago, so it cannot be reopened: a new case will follow it up."
)
REOPENED = _l(
    "Case %(case_number)s has been reopened, and the officers will work on it again. The new "
    "deadline is %(date)s. We will tell you about its progress in this chat."
)
ALREADY_FOLLOWED = _l(
    "You have already said that case %(case_number)s is not fixed: case %(new)s follows it up."
)
ALREADY_OPEN = _l("Case %(case_number)s is being worked on, so there is nothing to reopen.")
NOT_REOPENABLE = _l(
    "Case %(case_number)s cannot be reopened (it was closed as a duplicate or transferred). "
    "Please file a new complaint if there is still a problem."
)
SUMMARY = _l("Please check your complaint before sending it:")
SUMMARY_CATEGORY = _l("Category: %(value)s")
SUMMARY_DETAILS = _l("Details: %(value)s")
SUMMARY_PHOTOS = _l("Photos: %(n)d")
SUMMARY_PLACE = _l("Place: %(value)s")
SUMMARY_PIN = _l("map location shared")
SUMMARY_CONTACT = _l("Contact: %(value)s")
SUMMARY_ANONYMOUS = _l("Contact: none (anonymous)")
SUMMARY_SEND = _l("Tap “Send” to file it, or “Cancel”.")
RECEIVED = _l("Complaint received")
RECEIPT_ALT = _l("Complaint %(case_number)s received")
CASE_NUMBER = _l("Case number")
TRACKING_CODE = _l("Tracking code")
RECEIVED_ON = _l("Received on")
EXPECTED_BY = _l("Expected by")
RECEIPT_NOTE = _l(
    "Keep the tracking code: with it you can follow the case on the website. We will also "
    "tell you about its progress in this chat."
)
STATUS_LINE = _l("Case %(case_number)s: %(status)s")
STATUS_WAITING = _l("We asked you: %(question)s")
STATUS_RESULT = _l("Result: %(outcome)s")
STATUS_LATEST = _l("Latest: %(label)s")
MY_CASES = _l("My cases")
FILED_ON = _l("Filed on %(date)s")
CATEGORIES_ALT = _l("Choose a category")
CONTACT_PHONE = _l("Phone: %(value)s")
CONTACT_EMAIL = _l("Email: %(value)s")
CONTACT_WEB = _l("Website: %(value)s")


def render(row: OutboxMessage, chat: LineChat | None, spec: dict) -> list[dict]:
    org = linechat.organization_of(row)
    messages: list[dict] = []
    actions: list[dict] = []
    for part in spec.get("parts", []):
        part = _with_cases(org, part)
        made = RENDER.get(part.get("say"), _plain)(org, part)
        if made is None:
            continue
        if part.get("quick"):
            actions = QUICK[part["quick"]](part)
        if made.get("type") == "text" and messages and messages[-1].get("type") == "text":
            messages[-1]["text"] = f"{messages[-1]['text']}\n\n{made['text']}"[:5000]
        else:
            messages.append(made)
    messages = messages[-line.MAX_MESSAGES :]
    if messages and actions:
        messages[-1]["quickReply"] = text("", *actions)["quickReply"]
    return messages


def _with_cases(org: Organization, part: dict) -> dict:
    """The part with the organization's cases it names by id loaded: ``case`` for
    ``case_id``, ``cases`` for ``case_ids`` (ids of other organizations load nothing)."""
    found = dict(part)
    if part.get("case_id"):
        found["case"] = linechat.case_in(org, part["case_id"])
    if "case_ids" in part:
        found["cases"] = [c for i in part["case_ids"][:10] if (c := linechat.case_in(org, i))]
    return found


def _case(part: dict) -> Case | None:
    return part.get("case")


def _plain(org: Organization, part: dict) -> dict | None:
    """The parts that are one sentence: the text, with what it names filled in."""
    key = part.get("say")
    if key not in TEXTS:
        return None
    values = {k: v for k, v in part.items() if k not in ("say", "quick", "case", "cases")}
    case = _case(part)
    if case is not None:
        values["case_number"] = case.case_number
    if "number" in values:
        values["case_number"] = values.pop("number")
    values.setdefault("org", localized(org))
    return text(str(TEXTS[key]) % values)


def _after_result(org: Organization, part: dict) -> dict | None:
    """Under the result: "has it been fixed?" while the case can still be said not to be;
    else the rating, until it is given."""
    case = _case(part)
    if case is None:
        return None
    values = {"case_number": case.case_number}
    if casefile.reopenable(case):
        return text(
            str(TEXTS["ask_fixed"]) % values,
            postback(FIXED, "fixed", FIXED, case=case.id),
            postback(NOT_FIXED, "not_fixed", NOT_FIXED, case=case.id),
        )
    if linechat.rateable(case):
        return text(str(TEXTS["ask_rating"]) % values, *QUICK["rate"]({"case_id": case.id}))
    return None


def _ask_reason(org: Organization, part: dict) -> dict | None:
    case = _case(part)
    if case is None:
        return None
    values = {"case_number": case.case_number, "n": org.reopen_window_days}
    if followup.public_view(case).reopens_in_place:
        return text(str(ASK_REASON_REOPEN) % values)
    return text(str(ASK_REASON_FOLLOW_UP) % values)


def _reopened(org: Organization, part: dict) -> dict | None:
    case = _case(part)
    if case is None:
        return None
    return text(str(REOPENED) % {"case_number": case.case_number, "date": _date(case.due_date)})


def _not_reopenable(org: Organization, part: dict) -> dict | None:
    case = _case(part)
    if case is None:
        return None
    view = followup.public_view(case)
    values = {"case_number": case.case_number, "new": view.followed_by}
    if view.followed_by:
        return text(str(ALREADY_FOLLOWED) % values)
    return text(str(ALREADY_OPEN if view.is_open else NOT_REOPENABLE) % values)


def _summary(org: Organization, part: dict) -> dict:
    draft = part.get("draft") or {}
    category = next(
        (c for c in active_categories(org, "complaint") if c.code == draft.get("category")), None
    )
    lines = [str(SUMMARY), "", str(SUMMARY_CATEGORY) % {"value": localized(category)}]
    lines.append(str(SUMMARY_DETAILS) % {"value": _cut(draft.get("details", ""), 1500)})
    lines.append(str(SUMMARY_PHOTOS) % {"n": len(draft.get("photos", []))})
    place = draft.get("location") or (str(SUMMARY_PIN) if draft.get("lat") is not None else "")
    if place:
        lines.append(str(SUMMARY_PLACE) % {"value": place})
    if draft.get("consent") and draft.get("name"):
        who = " · ".join(v for v in (identity.addressee(draft), draft.get("phone")) if v)
        lines.append(str(SUMMARY_CONTACT) % {"value": who})
    else:
        lines.append(str(SUMMARY_ANONYMOUS))
    lines += ["", str(SUMMARY_SEND)]
    return text("\n".join(lines))


def _date(value) -> str:
    return thaidate.format_date(thaidate.local_date(value), current_locale()) if value else ""


def _row(label, value, *, big: bool = False) -> dict:
    return {
        "type": "box",
        "layout": "vertical",
        "margin": "md",
        "contents": [
            {"type": "text", "text": str(label), "size": "xs", "color": "#6b7280"},
            {
                "type": "text",
                "text": str(value) or "-",
                "size": "xl" if big else "md",
                "weight": "bold" if big else "regular",
                "wrap": True,
            },
        ],
    }


def _receipt(org: Organization, part: dict) -> dict | None:
    case = _case(part)
    if case is None:
        return None
    body = [
        {"type": "text", "text": str(RECEIVED), "weight": "bold", "size": "lg", "color": "#1d4ed8"},
        {"type": "text", "text": localized(org), "size": "sm", "color": "#6b7280", "wrap": True},
        _row(CASE_NUMBER, case.case_number),
        _row(TRACKING_CODE, part.get("code") or "", big=True),
        _row(RECEIVED_ON, _date(case.received_at)),
        _row(EXPECTED_BY, _date(case.due_date)),
        {"type": "text", "text": str(RECEIPT_NOTE), "size": "sm", "wrap": True, "margin": "lg"},
    ]
    return {
        "type": "flex",
        "altText": str(RECEIPT_ALT) % {"case_number": case.case_number},
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "contents": body},
            "footer": {
                "type": "box",
                "layout": "vertical",
                "contents": [
                    {
                        "type": "button",
                        "style": "primary",
                        "action": line.uri(TRACK_ONLINE, line.track_url()),
                    }
                ],
            },
        },
    }


def _status(org: Organization, part: dict) -> dict | None:
    case = _case(part)
    if case is None:
        return None
    view = followup.public_view(case)
    lines = [str(STATUS_LINE) % {"case_number": case.case_number, "status": view.status_label}]
    lines.append(f"{RECEIVED_ON}: {_date(case.received_at)}")
    if view.is_open:
        lines.append(f"{EXPECTED_BY}: {_date(case.due_date)}")
    if view.question:
        lines.append(str(STATUS_WAITING) % {"question": view.question})
    latest = view.events[-1] if view.events else None
    if latest is not None and view.is_open and latest.kind in ("public_update", "explanation"):
        lines.append(str(STATUS_LATEST) % {"label": latest.body})
    if not view.is_open:
        lines.append(str(STATUS_RESULT) % {"outcome": view.outcome_label})
        if case.result_text:
            lines.append(case.result_text)
    lines.append(str(line.TRACK_HINT) % {"url": line.track_url()})
    return text("\n".join(lines))


def _my_cases(org: Organization, part: dict) -> dict | None:
    bubbles = []
    for case in part.get("cases", []):
        state = lifecycle.state(case.channel, case.status)
        buttons = [postback(STATUS, "status", STATUS, case=case.id)]
        if case.status == "awaiting_info":
            buttons.append(postback(line.ANSWER, "answer", line.ANSWER, case=case.id))
        if state.final and case.rating is None:
            buttons.append(postback(RATE, "rate", RATE, case=case.id))
        if casefile.reopenable(case):
            buttons.append(postback(NOT_FIXED, "not_fixed", NOT_FIXED, case=case.id))
        buttons.append(postback(UNLINK, "unlink", None, case=case.id))
        bubbles.append(
            {
                "type": "bubble",
                "size": "kilo",
                "body": {
                    "type": "box",
                    "layout": "vertical",
                    "contents": [
                        {"type": "text", "text": case.case_number, "weight": "bold"},
                        {"type": "text", "text": _cut(case.subject, 100), "wrap": True},
                        {"type": "text", "text": str(state.label), "color": "#1d4ed8"},
                        {
                            "type": "text",
                            "text": str(FILED_ON) % {"date": _date(case.received_at)},
                            "size": "xs",
                            "color": "#6b7280",
                        },
                    ],
                },
                "footer": {
                    "type": "box",
                    "layout": "vertical",
                    "contents": [
                        {"type": "button", "style": "link", "height": "sm", "action": a}
                        for a in buttons
                    ],
                },
            }
        )
    if not bubbles:
        return None
    return {
        "type": "flex",
        "altText": str(MY_CASES),
        "contents": {"type": "carousel", "contents": bubbles},
    }


def _categories(org: Organization, part: dict) -> dict:
    rows = [{"type": "text", "text": str(TEXTS["ask_category"]), "weight": "bold", "wrap": True}]
    for category in active_categories(org, "complaint"):
        name = localized(category)
        rows.append(
            {
                "type": "box",
                "layout": "vertical",
                "margin": "md",
                "paddingAll": "md",
                "cornerRadius": "md",
                "backgroundColor": "#eff6ff",
                "action": postback(name, "category", name, code=category.code),
                "contents": [{"type": "text", "text": name, "wrap": True, "color": "#1d4ed8"}],
            }
        )
    return {
        "type": "flex",
        "altText": str(CATEGORIES_ALT),
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "contents": rows},
        },
    }


def _contact(org: Organization, part: dict) -> dict:
    lines = [localized(org)]
    address = localized(org, "address")
    if address:
        lines.append(address)
    for label, value in (
        (CONTACT_PHONE, org.phone),
        (CONTACT_EMAIL, org.email),
        (CONTACT_WEB, org.website or current_app.config.get("PUBLIC_BASE_URL", "")),
    ):
        if value:
            lines.append(str(label) % {"value": value})
    lines.append(_("Damrongdham Centre hotline 1567 · Government complaint centre 1111"))
    return text("\n".join(lines))


def _tip(org: Organization, part: dict) -> dict:
    body = str(TEXTS[part["say"]]) % {"url": part.get("url", "")}
    return text(body)


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


RENDER: dict[str, Callable[[Organization, dict], dict | None]] = {
    "summary": _summary,
    "receipt": _receipt,
    "status": _status,
    "my_cases": _my_cases,
    "ask_category": _categories,
    "contact": _contact,
    "tip": _tip,
    "tip_detected": _tip,
    "after_result": _after_result,
    "ask_reason": _ask_reason,
    "reopened": _reopened,
    "not_reopenable": _not_reopenable,
}


# --- quick-reply buttons ----------------------------------------------------------------


def _cancel() -> dict:
    return postback(CANCEL, "cancel", CANCEL)


def _menu(part: dict) -> list[dict]:
    return [
        postback(FILE, "file", FILE),
        postback(TRACK, "track", TRACK),
        postback(MINE, "mine", MINE),
        postback(TIP, "tip", TIP),
        postback(CONTACT, "contact", CONTACT),
    ]


def _photos(part: dict) -> list[dict]:
    done = NEXT if part.get("have") or part.get("count") else NO_PHOTOS
    return [
        {"type": "camera", "label": str(CAMERA)},
        {"type": "cameraRoll", "label": str(ROLL)},
        postback(done, "next", done),
        _cancel(),
    ]


def _which(part: dict) -> list[dict]:
    cases = part.get("cases", [])
    return [postback(c.case_number, "answer", c.case_number, case=c.id) for c in cases] + [
        _cancel()
    ]


QUICK: dict[str, Callable[[dict], list[dict]]] = {
    "menu": _menu,
    "category": lambda part: [_cancel()],
    "details": lambda part: [_cancel()],
    "photos": _photos,
    "place": lambda part: [
        {"type": "location", "label": str(SHARE_LOCATION)},
        postback(SKIP, "skip_place", SKIP),
        _cancel(),
    ],
    "contact": lambda part: [
        postback(ANONYMOUS, "anonymous", ANONYMOUS),
        postback(GIVE_CONTACT, "give_contact", GIVE_CONTACT),
        _cancel(),
    ],
    "title": lambda part: [
        *(postback(t, "title", t, t=t) for t in identity.TITLES),
        postback(SKIP, "skip_title", SKIP),
        postback(ANONYMOUS, "anonymous", ANONYMOUS),
        _cancel(),
    ],
    "name": lambda part: [postback(ANONYMOUS, "anonymous", ANONYMOUS), _cancel()],
    "phone": lambda part: [postback(SKIP, "skip_phone", SKIP), _cancel()],
    "consent": lambda part: [
        postback(AGREE, "consent", AGREE),
        postback(DISAGREE, "anonymous", DISAGREE),
        _cancel(),
    ],
    "confirm": lambda part: [postback(SEND, "confirm", SEND), _cancel()],
    "answer": lambda part: [
        postback(SEND_ANSWER, "send_answer", SEND_ANSWER),
        {"type": "camera", "label": str(CAMERA)},
        {"type": "cameraRoll", "label": str(ROLL)},
        _cancel(),
    ],
    "track": lambda part: [_cancel()],
    "reason": lambda part: [_cancel()],
    "rate": lambda part: [
        postback(str(n), "rate", str(n), case=part.get("case_id"), score=n) for n in range(1, 6)
    ],
    "unlink": lambda part: [
        postback(UNLINK_YES, "unlink", UNLINK_YES, case=part.get("case_id"), sure=1),
        postback(UNLINK_NO, "mine", UNLINK_NO),
    ],
    "which": _which,
}


def init_app() -> None:
    line.register_renderer("dialog", render)
    linechat.init_app()
