"""The one error type for input that cannot be accepted.

``FieldErrors`` carries what the person needs to correct it: ``fields`` maps each field to a
message in their language, ``message`` says it in one line, and ``status`` is the HTTP status an
API answers with (the web shell turns any FieldErrors that reaches it into ``{error, fields}``).
The rules raise a subclass named for what was refused, so a caller can catch just that.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

INVALID = _l("Some fields are not valid.")


class FieldErrors(ValueError):
    status = 400

    def __init__(
        self,
        fields: Mapping[str, object] | None = None,
        message: object | None = None,
        *,
        status: int | None = None,
    ):
        self.fields = {name: str(text) for name, text in (fields or {}).items()}
        self.message = str(message if message is not None else INVALID)
        if status is not None:
            self.status = status
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.fields:
            return self.message
        return "; ".join(f"{name}: {text}" for name, text in self.fields.items())


class IntakeError(FieldErrors):
    """A complaint or a tip that cannot be filed."""


class FollowUpError(FieldErrors):
    """What a citizen or tipster adds to their case (information, a rating, a message) that
    cannot be accepted."""
