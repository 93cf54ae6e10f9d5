"""The case page and the officers' actions on it. The rules live in casework.general.workflow."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.forms import (
    RECEIVED_VIA_LABELS,
    AssignForm,
    CompleteForm,
    ExplainForm,
    ForwardForm,
    MergeForm,
    TextForm,
    options,
)
from admin.guard import case_or_404
from casework import organization
from casework.cases import attachments, identity, lifecycle
from casework.cases.lifecycle import IllegalTransition
from casework.dates import clock
from casework.general import access, linechat, recurrence, workflow
from casework.general.followup import case_attachments
from casework.staff import accounts
from rongrian.i18n import localized
from rongrian.tenancy import current_org


def _forms(case, **given):
    org_id = case.organization_id
    departments = organization.departments(org_id, active_only=True)
    if not access.can(current_user, "case.reassign_department", case):
        departments = [d for d in departments if d.id == case.department_id]
    assign = given.get("assign") or AssignForm(formdata=None)
    assign.department.choices = options([(str(d.id), localized(d)) for d in departments])
    officers = workflow.officers_of(org_id, None)
    assign.assignee.choices = options(
        [("", _("— department only —"))]
        + [
            (str(u.id), f"{u.name or u.email} · {localized(u.department)}")
            for u in officers
            if any(d.id == u.department_id for d in departments)
        ]
    )
    if assign.department.data is None:
        assign.department.data = str(case.department_id or "")
        assign.assignee.data = str(case.assignee_id or "")
    complete = given.get("complete") or CompleteForm(formdata=None)
    complete.outcome.choices = options(
        [("", _("— choose —"))]
        + [(k, str(v)) for k, v in lifecycle.OUTCOMES["complaint"].items() if k != "duplicate"]
    )
    return {
        "assign": assign,
        "note": given.get("note") or TextForm(formdata=None, prefix="note"),
        "public": given.get("public") or TextForm(formdata=None, prefix="update"),
        "request_info": given.get("request_info") or TextForm(formdata=None, prefix="info"),
        "forward": given.get("forward") or ForwardForm(formdata=None),
        "complete": complete,
        "explain": given.get("explain") or ExplainForm(formdata=None),
        "merge": given.get("merge") or MergeForm(formdata=None),
    }


def _tip_categories(case) -> list:
    """The corruption channel's categories, offered when this user may transfer the case."""
    if not access.can(current_user, "case.work", case):
        return []
    return organization.categories(case.organization_id, "tip", active_only=True)


def _page(case, status=200, contact=None, earlier=(), **forms):
    st = lifecycle.state(case.channel, case.status)
    files = []
    if access.can(current_user, "case.attachments", case):
        files = [(a, attachments.filename(a, case)) for a in case_attachments(case)]
    return (
        render_template(
            "admin/case.html",
            case=case,
            state=st,
            allowed=lifecycle.allowed(case.channel, case.status),
            due=workflow.due_state(case),
            files=files,
            contact=contact,
            earlier=earlier,
            has_identity=identity.row_for(case) is not None,
            line_reachable=linechat.reachable(case),
            forms=_forms(case, **forms),
            users=accounts.by_id(case.organization_id),
            can=lambda action: access.can(current_user, action, case),
            merged_into=workflow.merged_into(case),
            agencies=workflow.AGENCIES,
            received_via_label=RECEIVED_VIA_LABELS.get(case.received_via, case.received_via),
            tip_categories=_tip_categories(case),
            similar=[
                c
                for c in recurrence.similar(case, current_org().recurrence_radius_m, clock.today())
                if access.in_reach(current_user, c)
            ],
        ),
        status,
    )


@bp.get("/cases/<int:case_id>")
def case_view(case_id: int):
    return _page(case_or_404(case_id))


@bp.post("/cases/<int:case_id>/contact")
def show_contact(case_id: int):
    """Decrypt the reporter's contact details for this response only; audited each time."""
    case = case_or_404(case_id, "case.identity")
    contact = workflow.reveal_contact(case, current_user)
    # Earlier complaints by the same phone or email (blind index), within the user's reach.
    earlier = [c for c in identity.earlier_cases(case) if access.in_reach(current_user, c)]
    return _page(case, contact=contact, earlier=earlier)


