"""Public blueprint for corruption tips (แจ้งเบาะแสการทุจริต), separate from general complaints."""

from flask import Blueprint, render_template

bp = Blueprint("whistleblow", __name__, url_prefix="/whistleblow")


@bp.get("/")
def index():
    return render_template("whistleblow/index.html")
