"""`flask --app wsgi receipts verify FILE`: check a tipster's signed proof of submission."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sys

import click
from flask.cli import AppGroup

from casework.crypto import keys, signing

receipts_cli = AppGroup("receipts", help="Tip receipts and proofs of submission.")


@receipts_cli.command("verify")
@click.argument("proof_file", type=click.File("rb"))
@click.option(
    "--public-key",
    help="The organization's Ed25519 public key (base64), as published at "
    "/whistleblow/proof-key. Default: this installation's own key.",
)
@click.option(
    "--content",
    type=click.File("rb"),
    help="A copy of the submitted content (canonical JSON) to compare with the proof's hash.",
)
def verify(proof_file, public_key: str | None, content) -> None:
    """Verify a proof of submission; exits 1 if it is not valid."""
    try:
        doc = json.load(proof_file)
        trusted = _public_key(public_key)
        claims = signing.verify_proof(doc, trusted)
    except (ValueError, signing.InvalidProof) as error:
        click.echo(f"INVALID: {error}", err=True)
        sys.exit(1)
    if content is not None:
        digest = signing.content_digest([content.read()])
        if digest != claims.get("content_sha256"):
            click.echo("INVALID: the content does not match the proof's hash", err=True)
            sys.exit(1)
    click.echo("VALID proof of submission signed by the organization")
    for name in ("organization", "case_number", "date", "content_sha256"):
        click.echo(f"  {name}: {claims.get(name, '')}")
    key = base64.b64encode(trusted).decode("ascii")
    click.echo(f"  signing key: {key} (SHA-256 {hashlib.sha256(trusted).hexdigest()})")


def _public_key(text: str | None) -> bytes:
    if not text:
        return signing.public_key_bytes(keys.keyring().signing_key)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the public key is not valid base64") from None
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return raw
