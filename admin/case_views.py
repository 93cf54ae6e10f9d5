"""The case page and the officers' actions on it. The rules live in casework.general.workflow."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
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
from casework.cases import attachments, identity, lifecycle, timeline
from casework.cases.lifecycle import IllegalTransition
from casework.dates import clock
from casework.general import access, actions, linechat, recurrence, workflow
from casework.general.followup import case_attachments
from casework.staff import accounts
from rongrian import maps
from rongrian.i18n import localized
from rongrian.security import NO_STORE
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


def _errors(forms: dict) -> tuple[dict[str, str], str | None]:
    """Every field error on the page as {field id: message} (for the summary at the top), and
    the action whose form has them (its form opens)."""
    summary, opened = {}, None
    for key, form in forms.items():
        for f in form:
            if f.errors and f.name != "csrf_token":
                summary[f.id] = str(f.errors[-1])
                opened = opened or FORM_ACTION.get(key, key)
    return summary, opened


# The page's form for each action (actions without a form of their own have none).
ACTION_FORM = {
    "assign": "assign",
    "note": "note",
    "update": "public",
    "request_info": "request_info",
    "explain": "explain",
    "forward": "forward",
    "complete": "complete",
    "merge": "merge",
}
FORM_ACTION = {form: action for action, form in ACTION_FORM.items()}


def _page(case, status=200, contact=None, earlier=(), **forms):
    st = lifecycle.state(case.channel, case.status)
    if case.lat is not None and case.lng is not None:
        maps.use()  # the pin panel (admin/_case_map.html)
    files = []
    if access.can(current_user, "case.attachments", case):
        files = [(a, attachments.filename(a, case)) for a in case_attachments(case)]
    built = _forms(case, **forms)
    errors, opened = _errors({k: v for k, v in built.items() if forms.get(k) is not None})
    groups = actions.grouped(current_user, case)
    if not _tip_categories(case):
        groups = [
            (code, label, [a for a in group if a.code != "transfer"])
            for code, label, group in groups
        ]
        groups = [g for g in groups if g[2]]
    return (
        render_template(
            "admin/case.html",
            case=case,
            state=st,
            due=workflow.due_state(case),
            late=workflow.needs_delay_explanation(case),
            after_photos=workflow.takes_after_photos(case),
            files=files,
            contact=contact,
            earlier=earlier,
            has_identity=identity.row_for(case) is not None,
            line_reachable=linechat.reachable(case),
            forms=built,
            errors=errors,
            opened=opened,
            groups=groups,
            users=accounts.by_id(case.organization_id),
            can=lambda action: access.can(current_user, action, case),
            merged_into=workflow.merged_into(case),
            agencies=workflow.AGENCIES,
            received_via_label=RECEIVED_VIA_LABELS.get(case.received_via, case.received_via),
            tip_categories=_tip_categories(case),
            entries=timeline.staff_entries(case),
            similar=[
                c
                for c in recurrence.similar(case, current_org().recurrence_radius_m, clock.today())
                if access.in_reach(current_user, c)
            ],
        ),
        status,
    )


def confirm_page(case, action: str, title: str, consequences: list, fields: dict, label: str):
    """The step that asks before an action that cannot be undone: the same POST again, with
    what was typed in hidden fields and ``confirmed=yes``. Works without JavaScript."""
    return render_template(
        "admin/case_confirm.html",
        case=case,
        action=action,
        action_url=request.path,
        title=title,
        consequences=consequences,
        fields=fields,
        confirm_label=label,
    )


def confirmed() -> bool:
    return request.form.get("confirmed") == "yes"


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
    preview = request.args.get("view") == "1" and att.content_type in attachments.EXTENSIONS
    disposition = "inline" if preview else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["Cache-Control"] = NO_STORE
    if preview and att.content_type == "application/pdf":
        # The browser's PDF viewer does not run in a sandbox; the page may frame it, nothing else.
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _refused(case, form_key: str, form, error: workflow.WorkflowError):
    """The case page again, with the errors beside their fields and summarised at the top."""
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*list(field.errors or []), message]
        else:
            flash(message, "error")
    return _page(case, status=400, **{form_key: form})


def _run(case, form_key: str, form, call):
    """Apply an action; on bad input show the case page again with the errors beside fields."""
    try:
        call()
    except workflow.WorkflowError as error:
        return _refused(case, form_key, form, error)
    except IllegalTransition:
        flash(_("This action is not possible in the case's current state."), "error")
        return _page(case, status=409, **({form_key: form} if form is not None else {}))
    flash(_("Saved."), "success")
    return redirect(url_for("admin.case_view", case_id=case.id))


def _run_or_confirm(case, form_key: str, form, check, ask):
    """Before an action that cannot be undone: check what was typed (errors show on the case
    page), then ask for confirmation."""
    try:
        checked = check()
    except workflow.WorkflowError as error:
        return _refused(case, form_key, form, error)
    return ask(checked)


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
    given = (form.outcome.data, form.result_text.data, form.delay_explanation.data)
    if not confirmed():
        return _run_or_confirm(
            case,
            "complete",
            form,
            lambda: workflow.check_completion(case, *given),
            lambda done: confirm_page(
                case,
                "complete",
                _("Complete the case"),
                [
                    _("The case closes as: %(outcome)s.", outcome=outcome_label(case, done)),
                    _("The complainant is told the result, as written below."),
                    *([_("The explanation of the delay is sent with it.")] if done.late else []),
                    _("A completed case cannot be opened again here."),
                ],
                {
                    "outcome": done.outcome,
                    "result_text": done.result_text,
                    "delay_explanation": done.delay_explanation,
                },
                _("Yes, complete the case"),
            ),
        )
    return _run(case, "complete", form, lambda: workflow.complete(case, current_user, *given))


def outcome_label(case, done) -> str:
    return lifecycle.outcome_label(case.channel, done.outcome)


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
    if not confirmed():
        return _run_or_confirm(
            case,
            "merge",
            form,
            lambda: workflow.merge_target(case, current_user, form.target.data),
            lambda target: confirm_page(
                case,
                "merge",
                _("Close as duplicate"),
                [
                    _(
                        "This case closes as a duplicate of %(number)s (%(subject)s).",
                        number=target.case_number,
                        subject=target.subject,
                    ),
                    _("A completed case cannot be opened again here."),
                ],
                {"target": target.case_number},
                _("Yes, close as duplicate"),
            ),
        )
    return _run(case, "merge", form, lambda: workflow.merge(case, current_user, form.target.data))
