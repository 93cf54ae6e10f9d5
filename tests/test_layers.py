"""The blueprints hold HTTP and forms only: no surface package reaches the database itself.

import-linter (``make lint``) keeps the packages' imports apart; it cannot see names, so this
test reads the surfaces' source for the database handle: ``db`` imported from
casework.extensions, or any ``.session`` / ``.engine`` of it. Loading, committing and the
session's lifecycle belong to casework (``transaction()``, ``owned()``, ``end_session()``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SURFACES = ("admin", "complaints", "lineoa", "transparency", "whistleblow")


def _reaches_the_database(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "casework.extensions":
            found += [(node.lineno, f"imports {a.name}") for a in node.names if a.name == "db"]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in ("session", "engine")
            and isinstance(node.value, ast.Name)
            and node.value.id == "db"
        ):
            found.append((node.lineno, f"db.{node.attr}"))
    return found


@pytest.mark.parametrize("package", SURFACES)
def test_no_surface_touches_the_database_session(package):
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, what in _reaches_the_database(path.read_text(encoding="utf-8"))
    ]
    assert offences == []


def test_the_check_sees_what_it_looks_for():
    sample = "from casework.extensions import db\nrow = db.session.get(X, 1)\ndb.engine.dispose()\n"
    assert [what for _, what in _reaches_the_database(sample)] == [
        "imports db",
        "db.session",
        "db.engine",
    ]
