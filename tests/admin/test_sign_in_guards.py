"""Sign-in guards beyond the basics: throttling per account from many addresses, the QR code
under the CSP, the hidden password prompt of `users create`, and no email in limiter keys."""

from __future__ import annotations

import pytest

from casework.extensions import db, limiter
from casework.models import Organization, User
from casework.staff import accounts

PASSWORD = "ขอให้ปลอดภัย-2570-horse"


@pytest.fixture
def account(app):
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        return accounts.create(org.id, "target@demo.go.th", "supervisor", password=PASSWORD).id


def test_attempts_on_one_account_are_limited_across_client_addresses(app, account):
    app.config["LOGIN_MAX_FAILURES"] = 1000  # the lock is tested elsewhere; here only the limit
    statuses = []
    for n in range(12):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        response = client.post(
            "/admin/login", data={"email": "Target@demo.go.th", "password": "wrong" * 3}
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]
    # Another account from a fresh address is not affected.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    response = other.post("/admin/login", data={"email": "x@demo.go.th", "password": "y" * 12})
    assert response.status_code == 400


def test_the_limiter_never_stores_an_email_address(app, account):
    app.config["LOGIN_MAX_FAILURES"] = 1000
    app.test_client().post(
        "/admin/login", data={"email": "target@demo.go.th", "password": "wrong" * 3}
    )
    storage = limiter.storage
    keys = " ".join(str(k) for k in getattr(storage, "storage", {}))
    assert keys and "target@demo.go.th" not in keys and "127.0.0.1" not in keys


def test_enrolment_qr_code_is_an_inline_image_the_csp_allows(app, client, account):
    client.post("/admin/login", data={"email": "target@demo.go.th", "password": PASSWORD})
    response = client.get("/admin/login/enrol")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<img src="data:image/png;base64,' in html
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp and "script-src 'self'" in csp
    assert "otpauth://" not in html  # the secret travels only inside the image and the key text


def test_users_create_prompts_for_a_hidden_password_on_a_terminal(app, monkeypatch):
    import admin.cli

    monkeypatch.setattr(admin.cli, "_interactive", lambda: True)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "first@demo.go.th", "--role", "sysadmin", "--name", "ผู้ดูแล"],
        input="correct horse battery staple\ncorrect horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and "correct horse" not in result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="first@demo.go.th"))
        assert user.role == "sysadmin" and user.name == "ผู้ดูแล"


def test_users_create_refuses_a_weak_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "weak@demo.go.th", "--role", "clerk"], input="short\n"
    )
    assert result.exit_code != 0 and "password: Use at least 12 characters" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(email="weak@demo.go.th")) is None
