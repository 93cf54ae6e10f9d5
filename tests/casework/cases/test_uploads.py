"""Uploads: images are measured before they are decoded and must decode; PDFs on the tip channel
are rebuilt without what names their author, and a file is called clean only when it is."""

from __future__ import annotations

import io
import time

import pikepdf
import pytest
from upload_samples import (
    SECRET,
    bomb_png,
    broken_pdf,
    encrypted_pdf,
    fake_jpeg,
    fake_png,
    jpeg,
    pdf_in_object_streams,
    pdf_with_escaped_key,
    pdf_with_everything,
    png,
    truncated_jpeg,
)

from casework.cases import attachments
from casework.cases.attachments import Upload
from casework.tipline import scrub


@pytest.fixture(autouse=True)
def _request(ctx):
    with ctx.test_request_context():
        yield


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding():
    data = bomb_png()
    assert len(data) < 600_000
    started = time.perf_counter()
    problem = attachments.problems([Upload("huge.png", data)])
    assert time.perf_counter() - started < 1.0  # the 144 megapixels were never decoded
    assert problem and "huge.png" in problem


def test_the_pixel_cap_is_configurable(app):
    small = png((200, 200))
    assert attachments.problems([Upload("a.png", small)]) is None
    app.config["MAX_IMAGE_PIXELS"] = 100 * 100
    problem = attachments.problems([Upload("a.png", small)])
    assert problem and "a.png" in problem
    assert attachments.problems([Upload("b.png", png((100, 100)))]) is None


@pytest.mark.parametrize(
    ("name", "make"),
    [("cut.jpg", truncated_jpeg), ("fake.jpg", fake_jpeg), ("fake.png", fake_png)],
)
def test_an_image_that_does_not_decode_is_refused_naming_the_file(name, make):
    problem = attachments.problems([Upload(name, make())])
    assert problem and name in problem


def test_real_images_and_any_pdf_pass_the_check():
    uploads = [Upload("a.jpg", jpeg()), Upload("b.png", png()), Upload("c.pdf", b"%PDF-1.4 x")]
    assert attachments.problems(uploads) is None


def test_scrub_never_raises_and_never_calls_an_undecodable_image_clean():
    for data in (truncated_jpeg(), fake_jpeg(), fake_png(), bomb_png()):
        result = scrub.scrub(Upload("x", data))
        assert result.complete is False


def _leftovers(data: bytes) -> list[str]:
    """Everything in a PDF that could name or date its author, found by reading the PDF (not
    by searching bytes, which escaped names and compressed streams defeat)."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            found.append("Info")
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            for key in ("/Metadata", "/PieceInfo", "/CreationDate", "/ModDate", "/LastModified"):
                if key in obj:
                    found.append(key)
            if obj.get("/Type") == "/Annot" and obj.get("/Subtype") != "/Widget":
                found.extend(k for k in ("/T", "/M") if k in obj)
            if obj.get("/Type") == "/EmbeddedFile" and "/Params" in obj:
                found.append("/Params")
            if isinstance(obj, pikepdf.Stream) and SECRET.encode() in obj.read_bytes():
                found.append("stream")
    return found


def test_a_pdf_loses_info_xmp_annotation_authors_piece_info_and_embedded_file_metadata():
    original = pdf_with_everything()
    assert len(_leftovers(original)) >= 8
    cleaned = scrub.scrub(Upload("report.pdf", original))
    assert _leftovers(cleaned.upload.data) == []
    assert SECRET.encode() not in cleaned.upload.data
    with pikepdf.open(io.BytesIO(cleaned.upload.data)) as pdf:
        assert len(pdf.pages) == 1
        (annot,) = pdf.pages[0].Annots
        assert str(annot.Contents) == "ตรวจแล้ว"  # the note itself is evidence: kept
        assert "ledger.txt" in pdf.attachments  # so is the embedded file, without its dates
    # The embedded file's own content is not vetted: the result says so.
    assert cleaned.complete is False


def test_a_pdf_with_only_document_metadata_is_clean():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [f"{SECRET} XMP"]
    pdf.docinfo["/Author"] = f"{SECRET} Info"
    out = io.BytesIO()
    pdf.save(out)
    cleaned = scrub.scrub(Upload("a.pdf", out.getvalue()))
    assert cleaned.complete is True
    assert _leftovers(cleaned.upload.data) == [] and SECRET.encode() not in cleaned.upload.data


@pytest.mark.parametrize("make", [pdf_with_escaped_key, pdf_in_object_streams])
def test_escaped_keys_and_object_streams_do_not_hide_the_author(make):
    cleaned = scrub.scrub(Upload("a.pdf", make()))
    assert cleaned.complete is True
    assert _leftovers(cleaned.upload.data) == []
    assert SECRET.encode() not in cleaned.upload.data


def test_the_file_identifier_does_not_link_the_copy_to_the_original():
    original = pdf_with_everything()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        before = bytes(pdf.trailer.ID[0])
    with pikepdf.open(io.BytesIO(scrub.scrub(Upload("a.pdf", original)).upload.data)) as pdf:
        assert bytes(pdf.trailer.ID[0]) != before


@pytest.mark.parametrize("make", [encrypted_pdf, broken_pdf])
def test_a_pdf_that_cannot_be_opened_is_never_called_clean(make):
    cleaned = scrub.scrub(Upload("locked.pdf", make()))
    assert cleaned.complete is False
