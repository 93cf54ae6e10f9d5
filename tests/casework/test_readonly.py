"""A request that only read ends with COMMIT (PostgreSQL keeps its prepared statements); any
request that wrote, or holds a change, is rolled back at its end as before: nothing it did is
kept unless it committed it itself."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text, update

from casework.extensions import db
from casework.models import Department


def _routes(app) -> None:
    def works() -> Department:
        return db.session.scalar(select(Department).filter_by(code="works"))

    def read():
        works()
        return "read"

    def flushed():
        db.session.add(Department(organization_id=works().organization_id, code="flushed"))
        db.session.flush()
        return "refused", 400

    def pending():
        db.session.add(Department(organization_id=works().organization_id, code="pending"))
        return "refused", 400

    def dirty():
        works().name_en = "changed (dirty)"
        return "refused", 400

    def core():
        db.session.execute(
            update(Department).filter_by(code="works").values(name_en="changed (core)")
        )
        return "refused", 400

    def failed():
        works().name_en = "changed (failed)"
        db.session.flush()
        raise RuntimeError("the view failed half way")

    def locked():
        db.session.execute(select(Department.id).filter_by(code="works").with_for_update())
        return "read"

    for view in (read, flushed, pending, dirty, core, failed, locked):
        app.add_url_rule(f"/t/{view.__name__}", view.__name__, view)


def _ends(app) -> list[str]:
    ended: list[str] = []
    with app.app_context():
        event.listen(db.engine, "commit", lambda conn: ended.append("commit"))
        event.listen(db.engine, "rollback", lambda conn: ended.append("rollback"))
    return ended


@pytest.mark.real_commits
def test_a_request_that_only_read_ends_with_commit(app, backend):
    _routes(app)
    ended = _ends(app)
    client = app.test_client()
    assert client.get("/t/read").status_code == 200
    assert ended == ["commit"]
    ended.clear()
    assert client.get("/t/locked").status_code == 200
    if backend == "postgresql":  # SELECT … FOR UPDATE (SQLite has no such lock): rolled back
        assert "commit" not in ended


@pytest.mark.parametrize("view", ["flushed", "pending", "dirty", "core", "failed"])
def test_a_request_that_wrote_without_committing_keeps_nothing(app, view):
    _routes(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    assert client.get(f"/t/{view}").status_code in (400, 500)
    with app.app_context():
        assert db.session.scalar(select(Department).filter_by(code=view)) is None
        works = db.session.scalar(select(Department).filter_by(code="works"))
        assert not works.name_en.startswith("changed")


@pytest.mark.real_commits
def test_the_tracking_lookup_stays_prepared_on_postgresql(app, backend, file_complaint):
    if backend != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (runs in the PostgreSQL pass)")
    code = file_complaint().tracking_code
    client = app.test_client()
    for _ in range(8):  # psycopg prepares a statement from its fifth run on a connection
        assert client.post("/api/v1/track", json={"tracking_code": code}).status_code == 200
    with app.app_context():
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements"))
        assert any("tracking_hash" in statement for statement in prepared)
