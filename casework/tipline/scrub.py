"""Removing what a file says about who made it, before a tip's attachment is stored.

Images (JPEG, PNG) are decoded and re-encoded with Pillow from their pixels alone, so EXIF
(camera serial numbers, owner names, software), GPS, XMP, IPTC, ICC profiles and PNG text
chunks are all dropped; the EXIF orientation is applied to the pixels first so the picture
still stands the right way up.

PDF files are scrubbed in place without a PDF library: the values of ``/Author``,
``/Creator`` and ``/Producer`` (and ``/Title``, ``/Subject``, ``/Keywords``) in the document
information dictionary, and the matching XMP elements, are overwritten with blanks of the
same length, so the byte offsets in the cross-reference table stay valid. When a PDF keeps
objects inside compressed object streams or compressed metadata, those cannot be blanked in
place: the result says so, the tipster was warned before uploading, and the officers see
that the file was not fully scrubbed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image, ImageOps

from casework.cases.attachments import Upload, sniff

_INFO_KEYS = (b"Author", b"Creator", b"Producer", b"Title", b"Subject", b"Keywords")
_XMP_TAGS = (
    b"dc:creator",
    b"dc:title",
    b"dc:description",
    b"xmp:CreatorTool",
    b"pdf:Producer",
    b"pdf:Author",
    b"pdf:Keywords",
)


@dataclass
class Scrubbed:
    upload: Upload
    complete: bool  # False: some metadata may remain (the tipster was warned)


def scrub(upload: Upload) -> Scrubbed:
    """A copy of ``upload`` without identifying metadata (see the module docstring)."""
    kind = sniff(upload.data)
    if kind in ("image/jpeg", "image/png"):
        return Scrubbed(Upload(upload.filename, reencode_image(upload.data, kind)), True)
    if kind == "application/pdf":
        data, complete = scrub_pdf(upload.data)
        return Scrubbed(Upload(upload.filename, data), complete)
    return Scrubbed(upload, False)


def reencode_image(data: bytes, kind: str) -> bytes:
    """Re-encode from pixels only: no EXIF, GPS, XMP, ICC or text chunks survive."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        if kind == "image/jpeg":
            image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        clean = Image.new(image.mode, image.size)
        if image.mode == "P":
            clean.putpalette(image.getpalette() or [])
        clean.paste(image)
        out = io.BytesIO()
        if kind == "image/jpeg":
            clean.save(out, "JPEG", quality=90, optimize=True)
        else:
            clean.save(out, "PNG", optimize=True)
    return out.getvalue()


def scrub_pdf(data: bytes) -> tuple[bytes, bool]:
    """Blank author/creator metadata in place; the flag is False when some may remain."""
    buf = bytearray(data)
    for key in _INFO_KEYS:
        for match in re.finditer(rb"/" + key + rb"\s*(?=[(<])", buf):
            _blank_string(buf, match.end())
    for tag in _XMP_TAGS:
        pattern = rb"<" + tag + rb"(\s[^>]*)?>(.*?)</" + tag + rb">"
        for match in re.finditer(pattern, buf, flags=re.DOTALL):
            _blank_xml(buf, match.start(2), match.end(2))
        for match in re.finditer(rb"\b" + tag + rb'="([^"]*)"', buf):
            buf[match.start(1) : match.end(1)] = b" " * (match.end(1) - match.start(1))
    complete = b"/ObjStm" not in buf and not _compressed_metadata(bytes(buf))
    return bytes(buf), complete


def _blank_string(buf: bytearray, start: int) -> None:
    """Overwrite the PDF string object starting at ``start`` (literal or hex) with blanks."""
    if buf[start : start + 1] == b"<":
        end = buf.find(b">", start)
        if end > start:
            buf[start + 1 : end] = b"0" * (end - start - 1) if end - start - 1 else b""
        return
    depth, i = 0, start
    while i < len(buf):
        ch = buf[i]
        if ch == 0x5C:  # backslash escapes the next byte
            buf[i : i + 2] = b"  "[: len(buf[i : i + 2])]
            i += 2
            continue
        if ch == 0x28:  # (
            depth += 1
            if depth > 1:
                buf[i] = 0x20
        elif ch == 0x29:  # )
            depth -= 1
            if depth == 0:
                return
            buf[i] = 0x20
        elif depth >= 1:
            buf[i] = 0x20
        i += 1


def _blank_xml(buf: bytearray, start: int, end: int) -> None:
    """Blank the text of XMP elements, keeping nested tags (rdf:Seq, rdf:li) intact."""
    inside_tag = False
    for i in range(start, end):
        ch = buf[i]
        if ch == 0x3C:
            inside_tag = True
        elif ch == 0x3E:
            inside_tag = False
        elif not inside_tag and ch not in b" \t\r\n":
            buf[i] = 0x20


def _compressed_metadata(data: bytes) -> bool:
    """True when an XMP metadata stream is compressed, so its text could not be blanked."""
    for match in re.finditer(rb"/Type\s*/Metadata", data):
        head = data[max(0, match.start() - 200) : match.end() + 200]
        if b"/Filter" in head:
            return True
    return False
