"""Staff sessions live on the server: played as an attacker who holds a copy of a staff
member's session cookie (or even the SECRET_KEY that signs cookies).

Logging out ends that session for every copy of the cookie, "log out everywhere" ends them all,
the idle timeout is counted on the server, and an administrator's deactivation ends them. The
TOTP enrolment secret never travels in the cookie, and a TOTP code signs in once, even when
two sign-ins send it at the same moment."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import datetime, timedelta

import pytest

from casework.extensions import db
from casework.models import Organization, StaffSession, User
from casework.staff import accounts, totp

COOKIE = "rongrian_session"
PASSWORD = "ขอให้ปลอดภัย-2570-horse"
CREDENTIALS = {"email": "victim@demo.go.th", "password": PASSWORD}
START = datetime(2027, 3, 1, 2, 0)


@pytest.fixture
def account(app):
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        return accounts.create(org.id, "victim@demo.go.th", "supervisor", password=PASSWORD).id


def _sign_in(app, client=None):
    """A sign-in through the login page (no second factor asked): the client."""
    app.config["STAFF_REQUIRE_TOTP"] = False
    client = client or app.test_client()
    response = client.post("/admin/login", data=CREDENTIALS)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    return client


def _copy(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _opens_admin(client) -> bool:
    response = client.get("/admin/")
    if response.status_code == 302:
        assert "/admin/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def _cookie_contents(app, client) -> dict:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie(COOKIE).value)


def _forge(app, contents: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(contents)


def test_a_copied_cookie_opens_nothing_after_logout(app, account):
    victim = _sign_in(app)
    thief = _copy(app, victim)
    assert _opens_admin(thief)
    assert victim.post("/admin/logout").status_code == 302
    assert not _opens_admin(victim)
    assert not _opens_admin(thief)
    assert thief.get("/admin/users").status_code == 302


def test_log_out_everywhere_ends_every_copy_of_every_session(app, account):
    desk = _sign_in(app)
    phone = _sign_in(app)
    thief = _copy(app, desk)
    assert phone.post("/admin/logout/everywhere").status_code == 302
    assert not _opens_admin(desk) and not _opens_admin(thief) and not _opens_admin(phone)


def test_logging_out_one_session_leaves_the_others(app, account):
    desk = _sign_in(app)
    phone = _sign_in(app)
    desk.post("/admin/logout")
    assert _opens_admin(phone)


def test_the_cookie_carries_only_a_random_session_id(app, account):
    victim = _sign_in(app)
    token = _cookie_contents(app, victim)["_user_id"]
    assert len(token) == 43  # 256 random bits, URL-safe base64
    with app.app_context():
        row = db.session.scalar(db.select(StaffSession).filter_by(user_id=account))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()  # not the id itself


def test_the_signing_key_alone_forges_no_session(app, account):
    """Someone who knows SECRET_KEY (another organization sharing it) signs a cookie naming
    the account as the old sessions did: it opens nothing."""
    with app.app_context():
        user = db.session.get(User, account)
        guess = f"{user.id}:{user.session_epoch}:{user.organization_id}"
    forger = app.test_client()
    forger.set_cookie(COOKIE, _forge(app, {"_user_id": guess, "_fresh": True}))
    assert not _opens_admin(forger)


def test_idle_timeout_is_counted_on_the_server(app, account, frozen):
    """A copy re-signed with a fresh "last seen" time (as anyone with the signing key could)
    does not outlive the idle timeout."""
    frozen(START)
    victim = _sign_in(app)
    contents = _cookie_contents(app, victim)
    frozen(START + timedelta(minutes=31))
    fresh = {**contents, "staff_seen": (START + timedelta(minutes=30)).timestamp()}
    thief = app.test_client()
    thief.set_cookie(COOKIE, _forge(app, fresh))
    assert not _opens_admin(thief)
    response = victim.get("/admin/inbox")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_deactivation_by_an_administrator_ends_sessions(app, account, login_as):
    victim = _sign_in(app)
    thief = _copy(app, victim)
    admin = app.test_client()
    login_as("sysadmin", on=admin)
    # (a supervisor account: the administrator asks, a second supervisor approves)
    second = app.test_client()
    login_as("supervisor", email="second-supervisor@demo.go.th", on=second)

    def approve_the_request():
        with app.app_context():
            from casework.models import AccountChange

            change_id = db.session.scalar(db.select(AccountChange.id).filter_by(status="pending"))
        assert second.post(f"/admin/approvals/{change_id}/approve").status_code == 302

    form = {"email": "victim@demo.go.th", "role": "supervisor", "department": ""}
    assert admin.post(f"/admin/users/{account}", data=form).status_code == 302  # unticked
    approve_the_request()
    assert not _opens_admin(victim) and not _opens_admin(thief)
    form["active"] = "y"
    assert admin.post(f"/admin/users/{account}", data=form).status_code == 302
    approve_the_request()
    assert not _opens_admin(victim) and not _opens_admin(thief)


def _secret_from(html: str) -> bytes:
    key = re.search(r'class="code small-code">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    return base64.b32decode(key + "=" * (-len(key) % 8))


def test_the_enrolment_secret_is_not_in_the_cookie(app, client, account, frozen):
    frozen(START)
    client.post("/admin/login", data=CREDENTIALS)
    secret = _secret_from(client.get("/admin/login/enrol").get_data(as_text=True))
    stored = " ".join(str(value) for value in _cookie_contents(app, client).values())
    assert base64.b32encode(secret).decode().rstrip("=") not in stored
    # The page shows the same secret again, and enrolment still works with it.
    assert _secret_from(client.get("/admin/login/enrol").get_data(as_text=True)) == secret
    code = totp.code_at(secret, totp.now_seconds())
    assert client.post("/admin/login/enrol", data={"code": code}).status_code == 302
    assert _opens_admin(client)
    with app.app_context():
        user = db.session.get(User, account)
        assert totp.secret_of(user) == secret and user.totp_pending_sealed is None


@pytest.fixture
def enrolled(app, account):
    """The account with an authenticator: its secret."""
    secret = totp.new_secret()
    with app.test_request_context():
        user = db.session.get(User, account)
        totp.seal_for(user, secret)
        db.session.commit()
    return secret


def _at_code_step(app):
    client = app.test_client()
    response = client.post("/admin/login", data=CREDENTIALS)
    assert response.headers["Location"].endswith("/admin/login/code")
    return client


def test_a_code_signs_in_once_when_replayed(app, account, enrolled, frozen):
    frozen(START)
    victim, thief = _at_code_step(app), _at_code_step(app)
    code = totp.code_at(enrolled, totp.now_seconds())
    assert victim.post("/admin/login/code", data={"code": code}).status_code == 302
    assert thief.post("/admin/login/code", data={"code": code}).status_code == 400
    assert not _opens_admin(thief)


@pytest.mark.real_commits
@pytest.mark.postgresql_only
def test_a_code_signs_in_once_when_two_sign_ins_race(app, account, enrolled, frozen, monkeypatch):
    """Both requests check the code before either records it: still only one signs in."""
    frozen(START)
    victim, thief = _at_code_step(app), _at_code_step(app)
    code = totp.code_at(enrolled, totp.now_seconds())
    both_checked = threading.Barrier(2, timeout=10)
    matching_step = totp.matching_step

    def in_step(*args, **kwargs):
        step = matching_step(*args, **kwargs)
        both_checked.wait()
        return step

    monkeypatch.setattr(totp, "matching_step", in_step)
    statuses = {}

    def send(name, client):
        statuses[name] = client.post("/admin/login/code", data={"code": code}).status_code

    threads = [threading.Thread(target=send, args=pair) for pair in (("a", victim), ("b", thief))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(statuses.values()) == [302, 400]
