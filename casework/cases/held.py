"""Files that survive a form error: a web form's attachments kept until it is sent again.

When a complaint or tip form comes back with something to correct, the files it carried are
kept here (``keep``) and the page lists them as attached. The form carries a random token in a
hidden field, not a cookie (the tip pages set none); only a keyed tag of it is stored
(``casework.crypto.blindindex.keyed_tag``), and each file is encrypted with the attachments'
construction (``casework.crypto.fields``), its associated data naming the organization, the
channel and the form. A tip's files are kept as the tip channel files them: scrubbed first (the
caller passes ``prepare``).

When the form is sent again, ``gather`` drops the files the person ticked to remove and gives
back the rest, to be filed with the new ones through the usual filing path; that path deletes
them (``discard``) in the transaction that files the case. Files expire on the hour, one to two
hours after they were kept (no finer time of the visit is written), and the daily sweep or the
next ``keep`` deletes what expired. A file that cannot be kept (not a JPEG, PNG or PDF, too
large, damaged, one too many) is named with the reason beside the field.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError

from casework.cases import attachments
from casework.cases.attachments import Upload
from casework.crypto import fields, keys, rotation
from casework.crypto.blindindex import keyed_tag
from casework.dates import clock
from casework.extensions import db, storage_full, transaction
from casework.models import HeldUpload, Organization

CHANNELS = ("complaint", "tip")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
LIFETIME = timedelta(hours=1)


@dataclass
class HeldFile:
    """A kept file as the form lists it."""

    id: int
    filename: str
    size: int
    content_type: str


@dataclass
class Kept:
    """What a form's page shows: its token, the files kept for it, and why others were not."""

    token: str | None = None
    files: list[HeldFile] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass
class Gathered:
    """The kept files of a form sent again, and how many it listed that have expired since."""

    uploads: list[Upload] = field(default_factory=list)
    expired: int = 0


def new_token() -> str:
    return secrets.token_urlsafe(32)


def usable(token: object) -> bool:
    return isinstance(token, str) and TOKEN.match(token) is not None


def expiry(now: datetime) -> datetime:
    """The top of the hour after ``now + LIFETIME``: one to two hours ahead, on the hour."""
    return (now + LIFETIME).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def _tag(org_id: int, channel: str, token: str) -> str:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return keyed_tag(keys.keyring(), "heldupload", org_id, channel, token)


def aad(row: HeldUpload, what: str) -> bytes:
    return f"held-{what}:{row.organization_id}:{row.channel}:{row.form_tag}".encode()


def _rows(org_id: int, channel: str, token: str | None) -> list[HeldUpload]:
    if not usable(token):
        return []
    return list(
        db.session.scalars(
            select(HeldUpload)
            .where(
                HeldUpload.organization_id == org_id,
                HeldUpload.form_tag == _tag(org_id, channel, token),
                HeldUpload.expires_at > clock.utcnow(),
            )
            .order_by(HeldUpload.expires_at, HeldUpload.id)
        )
    )


def _meta(row: HeldUpload) -> dict:
    return fields.decrypt_json(keys.keyring(), row.meta_sealed, aad(row, "meta"))


def listed(org: Organization, channel: str, token: str | None) -> list[HeldFile]:
    """The files kept for this form (names decrypted), oldest first."""
    return [
        HeldFile(row.id, _meta(row)["name"], row.size, row.content_type)
        for row in _rows(org.id, channel, token)
    ]


def _ids(values: Iterable[object]) -> set[int]:
    found = set()
    for value in values:
        try:
            found.add(int(str(value)))
        except ValueError:
            continue
    return found


