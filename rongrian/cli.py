"""Command-line tools: `flask --app wsgi demo load`, `keys rotate`, `i18n compile`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casework.crypto import keys, rotation
from rongrian import i18n

demo_cli = AppGroup("demo", help="Demo data.")
keys_cli = AppGroup("keys", help="The encryption keyring.")
i18n_cli = AppGroup("i18n", help="Translations.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load one organization, its departments and categories (idempotent)."""
    from casework import demo

    org = demo.load()
    click.echo(f"demo organization ready: {org.slug}")


@keys_cli.command("rotate")
@click.option("--retire", is_flag=True, help="Also drop old data keys no row uses any more.")
def keys_rotate(retire: bool) -> None:
    """Add a new data key and re-encrypt identities, attachments and other sealed fields."""
    version, rows = rotation.rotate(current_app)
    click.echo(f"data key version {version} is current; {rows} sealed values re-encrypted")
    if retire:
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


def init_app(app: Flask) -> None:
    for group in (demo_cli, keys_cli, i18n_cli):
        app.cli.add_command(group)
