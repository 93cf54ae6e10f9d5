"""Signing in and out: password (Argon2id), then a TOTP code; throttling and temporary locks.

Unknown email, wrong password and a locked account all get the same answer, so the login page
cannot be used to find out who has an account. Flask-Limiter limits attempts per client address
and per account; after LOGIN_MAX_FAILURES wrong passwords or codes the account is locked for
LOGIN_LOCK_MINUTES.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlparse

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.forms import CodeForm, LoginForm, PasswordChangeForm
from admin.guard import end_session
from casework.dates import clock
from casework.extensions import limiter
from casework.models import User
from casework.staff import accounts, roles, signin, totp
from rongrian import login as staff_login
from rongrian.formkit import attach_errors
from rongrian.tenancy import current_org

PENDING = "staff_pending"  # "user_id:epoch:started" between the password and the code
PENDING_SECONDS = 300


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    """Per-account attempts, whatever the client: keyed by an HMAC of the email, so the
    limiter's storage holds no email address (a plain hash of one is easy to reverse)."""
    email = (request.form.get("email") or "").strip().lower()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return "login-account:" + hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:32]


def _pending_key() -> str:
    return "login-account:" + str(session.get(PENDING, "")).split(":", 1)[0]


def _safe_next(target: str | None) -> str:
    if not target:
        return url_for("admin.index")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/admin") or "//" in target:
        return url_for("admin.index")
    return target


def _failed_message() -> str:
    return _(
        "The email or password is not correct, or the account is locked for a while after "
        "too many attempts."
    )


def _pending_user() -> User | None:
    raw = session.get(PENDING)
    if not raw:
        return None
    try:
        uid, epoch, started = raw.split(":")
        uid, epoch, started = int(uid), int(epoch), float(started)
    except ValueError:
        return None
    if clock.utcnow().timestamp() - started > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return signin.pending(current_org().id, uid, epoch)


def _finish(user: User):
    """The account is signed in (and audited): start a fresh session for it."""
    target = session.get("staff_next")
    end_session()
    session.clear()  # a fresh session after signing in (no fixation)
    staff_login.begin(user)
    return redirect(_safe_next(target))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm()
    error = None
    if request.method == "GET":
        session["staff_next"] = _safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = signin.check_password(current_org().id, form.email.data, form.password.data)
        if user is None:
            error = _failed_message()
        else:
            session[PENDING] = f"{user.id}:{user.session_epoch}:{clock.utcnow().timestamp()}"
            if signin.needs_code(user):
                return redirect(url_for("admin.login_totp"))
            if current_app.config["STAFF_REQUIRE_TOTP"]:
                return redirect(url_for("admin.enrol_totp"))
            signin.complete(user, "none")
            return _finish(user)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/login.html", form=form, error=error), status


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_pending_key)
def login_totp():
    user = _pending_user()
    if user is None or not signin.needs_code(user):
        return redirect(url_for("admin.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        if signin.check_code(user, form.code.data):
            session.pop(PENDING, None)
            return _finish(user)
        error = _("That code is not correct. Wait for a new code and try again.")
    status = 400 if request.method == "POST" else 200
    return render_template("admin/login_code.html", form=form, error=error), status


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def enrol_totp():
    """First sign-in: set up the authenticator app, then sign in with its first code."""
    user = _pending_user()
    if user is None or signin.needs_code(user):
        return redirect(url_for("admin.login"))
    secret = signin.enrolment_secret(user)
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        if signin.enrol(user, form.code.data):
            session.pop(PENDING, None)
            return _finish(user)
        error = _("That code is not correct. Check the time on your phone and try again.")
    uri = totp.provisioning_uri(secret, user.email, current_org().name_en or totp.ISSUER)
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "admin/enrol.html",
            form=form,
            error=error,
            qr=totp.qr_data_uri(uri),
            secret_text=totp.secret_text(secret),
        ),
        status,
    )


def _me() -> User:
    return accounts.get(current_user.organization_id, current_user.id)


@bp.post("/logout")
def logout():
    signin.sign_out(_me(), staff_login.session_id())
    end_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("admin.login"))


@bp.post("/logout/everywhere")
def logout_everywhere():
    """End this user's sessions on every device (their session epoch moves on)."""
    accounts.sign_out_everywhere(_me(), current_user.id)
    end_session()
    flash(_("You have been signed out on every device."), "success")
    return redirect(url_for("admin.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = _me()
        try:
            signin.change_password(user, form.current.data, form.new.data)
        except accounts.StaffError as error:
            attach_errors(form, error)
        else:
            staff_login.begin(user)  # this device goes on, in a new session
            flash(_("Your password was changed. Other devices were signed out."), "success")
            return redirect(url_for("admin.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/account.html", form=form, roles=roles.ROLES), status
