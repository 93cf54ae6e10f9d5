"""Staff pages of the corruption-tip channel for identity custodians: their key, re-sealing
identities for custodians who enrolled later, decisions on reveal requests, and the channel's
own audit trail (which the system administrator's trail does not show)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.tips import REQUEST_STATUS, flash_errors
from casework import audit
from casework.models import Case, RevealRequest
from casework.tipline import access, closure, custody, reveal, trail
from casework.tipline.custody import CustodyError


def _custodian():
    if not access.is_custodian(current_user):
        abort(403)
    return current_user


@bp.get("/tips/custody")
def tip_custody():
    user = _custodian()
    key = custody.key_of(user)
    ceremony = custody.ceremony_of(user.organization_id)
    return render_template(
        "admin/tips/custody.html",
        key=key,
        approved=custody.active_key_of(user) is not None,
        ceremony=ceremony,
        ceremony_holder=custody.ceremony_holder(ceremony),
        fingerprint=custody.fingerprint(key) if key else "",
        pending=custody.pending_for(user),
        queue=reveal.queue_for(user),
        min_length=custody.MIN_PASSPHRASE,
        custodians=len(custody.active_keys(user.organization_id)),
        to_share=len(custody.awaiting_reseal(user)),
        not_mine=custody.not_sealed_to(user),
        request_status=REQUEST_STATUS,
        closures=closure.queue_for(user),
    )


def _keep(change, done: str):
    """Run a change to this custodian's own key and come back to the page."""
    user = _custodian()
    try:
        change(user, request.form)
        flash(done, "success")
    except CustodyError as error:
        flash_errors(error)
    return redirect(url_for("admin.tip_custody"))


@bp.post("/tips/custody/enrol")
def tip_custody_enrol():
    return _keep(
        lambda user, form: custody.enrol_key(
            user, form.get("passphrase", ""), form.get("confirm", "")
        ),
        _("Your key was created. Keep your passphrase safe: nobody can reset it."),
    )


@bp.post("/tips/custody/passphrase")
def tip_custody_passphrase():
    return _keep(
        lambda user, form: custody.new_passphrase(
            user, form.get("old", ""), form.get("passphrase", ""), form.get("confirm", "")
        ),
        _("Your passphrase was changed."),
    )


@bp.post("/tips/custody/keys/<int:key_id>/approve")
def tip_custody_approve(key_id: int):
    """Approve a newer custodian's key (after comparing its fingerprint in person)."""
    user = _custodian()
    key = custody.key_for(user, key_id)
    if key is None:
        abort(404)
    try:
        added = custody.approve(user, request.form.get("passphrase", ""), key)
        newcomer = custody.holder(key)
        flash(
            _(
                "The key of %(name)s is active. %(n)d sealed identities you hold are shared "
                "with them.",
                name=newcomer.name or newcomer.email,
                n=len(added),
            ),
            "success",
        )
    except CustodyError as error:
        flash_errors(error)
    return redirect(url_for("admin.tip_custody"))


@bp.post("/tips/custody/reseal")
def tip_custody_reseal():
    """Seal the identities this custodian holds to the custodians who enrolled after them."""
    user = _custodian()
    try:
        added = custody.share(user, request.form.get("passphrase", ""))
        flash(
            _("%(n)d sealed identities are now shared with every custodian.", n=len(added)),
            "success",
        )
    except CustodyError as error:
        flash_errors(error)
    return redirect(url_for("admin.tip_custody"))


def _request_or_404(request_id: int) -> tuple[RevealRequest, Case]:
    found = reveal.request_for(_custodian(), request_id)
    if found is None:
        abort(404)
    return found


@bp.post("/tips/reveals/<int(signed=True):request_id>/approve")
def tip_reveal_approve(request_id: int):
    row, case = _request_or_404(request_id)
    try:
        identity = reveal.approve(row, case, current_user, request.form.get("passphrase", ""))
    except CustodyError as error:
        flash_errors(error)
        return redirect(url_for("admin.tip_custody"))
    if identity is None:
        flash(
            _(
                "Your approval is recorded. %(n)d more custodian(s) must approve before the "
                "identity opens.",
                n=row.approvals_needed - len(reveal.approvers_of(row)),
            ),
            "success",
        )
        return redirect(url_for("admin.tip_custody"))
    fields = [
        (label, identity[k]) for k, label in custody.IDENTITY_LABELS.items() if identity.get(k)
    ]
    return render_template(
        "admin/tips/identity.html",
        case=case,
        row=row,
        fields=fields,
        requester=reveal.requester_of(row),
    )


@bp.post("/tips/reveals/<int(signed=True):request_id>/refuse")
def tip_reveal_refuse(request_id: int):
    row, case = _request_or_404(request_id)
    try:
        reveal.refuse(row, case, current_user, request.form.get("refusal", ""))
        flash(_("The request was refused."), "success")
    except CustodyError as error:
        flash_errors(error)
    return redirect(url_for("admin.tip_custody"))


@bp.get("/tips/trail")
def tip_trail():
    """The corruption channel's audit trail, for custodians (never a tip that excludes them)."""
    user = _custodian()
    found = custody.trail_page(user, request.args.get("page", 1, type=int))
    verdict = (
        audit.verify(user.organization_id, audit.TIPS)
        if request.args.get("verify") == "1"
        else None
    )
    return render_template(
        "admin/tips/trail.html",
        page=found.page,
        entries=found.entries,
        users=found.users,
        labels=trail.ACTIONS,
        verdict=verdict,
    )
