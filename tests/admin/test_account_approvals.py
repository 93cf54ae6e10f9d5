"""The two-person rule on the accounts that guard the corruption channel, through the staff
pages: the system administrator asks, a second person (a custodian for custodian accounts; a
supervisor or a custodian for integrity and supervisor accounts) approves, and only then does the
change apply. The command line creates such accounts only before the first-key ceremony."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework import models
from casework.extensions import db
from casework.models import AuditEntry, OutboxMessage, User
from casework.notify import mailer, outbox
from casework.staff.roles import CLERK, CUSTODIAN, INTEGRITY, SUPERVISOR, SYSADMIN
from casework.tipline import custody

PASS = "correct horse battery staple"
PASSWORD = "a long enough password"


@pytest.fixture
def people(app, login_as):
    """A system administrator, a supervisor and a custodian with the first key, each signed in
    on their own client: ``people[role] -> (client, user id)``."""
    found = {}
    for role in (SYSADMIN, SUPERVISOR, CUSTODIAN):
        staff = app.test_client()
        found[role] = (staff, login_as(role, on=staff, name=f"คน {role}"))
    with app.app_context():
        custody.enrol_key(db.session.get(User, found[CUSTODIAN][1]), PASS, PASS)
    return found


def _new(admin, email, role, **extra):
    data = {"email": email, "name": "", "role": role, "department": "", "active": "y"}
    data.update(password=PASSWORD, **extra)
    return admin.post("/admin/users/new", data=data)


def _user_id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).filter_by(email=email))


def _pending(app) -> list:
    with app.app_context():
        rows = db.session.scalars(select(models.AccountChange).filter_by(status="pending")).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _emails(app, template="custody") -> list[tuple[str, dict]]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).filter_by(template=template)).all()
        return [(outbox.recipient(r), r.payload) for r in rows]


def test_a_custodian_account_waits_for_a_custodian(app, people):
    admin, _admin_id = people[SYSADMIN]
    supervisor, supervisor_id = people[SUPERVISOR]
    keeper, keeper_id = people[CUSTODIAN]
    r = _new(admin, "new-keeper@staff.test", CUSTODIAN)
    assert r.status_code == 302
    assert _user_id(app, "new-keeper@staff.test") is None
    [change] = _pending(app)
    assert change.action == "create" and PASSWORD not in str(change.payload)
    assert change.payload["password_hash"].startswith("$argon2id$")
    # Every custodian is told, without any tip in the message.
    with app.app_context():
        keeper_email = db.session.get(User, keeper_id).email
    [(to, payload)] = [m for m in _emails(app) if m[1]["event"] == "account_change_requested"]
    assert to == keeper_email and payload["account"] == "new-keeper@staff.test"
    # The requester cannot approve; a supervisor cannot approve a custodian account.
    page = admin.get("/admin/approvals").get_data(as_text=True)
    assert "new-keeper@staff.test" in page and f"/approvals/{change.id}/approve" not in page
    assert admin.post(f"/admin/approvals/{change.id}/approve").status_code == 302
    page = supervisor.get("/admin/approvals").get_data(as_text=True)
    assert f"/approvals/{change.id}/approve" not in page
    supervisor.post(f"/admin/approvals/{change.id}/approve")
    assert _user_id(app, "new-keeper@staff.test") is None
    # A custodian with an approved key approves: the account exists, with the password given.
    assert f"/approvals/{change.id}/approve" in keeper.get("/admin/approvals").get_data(
        as_text=True
    )
    keeper.post(f"/admin/approvals/{change.id}/approve")
    new_id = _user_id(app, "new-keeper@staff.test")
    with app.app_context():
        from casework.staff import passwords

        user = db.session.get(User, new_id)
        assert user.role == CUSTODIAN and passwords.verify(PASSWORD, user.password_hash)
        row = db.session.get(models.AccountChange, change.id)
        assert row.status == "approved" and row.decided_by == keeper_id
        assert "password_hash" not in row.payload  # the hash does not stay in the request
        created = db.session.scalar(select(AuditEntry).filter_by(action="user.create"))
        assert created.data["approved_by"] == keeper_id
    assert any(p["event"] == "account_change_approved" for _, p in _emails(app))
    assert supervisor_id


def test_deactivating_resetting_and_changing_a_custodian_all_wait(app, people, login_as):
    admin, _admin_id = people[SYSADMIN]
    keeper, keeper_id = people[CUSTODIAN]
    second = app.test_client()
    second_id = login_as(CUSTODIAN, email="second-keeper@staff.test", on=second)
    with app.app_context():
        user = db.session.get(User, second_id)
        custody.enrol_key(user, PASS, PASS)
        custody.approve(db.session.get(User, keeper_id), PASS, custody.key_of(user))
        user.totp_sealed = b"enrolled"
        db.session.commit()
    form = {"email": "second-keeper@staff.test", "name": "", "role": CUSTODIAN, "department": ""}
    admin.post(f"/admin/users/{second_id}", data=form)  # no "active": deactivate
    assert admin.post(f"/admin/users/{second_id}/reset-2fa").status_code == 302  # one at a time
    with app.app_context():
        user = db.session.get(User, second_id)
        assert user.active and user.totp_sealed == b"enrolled"
    [change] = _pending(app)
    # The account it is about cannot approve its own change; another custodian can.
    assert f"/approvals/{change.id}/approve" not in second.get("/admin/approvals").get_data(
        as_text=True
    )
    second.post(f"/admin/approvals/{change.id}/approve")
    with app.app_context():
        assert db.session.get(User, second_id).active
    keeper.post(f"/admin/approvals/{change.id}/refuse", data={"reason": ""})
    assert len(_pending(app)) == 1  # a refusal says why
    keeper.post(f"/admin/approvals/{change.id}/refuse", data={"reason": "ยังปฏิบัติงานอยู่"})
    assert _pending(app) == []
    assert "ยังปฏิบัติงานอยู่" in admin.get("/admin/approvals").get_data(as_text=True)
    # Resetting two-step verification and a new password wait too; a custodian approves.
    admin.post(f"/admin/users/{second_id}/reset-2fa")
    [reset] = _pending(app)
    keeper.post(f"/admin/approvals/{reset.id}/approve")
    admin.post(
        f"/admin/users/{second_id}", data={**form, "active": "y", "password": "another password!"}
    )
    [password] = _pending(app)
    keeper.post(f"/admin/approvals/{password.id}/approve")
    with app.app_context():
        from casework.staff import passwords

        user = db.session.get(User, second_id)
        assert user.totp_sealed is None and user.active
        assert passwords.verify("another password!", user.password_hash)


def test_integrity_and_supervisor_accounts_wait_for_a_supervisor_or_a_custodian(app, people):
    admin, _admin_id = people[SYSADMIN]
    supervisor, _supervisor_id = people[SUPERVISOR]
    _new(admin, "integrity-new@staff.test", INTEGRITY)
    _new(admin, "supervisor-new@staff.test", SUPERVISOR)
    assert _user_id(app, "integrity-new@staff.test") is None
    assert _user_id(app, "supervisor-new@staff.test") is None
    for change in _pending(app):
        supervisor.post(f"/admin/approvals/{change.id}/approve")
    assert _user_id(app, "integrity-new@staff.test") and _user_id(app, "supervisor-new@staff.test")
    # Making a clerk an integrity officer waits as well; the requester can withdraw it.
    _new(admin, "clerk-new@staff.test", CLERK)
    clerk_id = _user_id(app, "clerk-new@staff.test")
    assert clerk_id is not None  # other accounts apply at once
    form = {"email": "clerk-new@staff.test", "name": "", "role": INTEGRITY, "active": "y"}
    admin.post(f"/admin/users/{clerk_id}", data=form)
    [change] = _pending(app)
    admin.post(f"/admin/approvals/{change.id}/withdraw")
    with app.app_context():
        assert db.session.get(User, clerk_id).role == CLERK
        assert db.session.get(models.AccountChange, change.id).status == "withdrawn"


def test_nobody_can_approve_a_custodian_account_before_custody_exists(app, login_as):
    admin = app.test_client()
    login_as(SYSADMIN, on=admin)
    r = _new(admin, "keeper@staff.test", CUSTODIAN)
    assert r.status_code == 400 and "flask users create" in r.get_data(as_text=True)
    assert _pending(app) == [] and _user_id(app, "keeper@staff.test") is None


def test_the_command_line_creates_the_first_custodians_only(app):
    runner = app.test_cli_runner()

    def create(email, role):
        return runner.invoke(args=["users", "create", email, "--role", role], input=PASS + "\n")

    for email in ("first@demo.go.th", "second@demo.go.th"):
        result = create(email, CUSTODIAN)
        assert result.exit_code == 0, result.output
    result = create("integrity@demo.go.th", INTEGRITY)
    assert result.exit_code == 0, result.output
    with app.app_context(), app.test_request_context():
        first = db.session.scalar(select(User).filter_by(email="first@demo.go.th"))
        custody.enrol_key(first, PASS, PASS)  # the first-key ceremony
        ceremony = custody.ceremony_of(first.organization_id)
        assert ceremony.held_by == first.id
        assert db.session.scalar(
            select(AuditEntry).filter_by(action="custody.first_key_ceremony")
        ).actor_id == (first.id)
    for role in (CUSTODIAN, INTEGRITY, SUPERVISOR):
        result = create(f"late-{role}@demo.go.th", role)
        assert result.exit_code != 0 and "approved by a second person" in result.output
    assert create("admin@demo.go.th", SYSADMIN).exit_code == 0
    assert create("clerk@demo.go.th", CLERK).exit_code == 0
    with app.app_context():
        assert _user_id(app, "late-custodian@demo.go.th") is None
        events = [p["event"] for _, p in _emails(app)]
        assert "first_key_ceremony" in events


def test_custody_emails_name_no_tip(app, people, client, login_as):
    """The custody notices say what happened and who did it: no tip, number or name."""
    keeper, keeper_id = people[CUSTODIAN]
    second = app.test_client()
    second_id = login_as(CUSTODIAN, email="second-keeper@staff.test", on=second)
    second.post("/admin/tips/custody/enrol", data={"passphrase": PASS, "confirm": PASS})
    with app.app_context():
        key_id = custody.key_of(db.session.get(User, second_id)).id
    keeper.post(f"/admin/tips/custody/keys/{key_id}/approve", data={"passphrase": PASS})
    body = {
        "category": "bribery",
        "what": "รับเงินใต้โต๊ะ",
        "accused": {"name": "นายผู้ถูก กล่าวหา"},
        "confidential": True,
        "consent": True,
        "identity": {"name": "นางผู้แจ้ง ลับ"},
    }
    assert client.post("/api/v1/tips", json=body).status_code == 201
    officer = app.test_client()
    login_as(INTEGRITY, on=officer)
    with app.app_context():
        from casework.models import Case, RevealRequest

        case = db.session.scalar(select(Case).filter_by(channel="tip"))
        tip_id, number = case.id, case.case_number
    officer.post(f"/admin/tips/{tip_id}/assign", data={})
    officer.post(f"/admin/tips/{tip_id}/reveal", data={"reason": "ขอเชิญเป็นพยาน"})
    with app.app_context():
        request_id = db.session.scalar(select(RevealRequest.id))
    keeper.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    second.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    events = [p["event"] for _, p in _emails(app)]
    for event in (
        "first_key_ceremony",
        "key_enrolled",
        "key_approved",
        "reveal_requested",
        "reveal_approval",
        "reveal_opened",
    ):
        assert event in events, event
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).filter_by(template="custody")).all()
        assert all(r.case_id is None for r in rows)
        for row in rows:
            message = mailer.compose(row, "keeper@staff.test")
            body = message.get_content()
            assert "/admin/tips/custody" in body and message["Subject"]
            for secret in (number, "นายผู้ถูก", "นางผู้แจ้ง", "รับเงินใต้โต๊ะ", "ขอเชิญเป็นพยาน"):
                assert secret not in body and secret not in str(row.payload), secret
