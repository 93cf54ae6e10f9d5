"""Maps: Leaflet, served by the app itself from the ``xstatic-leaflet`` package (no CDN, no
build step), over the tiles of one configurable tile server.

The tile server, its attribution and where a map opens are configuration (``MAP_TILE_URL``,
``MAP_ATTRIBUTION``, ``MAP_CENTER``, ``MAP_ZOOM`` in rongrian.config): by default OpenStreetMap's
standard tiles, credited as its tile usage policy requires.

A page shows a map only when its view says so (``shows_map``): that page's
Content-Security-Policy then lets images come from the tile server's host, and from no other.
Every other page keeps ``img-src 'self' data:``. The tip channel never shows a map: its pages
keep the strict policy whatever a view asks, so a tipster's browser never asks a tile server
for the place it is looking at.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

import xstatic.pkg.leaflet as leaflet
from flask import Blueprint, Flask, current_app, g, request
from flask_babel import gettext as _

from casework import tipline

bp = Blueprint(
    "leaflet",
    __name__,
    static_folder=leaflet.BASE_DIR,
    static_url_path="/static/leaflet",
)


def tile_origin(url: str) -> str:
    """The CSP source for a tile URL template: its scheme and host (``{s}`` subdomains as a
    wildcard), e.g. ``https://tile.openstreetmap.org``."""
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}" if parts.scheme and host else ""


def use() -> None:
    """This response's page shows a map: its CSP allows the tile server's images."""
    g.rongrian_map = True


def shows_map(view):
    """Mark a view whose page shows a map (``use`` for every response of it)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        use()
        return view(*args, **kwargs)

    return wrapper


def allowed_here() -> bool:
    """Whether this response's page may load tiles (never on the tip channel)."""
    return bool(g.get("rongrian_map")) and not tipline.is_public_path(request.path)


def image_sources() -> str:
    """The CSP img-src of this response."""
    sources = "'self' data:"  # as rongrian.security.CSP
    if allowed_here():
        origin = tile_origin(current_app.config["MAP_TILE_URL"])
        if origin:
            sources += " " + origin
    return sources


def osm_attribution() -> str:
    """OpenStreetMap's credit as its tile usage policy asks (a link to its copyright page), in
    the page's language."""
    link = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    return _("&copy; %(osm)s contributors", osm=link)


def settings() -> dict:
    """What the map script needs, rendered into data- attributes of the map's element."""
    config = current_app.config
    lat, _, lng = config["MAP_CENTER"].partition(",")
    return {
        "tiles": config["MAP_TILE_URL"],
        "attribution": config["MAP_ATTRIBUTION"] or osm_attribution(),
        "center_lat": lat.strip(),
        "center_lng": lng.strip(),
        "zoom": config["MAP_ZOOM"],
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["map_settings"] = settings
