"""The app factory. ``surface`` builds the public site, the staff back office, or both, so the
staff routes can run on a separate, non-public host (as SecureDrop separates its two apps)."""

from __future__ import annotations

import logging
import os

from flask import Flask

from casework import accounts, errors, i18n, keys, outbox, security  # noqa: F401 (accounts registers the user loader)
from casework import config as config_module
from casework.config import ROOT
from casework.extensions import babel, csrf, db, limiter, login_manager, migrate

SURFACES = ("all", "public", "staff")


def create_app(config: dict | None = None, surface: str | None = None) -> Flask:
    surface = surface or os.environ.get("RONGRIAN_SURFACE", "all")
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {SURFACES}, not {surface!r}")
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "RONGRIAN_INSTANCE", str(ROOT / "instance")
    )
    app = Flask(
        "casework",
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config_module.DEFAULTS)
    app.config.update(config_module.from_environment(instance_path))
    if config:
        app.config.update(config)
    app.config["RONGRIAN_SURFACE"] = surface
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(i18n.translation_dirs())

    _quiet_logs()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    i18n.compile_catalogs()
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    keys.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    outbox.init_app(app)
    _register(app, surface)
    _commands(app)
    return app


def _register(app: Flask, surface: str) -> None:
    from casework import api, site

    app.register_blueprint(site.bp)
    if surface in ("all", "public"):
        from complaints import bp as complaints_bp
        from complaints.api import bp as complaints_api
        from whistleblow import bp as whistleblow_bp
        from whistleblow.api import bp as tips_api

        app.register_blueprint(complaints_bp)
        app.register_blueprint(whistleblow_bp)
        app.register_blueprint(api.bp)
        app.register_blueprint(complaints_api)
        app.register_blueprint(tips_api)
        csrf.exempt(api.bp)
        csrf.exempt(complaints_api)
        csrf.exempt(tips_api)
    if surface in ("all", "staff"):
        from admin import bp as admin_bp

        app.register_blueprint(admin_bp)


def _commands(app: Flask) -> None:
    from casework import cli

    cli.init_app(app)


def _quiet_logs() -> None:
    """Werkzeug's request log writes URLs and client addresses; we never log who asked what."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
