"""Back-office fixtures: a case filed on the web, and a local SMTP sink."""

from __future__ import annotations

import socketserver
import threading

import pytest


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept mail: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        server = self.server
        self.reply("220 sink ready")
        sender, recipients = None, []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                if server.fail_next:
                    server.fail_next -= 1
                    self.reply("451 try again later")
                    continue
                sender, recipients = command[10:].strip("<> "), []
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(command[8:].strip("<> "))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line)
                server.messages.append({"from": sender, "to": recipients, "data": b"".join(lines)})
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list[dict] = []
        self.fail_next = 0


@pytest.fixture
def smtp_server():
    """A local SMTP sink: ``.port``, ``.messages`` ({from, to, data}), ``.fail_next`` (451s)."""
    server = _SMTPServer()
    server.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def web_case(client):
    """``web_case(**fields)`` files a complaint through the public web form (with the
    complainant's contact details); returns (case_id, tracking_code)."""
    import re

    from casework.extensions import db
    from casework.models import Case

    def file(**fields):
        data = {
            "category": "roads",
            "kind": "complaint",
            "subject": "ถนนเป็นหลุมลึกหน้าตลาด",
            "details": "ถนนหน้าตลาดสดเป็นหลุมลึก รถจักรยานยนต์ล้มหลายครั้ง",
            "name": "สมชาย ใจดี",
            "phone": "081 234 5678",
            "email": "somchai@example.com",
            "address": "12 ถนนเทศบาล",
            "consent": "y",
            "form_token": "w" * 40,
        }
        data.update(fields)
        response = client.post("/complaints/", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, html
        code = re.search(r'<span class="code">([0-9A-Z-]+)</span>', html).group(1)
        number = re.search(r"<strong>(\d{4}/\d{6})</strong>", html).group(1)
        with client.application.app_context():
            case_id = db.session.scalar(db.select(Case.id).filter_by(case_number=number))
        return case_id, code

    return file
