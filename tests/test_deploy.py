"""The production guide's files (deploy/, docs/deploy.md) hold up: the systemd units pass
``systemd-analyze verify`` and run commands that exist; nginx accepts the configuration
(``nginx -t``, where nginx is installed) and it logs no address and nothing of the tip channel,
sends HSTS, and lets only the office network reach the staff host; gunicorn loads its
configuration; and with the guide's TRUSTED_PROXIES the app counts the client nginx saw."""

from __future__ import annotations

import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
NGINX = {p.stem: p.read_text() for p in (DEPLOY / "nginx").glob("*.conf")}
VENV_BIN = Path(sys.executable).parent


def _unit(path: Path) -> dict[str, list[str]]:
    """``Section.Key`` -> its values, in order (systemd allows a key more than once)."""
    values: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        values.setdefault(f"{section}.{key}", []).append(value)
    return values


def _env_file(name: str) -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_the_guide_names_every_file_of_deploy():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            assert str(path.relative_to(ROOT)) in guide, path


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is missing")
def test_the_systemd_units_pass_systemd_analyze(tmp_path):
    for unit in UNITS:  # the paths of this checkout in place of /opt/rongrian
        text = unit.read_text().replace("/opt/rongrian/.venv/bin", str(VENV_BIN))
        (tmp_path / unit.name).write_text(text.replace("/opt/rongrian", str(ROOT)))
    shutil.copy(tmp_path / "rongrian@.service", tmp_path / "rongrian@public.service")
    names = [f"./{p.name}" for p in sorted(tmp_path.iterdir()) if p.name != "rongrian@.service"]
    result = subprocess.run(
        ["systemd-analyze", "verify", *names], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result


def test_the_units_run_commands_that_exist(app):
    runner = app.test_cli_runner()
    for unit in UNITS:
        spec = _unit(unit)
        for env in spec.get("Service.EnvironmentFile", []):
            name = Path(env.replace("%i", "public")).name
            assert name == "backup.env" or (DEPLOY / name).is_file(), (unit.name, env)
        for line in spec.get("Service.ExecStart", []):
            words = shlex.split(line)
            if words[0] == "/bin/sh":  # sh -c 'exec … flask --app wsgi backup "…"'
                words = shlex.split(words[2])[1:]
            program = Path(words[0]).name
            assert program in ("gunicorn", "flask"), line
            if program == "gunicorn":
                config = words[words.index("--config") + 1].replace("/opt/rongrian", str(ROOT))
                assert Path(config).is_file() and words[-1] == "wsgi:app"
            else:
                assert words[1:3] == ["--app", "wsgi"], line
                command = [w for w in words[3:] if not w.startswith(("-", '"', "/"))][:2]
                command = [w for w in command if not w.isdigit()]
                result = runner.invoke(args=[*command, "--help"])
                assert result.exit_code == 0, (unit.name, command, result.output)


def test_the_sweep_and_the_backup_run_every_day():
    for name in ("rongrian-sweep", "rongrian-backup"):
        timer = _unit(DEPLOY / "systemd" / f"{name}.timer")
        assert timer["Timer.Unit"] == [f"{name}.service"]
        assert timer["Timer.OnCalendar"][0].startswith("*-*-* ")
        assert timer["Timer.Persistent"] == ["true"]
        assert (DEPLOY / "systemd" / f"{name}.service").is_file()


def _blocks(conf: str, opener: str) -> list[str]:
    """The bodies of the blocks that start with ``opener`` (``server``, ``location /x``)."""
    bodies = []
    for match in re.finditer(re.escape(opener) + r"\s*\{", conf):
        depth, start = 1, match.end()
        for i in range(start, len(conf)):
            depth += {"{": 1, "}": -1}.get(conf[i], 0)
            if depth == 0:
                bodies.append(conf[start:i])
                break
    return bodies


def test_nginx_logs_no_address_and_nothing_of_the_tip_channel():
    for name, conf in NGINX.items():
        for fmt in re.findall(r"log_format\s+\w+\s+([^;]+);", conf):
            for leak in ("remote_addr", "forwarded", "time", "user_agent", "referer", "args"):
                assert leak not in fmt, (name, fmt)
            assert "$request " not in fmt and "$request_uri" not in fmt  # with the query
        for log in re.findall(r"access_log\s+([^;]+);", conf):
            assert log == "off" or log.split()[-1] in ("notrace", "staffnotrace"), (name, log)
    public = NGINX["rongrian-public"]
    for tip_path in ("/whistleblow/", "/api/v1/tips", "/static/", "= /favicon.ico"):
        (body,) = _blocks(public, f"location {tip_path}")
        assert "access_log off;" in body, tip_path
    (staff_tips,) = _blocks(NGINX["rongrian-staff"], "location /admin/tips")
    assert "access_log off;" in staff_tips
    onion = NGINX["rongrian-onion"]
    assert re.findall(r"access_log\s+([^;]+);", onion) == ["off"]


def test_nginx_sends_hsts_and_the_client_address_gunicorn_trusts():
    for name in ("rongrian-public", "rongrian-staff"):
        (tls, *_) = [b for b in _blocks(NGINX[name], "server") if "ssl_certificate" in b]
        assert re.search(r'add_header Strict-Transport-Security "max-age=\d{8,}[^"]*" always;', tls)
        assert "ssl_protocols TLSv1.2 TLSv1.3;" in tls
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in tls  # replaced, not appended
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in tls
    (plain, _tls) = _blocks(NGINX["rongrian-public"], "server")
    assert "return 301 https://$host$request_uri;" in plain


def test_the_staff_host_answers_only_the_office_and_the_vpn():
    (server,) = _blocks(NGINX["rongrian-staff"], "server")
    rules = re.findall(r"^\s*(allow|deny)\s+([^;]+);", server, re.M)
    assert rules[-1] == ("deny", "all") and all(r[0] == "allow" for r in rules[:-1])
    assert all(re.match(r"(10|172\.(1[6-9]|2\d|3[01])|192\.168)\.", r[1]) for r in rules[:-1])
    assert _env_file("staff.env")["RONGRIAN_SURFACE"] == "staff"
    assert _env_file("public.env")["RONGRIAN_SURFACE"] == "public"
    assert "location /admin { return 404; }" in NGINX["rongrian-public"]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rongrian.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    crt, pem = directory / "cert.pem", directory / "key.pem"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return crt, pem


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    crt, pem = _self_signed(tmp_path)
    (tmp_path / "logs").mkdir()
    includes = []
    for name, conf in NGINX.items():
        conf = re.sub(r"ssl_certificate\s+[^;]+;", f"ssl_certificate {crt};", conf)
        conf = re.sub(r"ssl_certificate_key\s+[^;]+;", f"ssl_certificate_key {pem};", conf)
        conf = conf.replace("/var/log/nginx/", f"{tmp_path}/logs/")
        (tmp_path / f"{name}.conf").write_text(conf)
        includes.append(f"include {tmp_path}/{name}.conf;")
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{\n{chr(10).join(includes)}\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_loads_its_configuration_and_the_app(tmp_path):
    env = {
        **os.environ,
        "RONGRIAN_INSTANCE": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
        "SECRET_KEY": "x" * 40,
        "WEB_CONCURRENCY": "3",
        "PORT": "5001",
    }
    gunicorn = [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")]
    checked = subprocess.run(
        [*gunicorn, "--check-config", "wsgi:app"], cwd=ROOT, env=env, capture_output=True
    )
    assert checked.returncode == 0, checked.stderr.decode()
    printed = subprocess.run(
        [*gunicorn, "--print-config", "wsgi:app"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    settings = dict(re.findall(r"^(\w+)\s+= (.*)$", printed, re.M))
    assert settings["workers"] == "3" and settings["bind"] == "['127.0.0.1:5001']"
    assert "NoTipsLogger" in settings["logger_class"]
    assert "%(h)s" not in settings["access_log_format"]  # no client address


def test_with_the_guides_trusted_proxies_the_app_counts_the_client_nginx_saw(make_app):
    """nginx sets X-Forwarded-For to the address it saw (replacing any the client sent) and
    X-Forwarded-Proto; with the guide's TRUSTED_PROXIES=1 the rate limit counts that address
    and HTTPS is recognised (HSTS, secure cookies)."""
    proxies = int(_env_file("rongrian.env")["TRUSTED_PROXIES"])
    app = make_app({"TRUSTED_PROXIES": proxies, "TRACK_RATE_LIMIT": "1 per minute"}, demo=True)
    client = app.test_client()

    def lookup(forwarded_for: str):
        return client.post(
            "/api/v1/track",
            json={"tracking_code": "7KQ4M2XD9HBT0RZP"},
            headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )

    first = lookup("198.51.100.7")
    assert first.status_code == 404
    assert first.headers["Strict-Transport-Security"].startswith("max-age=")
    assert lookup("203.0.113.9").status_code == 404  # another client: its own budget
    # A client that sends its own X-Forwarded-For: nginx appends nothing, it replaces; were it
    # appended, only the rightmost entry (the one nginx wrote) would count.
    assert lookup("192.0.2.1, 198.51.100.7").status_code == 429
