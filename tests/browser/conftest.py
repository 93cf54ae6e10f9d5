"""Browser fixtures: the real app served on 127.0.0.1 from a thread, driven by headless Chromium.

Playwright cannot download its own browser on machines that reach only package registries, so
the tests drive Debian's ``chromium`` (``scripts/ensure-chromium`` installs it). Without it the
tests skip, except under ``CI=true``, where a missing browser fails the run.

The live server is built from the factory with the same configuration as the other tests, except
that CSRF protection is ON: a real browser carries the session cookie and the form's token.
Every page records what it asked for and what the console said; on teardown a test fails if the
page fetched anything from another origin, broke the CSP, threw a script error or got a 5xx.
"""

from __future__ import annotations

import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from casework.extensions import db, limiter
from rongrian import create_app

CHROMIUM = Path("/usr/bin/chromium")
# Playwright adds --headless and a fresh, temporary --user-data-dir itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
# Set RONGRIAN_SCREENSHOTS=/some/dir to keep full-page screenshots of the journeys.
SCREENSHOTS = os.environ.get("RONGRIAN_SCREENSHOTS", "")
CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to (load|apply|execute|connect)")


@dataclass
class LiveServer:
    app: object
    url: str

    def count(self, model) -> int:
        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(model))

    @contextmanager
    def slow_posts(self, seconds: float):
        """Hold each POST's response back ``seconds`` after the app has handled it, as a slow
        network does; yields the paths of the POSTs the server handled."""
        inner = self.app.wsgi_app
        handled: list[str] = []

        def slow(environ, start_response):
            if environ["REQUEST_METHOD"] != "POST":
                return inner(environ, start_response)
            handled.append(environ["PATH_INFO"])
            response = inner(environ, start_response)
            time.sleep(seconds)
            return response

        self.app.wsgi_app = slow
        try:
            yield handled
        finally:
            self.app.wsgi_app = inner


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    message = f"{CHROMIUM} is missing: run scripts/ensure-chromium (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: the browser tests must run. {message}", pytrace=False)
    pytest.skip(message)


def _read_whole(app):
    """The app with each response read to its end, and closed, before a byte is sent: a browser
    that drops a connection half way (a favicon, a navigation) must not leave a static file open
    until the garbage collector finds it (a ResourceWarning, an error here, in whatever test
    runs then)."""

    def whole(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return whole


def _static_in_memory(view):
    """The static view reading its file and closing it before it returns: if anything after the
    view fails (say, a request still running as the session's server stops and its database is
    dropped), Flask drops the response it had, and a file left open in it would be found by the
    garbage collector later, in another test (a ResourceWarning on static/favicon.svg, which
    Chromium asks for on its own)."""

    def static(**kwargs):
        response = view(**kwargs)
        if response.direct_passthrough:
            body = response.response
            try:
                response.set_data(b"".join(body))
            finally:
                body.close()
            response.direct_passthrough = False
        return response

    return static


@pytest.fixture(scope="session")
def live_server(request, tmp_path_factory, databases, chromium_path):
    """The app on 127.0.0.1:<free port>, demo data loaded, CSRF on; one per test session, on a
    database of its own (the worker's ``live`` database)."""
    root_conftest = request.config.pluginmanager.get_plugin(
        str(Path(__file__).parent.parent / "conftest.py")
    )
    tmp = tmp_path_factory.mktemp("live")
    url = databases.build(databases.url("live"), demo=True)
    app = create_app({**root_conftest._config(tmp, url), "WTF_CSRF_ENABLED": True}, surface="all")
    app.view_functions["static"] = _static_in_memory(app.view_functions["static"])
    server = make_server("127.0.0.1", 0, _read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Journal:
    """What one page did: every request, console messages, script errors, server errors."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    # Other origins a test stubs with page.route (a tile server): answered in the browser by
    # the test itself, so nothing leaves the machine.
    stubbed: list[str] = field(default_factory=list)

    def response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def offsite(self) -> list[str]:
        return [
            u
            for u in self.requests
            if not (u.startswith(self.origin + "/") or u.startswith("data:"))
            and not any(u.startswith(s + "/") for s in self.stubbed)
        ]

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if CSP_VIOLATION.search(m)]

    def problems(self) -> list[str]:
        return [
            *(f"request to another origin: {u}" for u in self.offsite()),
            *(f"CSP violation: {m}" for m in self.csp_violations()),
            *(f"script error: {e}" for e in self.page_errors),
            *(f"server error: {s}" for s in self.server_errors),
        ]


TILE_HOST = "https://tile.openstreetmap.org"  # the default MAP_TILE_URL's host


def _stub_tiles(page) -> list[str]:
    """Answer every map tile request in the browser with a plain tile, so that no test reaches
    the real tile server; returns the list of URLs asked (``page.tiles_asked``)."""
    import io

    from PIL import Image

    asked: list[str] = []
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (220, 230, 210)).save(out, "PNG")
    tile = out.getvalue()

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=tile)

    page.route(f"{TILE_HOST}/**", answer)
    page.journal.stubbed.append(TILE_HOST)
    return asked


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(viewport=..., **context_options)``: a page in a fresh context (own cookies),
    with ``page.journal`` recording its traffic; checked for problems when the test ends. Every
    browser test starts with the rate limits' counts at zero: the pages all come from one
    address, and the tests of one session would otherwise share its ten lookups a minute."""
    limiter.reset()
    contexts = []

    def open_(viewport: dict | None = None, **options):
        options = {"locale": "th-TH", "timezone_id": "Asia/Bangkok", **options}
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        journal = Journal(live_server.url)
        page.on("request", lambda r: journal.requests.append(r.url))
        page.on("console", lambda m: journal.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: journal.page_errors.append(str(e)))
        page.on("response", journal.response)
        page.journal = journal
        page.tiles_asked = _stub_tiles(page)
        return page

    yield open_
    problems = [p for c in contexts for page in c.pages for p in page.journal.problems()]
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: a full-page PNG in $RONGRIAN_SCREENSHOTS when it is set."""

    def take(page, name: str) -> None:
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)

    return take
