"""Files for upload tests, made here rather than stored: real small images, images that pass the
magic-byte check but do not decode, a decompression bomb, and PDFs carrying each kind of
metadata that names a person."""

from __future__ import annotations

import functools
import io

import pikepdf
from PIL import Image

SECRET = "Somchai"


def png(size=(8, 6), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def jpeg(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    image = Image.effect_noise(size, 64).convert("RGB")  # noise: many bytes of scan data
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def png_carrying(mark: bytes) -> bytes:
    """A real PNG whose bytes contain ``mark`` as they are (an uncompressed text chunk)."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", mark.decode("latin-1"))
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG", pnginfo=info)
    data = out.getvalue()
    assert mark in data
    return data


#: A real, tiny PNG (the attachment tests' stand-in for a photo).
PNG = png()


def truncated_jpeg() -> bytes:
    data = jpeg((320, 240))
    return data[: len(data) * 2 // 3]


def fake_jpeg() -> bytes:
    """The JPEG magic bytes and then junk."""
    return b"\xff\xd8\xff\xe0" + b"not a picture at all " * 40


def fake_png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@functools.cache
def bomb_png(side=12000) -> bytes:
    """A few kilobytes that decode to ``side`` × ``side`` pixels (144 megapixels by default)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    return out.getvalue()


def _save(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def pdf_with_everything() -> bytes:
    """A one-page PDF whose document information, XMP, annotation, page piece data and
    embedded file each name the author (each value carries SECRET)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [f"{SECRET} XMP"]
        meta["xmp:CreatorTool"] = f"{SECRET} Word"
    pdf.docinfo["/Author"] = f"{SECRET} Info"
    pdf.docinfo["/Creator"] = f"{SECRET} Creator"
    pdf.docinfo["/Producer"] = f"{SECRET} Producer"
    pdf.docinfo["/CreationDate"] = "D:20240101120000+07'00'"
    pdf.docinfo["/ModDate"] = "D:20240102120000+07'00'"
    page = pdf.pages[0]
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[10, 10, 30, 30],
        Contents=pikepdf.String("ตรวจแล้ว"),
        T=pikepdf.String(f"{SECRET} Annot"),
        M=pikepdf.String("D:20240103120000+07'00'"),
        CreationDate=pikepdf.String("D:20240103110000+07'00'"),
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))
    page.obj.PieceInfo = pikepdf.Dictionary(
        Illustrator=pikepdf.Dictionary(
            Private=pikepdf.String(f"{SECRET} Piece"),
            LastModified=pikepdf.String("D:20240104"),
        )
    )
    page.obj.Metadata = pdf.make_stream(f"<x:xmpmeta>{SECRET} page XMP</x:xmpmeta>".encode())
    spec = pikepdf.AttachedFileSpec(
        pdf,
        b"evidence",
        description="ledger",
        filename="ledger.txt",
        creation_date="D:20240105120000+07'00'",
        mod_date="D:20240106120000+07'00'",
    )
    pdf.attachments["ledger.txt"] = spec
    return _save(pdf)


def pdf_with_escaped_key() -> bytes:
    """``/Au#74hor`` in the information dictionary: the same name as /Author, spelt so that a
    byte search for "/Author" misses it. The escape keeps every byte offset valid."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = f"{SECRET} Secret"
    raw = _save(pdf, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    escaped = raw.replace(
        f"/Author ({SECRET} Secret)".encode(), f"/Au#74hor ({SECRET} Secr)".encode()
    )
    assert escaped != raw and len(escaped) == len(raw)
    return escaped


def pdf_in_object_streams() -> bytes:
    """Metadata inside compressed object streams (what the old in-place blanking could not
    reach)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = f"{SECRET} Compressed"
    return _save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def encrypted_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = f"{SECRET} Locked"
    return _save(pdf, encryption=pikepdf.Encryption(user="open sesame", owner="owner"))


def broken_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Author (" + SECRET.encode() + b") >>\nendobj\n%%EOF\n"
