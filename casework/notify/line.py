"""LINE as a transport of the outbox, beside email: replies and pushes to a LINE chat, and the
slow work a chat leaves behind (downloading photos), all sent by the outbox worker.

What a row says is sealed in ``body_sealed`` (AES-GCM, bound to the row's retry key): a reply can
carry a tracking code, and a queued row must not hold it readably. Once sent, the sealed part
is dropped. The message is rendered only when it is sent, in the chat's language, which the
first send learns from the user's LINE profile (Thai unless the profile says English).

A push carries ``X-Line-Retry-Key``, a UUID kept on the row, so a retry after an unclear
failure (a 500, a timeout) is accepted by LINE at most once: a 409 answer means LINE already
has it, and the row counts as sent. 429 and 5xx answers retry with the outbox's backoff; other
refusals fail the row at once. A reply uses the webhook's reply token on the row's first
attempt, while it is fresh; a reply LINE refuses, and every later attempt, goes as a push.

Nothing here logs a message, a user id or a message id.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from casework.cases import lifecycle
from casework.crypto import blindindex, fields, keys, rotation
from casework.dates import clock, thaidate
from casework.extensions import db
from casework.models import Case, LineChat, LineLink, OutboxMessage
from casework.notify import outbox

LINE = "line"  # replies and pushes
JOB = "line_job"  # slow work for a chat: downloads (casework.general.linechat registers them)
MAX_MESSAGES = 5  # per reply or push request
REPLY_WINDOW = timedelta(seconds=50)  # a reply token is good for about a minute


class LineApiError(Exception):
    """LINE answered with an error status (only the status and LINE's own message)."""

    def __init__(self, status: int, message: str = ""):
        super().__init__(f"LINE API {status}{': ' + message if message else ''}")
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status == 429 or self.status >= 500


def configured() -> bool:
    config = current_app.config
    return bool(config.get("LINE_CHANNEL_SECRET") and config.get("LINE_CHANNEL_ACCESS_TOKEN"))


# --- the user id ------------------------------------------------------------------------


def user_tag(org_id: int, user_id: str) -> str:
    """The keyed hash a chat is found by; the user id itself is never stored readably."""
    return blindindex.keyed_tag(keys.keyring(), "lineuser", org_id, user_id)


def _user_aad(org_id: int, tag: str) -> bytes:
    return f"line-user:{org_id}:{tag}".encode()


def seal_user(org_id: int, tag: str, user_id: str) -> bytes:
    return fields.encrypt_text(keys.keyring(), user_id, _user_aad(org_id, tag))


def user_id(chat: LineChat) -> str:
    return fields.decrypt_text(
        keys.keyring(), chat.user_sealed, _user_aad(chat.organization_id, chat.user_tag)
    )


def chat_of(org_id: int, user: str) -> LineChat | None:
    return db.session.scalar(
        select(LineChat).filter_by(organization_id=org_id, user_tag=user_tag(org_id, user))
    )


def linked_chat(case: Case) -> LineChat | None:
    """The chat a case was filed from, while it is linked and the user still follows us."""
    chat = db.session.scalar(
        select(LineChat)
        .join(LineLink, LineLink.chat_id == LineChat.id)
        .filter(LineLink.case_id == case.id)
    )
    return chat if chat is not None and chat.following else None


# --- what LINE messages look like (plain Messaging API JSON) ---------------------------


def postback_data(action: str, **values) -> str:
    return urlencode({"a": action, **{k: str(v) for k, v in values.items()}})


def parse_postback(data: str | None) -> dict[str, str]:
    return dict(parse_qsl(data or "", keep_blank_values=True)[:8])


def postback(label, action: str, display=None, **values) -> dict:
    """A button that answers with a postback (and shows ``display`` as the user's words)."""
    act = {"type": "postback", "label": str(label)[:20], "data": postback_data(action, **values)}
    if display is not None:
        act["displayText"] = str(display)[:300]
    return act


def uri(label, link: str) -> dict:
    return {"type": "uri", "label": str(label)[:20], "uri": link}


def text(body, *actions: dict) -> dict:
    """A text message, with its actions as quick-reply buttons (at most 13)."""
    message = {"type": "text", "text": str(body)[:5000]}
    if actions:
        message["quickReply"] = {"items": [{"type": "action", "action": a} for a in actions[:13]]}
    return message


def track_url() -> str:
    """The web tracking page: the code is typed there, never put in a URL."""
    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + "/complaints/track"


# --- queueing ---------------------------------------------------------------------------


def _body_aad(row: OutboxMessage) -> bytes:
    return f"line-outbox:{row.organization_id}:{row.retry_key}".encode()


def draft_aad(chat: LineChat) -> bytes:
    """The associated data of a chat's sealed draft (casework.general.linechat)."""
    return f"line-draft:{chat.organization_id}:{chat.user_tag}".encode()


def enqueue(
    chat: LineChat,
    spec: dict,
    *,
    to: str | None = None,
    reply_token: str | None = None,
    case: Case | None = None,
    transport: str = LINE,
) -> OutboxMessage:
    """Queue ``spec`` (what to say, rendered when sent) for the chat, in the caller's
    transaction. ``to`` spares decrypting the user id when the caller has it."""
    payload = {}
    if case is not None:
        payload["case_number"] = case.case_number
    if reply_token:
        payload["reply_token"] = reply_token
        payload["reply_by"] = (clock.utcnow() + REPLY_WINDOW).isoformat()
    row = outbox.enqueue(
        chat.organization_id,
        transport,
        to or user_id(chat),
        spec.get("template") or spec.get("job") or spec.get("kind", ""),
        case=case,
        payload=payload,
    )
    row.retry_key = str(uuid.uuid4())
    row.body_sealed = fields.encrypt_json(keys.keyring(), spec, _body_aad(row))
    return row


def enqueue_case_push(case: Case, template: str, **params) -> OutboxMessage | None:
    """Tell the complainant who filed ``case`` in LINE what an officer did (nothing when the
    case has no linked chat). ``params`` are sealed with the rest of the message."""
    chat = linked_chat(case)
    if chat is None:
        return None
    spec = {"kind": "case", "template": template, "case_id": case.id, **params}
    return enqueue(chat, spec, case=case)


def spec_of(row: OutboxMessage) -> dict:
    return fields.decrypt_json(keys.keyring(), row.body_sealed, _body_aad(row))


def _done(row: OutboxMessage, how: str) -> None:
    """Drop what the row said (and the reply token) once LINE has it."""
    kept = {k: v for k, v in row.payload.items() if k == "case_number"}
    row.payload = {**kept, "sent_as": how}
    row.body_sealed = None


# --- rendering --------------------------------------------------------------------------

Renderer = Callable[[OutboxMessage, LineChat | None, dict], list[dict]]
RENDERERS: dict[str, Renderer] = {}
JOBS: dict[str, Callable[[OutboxMessage, LineChat | None, dict], None]] = {}


def register_renderer(kind: str, render: Renderer) -> None:
    """``render(row, chat, spec)`` turns a queued spec of ``kind`` into LINE messages, in the
    locale it is called in."""
    RENDERERS[kind] = render


def register_job(name: str, run: Callable[[OutboxMessage, LineChat | None, dict], None]) -> None:
    JOBS[name] = run


def language(chat: LineChat | None, user: str) -> str:
    """``en`` when the user's LINE profile is English, else ``th``; asked once per chat."""
    if chat is not None and chat.language:
        return chat.language
    try:
        profile = _profile(user)
    except Exception:  # noqa: BLE001 - Thai this time; ask again next time
        return "th"
    lang = "en" if (profile or "").lower().startswith("en") else "th"
    if chat is not None:
        # A plain UPDATE: the conversation's version counter is not the language's business.
        db.session.execute(update(LineChat).where(LineChat.id == chat.id).values(language=lang))
        chat.language = lang
    return lang


def render(row: OutboxMessage, to: str) -> tuple[list[dict], LineChat | None]:
    spec = spec_of(row)
    chat = chat_of(row.organization_id, to)
    with force_locale(language(chat, to)):
        messages = RENDERERS[spec.get("kind", "")](row, chat, spec)
    return messages[:MAX_MESSAGES], chat


# --- the transports ---------------------------------------------------------------------


def send(row: OutboxMessage, to: str) -> None:
    """The ``line`` transport: reply while the token is fresh, else push with the retry key."""
    messages, _chat = render(row, to)
    if not messages:
        _done(row, "nothing")
        return
    token = row.payload.get("reply_token")
    if token and row.attempts == 1 and clock.utcnow() < _when(row.payload.get("reply_by")):
        try:
            _reply(token, messages)
        except LineApiError as error:
            if error.retryable:
                raise
        else:
            _done(row, "reply")
            return
    _push(to, messages, row.retry_key)
    _done(row, "push")


def run_job(row: OutboxMessage, to: str) -> None:
    """The ``line_job`` transport: slow work for a chat (downloads), registered by name."""
    spec = spec_of(row)
    JOBS[spec["job"]](row, chat_of(row.organization_id, to), spec)
    _done(row, "job")


def _when(iso: str | None) -> datetime:
    try:
        return datetime.fromisoformat(iso) if iso else datetime.min
    except ValueError:
        return datetime.min


def init_app() -> None:
    outbox.register_transport(LINE, send, ready=configured)
    outbox.register_transport(JOB, run_job, ready=configured)
    register_renderer("case", _render_case)


def _register_rotation() -> None:
    """The sealed LINE columns join the key-rotation registry (casework.crypto.rotation), so
    `keys rotate` re-encrypts them and never retires a key they still use."""
    known = {(entry.model, entry.column) for entry in rotation.REGISTRY}
    for model, column, aad in (
        (LineChat, "user_sealed", lambda c: _user_aad(c.organization_id, c.user_tag)),
        (LineChat, "draft_sealed", draft_aad),
        (OutboxMessage, "body_sealed", _body_aad),
    ):
        if (model, column) not in known:
            rotation.register(model, column, aad)


_register_rotation()


# --- the Messaging API, through line-bot-sdk v3 ------------------------------------------


def _client(data: bool = False):
    from linebot.v3.messaging import ApiClient, Configuration

    config = current_app.config
    host = config["LINE_DATA_API_BASE_URL"] if data else config["LINE_API_BASE_URL"]
    configuration = Configuration(
        host=host.rstrip("/"), access_token=config["LINE_CHANNEL_ACCESS_TOKEN"]
    )
    configuration.retries = 0  # the outbox retries, with its backoff and the retry key
    return ApiClient(configuration)


def _timeout() -> float:
    return float(current_app.config.get("LINE_API_TIMEOUT", 10))


def call_api(call: Callable, *, data: bool = False):
    """Run ``call(api)`` and turn an error answer into LineApiError (status and LINE's
    message only; never the request)."""
    from linebot.v3.messaging import MessagingApi, MessagingApiBlob
    from linebot.v3.messaging.exceptions import ApiException

    with _client(data) as client:
        api = MessagingApiBlob(client) if data else MessagingApi(client)
        try:
            return call(api)
        except ApiException as error:
            raise LineApiError(error.status or 0, _line_message(error.body)) from None


def _line_message(body) -> str:
    import json

    try:
        return str(json.loads(body).get("message", ""))[:200]
    except (TypeError, ValueError, AttributeError):
        return ""


def _reply(token: str, messages: list[dict]) -> None:
    from linebot.v3.messaging import ReplyMessageRequest

    request = ReplyMessageRequest.from_dict({"replyToken": token, "messages": messages})
    # The answer is not parsed (_preload_content=False): once LINE took the message, nothing
    # it says back may turn the delivery into a failure that would be sent again.
    _release(
        call_api(
            lambda api: api.reply_message_with_http_info(
                request, _request_timeout=_timeout(), _preload_content=False
            )
        )
    )


def _push(to: str, messages: list[dict], retry_key: str | None) -> None:
    from linebot.v3.messaging import PushMessageRequest

    request = PushMessageRequest.from_dict({"to": to, "messages": messages})
    try:
        sent = call_api(
            lambda api: api.push_message_with_http_info(
                request,
                x_line_retry_key=retry_key,
                _request_timeout=_timeout(),
                _preload_content=False,
            )
        )
    except LineApiError as error:
        if error.status == 409 and retry_key:
            return  # LINE already accepted this retry key: the message went out once
        if error.retryable:
            raise
        raise outbox.PermanentFailure(str(error)) from None
    _release(sent)


def _release(response) -> None:
    """Read and return an unparsed answer's connection to the pool."""
    raw = getattr(response, "raw_data", None)
    if raw is not None and hasattr(raw, "release_conn"):
        raw.read()
        raw.release_conn()


def _profile(user: str) -> str | None:
    response = call_api(lambda api: api.get_profile(user, _request_timeout=_timeout()))
    return response.language


def fetch_content(message_id: str) -> bytes | None:
    """The bytes of a photo the user sent (the data API); None when LINE no longer has it."""
    try:
        response = call_api(
            lambda api: api.get_message_content_with_http_info(
                message_id, _request_timeout=_timeout()
            ),
            data=True,
        )
    except LineApiError as error:
        if error.retryable:
            raise
        return None
    return bytes(response.data)


# --- what officers' actions say to the complainant ---------------------------------------

CASE_TEXTS = {
    "accepted": _l(
        "Your complaint %(case_number)s has been accepted by the responsible unit, which is "
        "now working on it."
    ),
    "update": _l("News about your complaint %(case_number)s:"),
    "info_request": _l(
        "We need more information about your complaint %(case_number)s. The deadline waits "
        "for your answer:"
    ),
    "explanation": _l(
        "Your complaint %(case_number)s needs more time. We now expect to answer by %(date)s."
    ),
    "forwarded": _l(
        "Your complaint %(case_number)s was forwarded to %(agency)s, which is responsible for it."
    ),
    "result": _l("Your complaint %(case_number)s is completed. Result: %(outcome)s"),
}
ANSWER = _l("Answer")
ANSWER_HINT = _l(
    "Type your answer or send photos in this chat, then tap “Send answer”. You can also answer "
    "on the tracking page."
)
TRACK_HINT = _l("Details: %(url)s (type your tracking code there)")
REFERENCE = _l("Their reference number: %(reference)s")
DELAY_WITH_RESULT = _l("We are sorry it took longer than promised. The reason: %(reason)s")


def _render_case(row: OutboxMessage, chat: LineChat | None, spec: dict) -> list[dict]:
    case = db.session.get(Case, spec.get("case_id"))
    if case is None:
        return []
    template = spec["template"]
    values = {"case_number": case.case_number}
    if template == "explanation":
        values["date"] = _date(spec.get("new_date"))
    elif template == "forwarded":
        values["agency"] = spec.get("agency", "")
    elif template == "result":
        values["outcome"] = lifecycle.outcome_label(case.channel, case.outcome)
    lines = [str(CASE_TEXTS[template]) % values]
    if template == "result" and spec.get("delay"):
        lines.append(str(DELAY_WITH_RESULT) % {"reason": spec["delay"]})
    if spec.get("text"):
        lines.append(spec["text"])
    if template == "forwarded" and spec.get("reference"):
        lines.append(str(REFERENCE) % {"reference": spec["reference"]})
    actions: list[dict] = []
    if template == "info_request":
        lines.append(str(ANSWER_HINT))
        actions = [postback(ANSWER, "answer", ANSWER, case=case.id)]
    lines.append(str(TRACK_HINT) % {"url": track_url()})
    messages = [text("\n\n".join(lines), *actions)]
    if template == "result" and "dialog" in RENDERERS:
        # The chat asks "has it been fixed?" (then the rating), in the dialog's own words.
        after = {"kind": "dialog", "parts": [{"say": "after_result", "case_id": case.id}]}
        messages += RENDERERS["dialog"](row, chat, after)
    return messages


def _date(iso: str | None) -> str:
    from datetime import date

    from flask_babel import get_locale

    try:
        day = date.fromisoformat(iso) if iso else None
    except ValueError:
        day = None
    return thaidate.format_date(day, str(get_locale())[:2]) if day else ""
