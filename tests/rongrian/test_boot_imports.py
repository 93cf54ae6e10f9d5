"""A worker that has just built the app has not loaded the libraries only a few pages use.

Each of them is imported where it is used (README "Performance", worker memory): fpdf2 and
fontTools for the tip's proof PDF, qrcode for it and for 2FA enrolment, openpyxl for XLSX
exports, pikepdf for a tip's PDF attachments, line-bot-sdk's webhook models where the LINE
webhook is served, Flask-Migrate and Alembic for the ``db`` commands. Checked in a fresh
interpreter, since this test process has loaded them all.
"""

import json
import subprocess
import sys

from rongrian.config import ROOT

LOADED_ON_USE = (
    "fpdf",
    "fontTools",
    "uharfbuzz",
    "qrcode",
    "openpyxl",
    "pikepdf",
    "linebot",
    "flask_migrate",
    "alembic",
    "hypothesis",
    "pytest",
)

PROBE = """
import json, sys
from rongrian import create_app
app = create_app(surface=sys.argv[1])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _top_level_modules(tmp_path, surface: str, **environ) -> set[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "RONGRIAN_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'boot.db'}",
        "SECRET_KEY": "boot-imports",
        **environ,
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE, surface],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_building_the_app_loads_none_of_the_libraries_used_by_a_few_pages(tmp_path):
    loaded = _top_level_modules(tmp_path, "all")
    assert "flask" in loaded  # the probe saw the app's own imports
    assert sorted(loaded & set(LOADED_ON_USE)) == []


def test_the_line_webhook_models_load_at_boot_only_where_the_webhook_is_served(tmp_path):
    line = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}
    assert "linebot" in _top_level_modules(tmp_path, "public", **line)
    assert "linebot" not in _top_level_modules(tmp_path, "staff", **line)
