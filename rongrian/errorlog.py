"""A trace of every unexpected error, and nothing of who met it.

Each error gets a random id, shown to the person on the 500 page or in the API's answer and
logged with the route's URL rule (``/admin/tips/<int:case_id>``, never the path with its
values), the method, and the exception's types and stack frames. Exception messages are left
out: ``int("…")`` quotes what was typed, and a failed SQL statement its values. No address,
header, form value, body or code is ever logged.

General errors go to ``rongrian.errors`` (and so to Flask's log, which gunicorn writes).
Errors on the tip channel (``casework.tipline.is_channel_path``) go to ``rongrian.tips``
instead, which passes nothing on: its records are stamped with the Bangkok day only (the
record's own time is replaced), and written to TIP_ERROR_LOG as ``YYYY-MM-DD`` lines, a file
whose modified time is set back to that day too. A log collector reading stderr would stamp
each line with its own time, which would date a tipster's visit; set TIP_ERROR_LOG to ``-``
only where nothing does.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import time
import traceback
from datetime import UTC

from flask import Flask, current_app, has_app_context, request

from casework.dates import clock
from casework.tipline import is_channel_path

LOG = logging.getLogger("rongrian.errors")
TIP_LOG = logging.getLogger("rongrian.tips")


class DayOnly(logging.Filter):
    """Replace a record's time with the start of today's Bangkok date (stored as UTC midnight
    of that date, as the tip tables store days: ``casework.dates.clock.day_only``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        day = clock.day_only(clock.utcnow()).replace(tzinfo=UTC).timestamp()
        record.created, record.msecs, record.relativeCreated = day, 0.0, 0.0
        return True


class DayFile(logging.Handler):
    """Append to the app's TIP_ERROR_LOG (mode 0600; ``-`` is stderr), then set the file's
    times back to the record's day."""

    def __init__(self) -> None:
        super().__init__()
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d")
        formatter.converter = time.gmtime
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        target = current_app.config.get("TIP_ERROR_LOG") if has_app_context() else None
        if not target:
            return
        try:
            line = self.format(record) + "\n"
            if target == "-":
                sys.stderr.write(line)
                return
            os.makedirs(os.path.dirname(target) or ".", mode=0o700, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(line)
            os.utime(target, (record.created, record.created))
        except Exception:  # noqa: BLE001 - logging must never fail the answer
            self.handleError(record)


TIP_LOG.propagate = False
TIP_LOG.setLevel(logging.ERROR)
TIP_LOG.addFilter(DayOnly())
TIP_LOG.addHandler(DayFile())


def _chain(error: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during, oldest first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        suppressed = current.__suppress_context__
        current = current.__cause__ or (None if suppressed else current.__context__)
    return chain[::-1]


def trace(error: BaseException) -> str:
    """Each exception's type and stack (file, line, function, source line): no message."""
    parts = []
    for exc in _chain(error):
        frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        kind = type(exc)
        parts.append(f"{frames}{kind.__module__}.{kind.__qualname__}")
    return "\n".join(parts)


def record(error: BaseException) -> str:
    """Log an unexpected error of the current request; return the id to show the person."""
    error_id = secrets.token_hex(6)
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    logger = TIP_LOG if is_channel_path(request.path) else LOG
    logger.error("error %s on %s %s\n%s", error_id, request.method, rule, trace(error))
    return error_id


def init_app(app: Flask) -> None:
    """Make sure Flask's log has its handler (stderr, which gunicorn writes to its error log)
    before the first error needs it."""
    app.logger  # noqa: B018 - creating it installs Flask's default handler when none is set
