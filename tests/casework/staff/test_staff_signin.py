"""casework.staff.signin called directly: the password step, the code step, enrolment, the
lock after repeated failures and the user's own password change, each audited and committed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.dates import clock
from casework.extensions import db
from casework.models import AuditEntry, User
from casework.staff import accounts, passwords, sessions, signin, totp

PASSWORD = "a long enough passphrase"


@pytest.fixture
def user(rc, org) -> User:
    return accounts.create(org.id, "clerk@demo.go.th", "clerk", password=PASSWORD)


def _actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            db.select(AuditEntry.action).filter_by(actor_id=user.id).order_by(AuditEntry.seq)
        )
    )


def test_the_right_password_finds_the_account(user, org):
    assert signin.check_password(org.id, " CLERK@demo.go.th ", PASSWORD) == user
    assert signin.check_password(org.id + 1, "clerk@demo.go.th", PASSWORD) is None
    assert signin.check_password(org.id, "nobody@demo.go.th", PASSWORD) is None
    assert _actions(user) == []  # a right password alone signs nobody in


def test_wrong_passwords_lock_the_account_for_a_while(user, org, app, frozen, fresh):
    frozen(clock.utcnow())
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert signin.check_password(org.id, user.email, "wrong password!") is None
    user = fresh(user)
    assert signin.locked(user) and user.failed_logins == 0
    failures = db.session.scalars(db.select(AuditEntry).filter_by(action="login.failure")).all()
    assert failures[-1].data == {"reason": "password", "locked": True}
    assert signin.check_password(org.id, user.email, PASSWORD) is None  # even the right one
    assert _actions(user)[-1] == "login.refused"
    frozen(clock.utcnow() + timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1))
    assert not signin.locked(fresh(user))
    assert signin.check_password(org.id, user.email, PASSWORD) == user


def test_a_disabled_account_is_refused(user, org):
    user.active = False
    db.session.commit()
    assert signin.check_password(org.id, user.email, PASSWORD) is None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="login.refused"))
    assert entry.data == {"reason": "inactive"}


def test_an_old_hash_is_upgraded(user, org, monkeypatch, fresh):
    monkeypatch.setattr(passwords, "needs_rehash", lambda encoded: True)
    old = user.password_hash
    signin.check_password(org.id, user.email, PASSWORD)
    assert fresh(user).password_hash != old


def test_enrolment_keeps_the_secret_once_a_code_matches(user, frozen, fresh):
    frozen(clock.utcnow())
    assert signin.enrol(user, "123456") is False  # no secret shown yet
    secret = signin.enrolment_secret(user)
    assert signin.enrolment_secret(fresh(user)) == secret  # the same one on every visit
    right = totp.code_at(secret, totp.now_seconds())
    wrong = "000000" if right != "000000" else "111111"
    assert signin.enrol(user, wrong) is False
    assert not signin.needs_code(fresh(user))
    assert signin.enrol(user, right) is True
    user = fresh(user)
    assert signin.needs_code(user) and user.last_login_at is not None
    assert totp.secret_of(user) == secret and user.totp_pending_sealed is None
    assert _actions(user)[-2:] == ["totp.enrolled", "login.success"]


def test_a_code_signs_in_once_and_wrong_codes_count(user, frozen, fresh):
    frozen(clock.utcnow())  # (the codes belong to one time step)
    secret = signin.enrolment_secret(user)
    assert signin.enrol(user, totp.code_at(secret, totp.now_seconds()))
    used = totp.code_at(secret, totp.now_seconds())
    assert signin.check_code(user, used) is False  # the enrolment already used it
    assert fresh(user).failed_logins == 1
    later = totp.code_at(secret, totp.now_seconds() + totp.STEP)
    assert signin.check_code(user, later) is True
    user = fresh(user)
    assert user.failed_logins == 0
    assert db.session.scalar(
        db.select(AuditEntry).filter_by(action="login.success").order_by(AuditEntry.id.desc())
    ).data == {"second_factor": "totp"}


def test_the_pending_account_must_still_be_the_same(user, org):
    assert signin.pending(org.id, user.id, user.session_epoch) == user
    assert signin.pending(org.id + 1, user.id, user.session_epoch) is None
    assert signin.pending(org.id, user.id, user.session_epoch + 1) is None
    accounts.sign_out_everywhere(user, user.id)
    assert signin.pending(org.id, user.id, user.session_epoch - 1) is None


def test_complete_and_sign_out_are_audited(user):
    signin.complete(user, "none")
    signin.sign_out(user, sessions.start(user))
    assert _actions(user)[-2:] == ["login.success", "logout"]


def test_a_session_holds_until_it_ends(user, org, app, frozen):
    start = clock.utcnow()
    frozen(start)
    token = sessions.start(user)
    assert sessions.resume(token, org.id) == (user, False)
    assert sessions.resume(token, org.id + 1) == (None, False)  # another organization
    assert sessions.resume(token + "x", org.id) == (None, False)
    idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    frozen(start + idle)
    assert sessions.resume(token, org.id) == (user, False)  # and it was seen again now
    frozen(start + idle * 2 + timedelta(seconds=1))
    assert sessions.resume(token, org.id) == (None, True)
    assert sessions.resume(token, org.id) == (None, False)  # ended for good
    other = sessions.start(user)
    signin.sign_out(user, other)
    assert sessions.resume(other, org.id) == (None, False)
    third = sessions.start(user)
    accounts.sign_out_everywhere(user, user.id)
    assert sessions.resume(third, org.id) == (None, False)


def test_changing_ones_own_password(user, fresh):
    with pytest.raises(accounts.StaffError) as wrong:
        signin.change_password(user, "not my password", "another long passphrase")
    assert set(wrong.value.fields) == {"current"}
    with pytest.raises(accounts.StaffError) as weak:
        signin.change_password(user, PASSWORD, "short")
    assert set(weak.value.fields) == {"new"}
    epoch = user.session_epoch
    signin.change_password(user, PASSWORD, "another long passphrase")
    user = fresh(user)
    assert passwords.verify("another long passphrase", user.password_hash)
    assert user.session_epoch == epoch + 1
    assert _actions(user)[-1] == "password.changed"


def test_accounts_are_found_within_their_organization(user, org):
    assert accounts.get(org.id, user.id) == user
    assert accounts.get(org.id + 1, user.id) is None
    assert accounts.get(org.id, None) is None
    other = accounts.create(org.id, "admin@demo.go.th", "sysadmin", password=PASSWORD)
    assert accounts.listing(org.id) == [user, other]  # by role, then email
    assert accounts.by_id(org.id) == {user.id: user, other.id: other}
