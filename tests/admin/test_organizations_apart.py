"""Two organizations share one database and one SECRET_KEY (one deployment each, told apart by
RONGRIAN_ORG): a session signed in at one opens nothing at the other."""

from __future__ import annotations

import pytest

from casework.extensions import db
from casework.models import Organization, User
from casework.staff import accounts

COOKIE = "rongrian_session"
PASSWORD = "ขอให้ปลอดภัย-2570-horse"


@pytest.fixture
def other_app(app, make_app):
    """The second organization's deployment: same database, same SECRET_KEY."""
    with app.app_context():
        db.session.add(Organization(slug="other", name_th="เทศบาลอื่น", name_en="Other Town"))
        db.session.commit()
    other = make_app({"RONGRIAN_ORG": "other"})
    assert other.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    return other


def _carry(cookie_from, to) -> None:
    to.set_cookie(COOKIE, cookie_from.get_cookie(COOKIE).value)


def test_one_organizations_admin_cannot_open_the_others_back_office(client, login_as, other_app):
    login_as("sysadmin")
    assert client.get("/admin/").status_code == 200

    stolen = other_app.test_client()
    _carry(client, stolen)
    response = stolen.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert stolen.get("/admin/users").status_code == 302


def test_the_other_organizations_own_staff_still_sign_in_there_and_only_there(app, other_app):
    with other_app.app_context():
        org_id = db.session.scalar(db.select(Organization.id).filter_by(slug="other"))
        accounts.create(org_id, "admin@other.go.th", "sysadmin", password=PASSWORD)
    other_app.config["STAFF_REQUIRE_TOTP"] = False
    home = other_app.test_client()
    response = home.post("/admin/login", data={"email": "admin@other.go.th", "password": PASSWORD})
    assert response.status_code == 302
    assert home.get("/admin/").status_code == 200

    abroad = app.test_client()
    _carry(home, abroad)
    assert abroad.get("/admin/").status_code == 302


def test_a_half_finished_sign_in_does_not_cross_over(app, other_app):
    with app.test_request_context():
        org_id = db.session.scalar(db.select(Organization.id).filter_by(slug="demo"))
        user = accounts.create(org_id, "boss@demo.go.th", "supervisor", password=PASSWORD)
        assert db.session.get(User, user.id).totp_sealed is None
    first = app.test_client()
    response = first.post("/admin/login", data={"email": "boss@demo.go.th", "password": PASSWORD})
    assert response.headers["Location"].endswith("/admin/login/enrol")

    elsewhere = other_app.test_client()
    _carry(first, elsewhere)
    response = elsewhere.get("/admin/login/enrol")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/login")
