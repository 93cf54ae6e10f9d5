"""Staff pages of the corruption-tip channel for identity custodians: their key, re-sealing
identities for custodians who enrolled later, decisions on reveal requests, and the channel's
own audit trail (which the system administrator's trail does not show)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from admin import bp
from admin.tips import REQUEST_STATUS, flash_errors
from casework import audit
from casework.extensions import db
from casework.models import AuditEntry, Case, CustodianKey, RevealRequest, User
from casework.tipline import access, custody, reveal, trail
from casework.tipline.custody import CustodyError

PER_PAGE = 100


def _custodian():
    if not access.is_custodian(current_user):
        abort(403)
    return current_user


@bp.get("/tips/custody")
def tip_custody():
    user = _custodian()
    queue = []
    key = custody.key_of(user)
    rows = reveal.queue(user.organization_id) if key is not None and key.active else []
    for row in rows:
        case = db.session.get(Case, row.case_id)
        if access.can_decide_reveal(user, case):
            queue.append(
                {
                    "row": row,
                    "case": case,
                    "reason": reveal.reason_of(row, case),
                    "requester": db.session.get(User, row.requested_by),
                }
            )
    pending = [
        {"key": k, "user": db.session.get(User, k.user_id), "fingerprint": custody.fingerprint(k)}
        for k in custody.pending_keys(user.organization_id)
        if k.user_id != user.id
    ]
    return render_template(
        "admin/tips/custody.html",
        key=key,
        fingerprint=custody.fingerprint(key) if key else "",
        pending=pending if key is not None and key.active else [],
        queue=queue,
        min_length=custody.MIN_PASSPHRASE,
        custodians=len(custody.active_keys(user.organization_id)),
        to_share=len(custody.awaiting_reseal(user)),
        not_mine=custody.not_sealed_to(user),
        request_status=REQUEST_STATUS,
    )


def _keep(change, action: str, done: str):
    """Run a change to this custodian's own key, audit it, and come back to the page."""
    user = _custodian()
    try:
        change(user, request.form)
        audit.record(user.organization_id, action, actor_id=user.id)
        db.session.commit()
        flash(done, "success")
    except CustodyError as error:
        db.session.rollback()
        flash_errors(error.fields)
    return redirect(url_for("admin.tip_custody"))


@bp.post("/tips/custody/enrol")
def tip_custody_enrol():
    return _keep(
        lambda user, form: custody.enrol(user, form.get("passphrase", ""), form.get("confirm", "")),
        "custody.key_enrolled",
        _("Your key was created. Keep your passphrase safe: nobody can reset it."),
    )


@bp.post("/tips/custody/passphrase")
def tip_custody_passphrase():
    return _keep(
        lambda user, form: custody.change_passphrase(
            user, form.get("old", ""), form.get("passphrase", ""), form.get("confirm", "")
        ),
        "custody.passphrase_changed",
        _("Your passphrase was changed."),
    )


@bp.post("/tips/custody/keys/<int:key_id>/approve")
def tip_custody_approve(key_id: int):
    """Approve a newer custodian's key (after comparing its fingerprint in person)."""
    user = _custodian()
    key = db.session.get(CustodianKey, key_id)
    if key is None or key.organization_id != user.organization_id:
        abort(404)
    try:
        added = custody.approve_key(user, request.form.get("passphrase", ""), key)
        newcomer = db.session.get(User, key.user_id)
        audit.record(
            user.organization_id,
            "custody.key_approved",
            actor_id=user.id,
            target=newcomer.email,
            data={"key": key.id},
        )
        _audit_reseal(user, added)
        db.session.commit()
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
        db.session.rollback()
        flash_errors(error.fields)
    return redirect(url_for("admin.tip_custody"))


def _audit_reseal(user, added: dict[int, int]) -> None:
    for case_id, boxes in added.items():
        trail.record(db.session.get(Case, case_id), "identity_resealed", user.id, keys=boxes)


@bp.post("/tips/custody/reseal")
def tip_custody_reseal():
    """Seal the identities this custodian holds to the custodians who enrolled after them."""
    user = _custodian()
    try:
        added = custody.reseal(
            user, request.form.get("passphrase", ""), custody.awaiting_reseal(user)
        )
        _audit_reseal(user, added)
        db.session.commit()
        flash(
            _("%(n)d sealed identities are now shared with every custodian.", n=len(added)),
            "success",
        )
    except CustodyError as error:
        db.session.rollback()
        flash_errors(error.fields)
    return redirect(url_for("admin.tip_custody"))


def _request_or_404(request_id: int) -> tuple[RevealRequest, Case]:
    user = _custodian()
    row = db.session.get(RevealRequest, request_id)
    case = db.session.get(Case, row.case_id) if row else None
    if row is None or not access.can_decide_reveal(user, case):
        abort(404)
    return row, case


@bp.post("/tips/reveals/<int:request_id>/approve")
def tip_reveal_approve(request_id: int):
    row, case = _request_or_404(request_id)
    try:
        identity = reveal.approve(row, case, current_user, request.form.get("passphrase", ""))
    except CustodyError as error:
        flash_errors(error.fields)
        return redirect(url_for("admin.tip_custody"))
    fields = [
        (label, identity[k]) for k, label in custody.IDENTITY_LABELS.items() if identity.get(k)
    ]
    return render_template(
        "admin/tips/identity.html",
        case=case,
        row=row,
        fields=fields,
        requester=db.session.get(User, row.requested_by),
    )


@bp.post("/tips/reveals/<int:request_id>/refuse")
def tip_reveal_refuse(request_id: int):
    row, case = _request_or_404(request_id)
    try:
        reveal.refuse(row, case, current_user)
        flash(_("The request was refused."), "success")
    except CustodyError as error:
        flash_errors(error.fields)
    return redirect(url_for("admin.tip_custody"))


@bp.get("/tips/trail")
def tip_trail():
    """The corruption channel's audit trail, for custodians (never a tip that excludes them)."""
    user = _custodian()
    query = (
        select(AuditEntry)
        .where(AuditEntry.organization_id == user.organization_id, AuditEntry.chain == audit.TIPS)
        .order_by(AuditEntry.seq.desc())
    )
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    cases = {}
    for entry in page.items:
        if entry.case_id and entry.case_id not in cases:
            cases[entry.case_id] = db.session.get(Case, entry.case_id)
    hidden = {cid for cid, c in cases.items() if c is not None and access.is_excluded(user.id, c)}
    entries = [e for e in page.items if e.case_id not in hidden]
    users = {
        u.id: u
        for u in db.session.scalars(select(User).filter_by(organization_id=user.organization_id))
    }
    verdict = (
        audit.verify(user.organization_id, audit.TIPS)
        if request.args.get("verify") == "1"
        else None
    )
    return render_template(
        "admin/tips/trail.html",
        page=page,
        entries=entries,
        users=users,
        labels=trail.ACTIONS,
        verdict=verdict,
    )
