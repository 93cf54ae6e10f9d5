"""Removing what a file says about who made it, before a tip's attachment is stored.

Images (JPEG, PNG) are decoded and re-encoded with Pillow from their pixels alone, so EXIF
(camera serial numbers, owner names, software), GPS, XMP, IPTC, ICC profiles and PNG text
chunks are all dropped; the EXIF orientation is applied to the pixels first so the picture
still stands the right way up (casework.cases.images, shared with the photos citizens send in
LINE). Images are measured and decoded by ``casework.cases.attachments.decoded_image``, which
refuses an image too large to decode or one that does not decode; the tip forms refuse those
before anything is filed.

PDF files are rebuilt with pikepdf (qpdf), which reads the file as a PDF reader does, so names
spelt with escapes (``/Au#74hor`` is ``/Author``) and objects inside compressed object
streams are seen like any other. The copy that is stored has:

* no document information dictionary (author, creator, producer, title, subject, keywords,
  creation and modification dates: all of it goes);
* no XMP metadata stream, on the document or on any page, image or other object;
* no ``/PieceInfo`` (an editing application's private data) and no ``/LastModified``;
* no author (``/T``), modification date (``/M``) or creation date on any annotation (form
  fields keep their ``/T``, which is the field's name); the note's text stays, it is evidence;
* no parameters (dates, checksum) or dates on embedded files, no article-thread information;
* a new file identifier (``/ID``), so the copy cannot be matched against the author's
  original by its identifier; and only the objects the document still uses (earlier revisions
  and orphaned objects are not written).

The result says the file is clean only when that rebuilt copy, read again, holds none of the
above and no embedded file: the content of an embedded file (a spreadsheet inside the PDF, say)
is not vetted. A PDF that cannot be opened (encrypted with a password, or too broken for qpdf)
is stored as it came and marked not clean. In both cases the tipster was warned before
uploading, and the officers see how many files were not fully scrubbed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casework.cases.attachments import IMAGE_TYPES, ImageRefused, Upload, sniff
from casework.cases.images import reencode_image

if TYPE_CHECKING:
    import pikepdf

# Keys that date or name an author wherever they appear (information dictionaries of
# embedded files, threads and editing applications included).
_EVERYWHERE = ("/Metadata", "/PieceInfo", "/LastModified", "/CreationDate", "/ModDate")
_ANNOTATION = ("/T", "/M")


@dataclass
class Scrubbed:
    upload: Upload
    complete: bool  # False: some metadata may remain (the tipster was warned)


def scrub(upload: Upload) -> Scrubbed:
    """A copy of ``upload`` without identifying metadata (see the module docstring). Never
    raises: what cannot be cleaned is returned as it came, marked not complete."""
    kind = sniff(upload.data)
    if kind in IMAGE_TYPES:
        try:
            data = reencode_image(upload.data, kind)
        except ImageRefused:
            return Scrubbed(upload, False)
        return Scrubbed(Upload(upload.filename, data), True)
    if kind == "application/pdf":
        data, complete = scrub_pdf(upload.data)
        return Scrubbed(Upload(upload.filename, data), complete)
    return Scrubbed(upload, False)


def scrub_pdf(data: bytes) -> tuple[bytes, bool]:
    """The PDF rebuilt without metadata, and whether it is clean; the original and False when
    it cannot be opened or rebuilt."""
    import pikepdf  # loaded on the first PDF, not in every worker at boot

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            _strip(pdf)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
        rebuilt = out.getvalue()
        with pikepdf.open(io.BytesIO(rebuilt)) as check:
            complete = not _remaining(check)
    except Exception:  # qpdf raises PasswordError, PdfError and others on what it cannot read
        return data, False
    return rebuilt, complete


def _strip(pdf: pikepdf.Pdf) -> None:
    import pikepdf

    for key in ("/Info", "/ID"):
        if key in pdf.trailer:
            del pdf.trailer[key]
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        for key in _EVERYWHERE:
            if key in obj:
                del obj[key]
        if _is_annotation(obj):
            for key in _ANNOTATION:
                if key in obj:
                    del obj[key]
        if obj.get("/Type") == "/EmbeddedFile" and "/Params" in obj:
            del obj["/Params"]
        if obj.get("/Type") == "/Thread" and "/I" in obj:
            del obj["/I"]
    for page in pdf.pages:  # direct (not indirect) annotations and page dictionaries
        for key in _EVERYWHERE:
            if key in page.obj:
                del page.obj[key]
        for annot in page.obj.get("/Annots", []):
            if _is_annotation(annot):
                for key in (*_ANNOTATION, *_EVERYWHERE):
                    if key in annot:
                        del annot[key]


def _is_annotation(obj) -> bool:
    """An annotation other than a form field's widget (whose /T is the field's name)."""
    import pikepdf

    return (
        isinstance(obj, pikepdf.Dictionary)
        and obj.get("/Subtype") not in (None, "/Widget")
        and (obj.get("/Type") == "/Annot" or "/Rect" in obj)
    )


def _remaining(pdf: pikepdf.Pdf) -> list[str]:
    """What is left that could name or date the author, or could not be vetted."""
    import pikepdf

    found = [key for key in ("/Info",) if key in pdf.trailer]
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        found += [key for key in _EVERYWHERE if key in obj]
        if _is_annotation(obj):
            found += [key for key in _ANNOTATION if key in obj]
        if obj.get("/Type") == "/EmbeddedFile":
            found.append("/EmbeddedFile")
    return found
