"""The rich menu: its image, drawn here with Pillow and a Thai font the machine already has
(Debian's fonts-noto-core or fonts-thai-tlwg; `scripts/ensure-fonts` installs one), never
downloaded; and its creation through the Messaging API (``flask --app wsgi line richmenu``).

Five areas, each a postback the dialog knows: file a complaint, track a case, my cases, report
corruption, contact us. The labels are Thai with English beneath (one menu serves everyone).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from PIL import Image, ImageDraw, ImageFont, features

from casework.notify import line
from lineoa import messages
from rongrian import fonts
from rongrian.fonts import NoThaiFont

__all__ = ["NoThaiFont", "build_image", "find_font", "publish", "request_body"]

WIDTH, HEIGHT = 2500, 1686
NAME = "rongrian"


@dataclass(frozen=True)
class Area:
    action: str
    label: object  # lazy: rendered in Thai and in English
    box: tuple[int, int, int, int]  # x, y, width, height
    colour: str
    icon: str


AREAS = (
    Area("file", messages.FILE, (0, 0, 1250, 843), "#1d4ed8", "file"),
    Area("track", messages.TRACK, (1250, 0, 1250, 843), "#0f766e", "track"),
    Area("mine", messages.MINE, (0, 843, 833, 843), "#334155", "mine"),
    Area("tip", messages.TIP, (833, 843, 834, 843), "#b91c1c", "tip"),
    Area("contact", messages.CONTACT, (1667, 843, 833, 843), "#475569", "contact"),
)


def find_font() -> Path:
    try:
        return fonts.thai_font()
    except fonts.NoThaiFont as error:
        raise NoThaiFont(f"{error} or pass --font") from None


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=engine)


def _label(area: Area, locale: str) -> str:
    with force_locale(locale):
        return str(area.label)


def _icon(draw: ImageDraw.ImageDraw, kind: str, cx: int, cy: int) -> None:
    white, r = "#ffffff", 90
    if kind == "file":  # a sheet with a plus
        draw.rounded_rectangle((cx - 70, cy - r, cx + 70, cy + r), 18, outline=white, width=16)
        draw.line((cx, cy - 45, cx, cy + 45), fill=white, width=16)
        draw.line((cx - 45, cy, cx + 45, cy), fill=white, width=16)
    elif kind == "track":  # a magnifying glass
        draw.ellipse((cx - 80, cy - 90, cx + 40, cy + 30), outline=white, width=16)
        draw.line((cx + 25, cy + 15, cx + 90, cy + 85), fill=white, width=22)
    elif kind == "mine":  # a list
        for dy in (-60, 0, 60):
            draw.ellipse((cx - 90, cy + dy - 12, cx - 66, cy + dy + 12), fill=white)
            draw.line((cx - 40, cy + dy, cx + 90, cy + dy), fill=white, width=16)
    elif kind == "tip":  # a shield
        draw.polygon(
            [(cx, cy - r), (cx + 80, cy - 55), (cx + 65, cy + 45), (cx, cy + r), (cx - 65, cy + 45),
             (cx - 80, cy - 55)],
            outline=white,
            width=16,
        )  # fmt: skip
    else:  # a speech bubble
        draw.rounded_rectangle((cx - 90, cy - 75, cx + 90, cy + 45), 30, outline=white, width=16)
        draw.polygon([(cx - 40, cy + 40), (cx - 60, cy + 95), (cx, cy + 42)], fill=white)


def _fitted(draw: ImageDraw.ImageDraw, words: str, path: Path, size: int, width: int):
    """The font at ``size``, or smaller until ``words`` fit in ``width`` pixels."""
    while True:
        font = _font(path, size)
        if size <= 24 or draw.textlength(words, font=font) <= width:
            return font
        size -= 4


def build_image(font_path: Path | None = None) -> bytes:
    """The menu as a PNG (2500×1686, well under LINE's 1 MB)."""
    path = font_path or find_font()
    latin = fonts.installed(fonts.LATIN_REGULAR + fonts.LATIN_BOLD) or path
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    for area in AREAS:
        x, y, w, h = area.box
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=area.colour)
        draw.line((x, y, x + w, y), fill="#ffffff", width=6)
        draw.line((x, y, x, y + h), fill="#ffffff", width=6)
        cx = x + w // 2
        _icon(draw, area.icon, cx, y + 250)
        thai, english = _label(area, "th"), _label(area, "en")
        big = _fitted(draw, thai, path, 104, w - 80)
        small = _fitted(draw, english, latin, 58, w - 80)
        draw.text((cx, y + 500), thai, font=big, fill="#ffffff", anchor="mm")
        draw.text((cx, y + 640), english, font=small, fill="#dbeafe", anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def request_body() -> dict:
    """The rich menu as the Messaging API takes it: each area a postback the dialog knows."""
    areas = []
    for area in AREAS:
        x, y, w, h = area.box
        label = _label(area, "th")
        areas.append(
            {
                "bounds": {"x": x, "y": y, "width": w, "height": h},
                "action": line.postback(label, area.action, label),
            }
        )
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": NAME,
        "chatBarText": "เมนู · Menu",
        "areas": areas,
    }


def publish(png: bytes) -> str:
    """Create the menu, upload its image, make it everyone's default and delete the menus an
    earlier run made. Returns the new menu's id."""
    from linebot.v3.messaging import RichMenuRequest

    timeout = float(current_app.config.get("LINE_API_TIMEOUT", 10))
    request = RichMenuRequest.from_dict(request_body())
    created = line.call_api(lambda api: api.create_rich_menu(request, _request_timeout=timeout))
    menu_id = created.rich_menu_id
    line.call_api(
        lambda api: api.set_rich_menu_image(
            menu_id, png, _headers={"Content-Type": "image/png"}, _request_timeout=timeout
        ),
        data=True,
    )
    line.call_api(lambda api: api.set_default_rich_menu(menu_id, _request_timeout=timeout))
    menus = line.call_api(lambda api: api.get_rich_menu_list(_request_timeout=timeout)).richmenus
    for menu in menus or []:
        if menu.name == NAME and menu.rich_menu_id != menu_id:
            old = menu.rich_menu_id
            line.call_api(lambda api, old=old: api.delete_rich_menu(old, _request_timeout=timeout))
    return menu_id
