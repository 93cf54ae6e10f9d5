"""What filing and tracking cost the database (the figures of `make bench`), and the
organization kept per process without going stale."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from casework import demo
from casework.extensions import db
from casework.models import Organization

COMPLAINT = {"category": "roads", "subject": "ถนนชำรุด", "details": "หลุมลึกหน้าบ้าน"}


@contextmanager
def statements(app):
    seen = []
    with app.app_context():
        bind = db.session.get_bind()  # the app's engine, or the test's connection on PostgreSQL

    def count(conn, cursor, statement, *args):
        words = statement.split(None, 3)[:3]
        if words[0] not in ("SAVEPOINT", "RELEASE", "ROLLBACK"):  # the tests' transactions
            seen.append(words)

    event.listen(bind, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(bind, "before_cursor_execute", count)


@pytest.mark.real_commits  # threads, the engine's own statements or a second session
def test_filing_and_tracking_take_few_statements(app, client):
    client.post("/api/v1/complaints", json=COMPLAINT)  # the organization's id is looked up once
    with statements(app) as filing:
        code = client.post("/api/v1/complaints", json=COMPLAINT).get_json()["tracking_code"]
    # category with its unit and organization, the number, the case, its first timeline entry,
    # and the published figures' counts (casework.models.rollup)
    assert len(filing) == 5, filing
    with statements(app) as tracking:
        assert client.post("/api/v1/track", json={"tracking_code": code}).status_code == 200
    assert len(tracking) == 1, tracking  # case, timeline, category, unit and organization
    with statements(app) as page:
        assert client.post("/complaints/track", data={"tracking_code": code}).status_code == 200
    assert len(page) == 1, page


@pytest.mark.real_commits
def test_filing_with_contact_details_asks_nothing_of_the_new_cases_timeline(app, client):
    body = {**COMPLAINT, "reporter": {"name": "นายสมชาย ใจดี"}, "consent": True}
    client.post("/api/v1/complaints", json=body)
    with statements(app) as filing:
        assert client.post("/api/v1/complaints", json=body).status_code == 201
    # the case is written first (its identity is sealed to its id), then its identity and its
    # "received" entry, whose place (1) is known without asking: the case is new
    assert not any("max" in " ".join(words) for words in filing), filing
    assert len(filing) == 6, filing


def test_a_worker_sees_a_settings_change_made_by_another(make_app):
    first, second = make_app(), make_app()  # two workers of one deployment, one database
    with first.app_context():
        demo.load()
    assert demo.ORG["name_th"] in first.test_client().get("/").get_data(as_text=True)
    with second.app_context():
        org = db.session.scalars(select(Organization)).one()
        org.name_th = "เทศบาลตำบลทดสอบ"
        db.session.commit()
    assert "เทศบาลตำบลทดสอบ" in first.test_client().get("/").get_data(as_text=True)


@pytest.mark.real_commits
def test_the_web_form_files_in_as_few_statements_as_the_api(app, client):
    client.post("/api/v1/complaints", json=COMPLAINT)  # the organization's id is looked up once
    with statements(app) as filing:
        answer = client.post("/complaints/", data={**COMPLAINT, "kind": "complaint"})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    # as the API's filing: no reload of the organization after an empty files check
    assert len(filing) == 5, filing
