"""Staff pages of the corruption-tip channel for integrity officers: the tip register, the case
page, the channel's categories and deadlines, and the one-way transfer of a general complaint.
Custodians' pages are in admin.tip_custody. Who may do what is decided in
casework.tipline.access."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin import bp
from admin.case_views import confirm_page
from admin.forms import CategoryForm
from admin.guard import case_or_404
from admin.inbox import DUE_LABELS
from casework.cases import attachments, lifecycle
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.models import Case, Category
from casework.staff.roles import ROLES
from casework.tipline import (
    access,
    actions,
    categories,
    closure,
    corrections,
    custody,
    filing,
    followups,
    messages,
    origins,
    penalties,
    referral,
    retaliation,
    reveal,
    sealing,
    stages,
    transfer,
    workflow,
)
from rongrian.formkit import attach_errors

# The fields of the referral form, as casework.tipline.referral.record names them.
_REFERRAL_FIELDS = ("body", "reference_number", "body_name", "referred_on", "follow_up_on")

REQUEST_STATUS = {
    "pending": _l("Waiting for the custodians' approval"),
    "approved": _l("Approved: the custodian opened the identity"),
    "refused": _l("Refused"),
}


def _state_label(code: str) -> str:
    """A stage's name; history moved in from the general channel has that channel's stages."""
    for channel in ("tip", "complaint"):
        if code in lifecycle.STATES[channel]:
            return lifecycle.status_label(channel, code)
    return code


def _tip_or_404(case_id: int) -> Case:
    """A tip the officer may manage (404 for anyone else: a tip they cannot see does not exist)."""
    case = access.tip_for(current_user, case_id)
    if case is None:
        abort(404)
    return case


def _readable(case_id: int) -> Case:
    case = _tip_or_404(case_id)
    if not access.can_read(current_user, case):
        abort(403)
    return case


def _back(case: Case):
    return redirect(url_for("admin.tip", case_id=case.id))


def flash_errors(error: FieldErrors) -> None:
    for message in error.fields.values() or [error.message]:
        flash(message, "error")


def _integrity_only() -> None:
    if not access.is_integrity(current_user):
        abort(403)


@bp.get("/tips/")
def tips():
    if access.is_custodian(current_user):
        return redirect(url_for("admin.tip_custody"))
    _integrity_only()
    rows = workflow.register(current_user)
    counts = {due: sum(1 for r in rows if r.due == due) for due in workflow.DUE_ORDER}
    return render_template("admin/tips/index.html", rows=rows, counts=counts, labels=DUE_LABELS)


@dataclass
class _Failed:
    """A form of the tip's page refused: which form (a correction's key, or a key of
    ``_page_forms``), what was typed, and each field's message."""

    key: str
    given: dict[str, str]
    errors: dict[str, str]


@dataclass
class _Form:
    """One form of the tip's page as shown (not a correction: ``_correction_forms``): its
    element id, the id of each field it has by name, and, when it was refused, what was typed
    and its messages: each beside its field, those about no field of it at its top."""

    id: str
    fields: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def error(self, name: str) -> str:
        return self.errors.get(name, "") if name in self.fields else ""

    @property
    def top(self) -> str:
        return " ".join(m for name, m in self.errors.items() if name not in self.fields)

    @property
    def links(self) -> dict[str, str]:
        """Each message under the id of the element the page's error summary links to."""
        found = {self.fields[n]: m for n, m in self.errors.items() if n in self.fields}
        if self.top:
            found[self.id] = self.top
        return found


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


def _fields(key: str, case: Case, allowed) -> dict[str, str]:
    """The fields of the page's form ``key``, by name, with the id of each on the page."""
    if key == "assign":
        return {"user_id": "assign-user"}
    if key == "status":
        return _same(*actions.status_fields(case, allowed))
    if key == "decision":
        return _same(*followups.DECISION_FIELDS) | {"public_note": "decision_public_note"}
    return _same(*_FIELDS.get(key, ()))


_FIELDS = {
    "message": ("message",),
    "explain": ("explanation", "new_date"),
    "check": followups.CHECK_FIELDS,
    "referral": _REFERRAL_FIELDS,
    "reveal": ("reason",),
    "exclude": ("statement",),
}