@bp.get("/cases/<int:case_id>/attachments/<int:attachment_id>")
def attachment(case_id: int, attachment_id: int):
    case = case_or_404(case_id, "case.attachments")
    opened = workflow.open_attachment(case, current_user, attachment_id)
    if opened is None:
        abort(404)
    att, data = opened
    response = Response(data, mimetype=att.content_type)
    extension = attachments.EXTENSIONS.get(att.content_type, "bin")
    name = f"{case.case_number.replace('/', '-')}-{att.id}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _run(case, form_key: str, form, call):
    """Apply an action; on bad input show the case page again with the errors beside fields."""
    try:
        call()
    except workflow.WorkflowError as error:
        for name, message in error.fields.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*list(field.errors or []), message]
            else:
                flash(message, "error")
        return _page(case, status=400, **{form_key: form})
    except IllegalTransition:
        flash(_("This action is not possible in the case's current state."), "error")
        return _page(case, status=409, **{form_key: form})
    flash(_("Saved."), "success")
    return redirect(url_for("admin.case_view", case_id=case.id))


def _work(case_id: int, action: str = "case.work"):
    return case_or_404(case_id, action)


@bp.post("/cases/<int:case_id>/accept")
def case_accept(case_id: int):
    case = _work(case_id)
    return _run(case, "note", None, lambda: workflow.accept(case, current_user))


@bp.post("/cases/<int:case_id>/assign")
def case_assign(case_id: int):
    case = _work(case_id, "case.assign")
    form = AssignForm()
    return _run(
        case,
        "assign",
        form,
        lambda: workflow.assign(case, current_user, form.department.data, form.assignee.data),
    )


@bp.post("/cases/<int:case_id>/note")
def case_note(case_id: int):
    case = _work(case_id)
    form = TextForm(prefix="note")
    return _run(case, "note", form, lambda: workflow.add_note(case, current_user, form.body.data))


@bp.post("/cases/<int:case_id>/update")
def case_update(case_id: int):
    case = _work(case_id)
    form = TextForm(prefix="update")
    return _run(
        case, "public", form, lambda: workflow.public_update(case, current_user, form.body.data)
    )


@bp.post("/cases/<int:case_id>/request-info")
def case_request_info(case_id: int):
    case = _work(case_id)
    form = TextForm(prefix="info")
    return _run(
        case,
        "request_info",
        form,
        lambda: workflow.request_info(case, current_user, form.body.data),
    )


@bp.post("/cases/<int:case_id>/resume")
def case_resume(case_id: int):
    case = _work(case_id)
    return _run(case, "note", None, lambda: workflow.resume(case, current_user))


@bp.post("/cases/<int:case_id>/forward")
def case_forward(case_id: int):
    case = _work(case_id)
    form = ForwardForm()
    return _run(
        case,
        "forward",
        form,
        lambda: workflow.forward(
            case,
            current_user,
            form.agency.data,
            form.agency_name.data,
            form.reference.data,
            form.follow_up_on.data,
            form.note.data,
        ),
    )


@bp.post("/cases/<int:case_id>/complete")
def case_complete(case_id: int):
    case = _work(case_id)
    form = CompleteForm()
    return _run(
        case,
        "complete",
        form,
        lambda: workflow.complete(case, current_user, form.outcome.data, form.result_text.data),
    )


@bp.post("/cases/<int:case_id>/explain")
def case_explain(case_id: int):
    case = _work(case_id)
    form = ExplainForm()
    return _run(
        case,
        "explain",
        form,
        lambda: workflow.explain_delay(case, current_user, form.body.data, form.new_date.data),
    )


@bp.post("/cases/<int:case_id>/merge")
def case_merge(case_id: int):
    case = _work(case_id)
    form = MergeForm()
    return _run(case, "merge", form, lambda: workflow.merge(case, current_user, form.target.data))
