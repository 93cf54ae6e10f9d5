"""An unexpected error leaves a trace (its route, the exception's type and stack, and an error id
the person also sees) and nothing of who met it: no address, no typed value, no exception
message (it can quote input), and on the tip channel no time finer than the day."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casework import demo
from casework.staff.roles import INTEGRITY

SECRET = "นายลับเฉพาะ 0891112222"
ADDRESS = "203.0.113.77"
PEER = {"REMOTE_ADDR": ADDRESS}
MESSAGE = f"could not use {SECRET!r}"  # what an exception's message may quote


@pytest.fixture
def app(make_app):
    """Errors are caught and answered as in production (a testing app would propagate them)."""
    app = make_app({"TESTING": False})
    with app.app_context():
        demo.load()
    return app


@pytest.fixture
def tip_log(caplog):
    """The tip channel's error records, which do not reach the root logger."""
    logger = logging.getLogger("rongrian.tips")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def fail(*args, **kwargs):
    raise ValueError(MESSAGE)


def error_id_in(text: str) -> str:
    return re.search(r"\b([0-9a-f]{12})\b", text).group(1)


def assert_traced(record, error_id: str, rule: str, concrete: str):
    text = record.getMessage()
    assert error_id in text and rule in text and "ValueError" in text
    assert "fail" in text  # the frame that raised
    for leak in (concrete, SECRET, "0891112222", "could not use", ADDRESS):
        assert leak not in text, leak
    assert not record.exc_info  # a formatter would print the exception's message


def test_a_page_error_is_logged_by_rule_with_the_id_the_person_sees(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    app.add_url_rule("/boom/<int:n>", "boom", fail)
    r = client.get("/boom/4242", environ_base=PEER)
    assert r.status_code == 500
    error_id = error_id_in(r.get_data(as_text=True))
    [record] = [r for r in caplog.records if r.name == "rongrian.errors"]
    assert record.levelno == logging.ERROR
    assert_traced(record, error_id, "/boom/<int:n>", "4242")
    assert ADDRESS not in caplog.text and SECRET not in caplog.text


def test_an_api_error_answers_json_with_the_error_id(client, caplog, monkeypatch):
    from casework.general import intake

    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(intake, "file_complaint", fail)
    body = {"category": "roads", "subject": SECRET, "details": SECRET}
    r = client.post("/api/v1/complaints", json=body, environ_base=PEER)
    assert r.status_code == 500
    answer = r.get_json()
    assert set(answer) == {"error", "fields", "error_id"}
    [record] = [r for r in caplog.records if r.name == "rongrian.errors"]
    assert_traced(record, answer["error_id"], "/api/v1/complaints", "subject")
    assert SECRET not in caplog.text


def test_two_errors_get_different_ids(app, client):
    app.add_url_rule("/boom/<int:n>", "boom", fail)
    first, second = (error_id_in(client.get("/boom/1").get_data(as_text=True)) for _ in "12")
    assert first != second


def test_tip_channel_errors_keep_no_address_and_no_time_finer_than_the_day(
    app, client, login_as, frozen, tip_log, monkeypatch
):
    from admin import tips as admin_tips
    from casework.tipline import filing

    frozen(datetime(2026, 3, 9, 20, 34, 56, 789000))  # 03:34 on 10 March in Bangkok
    tip_log.set_level(logging.DEBUG)
    monkeypatch.setattr(filing, "file_tip", fail)
    monkeypatch.setattr(admin_tips, "_tip_or_404", fail)
    tip = {"category": "procurement", "what": SECRET}
    api = client.post("/api/v1/tips", json=tip, environ_base=PEER)
    page = client.post("/whistleblow/new", data=tip, environ_base=PEER)
    login_as(INTEGRITY)
    staff = client.get("/admin/tips/31", environ_base=PEER)
    seen = [
        api.get_json()["error_id"],
        error_id_in(page.get_data(as_text=True)),
        error_id_in(staff.get_data(as_text=True)),
    ]
    assert [api.status_code, page.status_code, staff.status_code] == [500, 500, 500]
    rules = ["/api/v1/tips", "/whistleblow/new", "/admin/tips/<int(signed=True):case_id>"]
    records = [r for r in tip_log.records if r.name == "rongrian.tips"]
    assert len(records) == 3
    midnight = datetime(2026, 3, 10, tzinfo=UTC).timestamp()  # the Bangkok day, as stored
    for record, error_id, rule in zip(records, seen, rules, strict=True):
        assert_traced(record, error_id, rule, "/admin/tips/31")
        assert record.created == midnight and record.msecs == 0
    # Not passed on to the general log (whose lines carry the collector's time).
    assert not [r for r in tip_log.records if r.name == "rongrian.errors"]
    # The tip channel's own file: the date, never a time, no address, nothing typed.
    written = Path(app.config["TIP_ERROR_LOG"]).read_text()
    assert written.count("2026-03-10 ") == 3
    assert not re.search(r"\d\d:\d\d", written)
    for leak in (ADDRESS, SECRET, "0891112222", "/admin/tips/31"):
        assert leak not in written
    assert all(error_id in written for error_id in seen)
    assert Path(app.config["TIP_ERROR_LOG"]).stat().st_mtime == midnight
