"""Attachments: type checked by content (not by name), size-limited, encrypted at rest.

An image must also decode. Its size in pixels is read from the header first (Pillow opens
lazily) and an image over ``MAX_IMAGE_PIXELS`` (40 megapixels unless configured) is refused
before a single pixel is decoded: a 500 KB PNG can claim 12000 × 12000 pixels and take
gigabytes to decode. Then the image is decoded once, so a truncated JPEG, or the JPEG magic
bytes followed by junk, is refused with a message for the attachments field instead of
failing later (when a tip's photo is re-encoded, or when staff open it).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy.exc import OperationalError

from casework.cases import timeline
from casework.cases.errors import IntakeError
from casework.crypto import fields, keys
from casework.extensions import db, storage_full
from casework.models import Attachment, Case

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}

_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
# Who added a file (``Attachment.uploaded_by``), as the back office reads it, per channel.
UPLOADERS = {
    ("complaint", "citizen"): _l("sent by the complainant"),
    ("tip", "citizen"): _l("sent by the tipster"),
    ("complaint", "staff"): _l("added by an officer"),
    ("tip", "staff"): _l("added by an officer"),
}


def describe(attachment: Attachment, channel: str = "complaint") -> str:
    """The back office's note beside a file: its format, its size and who added it."""
    kind = {**IMAGE_TYPES, "application/pdf": "PDF"}.get(attachment.content_type, "")
    size = f"{max(1, round((attachment.size or 0) / 1024)):,} KB"
    who = UPLOADERS.get((channel, attachment.uploaded_by), "")
    return ", ".join(str(part) for part in (kind, size, who) if part)


@dataclass
class Upload:
    filename: str
    data: bytes
    # The SHA-256 of the file as the person chose it, when ``data`` is a copy made since (a
    # tip's file kept across a form error is kept scrubbed): what a tip's proof covers.
    sha256: str | None = None

    def chosen_sha256(self) -> str:
        return self.sha256 or hashlib.sha256(self.data).hexdigest()


def sniff(data: bytes) -> str | None:
    """The content type by magic number: JPEG, PNG or PDF, else None."""
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def from_file_storage(files) -> list[Upload]:
    """Read werkzeug FileStorage objects (empty file inputs are skipped); at most a byte over
    the limit is read from each so an oversize file is still recognised as oversize."""
    uploads = []
    for storage in files:
        if storage is None or not storage.filename:
            continue
        uploads.append(Upload(storage.filename, storage.stream.read(MAX_BYTES + 1)))
    return uploads


def problems(uploads: list[Upload]) -> str | None:
    """A message for the attachments field, or None when all files are acceptable."""
    if len(uploads) > MAX_FILES:
        return str(_l("Attach at most %(n)d files.", n=MAX_FILES))
    for upload in uploads:
        if len(upload.data) > MAX_BYTES:
            return str(_l("%(name)s is larger than 10 MB.", name=safe_name(upload.filename)))
        if not upload.data:
            return str(_l("%(name)s is empty.", name=safe_name(upload.filename)))
        kind = sniff(upload.data)
        if kind is None:
            return str(
                _l(
                    "%(name)s is not a JPEG, PNG or PDF file.",
                    name=safe_name(upload.filename),
                )
            )
        if kind in IMAGE_TYPES:
            try:
                with decoded_image(upload.data, kind):
                    pass
            except ImageRefused as refused:
                return refused.message(upload.filename)
    return None


class ImageRefused(ValueError):
    """An image that is too large to decode, or that does not decode."""

    def __init__(self, too_large: bool):
        super().__init__("image too large" if too_large else "image does not decode")
        self.too_large = too_large

    def message(self, filename: str) -> str:
        name = safe_name(filename)
        if self.too_large:
            return str(
                _l(
                    "%(name)s has too many pixels (at most %(n)d megapixels).",
                    name=name,
                    n=max_pixels() // 1_000_000,
                )
            )
        return str(_l("%(name)s could not be read as a picture: it may be damaged.", name=name))


def max_pixels() -> int:
    if has_app_context():
        return int(current_app.config.get("MAX_IMAGE_PIXELS") or DEFAULT_MAX_PIXELS)
    return DEFAULT_MAX_PIXELS


@contextmanager
def decoded_image(
    data: bytes, kind: str, *, at_most: tuple[int, int] | None = None
) -> Iterator[Image.Image]:
    """The decoded image, or ImageRefused. The size comes from the header first, and only an
    image within ``max_pixels()`` is decoded: Pillow's own bomb check (a warning at 89
    megapixels, an error at twice that) never decides, and never becomes a 500. ``at_most``
    lets a JPEG decode at a reduced scale no smaller than that size (a preview)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[IMAGE_TYPES[kind]])
    except Image.DecompressionBombError:
        raise ImageRefused(too_large=True) from None
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError…)
        raise ImageRefused(too_large=False) from None
    with image:
        width, height = image.size
        if width * height > max_pixels():
            raise ImageRefused(too_large=True)
        if at_most and kind == "image/jpeg":
            image.draft("RGB", at_most)
        try:
            image.load()
        except Exception:  # truncated or corrupt data
            raise ImageRefused(too_large=False) from None
        yield image


def safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base[:120] or "file"


def _aad(case: Case, what: str) -> bytes:
    return f"attachment-{what}:{case.organization_id}:{case.id}".encode()


def store(case: Case, uploads: list[Upload], *, uploaded_by: str, message_id=None) -> list:
    """Encrypt and add the files to the session (the caller commits)."""
    ring = keys.keyring()
    rows = []
    for upload in uploads:
        row = Attachment(
            organization_id=case.organization_id,
            case_id=case.id,
            message_id=message_id,
            content_type=sniff(upload.data) or "application/octet-stream",
            size=len(upload.data),
            filename_sealed=fields.encrypt_text(
                ring, safe_name(upload.filename), _aad(case, "name")
            ),
            data_sealed=fields.encrypt(ring, upload.data, _aad(case, "data")),
            uploaded_at=timeline.stamp(case),  # day only for tips
            uploaded_by=uploaded_by,
        )
        db.session.add(row)
        rows.append(row)
    return rows


NO_ROOM = _l(
    "The files could not be saved because the system's storage is full. Nothing was filed; "
    "please try again later, or send without the files."
)


@contextmanager
def room_for(uploads: list[Upload]) -> Iterator[None]:
    """Around filing a case with files (which rolls back on error): a database that has no
    room left to write them is refused beside the attachments field, with a 503, instead of
    failing the whole request. Nothing of the case is left: its transaction was rolled back."""
    try:
        yield
    except OperationalError as error:
        if uploads and storage_full(error):
            raise IntakeError({"attachments": NO_ROOM}, NO_ROOM, status=503) from None
        raise


def filename(att: Attachment, case: Case) -> str:
    return fields.decrypt_text(keys.keyring(), att.filename_sealed, _aad(case, "name"))


def content(att: Attachment, case: Case) -> bytes:
    return fields.decrypt(keys.keyring(), att.data_sealed, _aad(case, "data"))
