"""A LINE chat without LINE, for people who have no channel yet (``flask --app wsgi line
simulate``) and for the README's walk-through.

``FakeLine`` is a local stand-in for the Messaging API and the data API: it captures replies
and pushes (a repeated ``X-Line-Retry-Key`` gets LINE's 409), answers profile requests and
serves the photos the simulator "sent". ``Simulator`` builds the app with its LINE settings
pointed at the fake, posts correctly signed webhook events to the app's own webhook, runs the
outbox for the simulated user only, and shows what the bot said.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flask import Flask

from casework.extensions import end_session
from casework.notify import line, outbox

SAMPLE_PLACE = (13.75633, 100.50177, "ศาลาว่าการกรุงเทพมหานคร ถนนดินสอ")


class _Handler(BaseHTTPRequestHandler):
    server: FakeLine

    def log_message(self, *args) -> None:  # quiet
        return

    def _answer(self, status: int, body: bytes = b"{}", kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        fake = self.server
        if self.path == "/v2/bot/message/reply":
            fake.captured.append({"how": "reply", "to": None, "messages": body["messages"]})
            return self._answer(200, b'{"sentMessages":[]}')
        if self.path == "/v2/bot/message/push":
            key = self.headers.get("X-Line-Retry-Key")
            with fake.lock:
                if key and key in fake.retry_keys:
                    return self._answer(409, b'{"message":"The retry key is already accepted"}')
                if key:
                    fake.retry_keys.add(key)
            fake.captured.append({"how": "push", "to": body["to"], "messages": body["messages"]})
            return self._answer(200, b'{"sentMessages":[]}')
        self._answer(404, b'{"message":"Not found"}')

    def do_GET(self) -> None:  # noqa: N802
        fake = self.server
        profile = re.fullmatch(r"/v2/bot/profile/(U[0-9a-f]{32})", self.path)
        if profile:
            body = {"displayName": "Simulator", "userId": profile.group(1), "language": fake.lang}
            return self._answer(200, json.dumps(body).encode())
        content = re.fullmatch(r"/v2/bot/message/([0-9]+)/content", self.path)
        if content and content.group(1) in fake.contents:
            return self._answer(200, fake.contents[content.group(1)], "image/jpeg")
        self._answer(404, b'{"message":"Not found"}')


class FakeLine(ThreadingHTTPServer):
    """The Messaging API and data API on 127.0.0.1 (one server answers both)."""

    daemon_threads = True

    def __init__(self, lang: str = "th"):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lang = lang
        self.captured: list[dict] = []
        self.contents: dict[str, bytes] = {}
        self.retry_keys: set[str] = set()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FakeLine:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def sample_photo() -> bytes:
    """A small JPEG whose EXIF names a camera and a GPS position (the bot must drop both)."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[0x0110] = "SimulatorCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (13.0, 45.0, 0.0), "E", (100.0, 30.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def simulated_user(name: str) -> str:
    return "U" + hashlib.sha256(f"rongrian-simulator:{name}".encode()).hexdigest()[:32]


@dataclass
class Simulator:
    app: Flask
    fake: FakeLine
    user: str
    secret: str
    actions: list[dict] = field(default_factory=list)  # the buttons on the last messages
    last_event: dict | None = None
    _next_id: int = 100000

    @classmethod
    def config(cls, base: dict, fake: FakeLine) -> dict:
        """The app's settings with LINE pointed at the fake (a real secret is kept)."""
        return {
            **base,
            "LINE_CHANNEL_SECRET": base.get("LINE_CHANNEL_SECRET") or "simulator-secret",
            "LINE_CHANNEL_SECRET_PREVIOUS": "",
            "LINE_CHANNEL_ACCESS_TOKEN": "simulator-token",
            "LINE_API_BASE_URL": fake.url,
            "LINE_DATA_API_BASE_URL": fake.url,
            "LINE_REPLY_AFTER_RESPONSE": False,
        }

    # --- events -----------------------------------------------------------------------

    def _id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def event(self, kind: str, source: dict | None = None, **fields) -> dict:
        return {
            "type": kind,
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "webhookEventId": uuid.uuid4().hex.upper()[:26],
            "deliveryContext": {"isRedelivery": False},
            "source": source or {"type": "user", "userId": self.user},
            "replyToken": uuid.uuid4().hex,
            **fields,
        }

    def text(self, words: str) -> dict:
        message = {"id": self._id(), "type": "text", "text": words, "quoteToken": "q"}
        return self.event("message", message=message)

    def photo(self, data: bytes | None = None, image_set: dict | None = None) -> dict:
        message_id = self._id()
        self.fake.contents[message_id] = data or sample_photo()
        message = {
            "id": message_id,
            "type": "image",
            "contentProvider": {"type": "line"},
            "quoteToken": "q" + message_id,
        }
        if image_set:
            message["imageSet"] = image_set
        return self.event("message", message=message)

    def location(self, lat: float, lng: float, address: str = "") -> dict:
        message = {
            "id": self._id(),
            "type": "location",
            "latitude": lat,
            "longitude": lng,
            "address": address,
        }
        return self.event("message", message=message)

    def postback(self, data: str) -> dict:
        return self.event("postback", postback={"data": data})

    def sign(self, body: bytes) -> str:
        digest = hmac.new(self.secret.encode(), body, hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def post(self, *events: dict, signature: str | None = None) -> int:
        """Post events to the app's webhook; returns the status code."""
        body = json.dumps({"destination": "Usimulatorbot", "events": list(events)}).encode()
        self.last_event = events[-1] if events else self.last_event
        response = self.app.test_client().post(
            "/line/webhook",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Line-Signature": signature if signature is not None else self.sign(body),
            },
        )
        return response.status_code

    def redeliver(self) -> int:
        if self.last_event is None:
            return 200
        again = {**self.last_event, "deliveryContext": {"isRedelivery": True}}
        return self.post(again)

    # --- what the bot said ---------------------------------------------------------------

    def run_outbox(self) -> list[dict]:
        """Send this user's queued messages and jobs (others' are left alone); returns what
        the fake captured meanwhile."""
        start = len(self.fake.captured)
        with self.app.app_context():
            rows = outbox.pending((line.LINE, line.JOB))
            mine = [r.id for r in rows if outbox.recipient(r) == self.user]
            jobs = [r.id for r in rows if r.id in mine and r.transport == line.JOB]
            for row_id in [i for i in mine if i not in jobs] + jobs:
                outbox.deliver(row_id)
            end_session()
        return self.fake.captured[start:]


def describe(message: dict) -> tuple[list[str], list[dict]]:
    """A message as lines of text, and the buttons it carries (flex buttons, then quick
    replies), in the order the simulator numbers them."""
    lines: list[str] = []
    actions: list[dict] = []
    if message.get("type") == "text":
        lines += message["text"].split("\n")
    elif message.get("type") == "flex":
        lines.append(f"[{message.get('altText', 'Flex')}]")
        _walk(message.get("contents", {}), lines, actions)
    for item in (message.get("quickReply") or {}).get("items", []):
        actions.append(item["action"])
    return lines, actions


def _walk(node: dict, lines: list[str], actions: list[dict]) -> None:
    if not isinstance(node, dict):
        return
    if node.get("type") == "text" and node.get("text"):
        lines.append("  " + node["text"])
    if node.get("type") == "button":
        actions.append(node["action"])
    elif isinstance(node.get("action"), dict):  # a tappable box: its words are the button's
        words: list[str] = []
        for child in node.get("contents", []):
            _walk(child, words, [])
        actions.append({**node["action"], "label": " ".join(w.strip() for w in words)})
        return
    for key in ("header", "hero", "body", "footer"):
        _walk(node.get(key), lines, actions)
    for child in node.get("contents", []) if isinstance(node.get("contents"), list) else []:
        _walk(child, lines, actions)
