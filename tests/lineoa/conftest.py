"""LINE fixtures: a fake Messaging API and data API (pytest-httpserver) wired in through
LINE_API_BASE_URL and LINE_DATA_API_BASE_URL, an app with LINE on, and a chat driver that
posts signed webhook events and runs the outbox like the worker would."""

from __future__ import annotations

import json
import re

import pytest
from werkzeug import Request, Response

SECRET = "test-channel-secret"
TOKEN = "test-channel-token"


class FakeLineApi:
    """What LINE's servers do for the bot, captured: replies, pushes (a repeated
    X-Line-Retry-Key gets a 409, as on LINE), profiles and message content."""

    def __init__(self, server, lang: str = "th"):
        self.server = server
        self.lang = lang
        self.captured: list[dict] = []
        self.contents: dict[str, bytes] = {}
        self.retry_keys: set[str] = set()
        self.push_attempts: list[dict] = []  # every push request, answered or not
        self.push_failures: list[tuple[int, bool]] = []  # (status, accepted anyway) to answer next
        self.reply_failures: list[int] = []
        self.profile_requests = 0
        route = server.expect_request
        route(re.compile(r"^/v2/bot/message/reply$"), method="POST").respond_with_handler(
            self._reply
        )
        route(re.compile(r"^/v2/bot/message/push$"), method="POST").respond_with_handler(self._push)
        route(re.compile(r"^/v2/bot/profile/.+$"), method="GET").respond_with_handler(self._profile)
        route(re.compile(r"^/v2/bot/message/[^/]+/content$"), method="GET").respond_with_handler(
            self._content
        )

    @property
    def url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {TOKEN}"

    def _reply(self, request: Request) -> Response:
        assert self._authorised(request)
        if self.reply_failures:
            return _json({"message": "fail"}, self.reply_failures.pop(0))
        body = request.get_json()
        self.captured.append({"how": "reply", "to": None, "messages": body["messages"]})
        return _json({"sentMessages": []})

    def _push(self, request: Request) -> Response:
        assert self._authorised(request)
        body = request.get_json()
        key = request.headers.get("X-Line-Retry-Key")
        self.push_attempts.append({"key": key, "to": body["to"]})
        if key and key in self.retry_keys:
            return _json({"message": "The retry key is already accepted"}, 409)
        if self.push_failures:
            status, accepted = self.push_failures.pop(0)
            if accepted:  # LINE took it, then the answer was lost
                self.retry_keys.add(key)
                self.captured.append(
                    {"how": "push", "to": body["to"], "messages": body["messages"]}
                )
            return _json({"message": "error"}, status)
        if key:
            self.retry_keys.add(key)
        self.captured.append({"how": "push", "to": body["to"], "messages": body["messages"]})
        return _json({"sentMessages": []})

    def _profile(self, request: Request) -> Response:
        self.profile_requests += 1
        user = request.path.rsplit("/", 1)[-1]
        return _json({"displayName": "Somchai", "userId": user, "language": self.lang})

    def _content(self, request: Request) -> Response:
        assert self._authorised(request)
        message_id = request.path.split("/")[-2]
        if message_id not in self.contents:
            return _json({"message": "Not found"}, 404)
        return Response(self.contents[message_id], content_type="image/jpeg")


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


@pytest.fixture
def line_api(httpserver):
    return FakeLineApi(httpserver)


def line_config(api: FakeLineApi, **extra) -> dict:
    return {
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": api.url,
        "LINE_DATA_API_BASE_URL": api.url,
        "LINE_REPLY_AFTER_RESPONSE": False,
        "OUTBOX_BACKOFF_SECONDS": 0,
        **extra,
    }


@pytest.fixture
def line_settings(line_api):
    """``line_settings(**extra)``: the LINE configuration of these tests, for ``make_app``."""
    return lambda **extra: line_config(line_api, **extra)


@pytest.fixture
def app(make_app, line_api):
    """The app of these tests has LINE on, pointed at the fake API (``client``, ``ctx`` and
    ``login_as`` use it)."""
    app = make_app(line_config(line_api))
    with app.app_context():
        from casework import demo

        demo.load()
    return app


@pytest.fixture
def officer(ctx, login_as):
    """An officer of the works department (roads, lighting), in the test's app context."""
    from casework.extensions import db
    from casework.models import User

    return db.session.get(User, login_as("officer", "works"))


@pytest.fixture
def chat(app, line_api):
    """A LINE user chatting with the bot (lineoa.simulator.Simulator on the fake API)."""
    return new_chat(app, line_api, "somchai")


@pytest.fixture
def chat_on(line_api):
    """``chat_on(app, name)``: a chat with another app of these tests (other settings)."""
    return lambda app, name: new_chat(app, line_api, name)


@pytest.fixture
def other_chat(app, line_api):
    """Another LINE user of the same account."""
    return new_chat(app, line_api, "malee")


def new_chat(app, api, name: str) -> Chat:
    from lineoa.simulator import Simulator, simulated_user

    return Chat(Simulator(app, api, simulated_user(name), SECRET))


class Chat:
    """``chat.say("...")`` and friends post one signed event and return what the bot said
    (its messages' texts and its buttons), after the outbox ran as the worker would."""

    def __init__(self, sim):
        self.sim = sim
        self.app = sim.app
        self.user = sim.user
        self.last: list[dict] = []

    def send(self, *events, signature=None) -> list[dict]:
        status = self.sim.post(*events, signature=signature)
        assert status == 200, status
        return self.collect()

    def collect(self) -> list[dict]:
        said = self.sim.run_outbox()
        self.last = [m for sent in said for m in sent["messages"]]
        return self.last

    def say(self, words: str) -> list[dict]:
        return self.send(self.sim.text(words))

    def tap(self, action: str, **values) -> list[dict]:
        from casework.notify.line import postback_data

        return self.send(self.sim.postback(postback_data(action, **values)))

    def photo(self, data: bytes | None = None) -> list[dict]:
        return self.send(self.sim.photo(data))

    def location(self, lat=13.75633, lng=100.50177, address="ถนนดินสอ") -> list[dict]:
        return self.send(self.sim.location(lat, lng, address))

    def follow(self) -> list[dict]:
        return self.send(self.sim.event("follow", follow={"isUnblocked": False}))

    @property
    def text(self) -> str:
        """Everything the last answer said, flex included, as one string."""
        from lineoa.simulator import describe

        return "\n".join(line for m in self.last for line in describe(m)[0])

    @property
    def buttons(self) -> list[dict]:
        from lineoa.simulator import describe

        return [a for m in self.last for a in describe(m)[1]]

    def data_of(self, label: str) -> str:
        return next(a["data"] for a in self.buttons if a.get("label") == label)

    def file_complaint(self, *, photos=0, contact=True, category="roads") -> dict:
        """The whole filing conversation; returns the receipt Flex message."""
        self.tap("file")
        self.tap("category", code=category)
        self.say("ถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน")
        for _ in range(photos):
            self.photo()
        self.tap("next")
        self.location()
        if contact:
            self.tap("give_contact")
            self.tap("title", t="นาย")
            self.say("สมชาย ใจดี")
            self.say("081 234 5678")
            self.tap("consent")
        else:
            self.tap("anonymous")
        said = self.tap("confirm")
        return next(m for m in said if m["type"] == "flex")
