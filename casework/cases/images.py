"""Photos without what their files say about who took them, for both channels.

An image is decoded and re-encoded with Pillow from its pixels alone, so EXIF (camera serial
numbers, owner names, software), GPS, XMP, IPTC, ICC profiles and PNG text chunks are all
dropped; the EXIF orientation is applied to the pixels first so the picture still stands the
right way up. The tip channel scrubs its attachments with it (casework.tipline.scrub), and
photos sent over LINE are stored through it (casework.general.linechat).
"""

from __future__ import annotations

import base64
import io
import logging

from PIL import Image, ImageOps

from casework.cases.attachments import decoded_image

# Pillow logs EXIF values (camera serial numbers, GPS positions) at DEBUG while it reads them.
logging.getLogger("PIL").setLevel(logging.INFO)


def reencode_image(data: bytes, kind: str) -> bytes:
    """Re-encode from pixels only: no EXIF, GPS, XMP, ICC or text chunks survive. ImageRefused
    (casework.cases.attachments) for an image too large to decode, or one that does not."""
    with decoded_image(data, kind) as image:
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


PREVIEW_SIDE = 960  # pixels, the longer side of a preview


def preview(data: bytes, kind: str) -> str:
    """A JPEG of at most PREVIEW_SIDE pixels a side, base64-encoded, made from the pixels only
    (no metadata): what a tracking page puts into itself instead of a link to the file.
    ImageRefused for an image that does not decode."""
    with decoded_image(data, kind, at_most=(PREVIEW_SIDE, PREVIEW_SIDE)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
        if image.mode != "RGB":
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    return base64.b64encode(out.getvalue()).decode("ascii")
