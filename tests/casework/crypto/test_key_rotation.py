"""`flask keys rotate` adds a data key and re-encrypts every sealed value under it."""

import io
import json
from pathlib import Path

import upload_samples
from sqlalchemy import select

from casework.cases import attachments, identity
from casework.crypto import fields, keys
from casework.extensions import db
from casework.models import Attachment, Case, OutboxMessage, ReporterIdentity
from casework.notify import outbox

PNG = upload_samples.png_carrying(b"rotate-me" * 20)  # a real picture: images must decode


def test_rotate_reencrypts_and_everything_still_opens(client, app):
    r = client.post(
        "/complaints/",
        data={
            "category": "roads",
            "subject": "ก",
            "details": "ข",
            "kind": "complaint",
            "name": "สมศรี",
            "email": "somsri@example.com",
            "consent": "y",
            "attachments": [(io.BytesIO(PNG), "p.png")],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    runner = app.test_cli_runner()
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "version 2 is current" in result.output
    saved = json.loads(Path(app.config["RONGRIAN_KEYRING_FILE"]).read_text())
    assert saved["current"] == 2 and set(saved["data_keys"]) == {"1", "2"}
    with app.app_context():
        keys.replace(app, None)  # reload from the file, as a restarted server would
        case = db.session.scalar(select(Case))
        row = db.session.scalar(select(ReporterIdentity))
        att = db.session.scalar(select(Attachment))
        assert fields.token_version(row.sealed) == 2
        assert fields.token_version(att.data_sealed) == 2
        assert identity.reveal(case)["name"] == "สมศรี"
        assert attachments.content(att, case) == PNG
        queued = db.session.scalar(select(OutboxMessage))  # the receipt email, still to send
        assert fields.token_version(queued.recipient_sealed) == 2
        assert outbox.recipient(queued) == "somsri@example.com"
    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert "retired data key version 1" in result.output
    status = runner.invoke(args=["keys", "status"]).output
    assert "in use: [3]" in status


def test_rotation_refuses_an_environment_keyring(make_app):
    from casework.crypto.keyring import Keyring

    app = make_app({"RONGRIAN_KEYRING": Keyring.generate().to_json()})
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code != 0
    assert "RONGRIAN_KEYRING" in str(result.exception) + result.output
