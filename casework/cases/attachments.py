"""Attachments: type checked by content (not by name), size-limited, encrypted at rest."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from casework.cases import timeline
from casework.crypto import fields, keys
from casework.extensions import db
from casework.models import Attachment, Case

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024

_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


@dataclass
class Upload:
    filename: str
    data: bytes


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
            return str(_l("%(name)s is larger than 10 MB.", name=_safe_name(upload.filename)))
        if not upload.data:
            return str(_l("%(name)s is empty.", name=_safe_name(upload.filename)))
        if sniff(upload.data) is None:
            return str(
                _l(
                    "%(name)s is not a JPEG, PNG or PDF file.",
                    name=_safe_name(upload.filename),
                )
            )
    return None


def _safe_name(name: str) -> str:
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
                ring, _safe_name(upload.filename), _aad(case, "name")
            ),
            data_sealed=fields.encrypt(ring, upload.data, _aad(case, "data")),
            uploaded_at=timeline.stamp(case),  # day only for tips
            uploaded_by=uploaded_by,
        )
        db.session.add(row)
        rows.append(row)
    return rows


def filename(att: Attachment, case: Case) -> str:
    return fields.decrypt_text(keys.keyring(), att.filename_sealed, _aad(case, "name"))


def content(att: Attachment, case: Case) -> bytes:
    return fields.decrypt(keys.keyring(), att.data_sealed, _aad(case, "data"))
