"""Command-line tools: `flask --app wsgi demo load`, `seed`, `figures rebuild`, `keys rotate`,
`i18n compile`, `backup` and `restore`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from casework.crypto import keys, rotation
from rongrian import i18n

demo_cli = AppGroup("demo", help="Demo data.")
keys_cli = AppGroup("keys", help="The encryption keyring.")
i18n_cli = AppGroup("i18n", help="Translations.")
figures_cli = AppGroup("figures", help="The published figures' rollup.")
ORGANIZATION_HELP = "The organization's slug (default: this one)."


def _organization(slug: str | None):
    from casework.extensions import db
    from casework.models import Organization

    slug = slug or current_app.config.get("RONGRIAN_ORG")
    query = db.select(Organization)
    query = query.filter_by(slug=slug) if slug else query.order_by(Organization.id)
    org = db.session.scalars(query.limit(1)).first()
    if org is None:
        raise click.ClickException(
            f"no organization {slug!r}" if slug else "no organization yet: run `demo load` first"
        )
    return org


@demo_cli.command("load")
def demo_load() -> None:
    """Load one organization, its departments and categories (idempotent)."""
    from casework import demo

    org = demo.load()
    click.echo(f"demo organization ready: {org.slug}")


@click.command("seed")
@with_appcontext
@click.option("--cases", type=click.IntRange(min=1), required=True, help="How many cases to add.")
@click.option("--organization", "slug", default=None, help=ORGANIZATION_HELP)
def seed_command(cases: int, slug: str | None) -> None:
    """Add realistic Thai cases in bulk (benchmarks, trying the back office at scale)."""
    from casework import seed

    org = _organization(slug)

    def progress(done: int, total: int) -> None:
        click.echo(f"  {done:,} / {total:,} cases", err=True)

    try:
        result = seed.seed(org, cases, progress=progress)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"seeded {result.cases:,} cases for {org.slug} in {result.seconds:.1f} s: "
        + ", ".join(f"{n:,} {channel}" for channel, n in sorted(result.by_channel.items()))
    )
    for table, n in sorted(result.rows.items()):
        click.echo(f"  {table}: {n:,} rows")


@figures_cli.command("rebuild")
@click.option("--organization", "slug", default=None, help=ORGANIZATION_HELP)
def figures_rebuild(slug: str | None) -> None:
    """Compute the published figures' rollup afresh from the cases (a repair: every change made
    through the app keeps it in step; filings wait while it runs)."""
    from casework.cases import rollup
    from casework.extensions import transaction

    org = _organization(slug)
    with transaction():
        rows = rollup.rebuild(org.id)
    click.echo(f"{org.slug}: {rows:,} rows of figures computed from the cases")


@keys_cli.command("rotate")
@click.option("--retire", is_flag=True, help="Also drop old data keys no row uses any more.")
def keys_rotate(retire: bool) -> None:
    """Add a new data key and re-encrypt identities, attachments and other sealed fields."""
    version, rows = rotation.rotate(current_app)
    click.echo(f"data key version {version} is current; {rows} sealed values re-encrypted")
    if retire:
        # Again: a value a worker sealed under the old key while the first pass ran.
        rotation.reencrypt_all()
        ring = keys.keyring()
        in_use = rotation.versions_in_use()
        for old in sorted(set(ring.data_keys) - in_use - {ring.current}):
            del ring.data_keys[old]
            click.echo(f"retired data key version {old}")
        from casework.crypto.keyring import save_keyring

        save_keyring(ring, current_app.config["RONGRIAN_KEYRING_FILE"])


@keys_cli.command("status")
def keys_status() -> None:
    """Show which data key versions exist and which are used (never the keys themselves)."""
    ring = keys.keyring()
    click.echo(f"current: {ring.current}; versions: {sorted(ring.data_keys)}")
    click.echo(f"in use: {sorted(rotation.versions_in_use())}")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Compile the translation catalogs (.po to .mo)."""
    for path in i18n.compile_catalogs():
        click.echo(f"compiled {path}")


PASSPHRASE_VARIABLE = "RONGRIAN_BACKUP_PASSPHRASE"  # noqa: S105 - a variable's name


def _passphrase(*, confirm: bool) -> str:
    """From RONGRIAN_BACKUP_PASSPHRASE (for scripts), else asked for without echo."""
    from casework.crypto import archive

    passphrase = os.environ.get(PASSPHRASE_VARIABLE) or click.prompt(
        "Backup passphrase", hide_input=True, confirmation_prompt=confirm
    )
    try:
        archive.check_passphrase(passphrase)
    except archive.ArchiveError as error:
        raise click.ClickException(str(error)) from None
    return passphrase


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write an encrypted archive of the database (with the attachments) and the keyring to
    FILE, consistent while the site keeps working. The passphrase comes from
    RONGRIAN_BACKUP_PASSPHRASE, or is asked for."""
    from casework import backup

    passphrase = _passphrase(confirm=True)
    target = file.resolve()
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            manifest = backup.backup(current_app, out, passphrase)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)  # a file named FILE is always a whole archive
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    rows = manifest["rows"]
    click.echo(
        f"backup written to {target}: {rows.get('cases', 0):,} cases, "
        f"{rows.get('attachments', 0):,} attachments, {sum(rows.values()):,} rows in "
        f"{len(rows)} tables, and the keyring"
    )


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.File("rb"))
def restore_command(file) -> None:
    """Load an archive written by `backup` into this instance, whose database must have no
    tables yet and which must have no keyring file."""
    from casework import backup

    passphrase = _passphrase(confirm=False)
    try:
        manifest = backup.restore(current_app, file, passphrase)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = manifest["rows"]
    click.echo(
        f"restored the backup of {manifest['created_at']}: {rows.get('cases', 0):,} cases, "
        f"{sum(rows.values()):,} rows; keyring written to "
        f"{current_app.config['RONGRIAN_KEYRING_FILE']}"
    )


class LazyDb(click.Command):
    """Flask-Migrate's ``db`` commands, loaded only when one is run (a worker that serves
    requests never loads Alembic; casework.extensions.migrations)."""

    def _db(self) -> click.Group:
        from flask_migrate.cli import db as db_commands

        from casework.extensions import migrations

        migrations(current_app)
        return db_commands

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        # The context made is Flask-Migrate's group's own: its options, commands and callback.
        return self._db().make_context(info_name, args, parent=parent, **extra)


def init_app(app: Flask) -> None:
    app.cli.add_command(LazyDb("db", help="Perform database migrations."))
    for group in (
        demo_cli,
        keys_cli,
        i18n_cli,
        figures_cli,
        seed_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(group)
