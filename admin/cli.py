"""Back-office commands: ``users create``, ``outbox run``, ``sla sweep``, ``audit verify`` and
``audit checkpoint``."""

from __future__ import annotations

import json
import sys
import time
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from casework import audit, organization
from casework.general import sweep
from casework.models import Organization
from casework.notify import outbox
from casework.staff import accounts, changes, roles
from casework.tipline import sweep as tip_sweep
from rongrian.tenancy import current_org

users_cli = AppGroup("users", help="Staff accounts.")
outbox_cli = AppGroup("outbox", help="The notification outbox.")
sla_cli = AppGroup("sla", help="The SLA clock.")
audit_cli = AppGroup("audit", help="The audit trail.")


def _org() -> Organization:
    with current_app.test_request_context():
        return current_org()


def _interactive() -> bool:
    return sys.stdin.isatty()


def _read_password() -> str:
    """A hidden prompt (typed twice) on a terminal; otherwise the first line of stdin."""
    if _interactive():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(sorted(roles.ROLES)))
@click.option("--department", "department_code", default=None, help="Department code.")
@click.option("--name", default="", help="Display name.")
def users_create(email: str, role: str, department_code: str | None, name: str) -> None:
    """Create a staff account. The password is read from a hidden prompt, or from stdin.

    Custodian, integrity-officer and supervisor accounts only until the organization's first
    custodian key exists; after that a second person approves them in the back office."""
    org = _org()
    department_id = None
    if department_code:
        dept = organization.department_by_code(org.id, department_code)
        if dept is None:
            codes = ", ".join(d.code for d in organization.departments(org.id, active_only=True))
            raise click.ClickException(
                f"no department with code {department_code!r}; the codes are: {codes}"
            )
        department_id = dept.id
    password = _read_password()
    # (messages about the input are translated: give them a request context, in English)
    with current_app.test_request_context(), force_locale("en"):
        try:
            user = changes.bootstrap_create(
                org.id, email, role, password=password, department_id=department_id, name=name
            )
        except accounts.StaffError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"created {user.email} ({user.role}); two-factor setup happens at first sign-in")


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--interval", default=10, show_default=True, help="Seconds between passes.")
def outbox_run(once: bool, interval: int) -> None:
    """Send queued notifications (retries with backoff; never sends a message twice)."""
    from casework.notify import mailer

    if not mailer.configured():
        click.echo("MAIL_SERVER is not set: email stays queued", err=True)
    while True:
        stats = outbox.run_pass()
        if once or stats.sent or stats.failed or stats.retried:
            click.echo(f"sent {stats.sent}, retrying {stats.retried}, failed {stats.failed}")
        if once:
            return
        time.sleep(interval)


@sla_cli.command("sweep")
def sla_sweep() -> None:
    """Daily: due-soon and overdue reminders, escalation of overdue cases to the supervisors,
    follow-up reminders for forwarded cases; for tips, the same against each stage's deadline
    (escalated to the supervisors and custodians), reports of retaliation (escalated to the
    executive), and offender checks and referrals to follow up. Idempotent: run it twice,
    nothing is sent twice."""
    for slug, stats in sweep.run().items():
        click.echo(
            f"{slug}: {stats.due_soon} due soon, {stats.overdue} overdue, "
            f"{stats.escalated} escalated, {stats.follow_up} to follow up with an outside "
            f"agency, {stats.queued} messages queued"
        )
    for slug, tips in tip_sweep.run().items():
        click.echo(
            f"{slug} tips: {tips.due_soon} due soon, {tips.overdue} overdue, "
            f"{tips.escalated} escalated; retaliation: {tips.retaliation_overdue} overdue, "
            f"{tips.retaliation_escalated} escalated; {tips.follow_up} follow-ups due; "
            f"{tips.queued} messages queued"
        )


@audit_cli.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.File("rb"),
    help="A checkpoint file from `audit checkpoint`: also prove nothing before it was rewritten.",
)
def audit_verify(checkpoint_file) -> None:
    """Check the audit chains of this deployment's organization; exits 1 and names the first
    broken entry."""
    org = _org()
    pinned = None
    if checkpoint_file is not None:
        try:
            pinned = audit.open_checkpoint(checkpoint_file.read(), org)
        except audit.InvalidCheckpoint as error:
            click.echo(f"{org.slug}: checkpoint refused: {error}", err=True)
            sys.exit(1)
    verdict = audit.verify(org.id, checkpoint=pinned)
    if not verdict.ok:
        _broken(org, verdict)
    unkeyed = f"; the first {verdict.unkeyed} predate the key" if verdict.unkeyed else ""
    click.echo(f"{org.slug}: ok, {verdict.checked} entries{unkeyed}")
    if pinned is not None:
        click.echo(f"{org.slug}: matches the checkpoint of {pinned.date}")


@audit_cli.command("checkpoint")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def audit_checkpoint(file: str) -> None:
    """Write the signed head of each audit chain to FILE (- for stdout), to keep off this host."""
    org = _org()
    try:
        doc = audit.checkpoint(org)
    except audit.ChainBroken as error:
        _broken(org, error.verdict)
    with click.open_file(file, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    heads = ", ".join(f"{name} #{head['seq']}" for name, head in doc["claims"]["chains"].items())
    click.echo(f"{org.slug}: checkpoint of {heads} written to {file}", err=file == "-")


def _broken(org: Organization, verdict: audit.Verdict) -> NoReturn:
    where = f"entry #{verdict.broken_seq}"
    if verdict.broken_id is not None:
        where += f" (id {verdict.broken_id})"
    click.echo(
        f"{org.slug}: BROKEN at {where}: {verdict.reason}; "
        f"{verdict.checked} entries before it are intact",
        err=True,
    )
    sys.exit(1)


def init_app(app: Flask) -> None:
    for group in (users_cli, outbox_cli, sla_cli, audit_cli):
        app.cli.add_command(group)
