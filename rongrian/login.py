"""Staff sessions in the web layer: the cookie carries only the random id of a server-side
session (casework.staff.sessions), as Flask-Login's user id.

A session names its organization, and a user is loaded only at the deployment that serves that
organization: two organizations may share a database and a SECRET_KEY, and a session from one
opens nothing at the other."""

from __future__ import annotations

from flask import g, session
from flask_login import login_user

from casework.extensions import login_manager
from casework.models import User
from casework.staff import sessions
from rongrian.tenancy import current_org

KEY = "_user_id"  # where Flask-Login keeps the id it loads


def load_user(session_id: str) -> User | None:
    resumed = sessions.resume(session_id, current_org().id)
    g.staff_idle = resumed.idle
    return resumed.user


def begin(user: User) -> None:
    """Sign ``user`` in on this browser: a new server-side session, whose id alone goes into
    the cookie."""
    session_id = sessions.start(user)
    login_user(user)
    session[KEY] = session_id


def session_id() -> str | None:
    """The id of this browser's staff session, if it has one."""
    return session.get(KEY)


def timed_out() -> bool:
    """Whether this request found its session idle for too long (and ended it)."""
    return g.get("staff_idle", False)


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
