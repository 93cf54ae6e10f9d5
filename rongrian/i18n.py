"""Thai first, English alongside: locale choice, catalogs, and date filters for templates.

Each package keeps its own catalog in ``<package>/translations``; Flask-Babel merges them.
Message ids are English; the Thai catalog is the default UI.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from werkzeug.exceptions import HTTPException

from casework.cases import attachments, events, identity, lifecycle
from casework.dates import thaidate
from casework.tipline import is_public_path
from rongrian.config import ROOT

LOCALES = ("th", "en")
COOKIE = "lang"
# Template folders that are not named after their package: the citizens' and officers' emails
# are rendered by casework.notify, so its catalog holds their messages.
TEMPLATE_FOLDERS = {"email": "casework"}
PACKAGES = ("rongrian", "casework", "complaints", "whistleblow", "admin", "lineoa", "transparency")


def translation_dirs() -> list[str]:
    return [
        str(ROOT / p / "translations") for p in PACKAGES if (ROOT / p / "translations").is_dir()
    ]


def compile_catalogs() -> list[Path]:
    """Compile every .po that is newer than its .mo; returns the files written."""
    written = []
    for directory in translation_dirs():
        for po in Path(directory).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            with po.open("rb") as fh:
                catalog = read_po(fh)
            with mo.open("wb") as fh:
                write_mo(fh, catalog)
            written.append(mo)
    return written


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SWITCH = "switch_language"  # a POST field: show this response in that language (and keep it)


def switched() -> str | None:
    """The language a page reached by a POST was re-posted in to switch (see base.html)."""
    if request.method != "POST" or request.mimetype not in FORM_TYPES:
        return None
    try:
        chosen = request.form.get(SWITCH, "")
    except HTTPException:  # a body too large: the view answers for it, in the usual language
        return None
    return chosen if chosen in LOCALES else None


CARRIED = "lang"  # on the tip pages: the language travels with each request (they set no cookie)


def carried() -> str | None:
    """The language a tip page's request carries (``?lang=en``, or a form's ``lang`` field).
    Only the tip channel honours it: a language is no identifier, and there is no cookie there
    to hold it. Elsewhere the choice is kept in the ``lang`` cookie."""
    if not is_public_path(request.path):
        return None
    chosen = request.args.get(CARRIED, "")
    if not chosen and request.method == "POST" and request.mimetype in FORM_TYPES:
        try:
            chosen = request.form.get(CARRIED, "")
        except HTTPException:
            return None
    return chosen if chosen in LOCALES else None


def select_locale() -> str:
    chosen = switched() or carried() or request.cookies.get(COOKIE, "")
    return chosen if chosen in LOCALES else "th"


def carry_language(endpoint: str, values: dict) -> None:
    """URL defaults of the tip pages: once a language was chosen there, their links and forms
    carry it (``?lang=en``), since no cookie may hold it."""
    if (switched() or carried()) and CARRIED not in values:
        values[CARRIED] = current_locale()


def switch_href(code: str) -> str:
    """Where a GET page's language link goes. The tip pages set no cookie: their link is the
    same page (or the nearest one that answers a GET) carrying the language. Elsewhere it is
    ``/lang/<code>``, which keeps it in a cookie and comes back."""
    from flask import url_for

    from rongrian.site import answers_get

    if is_public_path(request.path):
        return f"{answers_get(request.path)}?{CARRIED}={code}"
    return url_for("site.set_language", code=code, next=request.path)


def keep(response, code: str):
    """Remember ``code`` as the visitor's language (a year-long cookie that holds only it)."""
    if code in LOCALES:
        response.set_cookie(
            COOKIE,
            code,
            max_age=365 * 86400,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def remember_switch(response):
    """Keep a language switched by a POST, except on the tip pages, which set no cookie."""
    chosen = switched()
    if chosen and not is_public_path(request.path):
        keep(response, chosen)
    return response


def current_locale() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale)[:2] if locale else "th"


def localized(obj, attr: str = "name") -> str:
    """``obj.name_th`` or ``obj.name_en`` for the current locale (Thai when English is empty)."""
    if obj is None:
        return ""
    if current_locale() == "en":
        return getattr(obj, f"{attr}_en", "") or getattr(obj, f"{attr}_th", "")
    return getattr(obj, f"{attr}_th", "")


def init_app(app: Flask) -> None:
    app.after_request(remember_switch)
    app.jinja_env.filters["be_date"] = lambda d, style="long": (
        thaidate.format_date(d, current_locale(), style) if d else ""
    )
    app.jinja_env.filters["be_datetime"] = lambda d: (
        thaidate.format_datetime(d, current_locale()) if d else ""
    )
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["person_titles"] = identity.TITLES
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["has_endpoint"] = _has_endpoint
    app.jinja_env.globals["switch_href"] = switch_href
    app.jinja_env.globals["is_tip_page"] = lambda: is_public_path(request.path)
    app.jinja_env.globals["status_label"] = lifecycle.status_label
    app.jinja_env.globals["outcome_label"] = lifecycle.outcome_label
    app.jinja_env.globals["staff_event_label"] = events.staff_label
    app.jinja_env.globals["public_event_label"] = events.public_label
    app.jinja_env.globals["describe_file"] = attachments.describe


def _has_endpoint(name: str) -> bool:
    from flask import current_app

    return name in current_app.view_functions
