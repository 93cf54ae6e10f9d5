"""Staff sessions: Flask-Login loads a user only while their session epoch matches, so
"log out everywhere" (bumping the epoch) ends every open session at once."""

from __future__ import annotations

from casework.extensions import db, login_manager
from casework.models import User


def load_user(user_id: str) -> User | None:
    try:
        uid, epoch = (int(part) for part in user_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
