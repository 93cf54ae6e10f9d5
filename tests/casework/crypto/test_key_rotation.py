"""`flask keys rotate` adds a data key and re-encrypts every sealed value under it."""

import io
import json
import threading
import time
from pathlib import Path

import pytest
import upload_samples
from sqlalchemy import select

from casework.cases import attachments, identity
from casework.crypto import fields, keys, rotation
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


@pytest.mark.real_commits
def test_rotation_while_submissions_arrive_loses_nothing(make_app):
    """Two threads keep filing complaints (sealed identity, sometimes a photo) through an app
    that loaded the keyring before any rotation, as a running gunicorn worker has; meanwhile
    another app (the `keys rotate` command) rotates twice, the second time retiring the unused
    keys. Every case still opens, in the workers and in an app started afterwards."""
    from casework.cases.attachments import Upload
    from casework.general import intake
    from rongrian.tenancy import current_org

    admin, worker = make_app(demo=True), make_app(demo=True)
    with worker.app_context():
        assert keys.keyring().current == 1  # loaded before the rotations
    filed: list[tuple[str, str, bytes | None]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def file(thread: int) -> None:
        try:
            for n in range(20):
                name = f"ผู้ร้อง {thread}-{n}"
                photo = PNG if n % 5 == 0 else None
                with worker.app_context(), worker.test_request_context():
                    sub = intake.ComplaintSubmission(
                        category="roads",
                        subject="ถนนชำรุด",
                        details=f"หลุมที่ {thread}-{n}",
                        reporter={"name": name},
                        consent=True,
                        uploads=[Upload("p.png", photo)] if photo else [],
                    )
                    case = intake.file_complaint(current_org(), sub).case
                    with lock:
                        filed.append((case.case_number, name, photo))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def until(count: int) -> None:
        while len(filed) < count and not errors and any(t.is_alive() for t in threads):
            time.sleep(0.01)

    threads = [threading.Thread(target=file, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    runner = admin.test_cli_runner()
    until(8)
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    until(24)
    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 0, result.output
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert len(filed) == 40

    fresh = make_app(demo=True)  # started after it all: reads the key file as it is now
    for app in (worker, fresh):
        with app.app_context():
            ring = keys.keyring()
            assert ring.current == 3
            for number, name, photo in filed:
                case = db.session.scalar(select(Case).filter_by(case_number=number))
                assert identity.reveal(case)["name"] == name
                stored = db.session.scalars(select(Attachment).filter_by(case_id=case.id)).all()
                assert [attachments.content(a, case) for a in stored] == ([photo] if photo else [])
            assert rotation.versions_in_use() <= set(ring.data_keys)
