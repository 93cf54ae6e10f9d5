"""Account rules live in casework.staff.accounts, whichever page or command calls them."""

import pytest

from casework.staff import accounts


def test_an_administrator_cannot_remove_their_own_access(ctx, org):
    with ctx.test_request_context():
        _check_self_lockout(org)


def _check_self_lockout(org):
    admin = accounts.create(
        org.id, "admin@demo.go.th", "sysadmin", password="a long enough passphrase"
    )
    for changes in ({"role": "officer", "active": True}, {"role": "sysadmin", "active": False}):
        with pytest.raises(accounts.StaffError) as raised:
            accounts.update(
                admin,
                email=admin.email,
                name="",
                department_id=None,
                password="",
                actor_id=admin.id,
                **changes,
            )
        assert "role" in raised.value.fields
    other = accounts.create(
        org.id, "second@demo.go.th", "sysadmin", password="a long enough passphrase"
    )
    accounts.update(
        admin,
        email=admin.email,
        name="",
        role="executive",
        department_id=None,
        active=True,
        password="",
        actor_id=other.id,
    )
    assert admin.role == "executive"
