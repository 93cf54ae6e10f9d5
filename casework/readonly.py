"""A request that only read ends its transaction with COMMIT, so PostgreSQL keeps its plans.

psycopg prepares a statement on the server once it has run it five times on a connection, and
then sends only its parameters: PostgreSQL neither parses nor plans it again. But psycopg forgets
every prepared statement when a transaction is rolled back (``psycopg._preparing``: "it should
happen on rollback"), and Flask-SQLAlchemy ends every request by closing the session, which
rolls back whatever is still open. A tracking lookup or ``/stats`` never commits, so its queries
were parsed and planned afresh on every request: the status page's one query cost PostgreSQL
0.84 ms of CPU so, 0.09 ms prepared (``bench/rules.py`` measures what it costs a request).

So, before the session is closed at the end of a request, a transaction that ran nothing but
``SELECT`` and holds no pending change commits instead: the same end for a transaction that
changed nothing. Anything else (a statement that is not a plain ``SELECT``, one that locks rows
(``FOR UPDATE``, ``FOR SHARE``) or makes a table (``INTO``), a pending or flushed change, an
error) is left to the rollback as before: a request that failed half way still
loses nothing and keeps nothing.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from casework.extensions import commit_keeping_state, db

_WROTE = "rongrian_wrote"
# A SELECT that locks rows or makes a table is not a plain read: such a transaction rolls back.
_NOT_PLAIN = re.compile(
    r"\s(FOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)|FOR\s+KEY\s+SHARE|INTO)(\s|$)", re.I
)


@event.listens_for(Engine, "begin")
def _begun(connection) -> None:
    connection.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _executing(connection, cursor, statement, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].upper() != "SELECT" or _NOT_PLAIN.search(statement):
        connection.info[_WROTE] = True


def only_read(session) -> bool:
    """Whether the session's open transaction ran nothing but plain ``SELECT`` statements and
    holds no change: committing it or rolling it back comes to the same."""
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return False
    if session.new or session.dirty or session.deleted:
        return False
    connections = {id(entry[0]): entry[0] for entry in transaction._connections.values()}
    return bool(connections) and all(c.info.get(_WROTE) is False for c in connections.values())


def _end(error: BaseException | None) -> None:
    if error is not None:
        return
    session = db.session()
    try:
        if only_read(session):
            commit_keeping_state()  # as closing does, it leaves what was read unexpired
    except Exception:  # noqa: BLE001 - the session's close rolls back, as before
        session.rollback()


def init_app(app: Flask) -> None:
    """Call after ``db.init_app``: Flask runs the last teardown registered first, so this
    commits before Flask-SQLAlchemy closes the session."""
    app.teardown_appcontext(_end)