def _page_forms(case: Case, context: dict, failed: _Failed | None) -> dict[str, _Form]:
    """The forms the tip's page shows besides the corrections (``casework.tipline.actions``),
    by key; the refused one with what was typed and its messages."""
    keys = actions.offered(
        case,
        context["referral"],
        readable=context["readable"],
        reaches_tipster=context.get("reaches_tipster", False),
        has_identity=context["has_identity"],
        can_assign=bool(context["officers"]),
        can_decide_closure=bool(context["closure_decider"]),
    )
    shown = {key: _Form(f"{key}-form", _fields(key, case, context["allowed"])) for key in keys}
    if failed is not None and failed.key in shown:
        shown[failed.key].values = failed.given
        shown[failed.key].errors = failed.errors
    return shown


def _correction_forms(case: Case, failed: _Failed | None) -> list[dict]:
    """The tip's correction forms; the refused one opened with what was typed and its errors,
    each message under the id of the field it concerns (``c-<form>-<field>``)."""
    if not corrections.can_correct(current_user, case):
        return []
    forms = []
    for target in corrections.targets(case):
        form = {"target": target, "values": target.values, "errors": {}, "open": False}
        if failed is not None and failed.key == target.key:
            typed = {name: failed.given.get(name, "") for name in target.values}
            form.update(values=typed, errors=failed.errors, open=True)
        forms.append(form)
    return forms


def _context(case: Case, failed: _Failed | None = None) -> dict:
    """What the tip's page shows; ``failed``: a form refused, shown again as it was sent."""
    readable = access.can_read(current_user, case)
    details = filing.details_of(case)
    assigned = access.assigned_ids(case)
    context = {
        "case": case,
        "details": details,
        "readable": readable,
        "state": lifecycle.state("tip", case.status),
        "due": workflow.due_state(case),
        "due_labels": DUE_LABELS,
        "allowed": sorted(lifecycle.allowed("tip", case.status)),
        "outcomes": lifecycle.OUTCOMES["tip"],
        "referral": referral.referral_of(case),
        "bodies": referral.BODIES,
        "body_label": referral.body_label,
        "origin_label": origins.label,
        "officers": [
            u for u in access.integrity_officers(case.organization_id, case) if u.id not in assigned
        ],
        "assigned": access.assigned_officers(case),
        "requests": reveal.requests_for(case),
        "request_status": REQUEST_STATUS,
        "has_identity": custody.has_identity(case),
        "today": clock.today(),
        "closure": workflow.pending_closure(case),
        "closure_decider": closure.can_decide(current_user, case, workflow.pending_closure(case)),
        "requester_of": closure.requester_of,
        "refusal_of": reveal.refusal_of,
        "retaliations": retaliation.of_case(current_user, case),
    }
    if readable:
        context.update(
            record=stages.opened(case, details),
            conclusions=stages.CONCLUSIONS,
            penalty_kinds=penalties.listing(case.organization_id, active_only=True),
            penalty_kind=penalties.kind_for(current_user, details.penalty_kind_id),
            baht=stages.baht,
            checks=[(c, followups.note_of(case, c)) for c in stages.checks_of(case)],
            repeats=followups.repeats_of(case),
            correction_forms=_correction_forms(case, failed),
            correction_label=corrections.label,
            corrections=corrections.history(case),
            decision=followups.decision_of(case, context["referral"]),
            answers=filing.answers_of(case),
            flag=referral.flag_of(case),
            reasons=referral.REASONS,
            committee=sealing.open_text("tip-committee", case, details.committee_sealed),
            penalty=sealing.open_text("tip-penalty", case, details.penalty_sealed),
            thread=messages.thread(case),
            reaches_tipster=messages.reaches_tipster(case),
            files=messages.initial_files(case),
            events=[(e, sealing.event_text(case, e)) for e in case.events],
            state_label=_state_label,
            roles=filing.ACCUSED_ROLES,
            how_known=filing.HOW_KNOWN,
            elsewhere=filing.REPORTED_ELSEWHERE,
        )
        messages.read(case, current_user.id)
    context["forms"] = _page_forms(case, context, failed)
    return context


