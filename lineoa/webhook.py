"""``POST /line/webhook``: LINE's calls, checked, handled and acknowledged quickly.

The signature (``X-Line-Signature``: base64 HMAC-SHA256 of the raw body under the channel
secret) is checked with line-bot-sdk v3's validator against the current secret and, while a new
one is rolled out, the previous one (LINE_CHANNEL_SECRET_PREVIOUS). A missing or wrong signature
is a 400 and nothing of the body is read further. The console's "Verify" request (no events)
gets its 200.

Each event is one short transaction (casework.general.linechat); redelivered events are
recognised by their webhookEventId. Replies are queued in the outbox and, unless
LINE_REPLY_AFTER_RESPONSE is off, sent by this worker once LINE has its answer; downloads wait
for the outbox worker. No body, text or user id is ever logged.
"""

from __future__ import annotations

import json

from flask import Flask, current_app, jsonify, request

from casework.extensions import end_session
from casework.notify import outbox
from lineoa import bp
from rongrian.tenancy import current_org

MAX_BODY = 1024 * 1024  # LINE's webhooks are a few kilobytes


def signed(body: bytes, signature: str) -> bool:
    """The body was signed with the current channel secret or the previous one."""
    from linebot.v3.webhook import SignatureValidator  # see lineoa.init_app: loaded when LINE is on

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    secrets = (
        current_app.config.get("LINE_CHANNEL_SECRET"),
        current_app.config.get("LINE_CHANNEL_SECRET_PREVIOUS"),
    )
    return bool(signature) and any(
        SignatureValidator(secret).validate(text, signature) for secret in secrets if secret
    )


def _refuse(message: str, status: int = 400):
    return jsonify({"error": message}), status


@bp.post("/webhook")
def webhook():
    if (request.content_length or 0) > MAX_BODY:
        return _refuse("too large", 413)
    body = request.get_data(cache=False)
    if len(body) > MAX_BODY:
        return _refuse("too large", 413)
    if not signed(body, request.headers.get("X-Line-Signature", "")):
        return _refuse("bad signature")
    try:
        payload = json.loads(body)
    except ValueError:
        return _refuse("not JSON")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return _refuse("no events")
    from lineoa import dialog

    org = current_org()
    queued: list[int] = []
    for raw in events:
        queued += dialog.handle(org, raw)
    response = jsonify({})
    if queued and current_app.config.get("LINE_REPLY_AFTER_RESPONSE", True):
        app = current_app._get_current_object()
        response.call_on_close(lambda: send_now(app, queued))
    return response


def send_now(app: Flask, row_ids: list[int]) -> None:
    """Send a webhook's replies right away, after LINE has its 200 (rows another worker took
    are skipped; a failure is the outbox's to retry)."""
    with app.app_context():
        try:
            for row_id in row_ids:
                outbox.deliver(row_id)
        finally:
            end_session()
