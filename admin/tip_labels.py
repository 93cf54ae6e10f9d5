"""The lists of labels integrity officers keep for the tip channel, one page each, one code for
both (casework.tipline.labels): the kinds of disciplinary penalty and the kinds of retaliation a
tipster can report. These views hold HTTP and forms only."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin import bp
from admin.tips import _integrity_only, flash_errors
from casework.cases.errors import FieldErrors
from casework.tipline import labels, penalties, retaliation


@dataclass(frozen=True)
class Page:
    kinds: labels.LabelList
    endpoint: str  # the list and its "add" form
    edit_endpoint: str  # one kind's form
    title: str
    heading: str
    intro: str


PENALTIES = Page(
    penalties.KINDS,
    "admin.tip_penalties",
    "admin.tip_penalty_edit",
    _l("Penalty kinds"),
    _l("Kinds of disciplinary penalty"),
    _l(
        "The list officers choose from when they record a tip's disciplinary outcome. A kind "
        "already used stays in the records; take it off the list instead of renaming it to "
        "something else."
    ),
)
RETALIATION = Page(
    retaliation.KINDS,
    "admin.tip_retaliation_kinds",
    "admin.tip_retaliation_kind_edit",
    _l("Kinds of retaliation"),
    _l("Kinds of retaliation"),
    _l(
        "The list a tipster chooses from when they report that they suffer for their tip. A "
        "kind already reported stays in the records; take it off the list instead of renaming "
        "it to something else."
    ),
)


def _settings(form) -> labels.Settings:
    return labels.Settings(
        name_th=form.get("name_th", ""),
        name_en=form.get("name_en", ""),
        sort_order=form.get("sort_order", type=int),
        active="active" in form,
    )


def _list(page: Page):
    _integrity_only()
    org_id = current_user.organization_id
    errors: dict = {}
    if request.method == "POST":
        try:
            page.kinds.create(org_id, current_user.id, _settings(request.form))
        except FieldErrors as error:
            errors = error.fields
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(page.endpoint))
    return render_template(
        "admin/tips/labels.html",
        page=page,
        rows=page.kinds.listing(org_id),
        errors=errors,
        typed=request.form,
    ), (400 if errors else 200)


def _edit(page: Page, kind_id: int):
    _integrity_only()
    row = page.kinds.kind_for(current_user, kind_id)
    if row is None:
        abort(404)
    try:
        page.kinds.update(row, current_user.id, _settings(request.form))
        flash(_("Saved."), "success")
    except FieldErrors as error:
        flash_errors(error)
    return redirect(url_for(page.endpoint))


def _register(page: Page, path: str) -> None:
    """The list at ``path`` (GET, and POST to add) and each kind at ``path/<id>`` (POST)."""

    def listing():
        return _list(page)

    def edit(kind_id: int):
        return _edit(page, kind_id)

    for view, endpoint in ((listing, page.endpoint), (edit, page.edit_endpoint)):
        view.__name__ = endpoint.removeprefix("admin.")
    bp.add_url_rule(path, view_func=listing, methods=["GET", "POST"])
    bp.add_url_rule(f"{path}/<int:kind_id>", view_func=edit, methods=["POST"])


_register(PENALTIES, "/tips/penalties")
_register(RETALIATION, "/tips/retaliation-kinds")
