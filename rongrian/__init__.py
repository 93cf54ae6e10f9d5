"""Rongrian's web shell: the app factory, the CLI root, the site shell and the web plumbing
(config, security headers, error handlers, API helpers, OpenAPI, form helpers, rate limits,
tenancy, i18n and login loading). The domain lives in ``casework``; the surfaces
(complaints/, whistleblow/, admin/, lineoa/, transparency/) hold HTTP and forms only."""

from rongrian.app import create_app

__all__ = ["create_app"]
