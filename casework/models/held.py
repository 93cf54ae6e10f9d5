"""Files attached to a web form that came back with an error, kept until the form is sent again.

A person who attached a photo and then forgot a required field should not have to find the
photo again. The form's files wait here, encrypted like attachments, under a keyed tag of a
random token that only the form's hidden field carries (the tip channel sets no cookie): the
database cannot tell which form they belong to without the key file, nor open them without the
keyring. They expire within two hours and go when the form is filed (casework.cases.held).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from casework.extensions import db
from casework.models.base import SHARED_WITH_TIPS, big_pk, org_fk


class HeldUpload(db.Model):
    __tablename__ = "held_uploads"
    __table_args__ = SHARED_WITH_TIPS

    id: Mapped[int] = big_pk()  # random for the tip channel's rows (casework.models.rowids)
    organization_id: Mapped[int] = org_fk()
    channel: Mapped[str] = mapped_column(String(16))  # complaint | tip
    # keyed_tag("heldupload", organization, channel, token): the form's token is never stored.
    form_tag: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    # AES-GCM sealed JSON: the file's name and the SHA-256 of the file as it was chosen.
    meta_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    data_sealed: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    # On the hour, one to two hours ahead: no finer time of a tipster's visit is kept.
    expires_at: Mapped[datetime] = mapped_column(index=True)