def _refused(case: Case, key: str, given: dict, error: FieldErrors):
    """The tip's page again (400), the refused form ``key`` open with what was typed in it
    (``given``) and each message beside its field; when the page has no such form, the
    messages at the top of the page it redirects to."""
    typed = {k: ("1" if v else "") if isinstance(v, bool) else str(v) for k, v in given.items()}
    failed = _Failed(key, typed, dict(error.fields) or {"": error.message})
    context = _context(case, failed)
    corrected = (f["target"].key for f in context.get("correction_forms", ()))
    if key not in context["forms"] and key not in corrected:
        flash_errors(error)
        return _back(case)
    return render_template("admin/tips/case.html", **context), 400


@bp.get("/tips/<int(signed=True):case_id>")
def tip(case_id: int):
    return render_template("admin/tips/case.html", **_context(_tip_or_404(case_id)))


@bp.post("/tips/<int(signed=True):case_id>/assign")
def tip_assign(case_id: int):
    case = _tip_or_404(case_id)
    officer = access.colleague(case, request.form.get("user_id", type=int) or current_user.id)
    if officer is None:
        abort(404)
    try:
        access.assign(case, officer, actor_id=current_user.id)
    except PermissionError:
        error = FieldErrors({"user_id": _("This officer cannot be assigned to this tip.")})
        return _refused(case, "assign", {"user_id": officer.id}, error)
    return _back(case)


@bp.post("/tips/<int(signed=True):case_id>/exclude")
def tip_exclude(case_id: int):
    """An officer declares their own conflict of interest and steps aside (nobody excludes
    anyone else by hand)."""
    case = _readable(case_id)
    named = request.form.get("user_id", type=int)
    given = {"statement": request.form.get("statement", "")}
    if named is not None and named != current_user.id:
        error = FieldErrors({"user_id": _("You can only declare your own conflict of interest.")})
        return _refused(case, "exclude", given, error)
    try:
        access.declare_conflict(case, current_user, given["statement"])
    except access.ExclusionError as error:
        return _refused(case, "exclude", given, error)
    flash(_("You stepped aside from this tip."), "success")
    return redirect(url_for("admin.tips"))


def _act(case: Case, key: str, given: dict, action, done: str, waiting: str = ""):
    """Run one officer action on ``case`` with what its form ``key`` sent (``given``); flash
    ``done`` (or ``waiting`` when the action returns something that waits for a second
    person). Refused, the page again with that form as it was sent and its messages
    (``_refused``)."""
    try:
        result = action()
    except FieldErrors as error:
        return _refused(case, key, given, error)
    if result is not None and waiting:
        flash(waiting, "warning")
    else:
        flash(done, "success")
    return _back(case)


@bp.post("/tips/<int(signed=True):case_id>/message")
def tip_message(case_id: int):
    case = _readable(case_id)
    text = request.form.get("message", "")
    return _act(
        case,
        "message",
        {"message": text},
        lambda: messages.to_tipster(case, current_user.id, text),
        _("Message sent. The tipster reads it with their receipt."),
    )


@bp.post("/tips/<int(signed=True):case_id>/status")
def tip_status(case_id: int):
    case = _readable(case_id)
    form = request.form
    record = {name: form.get(name, "") for name in stages.FIELDS}
    record |= {name: name in form for name in ("criminal_referral", "civil_referral")}
    notes = {
        name: form.get(name, "")
        for name in ("public_note", "internal_note", "order_number", "committee", "penalty")
    }
    target, outcome = form.get("target", ""), form.get("outcome", "")
    return _act(
        case,
        "status",
        {"target": target, "outcome": outcome, **notes, **record},
        lambda: workflow.change(
            case,
            target,
            actor_id=current_user.id,
            outcome=outcome or None,
            **notes,
            **record,
        ),
        _("Status changed."),
        _(
            "Closing without action needs a second person: another integrity officer "
            "assigned to this tip, or a custodian, must approve it."
        ),
    )


