"""Custodians' page for receipts claimed with a transferred complaint's old tracking code: held
receipts they confirm with the complainant, and disputed claims they reopen
(casework.tipline.claims). HTTP and forms only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from casework.tipline import access, claims


def _custodian():
    if not access.is_custodian(current_user):
        abort(403)
    return current_user


@bp.app_template_global()
def tip_claims_waiting() -> int:
    """How many claims wait for the signed-in custodian (0 for anyone else)."""
    if not current_user.is_authenticated or not access.is_custodian(current_user):
        return 0
    return len(claims.waiting(current_user))


@bp.get("/tips/claims")
def tip_claims():
    return render_template("admin/tips/claims.html", waiting=claims.waiting(_custodian()))


def _decide(claim_id: int, decide, done: str):
    user = _custodian()
    found = claims.claim_for(user, claim_id)
    if found is None:
        abort(404)
    try:
        decide(found, user)
        flash(done, "success")
    except claims.ClaimError as error:
        flash(str(error), "error")
    return redirect(url_for("admin.tip_claims"))


@bp.post("/tips/claims/<int(signed=True):claim_id>/confirm")
def tip_claim_confirm(claim_id: int):
    return _decide(
        claim_id,
        lambda found, user: claims.confirm(found, user, request.form.get("check", "")),
        _("The receipt works now. The complainant can follow their report with it."),
    )


@bp.post("/tips/claims/<int(signed=True):claim_id>/refuse")
def tip_claim_refuse(claim_id: int):
    return _decide(
        claim_id,
        claims.refuse,
        _("The held receipt was dropped. The tracking code can claim again."),
    )


@bp.post("/tips/claims/<int(signed=True):claim_id>/reopen")
def tip_claim_reopen(claim_id: int):
    return _decide(
        claim_id,
        claims.reopen,
        _("The tracking code can claim again; the receipt it makes will wait for a custodian."),
    )
