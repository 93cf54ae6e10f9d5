"""Account rules live in casework.staff, whichever page or command calls them."""

import pytest

from casework import staff


def test_an_administrator_cannot_remove_their_own_access(ctx, org):
    with ctx.test_request_context():
        _check_self_lockout(org)


def _check_self_lockout(org):
    admin = staff.create(
        org.id, "admin@demo.go.th", "sysadmin", password="a long enough passphrase"
    )
    for changes in ({"role": "officer", "active": True}, {"role": "sysadmin", "active": False}):
        with pytest.raises(staff.StaffError) as raised:
            staff.update(
                admin,
                email=admin.email,
                name="",
                department_id=None,
                password="",
                actor_id=admin.id,
                **changes,
            )
        assert "role" in raised.value.fields
    other = staff.create(
        org.id, "second@demo.go.th", "sysadmin", password="a long enough passphrase"
    )
    staff.update(
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
