"""Gunicorn entry point: ``gunicorn wsgi:app``.

RONGRIAN_SURFACE=public|staff|all chooses which routes this process serves.
"""

from rongrian import create_app

app = create_app()