@bp.post("/tips/<int(signed=True):case_id>/correct")
def tip_correct(case_id: int):
    """Correct the record of a stage the tip has reached, a check on the offender or the
    outside body's decision (casework.tipline.corrections). A refusal shows the tip's page
    again, the form open with what was typed and each message beside its field."""
    case = _readable(case_id)
    form = request.form
    stage = form.get("stage", "")
    check_id = form.get("check_id", "")
    if stage == corrections.CHECK:
        names = followups.CHECK_FIELDS
    elif stage == corrections.DECISION:
        names = followups.DECISION_FIELDS
    else:
        names = stages.CORRECTABLE.get(stage, ())
    given = {name: form.get(name, "") for name in names}
    given |= {
        name: name in form for name in ("criminal_referral", "civil_referral") if name in names
    }
    try:
        corrections.correct(case, current_user, stage, given, check_id=check_id)
    except corrections.CorrectionError as error:
        key = f"check-{check_id}" if stage == corrections.CHECK else stage
        return _refused(case, key, given, error)
    flash(
        _("The record was corrected. The values replaced are kept sealed in the trail."), "success"
    )
    return _back(case)


def _closure_or_404(case_id: int):
    found = closure.closure_for(current_user, case_id)
    if found is None:
        abort(404)
    return found


def _after_closure(case: Case):
    if access.is_custodian(current_user):
        return redirect(url_for("admin.tip_custody"))
    return _back(case)


@bp.post("/tips/<int(signed=True):case_id>/closure/approve")
def tip_closure_approve(case_id: int):
    """A second integrity officer, or a custodian, approves closing the tip without action."""
    row, case = _closure_or_404(case_id)
    try:
        closure.approve(row, case, current_user)
    except workflow.WorkflowError as error:
        if access.is_custodian(current_user):  # decided from the custodians' page
            flash_errors(error)
            return _after_closure(case)
        return _refused(case, "closure", {}, error)
    flash(_("The tip is closed."), "success")
    return _after_closure(case)


@bp.post("/tips/<int(signed=True):case_id>/closure/refuse")
def tip_closure_refuse(case_id: int):
    row, case = _closure_or_404(case_id)
    closure.refuse(row, case, current_user)
    flash(_("The closure was refused: the tip stays open."), "success")
    return _after_closure(case)


# --- conflict-of-interest exclusions, for supervisors and custodians ------------------------


@bp.get("/tips/exclusions")
def tip_exclusions():
    """Every exclusion of every tip (accounts and case numbers, never the tip's content)."""
    if not access.can_oversee(current_user):
        abort(403)
    return render_template(
        "admin/tips/exclusions.html",
        tips=access.exclusions_for(current_user),
        roles=ROLES,
        state_label=_state_label,
    )


@bp.post("/tips/<int(signed=True):case_id>/exclusions/<int:user_id>/reverse")
def tip_exclusion_reverse(case_id: int, user_id: int):
    if not access.can_oversee(current_user):
        abort(403)
    case = access.overseen_tip(current_user, case_id)
    if case is None:
        abort(404)
    try:
        access.reinstate(case, user_id, current_user)
        flash(_("The exclusion was reversed."), "success")
    except access.ExclusionError as error:
        flash_errors(error)
    return redirect(url_for("admin.tip_exclusions"))


@bp.post("/tips/<int(signed=True):case_id>/explain")
def tip_explain(case_id: int):
    case = _readable(case_id)
    given = {name: request.form.get(name, "") for name in ("explanation", "new_date")}
    return _act(
        case,
        "explain",
        given,
        lambda: workflow.explain_delay(
            case,
            actor_id=current_user.id,
            text=given["explanation"],
            new_date=given["new_date"],
        ),
        _("The tipster will see the explanation and the new date."),
    )


@bp.post("/tips/<int(signed=True):case_id>/referral")
def tip_referral(case_id: int):
    case = _readable(case_id)
    given = {name: request.form.get(name, "") for name in _REFERRAL_FIELDS}
    return _act(
        case,
        "referral",
        given,
        lambda: referral.record(case, actor_id=current_user.id, **given),
        _("Referral recorded."),
    )


@bp.post("/tips/<int(signed=True):case_id>/referral/decision")
def tip_referral_decision(case_id: int):
    """The outside body's decision: recording it closes the referred tip."""
    case = _readable(case_id)
    names = (*followups.DECISION_FIELDS, "public_note")
    given = {name: request.form.get(name, "") for name in names}
    return _act(
        case,
        "decision",
        given,
        lambda: followups.record_decision(case, actor_id=current_user.id, **given),
        _("The body's decision is recorded and the tip is closed."),
    )


