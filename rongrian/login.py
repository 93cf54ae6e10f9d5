"""Staff sessions: Flask-Login loads a user only while their session epoch matches, so
"log out everywhere" (bumping the epoch) ends every open session at once.

The session names the user's organization too (``User.get_id``), and a user is loaded only at
the deployment that serves that organization: two organizations may share a database and a
SECRET_KEY, and a session from one opens nothing at the other."""

from __future__ import annotations

from casework.extensions import db, login_manager
from casework.models import User
from rongrian.tenancy import current_org


def belongs_here(user: User) -> bool:
    """Whether ``user`` works for the organization this deployment serves."""
    return user.organization_id == current_org().id


def load_user(user_id: str) -> User | None:
    try:
        uid, epoch, org_id = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    if user.organization_id != org_id or not belongs_here(user):
        return None
    return user


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
