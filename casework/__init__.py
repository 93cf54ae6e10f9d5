"""Shared core of Rongrian: app factory, models, case lifecycle, SLA clock, codes and crypto.

Blueprints (complaints/, whistleblow/, admin/, lineoa/, transparency/) hold HTTP and forms only;
the rules they apply live here, once.
"""

from casework.app import create_app

__all__ = ["create_app"]
