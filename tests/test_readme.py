"""Every test the README names exists: the privacy table points at real files and functions."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMED = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def test_every_test_named_in_the_readme_exists():
    named = NAMED.findall((ROOT / "README.md").read_text())
    assert len(named) >= 20  # the privacy table alone names more than twenty
    missing = []
    for path, function in named:
        source = ROOT / path
        if not source.is_file():
            missing.append(path)
        elif function and not re.search(rf"^def {function}\(", source.read_text(), re.M):
            missing.append(f"{path}::{function}")
    assert not missing, missing
