"""POST /line/webhook: signatures (with the previous secret during a rotation), the console's
verification, every event type and source, redeliveries, and a quick acknowledgement."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from casework.extensions import db
from casework.models import Case, LineChat, LineEvent, OutboxMessage
from casework.notify import outbox


def _sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _post(client, body: bytes, signature: str | None):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    return client.post("/line/webhook", data=body, headers=headers)


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_bad_or_missing_signature_is_refused_and_nothing_is_kept(chat, client, ctx, line_api):
    body = json.dumps({"destination": "U1", "events": [chat.sim.text("สวัสดี")]}).encode()
    assert _post(client, body, None).status_code == 400
    assert _post(client, body, "").status_code == 400
    assert _post(client, body, _sign("another-secret", body)).status_code == 400
    assert _post(client, body + b" ", _sign("test-channel-secret", body)).status_code == 400
    assert _post(client, b"\xff\xfe", _sign("test-channel-secret", b"\xff\xfe")).status_code == 400
    assert _count(LineEvent) == _count(LineChat) == _count(OutboxMessage) == 0
    assert outbox.run_once().sent == 0 and line_api.captured == []


def test_the_previous_secret_still_counts_while_a_new_one_is_rolled_out(
    app, make_app, line_settings
):
    rotating = make_app(
        line_settings(LINE_CHANNEL_SECRET="new-secret", LINE_CHANNEL_SECRET_PREVIOUS="old-secret")
    )
    client = rotating.test_client()
    body = json.dumps({"destination": "U1", "events": []}).encode()
    assert _post(client, body, _sign("new-secret", body)).status_code == 200
    assert _post(client, body, _sign("old-secret", body)).status_code == 200
    assert _post(client, body, _sign("test-channel-secret", body)).status_code == 400
    done = make_app(line_settings(LINE_CHANNEL_SECRET="new-secret"))
    assert _post(done.test_client(), body, _sign("old-secret", body)).status_code == 400


def test_without_a_secret_and_a_token_there_is_no_webhook(app, make_app, line_settings):
    for missing in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN"):
        off = make_app(line_settings(**{missing: ""}))
        body = b'{"events": []}'
        response = _post(off.test_client(), body, _sign("test-channel-secret", body))
        assert response.status_code == 404


def test_the_consoles_verification_request_gets_200(chat, client):
    body = json.dumps({"destination": "U" + "0" * 32, "events": []}).encode()
    response = _post(client, body, _sign("test-channel-secret", body))
    assert response.status_code == 200


def test_malformed_bodies_are_400_not_500(client):
    for body in (b"not json", b"[]", b'{"events": {}}', b"{}"):
        assert _post(client, body, _sign("test-channel-secret", body)).status_code == 400


def test_every_event_type_and_source_is_accepted(chat, ctx):
    sim = chat.sim
    group = {"type": "group", "groupId": "C" + "1" * 32, "userId": sim.user}
    room = {"type": "room", "roomId": "R" + "2" * 32, "userId": sim.user}
    text = {"id": "1", "type": "text", "text": "hello", "quoteToken": "q"}
    events = [
        sim.event("message", group, message=text),
        sim.event("message", room, message=text),
        sim.event("join", group),
        sim.event("leave", group),
        sim.event("memberJoined", group, joined={"members": [{"type": "user", "userId": "U"}]}),
        sim.event("unsend", unsend={"messageId": "1"}),
        sim.event("membership", membership={"type": "joined", "membershipId": 1}),
        sim.event("videoPlayComplete", videoPlayComplete={"trackingId": "t"}),
        sim.event("somethingLINEAddsNextYear", whatever={"x": [1, 2]}),
        {**sim.text("ยกเลิก"), "mode": "standby"},  # another webhook answers the chat
        sim.event("message", {"type": "galaxy", "id": "x"}, message=text),
        {"type": "message"},  # no id, no source
        "not even an object",
    ]
    said = chat.send(*events)
    assert said == []  # groups, rooms and the rest: no answer, no error
    for message in (
        {"id": "2", "type": "sticker", "packageId": "1", "stickerId": "1",
         "stickerResourceType": "STATIC", "quoteToken": "q"},
        {"id": "3", "type": "file", "fileName": "a.zip", "fileSize": 3},
        {"id": "4", "type": "video", "duration": 1, "contentProvider": {"type": "line"},
         "quoteToken": "q"},
        {"id": "5", "type": "audio", "duration": 1, "contentProvider": {"type": "line"}},
        {"id": "6", "type": "hologram"},
    ):  # fmt: skip
        said = chat.send(sim.event("message", message=message))
        assert len(said) == 1 and chat.buttons, message["type"]  # a polite prompt, not silence
    assert _count(Case) == 0


def test_follow_unfollow_and_a_redelivered_event(chat, ctx, line_api):
    welcome = chat.follow()
    assert len(welcome) == 1
    event = chat.sim.text("เรื่องของฉัน")
    assert len(chat.send(event)) == 1
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}
    assert chat.send(redelivered) == []  # handled once
    assert chat.send(event, event) == []
    chat.tap("file")
    chat.send(chat.sim.event("unfollow"))
    chat_row = db.session.scalar(db.select(LineChat))
    db.session.refresh(chat_row)
    assert not chat_row.following and chat_row.state == "idle" and chat_row.draft_sealed is None
    chat.follow()
    db.session.refresh(chat_row)
    assert chat_row.following


def test_replies_go_out_after_the_acknowledgement(app, make_app, line_settings, line_api):
    """With LINE_REPLY_AFTER_RESPONSE the web worker sends the reply once the response is
    closed (LINE has its 200 by then); the outbox worker has nothing left to do."""
    from lineoa.simulator import Simulator, simulated_user

    eager = make_app(line_settings(LINE_REPLY_AFTER_RESPONSE=True))
    sim = Simulator(eager, line_api, simulated_user("eager"), "test-channel-secret")
    body = json.dumps({"events": [sim.text("เรื่องของฉัน")]}).encode()
    response = _post(eager.test_client(), body, sim.sign(body))
    assert response.status_code == 200 and response.get_json() == {}
    assert line_api.captured == []  # nothing was sent while LINE waited
    response.close()
    assert len(line_api.captured) == 1 and line_api.captured[0]["how"] == "reply"
    with eager.app_context():
        assert outbox.run_once().sent == 0


def test_after_the_acknowledgement_only_replies_go_out_downloads_wait(
    app, make_app, line_settings, line_api, chat_on
):
    from casework.notify.line import postback_data

    eager = make_app(line_settings(LINE_REPLY_AFTER_RESPONSE=True))
    chat = chat_on(eager, "eager")
    chat.tap("file")
    chat.tap("category", code="roads")
    chat.say("ถนนยุบ")
    chat.photo()
    chat.tap("next")
    chat.tap("skip_place")
    chat.tap("anonymous")
    fetched = len([r for r in line_api.server.log if "/content" in r[0].path])
    body = json.dumps({"events": [chat.sim.postback(postback_data("confirm"))]}).encode()
    response = _post(eager.test_client(), body, chat.sim.sign(body))
    captured = len(line_api.captured)
    response.close()
    assert len(line_api.captured) == captured + 1  # the receipt, right away
    assert len([r for r in line_api.server.log if "/content" in r[0].path]) == fetched
    with eager.app_context():
        assert outbox.run_once().sent == 1  # the photo: the outbox worker's job


def test_a_reply_token_line_refuses_becomes_a_push(chat, line_api):
    line_api.reply_failures = [400]  # an expired or used reply token
    said = chat.say("เรื่องของฉัน")
    assert len(said) == 1
    assert [c["how"] for c in line_api.captured] == ["push"]
    assert line_api.captured[0]["to"] == chat.user