def gather(
    org: Organization,
    channel: str,
    token: str | None,
    *,
    shown: Iterable[object] = (),
    remove: Iterable[object] = (),
) -> Gathered:
    """The files kept for a form that is sent again, decrypted, minus those the person ticked
    to remove (deleted now). ``shown`` are the ids the form listed: those neither found nor
    removed have expired, and the caller must say so rather than file without them."""
    removed = _ids(remove)
    # A first sending holds nothing: end no transaction (a commit would expire the objects the
    # request has loaded, the organization among them, and cost a query to load them again).
    if not usable(token):
        return Gathered([], len(_ids(shown) - removed))
    with transaction():
        rows = _rows(org.id, channel, token)
        for row in rows:
            if row.id in removed:
                db.session.delete(row)
        ring = keys.keyring()
        uploads = []
        for row in rows:
            if row.id in removed:
                continue
            meta = _meta(row)
            data = fields.decrypt(ring, row.data_sealed, aad(row, "data"))
            uploads.append(Upload(meta["name"], data, sha256=meta.get("sha256")))
        found = {row.id for row in rows}
    return Gathered(uploads, len(_ids(shown) - found - removed))


def keep(
    org: Organization,
    channel: str,
    token: str | None,
    chosen: list[Upload],
    *,
    prepare: Callable[[Upload], Upload] | None = None,
) -> Kept:
    """Keep the files just chosen on a form that came back with an error, as far as they can
    be kept, and list all the form's files. ``prepare`` makes the copy that is kept (the tip
    channel removes metadata); the SHA-256 of the file as chosen is kept with it."""
    token = token if usable(token) else new_token()
    now = clock.utcnow()
    refused: list[str] = []
    try:
        with transaction():
            db.session.execute(delete(HeldUpload).where(HeldUpload.expires_at <= now))
            room = attachments.MAX_FILES - len(_rows(org.id, channel, token))
            ring = keys.keyring()
            tag = _tag(org.id, channel, token)
            for upload in chosen:
                problem = attachments.problems([upload])
                if problem is None and room <= 0:
                    problem = str(
                        _l(
                            "%(name)s: a form takes at most %(n)d files.",
                            name=attachments.safe_name(upload.filename),
                            n=attachments.MAX_FILES,
                        )
                    )
                if problem is not None:
                    refused.append(problem)
                    continue
                kept = prepare(upload) if prepare else upload
                row = HeldUpload(
                    organization_id=org.id,
                    channel=channel,
                    form_tag=tag,
                    content_type=attachments.sniff(kept.data) or "application/octet-stream",
                    size=len(kept.data),
                    expires_at=expiry(now),
                )
                meta = {
                    "name": attachments.safe_name(upload.filename),
                    "sha256": upload.chosen_sha256(),
                }
                row.meta_sealed = fields.encrypt_json(ring, meta, aad(row, "meta"))
                row.data_sealed = fields.encrypt(ring, kept.data, aad(row, "data"))
                db.session.add(row)
                room -= 1
    except OperationalError as error:  # the disk is full: nothing can be kept
        if not storage_full(error):
            raise
        return Kept(token, [], [str(attachments.NO_ROOM)])
    return Kept(token, listed(org, channel, token), refused)


def discard(org: Organization, channel: str, token: str | None) -> None:
    """Delete the form's kept files in the caller's transaction (they were just filed)."""
    if usable(token):
        db.session.execute(
            delete(HeldUpload).where(
                HeldUpload.organization_id == org.id,
                HeldUpload.form_tag == _tag(org.id, channel, token),
            )
        )


def forget(org: Organization, channel: str, token: str | None) -> None:
    """Delete the form's kept files now: what was begun on this form is not to be kept (a
    corruption report begun on the general intake form). Commits."""
    with transaction():
        discard(org, channel, token)


def purge_expired() -> int:
    """Delete every organization's expired files (the daily sweep)."""
    with transaction():
        result = db.session.execute(
            delete(HeldUpload).where(HeldUpload.expires_at <= clock.utcnow())
        )
    return result.rowcount or 0


def _register_rotation() -> None:
    """The kept files join the key-rotation registry (casework.crypto.rotation), so a key they
    still use is re-encrypted away from, never retired under them."""
    known = {(entry.model, entry.column) for entry in rotation.REGISTRY}
    for column, what in (("meta_sealed", "meta"), ("data_sealed", "data")):
        if (HeldUpload, column) not in known:
            rotation.register(HeldUpload, column, lambda row, what=what: aad(row, what))


_register_rotation()
