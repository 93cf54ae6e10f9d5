"""Staff sign-in: Argon2id password, TOTP enrolment and codes, throttling and temporary locks,
idle timeout, "sign out everywhere", and the two surfaces."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta

import pytest

from casework.extensions import db
from casework.models import AuditEntry, Organization, User
from casework.staff import accounts, passwords, totp

PASSWORD = "สวัสดีครับ-correct-horse"
START = datetime(2027, 3, 1, 2, 0)


@pytest.fixture
def account(app):
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        user = accounts.create(org.id, "officer@demo.go.th", "supervisor", password=PASSWORD)
        return user.id


def _secret_from(html: str) -> bytes:
    key = re.search(r'class="code small-code">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    return base64.b32decode(key + "=" * (-len(key) % 8))


def _code(secret: bytes) -> str:
    return totp.code_at(secret, totp.now_seconds())


def test_first_sign_in_enrols_totp_then_asks_for_codes(app, client, account, frozen):
    frozen(START)
    response = client.post(
        "/admin/login", data={"email": "Officer@demo.go.th", "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/admin/login/enrol")
    page = client.get("/admin/login/enrol").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page
    secret = _secret_from(page)
    assert client.get("/admin/inbox").headers["Location"].startswith("/admin/login")
    response = client.post("/admin/login/enrol", data={"code": _code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/inbox").status_code == 200
    with app.app_context():
        user = db.session.get(User, account)
        assert totp.secret_of(user) == secret and user.totp_sealed != secret

    # Next sign-in asks for a code; the same code cannot be used twice.
    client.post("/admin/logout")
    client.post("/admin/login", data={"email": "officer@demo.go.th", "password": PASSWORD})
    used = _code(secret)
    assert client.post("/admin/login/code", data={"code": used}).status_code == 400
    frozen(START + timedelta(seconds=60))
    client.post("/admin/login", data={"email": "officer@demo.go.th", "password": PASSWORD})
    assert client.post("/admin/login/code", data={"code": _code(secret)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_same_answer_for_unknown_user_and_wrong_password(client, account):
    unknown = client.post("/admin/login", data={"email": "nobody@demo.go.th", "password": "x" * 12})
    wrong = client.post("/admin/login", data={"email": "officer@demo.go.th", "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 400

    def message(r):
        return re.search(r'role="alert"><p>(.*?)</p>', r.get_data(as_text=True)).group(1)

    assert message(unknown) == message(wrong)


def test_account_locks_after_repeated_failures(app, client, account, frozen):
    frozen(START)
    app.config["LOGIN_MAX_FAILURES"] = 3
    for _ in range(3):
        client.post("/admin/login", data={"email": "officer@demo.go.th", "password": "wrong" * 3})
    with app.app_context():
        user = db.session.get(User, account)
        assert user.locked_until == START + timedelta(minutes=15)
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(AuditEntry).filter_by(action="login.failure")
            )
            == 3
        )
    right = client.post("/admin/login", data={"email": "officer@demo.go.th", "password": PASSWORD})
    assert right.status_code == 400  # locked: even the right password is refused
    frozen(START + timedelta(minutes=16))
    right = client.post("/admin/login", data={"email": "officer@demo.go.th", "password": PASSWORD})
    assert right.status_code == 302


def test_login_attempts_are_rate_limited_per_client(app, client, account):
    app.config["LOGIN_MAX_FAILURES"] = 1000
    statuses = [
        client.post(
            "/admin/login", data={"email": f"u{n}@x.test", "password": "p" * 12}
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [400] * 10 and statuses[-1] == 429


def test_idle_timeout_signs_out(app, client, login_as, frozen):
    frozen(START)
    login_as("supervisor")
    assert client.get("/admin/inbox").status_code == 200
    frozen(START + timedelta(minutes=29))
    assert client.get("/admin/inbox").status_code == 200
    frozen(START + timedelta(minutes=29 + 31))
    response = client.get("/admin/inbox")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert client.get("/admin/inbox").status_code == 302


def test_sign_out_everywhere_ends_other_sessions(app, login_as):
    phone, desk = app.test_client(), app.test_client()
    login_as("clerk", on=phone)
    login_as("clerk", on=desk)
    assert desk.get("/admin/inbox").status_code == 200
    assert phone.post("/admin/logout/everywhere").status_code == 302
    assert desk.get("/admin/inbox").status_code == 302


def test_passwords_are_argon2id():
    encoded = passwords.hash_password(PASSWORD)
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify(PASSWORD, encoded)
    assert not passwords.verify(PASSWORD + "x", encoded)
    assert not passwords.verify(PASSWORD, None)
    assert passwords.problem("short") and passwords.problem("aaaaaaaaaaaaaaaa")


def test_staff_surface_alone_and_public_surface_without_admin(make_app):
    staff_app = make_app(surface="staff")
    rules = {r.rule for r in staff_app.url_map.iter_rules()}
    assert "/admin/login" in rules and "/complaints/" not in rules
    public_app = make_app(surface="public")
    assert not [r.rule for r in public_app.url_map.iter_rules() if r.rule.startswith("/admin")]
    assert public_app.test_client().get("/admin/login").status_code == 404
