"""The app factory. ``surface`` builds the public site, the staff back office, or both, so the
staff routes can run on a separate, non-public host (as SecureDrop separates its two apps)."""

from __future__ import annotations

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from casework import readonly
from casework.cases.values import MAX_ID
from casework.crypto import keys
from casework.extensions import babel, csrf, db, limiter
from casework.notify import outbox
from rongrian import config as config_module
from rongrian import errors, i18n, instance, login, maps, security
from rongrian.config import ROOT

SURFACES = ("all", "public", "staff")


def create_app(config: dict | None = None, surface: str | None = None) -> Flask:
    surface = surface or os.environ.get("RONGRIAN_SURFACE", "all")
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {SURFACES}, not {surface!r}")
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "RONGRIAN_INSTANCE", str(ROOT / "instance")
    )
    instance.private_directory(instance_path)  # before anything is written in it
    app = Flask(
        "rongrian",
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config_module.DEFAULTS)
    app.config.update(config_module.from_environment(instance_path))
    if config:
        app.config.update(config)
    app.config["RONGRIAN_SURFACE"] = surface
    instance.secure_files(app)
    app.url_map.converters["int"] = RowId
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(i18n.translation_dirs())

    _quiet_logs()
    _trust_proxies(app)
    db.init_app(app)
    readonly.init_app(app)  # after db: reads end with COMMIT, keeping prepared statements
    app.config["MIGRATIONS_DIRECTORY"] = str(ROOT / "migrations")  # see rongrian.cli.LazyDb
    i18n.compile_catalogs()
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login.init_app(app)
    keys.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    maps.init_app(app)
    errors.init_app(app)
    outbox.init_app(app)
    _register(app, surface)
    return app


class RowId(IntegerConverter):
    """``<int:…>`` in every route: a row id, at most MAX_ID, so /admin/cases/999…9 is a 404
    rather than a number the database cannot take (a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _register(app: Flask, surface: str) -> None:
    """The site shell and the API's shared routes always; each surface package registers its
    own blueprints (when this surface serves them) and its own commands (always)."""
    import admin
    import complaints
    import lineoa
    import transparency
    import whistleblow
    from rongrian import api, cli, site

    public, staff = surface in ("all", "public"), surface in ("all", "staff")
    app.register_blueprint(site.bp)
    if public:
        app.register_blueprint(api.bp)
        csrf.exempt(api.bp)
    complaints.init_app(app, routes=public)
    whistleblow.init_app(app, routes=public)
    transparency.init_app(app, routes=public)
    admin.init_app(app, routes=staff)
    lineoa.init_app(app, routes=public)
    cli.init_app(app)


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies (nginx: 1), believe that many X-Forwarded-For
    entries (from the right) for the client's address, which the rate limits count, and
    X-Forwarded-Proto for the scheme (HSTS and secure cookies follow it). Host is the proxy's
    to pass on (``proxy_set_header Host $host``), so X-Forwarded-Host is not trusted."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _quiet_logs() -> None:
    """Werkzeug's request log writes URLs and client addresses; we never log who asked what."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
