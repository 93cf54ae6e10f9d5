"""Files lose what identifies their author: EXIF and GPS, PNG text, PDF metadata."""

from __future__ import annotations

import io

from PIL import Image
from tip_helpers import file

from casework.cases.attachments import Upload
from casework.tipline import messages


def test_jpeg_exif_and_gps_removed_before_storage(org, gps_jpeg):
    from casework.cases import attachments
    from casework.tipline import scrub

    data = gps_jpeg
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(0x8825)  # the test image really carries GPS
    assert b"SecretCam" in data and b"SERIAL-123456" in data
    cleaned = scrub.scrub(Upload("photo.jpg", data))
    assert cleaned.complete
    with Image.open(io.BytesIO(cleaned.upload.data)) as after:
        assert not after.getexif()
        assert "exif" not in after.info
        assert after.size == (40, 30)
    assert b"SecretCam" not in cleaned.upload.data and b"Exif" not in cleaned.upload.data
    case = file(org, uploads=[Upload("photo.jpg", data)]).case
    (att,) = messages.initial_files(case)
    stored = attachments.content(att, case)
    assert b"SecretCam" not in stored and b"SERIAL-123456" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert att.uploaded_at.hour == 0 and att.uploaded_at.minute == 0


def test_png_text_chunks_removed():
    from PIL import PngImagePlugin

    from casework.tipline import scrub

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Somchai Secret")
    out = io.BytesIO()
    Image.new("RGBA", (5, 5)).save(out, "PNG", pnginfo=info)
    cleaned = scrub.scrub(Upload("a.png", out.getvalue()))
    assert b"Somchai Secret" not in cleaned.upload.data


def test_pdf_author_creator_producer_removed():
    """The PDF is rebuilt (pikepdf) without its information dictionary and XMP, whether or not
    they sit in compressed object streams. tests/casework/cases/test_uploads.py covers the rest."""
    import pikepdf

    from casework.tipline import scrub

    for mode in (pikepdf.ObjectStreamMode.disable, pikepdf.ObjectStreamMode.generate):
        pdf = pikepdf.new()
        pdf.add_blank_page()
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = ["Somchai"]
        pdf.docinfo["/Author"] = "Somchai (boss) Jairai"
        pdf.docinfo["/Creator"] = "Word for Secret Office"
        pdf.docinfo["/Producer"] = pikepdf.String("A")
        pdf.docinfo["/Title"] = "Report"
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=mode, compress_streams=False)
        assert b"Somchai" in out.getvalue() or mode == pikepdf.ObjectStreamMode.generate
        data, complete = scrub.scrub_pdf(out.getvalue())
        assert complete
        assert b"Somchai" not in data and b"Secret Office" not in data
        with pikepdf.open(io.BytesIO(data)) as cleaned:
            assert "/Info" not in cleaned.trailer and "/Metadata" not in cleaned.Root
            assert len(cleaned.pages) == 1
