"""One Thai term per concept: no Thai catalog uses a variant that docs/glossary.toml rejects, a
message whose English names a concept with a `msgid` pattern uses that concept's Thai term, and
the README's glossary shows the same Thai terms."""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pytest
from babel.messages.pofile import read_po

from rongrian import i18n
from rongrian.config import ROOT

GLOSSARY = ROOT / "docs" / "glossary.toml"
DATA = {"demo.py", "seedtext.py"}


@cache
def terms() -> list[dict]:
    return tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))["term"]


def catalogs() -> list[str]:
    dirs = set(i18n.translation_dirs())
    return [p for p in i18n.PACKAGES if str(ROOT / p / "translations") in dirs]


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(phrase)) for m in re.finditer(re.escape(phrase), text)]


def rejected_uses(text: str, package: str) -> list[tuple[str, str]]:
    """(variant, chosen term) for each rejected variant in ``text`` that is not merely a part of
    a longer chosen term or of a phrase the glossary calls fine."""
    covers = [
        span
        for term in terms()
        for phrase in [term["thai"], *term.get("fine", [])]
        for span in _spans(text, phrase)
    ]
    found = []
    for term in terms():
        variants = [*term["rejected"], *term.get("rejected_in", {}).get(package, [])]
        for variant in variants:
            for start, end in _spans(text, variant):
                inside = any(a <= start and end <= b and b - a > end - start for a, b in covers)
                if not inside:
                    found.append((variant, term["thai"]))
    return found


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def missing_terms(msgid: str, text: str) -> list[str]:
    """The Thai terms that ``msgid`` names in English (a `msgid` pattern) but ``text`` lacks."""
    english = PLACEHOLDER.sub("", msgid)
    return [
        term["thai"]
        for term in terms()
        if "msgid" in term
        and re.search(term["msgid"], english, re.IGNORECASE)
        and term["thai"] not in text
    ]


def test_the_glossary_names_one_thai_term_per_concept():
    thai = [t["thai"] for t in terms()]
    assert len(thai) == len(set(thai)), "two concepts share a Thai term"
    for term in terms():
        assert term["english"] and term["thai"] and "meaning" in term
        assert term["thai"] not in term["rejected"], term["english"]


def test_the_check_finds_a_rejected_variant_but_not_a_part_of_a_chosen_term():
    assert rejected_uses("ผู้ร้องเรียนแจ้งว่า", "complaints") == []
    assert rejected_uses("ผู้ร้องแจ้งว่า", "complaints") == [("ผู้ร้อง", "ผู้ร้องเรียน")]
    assert rejected_uses("กรุณาเก็บรหัสใบรับไว้", "whistleblow") == []
    assert ("ใบรับเรื่อง", "รหัสใบรับ") in rejected_uses("พิมพ์ใบรับเรื่อง", "whistleblow")
    assert rejected_uses("พิมพ์ใบรับเรื่อง", "complaints") == []
    assert rejected_uses("เรื่องที่กล่าวหาปลัดเทศบาล", "whistleblow") == []


def test_the_check_tells_a_department_from_the_organization():
    assert rejected_uses("หน่วยงานขอข้อมูลเพิ่มเติมจากท่าน", "complaints") == []
    assert rejected_uses("ส่งต่อหน่วยงานภายนอก", "admin") == []
    assert rejected_uses("ส่วนงานที่รับผิดชอบ", "transparency") == []
    assert rejected_uses("หน่วยงานผู้รับผิดชอบ", "complaints") == [("หน่วยงานผู้รับผิดชอบ", "ส่วนงาน")]
    assert rejected_uses("ส่วนงานของท่านรับเรื่องไว้ดำเนินการ", "admin") == []
    assert rejected_uses("หน่วยงานของท่านรับเรื่องไว้ดำเนินการ", "admin") == [("หน่วยงานของท่าน", "ส่วนงาน")]
    assert rejected_uses("องค์กรปกครองส่วนท้องถิ่นอื่น", "casework") == []
    assert rejected_uses("กุญแจดอกแรกขององค์กร", "admin") == [("องค์กร", "หน่วยงาน")]
    assert missing_terms("Department", "หน่วยงาน") == ["ส่วนงาน"]
    assert missing_terms("All units", "รวมทุกส่วนงาน") == []
    assert missing_terms("Department officer", "เจ้าหน้าที่ประจำส่วนงาน") == []
    assert missing_terms("Organization", "หน่วยงาน") == []
    assert missing_terms("Answered within %(n)d days by %(unit)s.", "โดย%(unit)s") == []


@pytest.mark.parametrize("package", catalogs())
def test_every_message_naming_a_department_in_english_says_its_term_in_thai(package):
    path = ROOT / package / "translations" / "th" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            for term in missing_terms(" ".join(ids), text or ""):
                wrong.append(f"  {ids[0]!r} needs {term!r} in: {text}")
    assert not wrong, (
        f"{path.relative_to(ROOT)} translates a glossary concept without its Thai term:\n"
        + "\n".join(wrong)
    )


@pytest.mark.parametrize("package", catalogs())
def test_no_catalog_uses_a_rejected_variant(package):
    path = ROOT / package / "translations" / "th" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            for variant, chosen in rejected_uses(text or "", package):
                wrong.append(f"  {variant!r} (write {chosen!r}) in: {text}")
    assert not wrong, (
        f"{path.relative_to(ROOT)} uses variants that docs/glossary.toml rejects:\n"
        + "\n".join(wrong)
    )


def test_the_readme_glossary_shows_the_chosen_terms():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Glossary", 1)[1].split("\n## ", 1)[0]
    missing = [t["thai"] for t in terms() if t["thai"] not in section]
    assert not missing, f"README's Glossary lacks these terms of docs/glossary.toml: {missing}"


def _thai_sources():
    """Files that hold Thai text outside the catalogs: the emails and letters, written in Thai
    in their templates, and Thai literals in the code (export headers, letter subjects)."""
    templates = sorted((ROOT / "templates").rglob("*.html")) + sorted(
        (ROOT / "templates").rglob("*.txt")
    )
    code = [
        p
        for package in catalogs()
        for p in sorted((ROOT / package).rglob("*.py"))
        if p.name not in DATA  # what citizens and the demo organization wrote: not our words
    ]
    return [p for p in templates + code if re.search("[\u0e00-\u0e7f]", p.read_text("utf-8"))]


def _package_of(path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "templates" and len(parts) > 2 else parts[0]


def test_no_template_or_code_writes_a_rejected_variant():
    wrong = []
    for path in _thai_sources():
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            for variant, chosen in rejected_uses(line, _package_of(path)):
                wrong.append(f"  {path.relative_to(ROOT)}:{number}: {variant!r} (write {chosen!r})")
    assert not wrong, "Thai text that docs/glossary.toml rejects:\n" + "\n".join(wrong)
