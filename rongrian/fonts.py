"""Fonts the machine already has, for what the app draws itself (the LINE rich menu, the tip
channel's printable proof): Debian's fonts-noto-core or fonts-thai-tlwg, which
`scripts/ensure-fonts` installs. Nothing is ever downloaded."""

from __future__ import annotations

from pathlib import Path

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
# Any of these draws Thai; bold first.
THAI_BOLD = (
    "NotoSansThai-Bold.ttf",
    "NotoSansThaiUI-Bold.ttf",
    "Loma-Bold.ttf",
    "Garuda-Bold.ttf",
    "Sarabun-Bold.ttf",
    "TlwgTypo-Bold.ttf",
)
THAI_REGULAR = (
    "NotoSansThai-Regular.ttf",
    "NotoSansThaiUI-Regular.ttf",
    "Loma.ttf",
    "Garuda.ttf",
    "Sarabun-Regular.ttf",
    "TlwgTypo.ttf",
)
# Latin letters: the Thai fonts above may lack them (Noto Sans Thai does).
LATIN_REGULAR = (
    "NotoSans-Regular.ttf",
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
)
LATIN_BOLD = ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")


class NoThaiFont(RuntimeError):
    """No Thai font is installed (run scripts/ensure-fonts)."""


def installed(names: tuple[str, ...]) -> Path | None:
    """The first of ``names`` found under the font folders, in the order given."""
    for name in names:
        for directory in FONT_DIRS:
            for path in sorted(Path(directory).rglob(name)) if Path(directory).is_dir() else ():
                return path
    return None


def thai_font(names: tuple[str, ...] = THAI_BOLD + THAI_REGULAR) -> Path:
    path = installed(names)
    if path is None:
        raise NoThaiFont(
            "no Thai font found under /usr/share/fonts: run scripts/ensure-fonts "
            "(apt-get install fonts-noto-core)"
        )
    return path