@bp.post("/tips/<int(signed=True):case_id>/checks")
def tip_follow_up_check(case_id: int):
    """One check on the offender during the follow-up."""
    case = _readable(case_id)
    given = {name: request.form.get(name, "") for name in followups.CHECK_FIELDS}
    return _act(
        case,
        "check",
        given,
        lambda: followups.record_check(case, actor_id=current_user.id, **given),
        _("The check is recorded."),
    )


@bp.post("/tips/<int(signed=True):case_id>/reveal")
def tip_reveal_request(case_id: int):
    case = _readable(case_id)
    reason = request.form.get("reason", "")
    return _act(
        case,
        "reveal",
        {"reason": reason},
        lambda: reveal.request(case, current_user, reason),
        _("Request sent to the identity custodians."),
    )


@bp.get("/tips/<int(signed=True):case_id>/files/<int(signed=True):file_id>")
def tip_file(case_id: int, file_id: int):
    case = _readable(case_id)
    att = messages.file_for(case, file_id, current_user.id)
    if att is None:
        abort(404)
    ext = attachments.EXTENSIONS.get(att.content_type, "bin")
    return Response(
        attachments.content(att, case),
        mimetype=att.content_type,
        headers={"Content-Disposition": f'attachment; filename="tip-file-{att.id}.{ext}"'},
    )


# --- the channel's categories and deadlines --------------------------------------------------


def _category_form(category: Category | None = None) -> CategoryForm:
    form = CategoryForm(obj=category)
    del form.department  # tips have no responsible department: integrity officers handle them
    if category is not None:
        del form.code  # API clients file by code: it stays as it was created
    return form


def _settings(form: CategoryForm) -> categories.Settings:
    return categories.Settings(
        name_th=form.name_th.data,
        name_en=form.name_en.data,
        sla_days=form.sla_days.data,
        sort_order=form.sort_order.data,
        active=form.active.data,
    )


@bp.route("/tips/categories", methods=["GET", "POST"])
def tip_categories():
    """The tip channel's categories and the days each stage may take (default 15)."""
    _integrity_only()
    org_id = current_user.organization_id
    form = _category_form()
    if form.validate_on_submit():
        try:
            categories.create(org_id, current_user.id, form.code.data, _settings(form))
        except FieldErrors as error:
            attach_errors(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.tip_categories"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/tips/categories.html", form=form, rows=categories.listing(org_id)
    ), status


@bp.route("/tips/categories/<int:category_id>", methods=["GET", "POST"])
def tip_category_edit(category_id: int):
    _integrity_only()
    category = categories.category_for(current_user, category_id)
    if category is None:
        abort(404)
    form = _category_form(category)
    if form.validate_on_submit():
        categories.update(category, current_user.id, _settings(form))
        flash(_("Saved. The new number of days applies from each tip's next stage."), "success")
        return redirect(url_for("admin.tip_categories"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/tips/category_form.html", form=form, category=category), status


# --- transfer from the general channel ---------------------------------------------------


@bp.post("/tips/transfer/<int:case_id>")
def tip_transfer(case_id: int):
    """Staff handling a general complaint move it into the corruption channel (one way)."""
    case = case_or_404(case_id, "case.work")
    if request.form.get("confirmed") != "yes":
        return confirm_page(
            case,
            "transfer",
            _("Transfer to the corruption channel"),
            [
                _("The complaint becomes a tip in the corruption channel; it cannot come back."),
                _("The complainant's identity is sealed for the identity custodians."),
                _("This case closes here as “transferred” and leaves your inbox."),
            ],
            {"category": request.form.get("category", "other")},
            _("Yes, transfer it"),
        )
    try:
        transfer.transfer(
            case, actor_id=current_user.id, tip_category=request.form.get("category", "other")
        )
    except transfer.TransferError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.case_view", case_id=case.id))
    flash(
        _("The complaint was transferred to the corruption channel. It is no longer visible here."),
        "success",
    )
    return redirect(url_for("admin.index"))
