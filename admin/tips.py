"""Staff pages of the corruption-tip channel: the tip register and case pages for integrity
officers, key custody and reveal decisions for custodians, and the one-way transfer of a
general complaint. Who may do what is decided in casework.tipline.access."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from casework import access as general_access
from casework import attachments, audit, clock, lifecycle, sla
from casework.extensions import db
from casework.models import Attachment, Case, Organization, RevealRequest, User
from casework.tipline import (
    access,
    custody,
    filing,
    messages,
    referral,
    reveal,
    sealing,
    trail,
    transfer,
    workflow,
)
from casework.tipline.custody import CustodyError


def _tip_or_404(case_id: int) -> Case:
    """A tip the officer may manage (404 for anyone else: a tip they cannot see does not exist)."""
    case = db.session.get(Case, case_id)
    if case is None or not access.can_manage(current_user, case):
        abort(404)
    return case


def _readable(case_id: int) -> Case:
    case = _tip_or_404(case_id)
    if not access.can_read(current_user, case):
        abort(403)
    return case


def _back(case: Case):
    return redirect(url_for("admin.tip", case_id=case.id))


def _flash_errors(fields: dict) -> None:
    for message in fields.values():
        flash(message, "error")


@bp.get("/tips/")
def tips():
    if access.is_custodian(current_user):
        return redirect(url_for("admin.tip_custody"))
    if not access.is_integrity(current_user):
        abort(403)
    org = db.session.get(Organization, current_user.organization_id)
    cases = access.visible_tips(current_user)
    cal = sla.work_calendar(org)
    today = clock.today()
    rows = [
        {
            "case": c,
            "due": sla.due_state(c, org, today, cal),
            "mine": current_user.id in access.assigned_ids(c),
            "referral": referral.referral_of(c),
        }
        for c in cases
    ]
    return render_template("admin/tips/index.html", rows=rows)


@bp.get("/tips/<int:case_id>")
def tip(case_id: int):
    case = _tip_or_404(case_id)
    readable = access.can_read(current_user, case)
    context = {
        "case": case,
        "details": filing.details_of(case),
        "readable": readable,
        "state": lifecycle.state("tip", case.status),
        "allowed": sorted(lifecycle.allowed("tip", case.status)),
        "outcomes": lifecycle.OUTCOMES["tip"],
        "referral": referral.referral_of(case),
        "reasons": referral.REASONS,
        "bodies": referral.BODIES,
        "officers": access.integrity_officers(case.organization_id, case),
        "assigned": [db.session.get(User, uid) for uid in sorted(access.assigned_ids(case))],
        "requests": reveal.requests_for(case),
        "has_identity": custody.has_identity(case),
    }
    if readable:
        context.update(
            answers=filing.answers_of(case),
            thread=messages.thread(case),
            files=messages.initial_files(case),
            events=[(e, sealing.event_text(case, e)) for e in case.events],
            roles=filing.ACCUSED_ROLES,
            how_known=filing.HOW_KNOWN,
            elsewhere=filing.REPORTED_ELSEWHERE,
        )
        trail.record(case, "content_viewed", current_user.id)
        db.session.commit()
    return render_template("admin/tips/case.html", **context)


@bp.post("/tips/<int:case_id>/assign")
def tip_assign(case_id: int):
    case = _tip_or_404(case_id)
    officer = db.session.get(User, request.form.get("user_id", type=int) or current_user.id)
    if officer is None:
        abort(404)
    try:
        if access.assign(case, officer):
            trail.record(case, "assigned", current_user.id, officer=officer.id)
        db.session.commit()
    except PermissionError:
        db.session.rollback()
        flash(_("This officer cannot be assigned to this tip."), "error")
    return _back(case)


@bp.post("/tips/<int:case_id>/exclude")
def tip_exclude(case_id: int):
    case = _readable(case_id)
    user = db.session.get(User, request.form.get("user_id", type=int) or 0)
    if user is None or user.organization_id != case.organization_id:
        abort(404)
    if access.exclude(case, user.id, "manual"):
        trail.record(case, "excluded", current_user.id, user=user.id)
    db.session.commit()
    flash(_("The account is excluded from this tip."), "success")
    if user.id == current_user.id:
        return redirect(url_for("admin.tips"))
    return _back(case)


@bp.post("/tips/<int:case_id>/message")
def tip_message(case_id: int):
    case = _readable(case_id)
    try:
        messages.to_tipster(case, current_user.id, request.form.get("message", ""))
        flash(_("Message sent. The tipster reads it with their receipt."), "success")
    except messages.FollowUpError as error:
        _flash_errors(error.fields)
    return _back(case)


@bp.post("/tips/<int:case_id>/status")
def tip_status(case_id: int):
    case = _readable(case_id)
    form = request.form
    try:
        workflow.change(
            case,
            form.get("target", ""),
            actor_id=current_user.id,
            outcome=form.get("outcome") or None,
            public_note=form.get("public_note", ""),
            internal_note=form.get("internal_note", ""),
            order_number=form.get("order_number", ""),
            committee=form.get("committee", ""),
            penalty=form.get("penalty", ""),
        )
        flash(_("Status changed."), "success")
    except workflow.WorkflowError as error:
        _flash_errors(error.fields)
    return _back(case)


@bp.post("/tips/<int:case_id>/referral")
def tip_referral(case_id: int):
    case = _readable(case_id)
    raw = request.form.get("referred_on", "")
    try:
        referred_on = date.fromisoformat(raw) if raw else None
    except ValueError:
        flash(_("Enter a date as YYYY-MM-DD."), "error")
        return _back(case)
    try:
        referral.record(
            case,
            actor_id=current_user.id,
            body=request.form.get("body", ""),
            reference_number=request.form.get("reference_number", ""),
            referred_on=referred_on,
        )
        trail.record(case, "referred", current_user.id, body=request.form.get("body"))
        db.session.commit()
        flash(_("Referral recorded."), "success")
    except referral.ReferralError as error:
        db.session.rollback()
        _flash_errors(error.fields)
    return _back(case)


@bp.post("/tips/<int:case_id>/reveal")
def tip_reveal_request(case_id: int):
    case = _readable(case_id)
    try:
        reveal.request(case, current_user, request.form.get("reason", ""))
        flash(_("Request sent to the identity custodians."), "success")
    except CustodyError as error:
        _flash_errors(error.fields)
    return _back(case)


@bp.get("/tips/<int:case_id>/files/<int:file_id>")
def tip_file(case_id: int, file_id: int):
    case = _readable(case_id)
    att = db.session.get(Attachment, file_id)
    if att is None or att.case_id != case.id:
        abort(404)
    trail.record(case, "file_downloaded", current_user.id, file=att.id)
    db.session.commit()
    ext = attachments.EXTENSIONS.get(att.content_type, "bin")
    return Response(
        attachments.content(att, case),
        mimetype=att.content_type,
        headers={"Content-Disposition": f'attachment; filename="tip-file-{att.id}.{ext}"'},
    )


# --- custodians -------------------------------------------------------------------------


def _custodian():
    if not access.is_custodian(current_user):
        abort(403)
    return current_user


@bp.get("/tips/custody")
def tip_custody():
    user = _custodian()
    queue = []
    for row in reveal.queue(user.organization_id):
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
    return render_template(
        "admin/tips/custody.html",
        key=custody.key_of(user),
        queue=queue,
        min_length=custody.MIN_PASSPHRASE,
        custodians=len(custody.active_keys(user.organization_id)),
    )


@bp.post("/tips/custody/enrol")
def tip_custody_enrol():
    user = _custodian()
    try:
        custody.enrol(user, request.form.get("passphrase", ""), request.form.get("confirm", ""))
        audit.record(user.organization_id, "custody.key_enrolled", actor_id=user.id)
        db.session.commit()
        flash(_("Your key was created. Keep your passphrase safe: nobody can reset it."), "success")
    except CustodyError as error:
        db.session.rollback()
        _flash_errors(error.fields)
    return redirect(url_for("admin.tip_custody"))


@bp.post("/tips/custody/passphrase")
def tip_custody_passphrase():
    user = _custodian()
    form = request.form
    try:
        custody.change_passphrase(
            user, form.get("old", ""), form.get("passphrase", ""), form.get("confirm", "")
        )
        audit.record(user.organization_id, "custody.passphrase_changed", actor_id=user.id)
        db.session.commit()
        flash(_("Your passphrase was changed."), "success")
    except CustodyError as error:
        db.session.rollback()
        _flash_errors(error.fields)
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
        _flash_errors(error.fields)
        return redirect(url_for("admin.tip_custody"))
    return render_template(
        "admin/tips/identity.html",
        case=case,
        row=row,
        identity=identity,
        requester=db.session.get(User, row.requested_by),
    )


@bp.post("/tips/reveals/<int:request_id>/refuse")
def tip_reveal_refuse(request_id: int):
    row, case = _request_or_404(request_id)
    try:
        reveal.refuse(row, case, current_user)
        flash(_("The request was refused."), "success")
    except CustodyError as error:
        _flash_errors(error.fields)
    return redirect(url_for("admin.tip_custody"))


# --- transfer from the general channel ---------------------------------------------------


@bp.post("/tips/transfer/<int:case_id>")
def tip_transfer(case_id: int):
    """Staff handling a general complaint move it into the corruption channel (one way)."""
    case = db.session.scalar(general_access.visible_cases(current_user).where(Case.id == case_id))
    if case is None:
        abort(404)
    if not general_access.can(current_user, "case.work", case):
        abort(403)
    try:
        transfer.transfer(
            case, actor_id=current_user.id, tip_category=request.form.get("category", "other")
        )
    except transfer.TransferError as error:
        flash(str(error), "error")
        return redirect(request.referrer or url_for("admin.index"))
    flash(
        _("The complaint was transferred to the corruption channel. It is no longer visible here."),
        "success",
    )
    return redirect(url_for("admin.index"))
