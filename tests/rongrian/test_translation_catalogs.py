"""Every package that has a ``translations/`` folder keeps a complete Thai catalog; the UI is Thai
first and English on request.

Messages are extracted the way ``pybabel extract -F babel.cfg`` does: a package's python files
plus its templates (``templates/<package>/`` for a blueprint; the shared top-level
``templates/*.html`` for casework). At run time Flask-Babel merges the catalogs in
``rongrian.i18n.PACKAGES`` order, so a message translated in the casework catalog counts as
translated everywhere, and a package that translates it again must say the same thing.

A package without a ``translations/`` folder yet is not checked; once the folder exists, it is.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from html import escape
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, check_and_call_extract_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from rongrian import i18n
from rongrian.config import ROOT

SHARED = "rongrian"
TEMPLATES = ROOT / "templates"


def packages_with_catalogs() -> list[str]:
    dirs = set(i18n.translation_dirs())
    return [p for p in i18n.PACKAGES if str(ROOT / p / "translations") in dirs]


def catalog_path(package: str) -> Path:
    return ROOT / package / "translations" / "th" / "LC_MESSAGES" / "messages.po"


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def template_inputs(package: str) -> list[str]:
    """What to give ``pybabel extract`` besides the package directory."""
    if package == SHARED:
        kinds = sorted({p.suffix for p in TEMPLATES.glob("*.*") if p.is_file()})
        return [f"templates/*{suffix}" for suffix in kinds]
    folders = [package, *(f for f, owner in i18n.TEMPLATE_FOLDERS.items() if owner == package)]
    return [f"templates/{f}" for f in folders if (TEMPLATES / f).is_dir()]


def sources(package: str) -> list[Path]:
    """The package's files and its templates; babel.cfg decides which of them hold messages."""
    files = [
        p
        for p in (ROOT / package).rglob("*")
        if p.is_file() and "translations" not in p.relative_to(ROOT / package).parts
    ]
    if package == SHARED:
        files += [p for p in TEMPLATES.glob("*") if p.is_file()]
    for folder in template_inputs(package) if package != SHARED else []:
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file()]
    return sorted(files)


def update_commands(package: str) -> str:
    pot = f"/tmp/{package}.pot"
    inputs = " ".join([package, *template_inputs(package)])
    verb = "update" if catalog_path(package).is_file() else "init"
    extra = " --no-fuzzy-matching --ignore-obsolete" if verb == "update" else ""
    return (
        f"  .venv/bin/pybabel extract -F babel.cfg -o {pot} {inputs}\n"
        f"  .venv/bin/pybabel {verb} -i {pot} -d {package}/translations -l th{extra}\n"
        "then write the Thai msgstr for every empty entry (and drop any '#, fuzzy' flag)."
    )


@cache
def extracted(package: str) -> Catalog:
    """The messages in the package's sources, with their locations, as babel.cfg maps them."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh, "babel.cfg")
    found = Catalog(locale="en")
    for path in sources(package):
        for filename, lineno, message, _comments, context in check_and_call_extract_file(
            str(path),
            method_map,
            options_map,
            callback=None,
            keywords=DEFAULT_KEYWORDS,
            comment_tags=(),
            strip_comment_tags=False,
            dirpath=str(ROOT),
        ):
            found.add(message, locations=[(filename, lineno)], context=context)
    return found


@cache
def thai(package: str) -> Catalog | None:
    path = catalog_path(package)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale="th", abort_invalid=True)


def is_translated(catalog: Catalog | None, message: Message) -> bool:
    """True when the catalog has a non-fuzzy, non-empty Thai string (every plural form)."""
    entry = catalog.get(message.id, context=message.context) if catalog else None
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, (list, tuple)) else [entry.string]
    return bool(strings) and all(s and s.strip() for s in strings)


def show(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    where = ", ".join(f"{f}:{n}" for f, n in message.locations[:3])
    return f"  {msgid!r}" + (f"  ({where})" if where else "")


# %-conversions the way Python formats them; a lone "%" that is not one counts on its own.
SPEC = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


def placeholders(text: str) -> Counter:
    specs = [m.group(0) for m in SPEC.finditer(text)]
    stray = text.count("%") - sum(s.count("%") for s in specs)
    return Counter(specs) + Counter({"%": stray})


PACKAGES = packages_with_catalogs()


def test_the_shared_and_complaint_catalogs_are_checked():
    assert {"casework", "complaints"} <= set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_message_has_a_thai_translation(package):
    catalog = thai(package)
    assert catalog is not None, (
        f"{package}/translations/ exists but {rel(catalog_path(package))} does not. "
        f"Create it with:\n{update_commands(package)}"
    )
    shared = thai(SHARED) if package != SHARED else None
    missing = [
        m
        for m in extracted(package)
        if m.id and not is_translated(catalog, m) and not is_translated(shared, m)
    ]
    assert not missing, (
        f"{len(missing)} message(s) of '{package}' have no Thai translation "
        "(empty, fuzzy or absent). Add them to "
        f"{rel(catalog_path(package))}:\n"
        + "\n".join(show(m) for m in missing)
        + f"\nTo update the catalog from the sources:\n{update_commands(package)}"
    )


@pytest.mark.parametrize("package", PACKAGES)
def test_translations_keep_the_placeholders(package):
    catalog = thai(package)
    if catalog is None:
        pytest.skip("no catalog yet (the completeness test reports it)")
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        source = m.id if isinstance(m.id, str) else m.id[-1]
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        for s in strings:
            if s and placeholders(s) != placeholders(source):
                wrong.append(f"  {source!r}\n    -> {s!r}")
    assert not wrong, (
        f"In {rel(catalog_path(package))} these translations change the %-placeholders of "
        "their msgid (keep every %(name)s / %(n)d exactly, and write no other '%'):\n"
        + "\n".join(wrong)
    )


@pytest.mark.parametrize("package", PACKAGES)
def test_catalog_header_is_thai(package):
    catalog = thai(package)
    if catalog is None:
        pytest.skip("no catalog yet (the completeness test reports it)")
    assert str(catalog.locale) == "th"
    # Flask-Babel takes the plural rule of the last merged catalog, so every one must agree.
    assert catalog.plural_forms == "nplurals=1; plural=0;", rel(catalog_path(package))
    assert not catalog.fuzzy, f"{rel(catalog_path(package))}: remove '#, fuzzy' from the header"


def test_a_message_in_several_catalogs_is_translated_the_same_way():
    """Merged catalogs share one namespace: a later package's msgstr replaces the earlier one
    on every page, casework's included."""
    seen: dict[tuple, tuple[str, object]] = {}
    clashes = []
    for package in PACKAGES:
        catalog = thai(package)
        for m in catalog or ():
            if not m.id or not m.string or m.fuzzy:
                continue
            key = (m.context, m.id if isinstance(m.id, str) else tuple(m.id))
            string = m.string if isinstance(m.string, str) else tuple(m.string)
            first = seen.setdefault(key, (package, string))
            if first[1] != string:
                clashes.append(
                    f"  {key[1]!r}: {first[0]} says {first[1]!r}, {package} says {string!r}"
                )
    assert not clashes, (
        "These messages are translated differently in two catalogs; the later one would "
        "silently win everywhere. Use the same Thai (or a different msgid):\n" + "\n".join(clashes)
    )


def test_every_template_folder_belongs_to_a_package():
    """Templates outside templates/<package>/ (and the shared top level) are in no catalog."""
    strays = [
        rel(d)
        for d in sorted(TEMPLATES.iterdir())
        if d.is_dir()
        and d.name not in (*i18n.PACKAGES, *i18n.TEMPLATE_FOLDERS)
        and any(d.rglob("*.*"))
    ]
    assert not strays, (
        f"{strays}: no package in rongrian.i18n.PACKAGES owns these template folders, so no "
        "catalog test extracts their messages. Move them under templates/<package>/."
    )


# --- the pages themselves -----------------------------------------------------------------


def english_left(html: str, packages=(SHARED, "complaints")) -> list[str]:
    """Translated sentences (msgids with a space) whose English still shows on a page."""
    return [
        m.id
        for package in packages
        for m in thai(package) or ()
        if isinstance(m.id, str)
        and " " in m.id
        and m.string
        and m.string != m.id
        and escape(m.id, quote=False) in html
    ]


def complaint_form(**extra) -> dict:
    data = {
        "kind": "complaint",
        "category": "lighting",
        "subject": "ไฟถนนดับ",
        "details": "ไฟถนนหน้าวัดดับมาสามคืนแล้ว",
        "form_token": "t" * 43,
    }
    data.update(extra)
    return data


def test_home_page_is_thai_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="th">' in html
    assert "ร้องเรียน" in html
    assert "ท่านต้องการติดต่อเรื่องใด" in html
    assert "ศูนย์ดำรงธรรม สายด่วน 1567" in html
    assert "How can we help?" not in html
    assert "General complaints and grievances" not in html
    assert english_left(html) == []


def test_complaint_form_is_thai_by_default(client):
    html = client.get("/complaints/").get_data(as_text=True)
    assert '<html lang="th">' in html
    assert "ยื่นเรื่องร้องเรียน ร้องทุกข์ หรือเสนอแนะ" in html
    assert "File a complaint, grievance or suggestion" not in html
    # Form labels are lazy strings from complaints.forms; they follow the locale too.
    assert "ร้องเรียน: มีสิ่งที่ไม่ถูกต้องและควรได้รับการแก้ไข" in html
    assert "— กรุณาเลือก —" in html
    assert english_left(html) == []


def test_form_errors_are_thai_by_default(client):
    r = client.post("/complaints/", data=complaint_form(category="", subject=""))
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "กรุณาตรวจสอบข้อมูลในช่องที่แจ้งเตือน" in html
    assert "กรุณาเลือกประเภทเรื่อง" in html
    assert "กรุณาระบุชื่อเรื่องโดยย่อ" in html
    assert english_left(html) == []


def test_receipt_tracking_and_status_pages_are_thai(client):
    receipt = client.post("/complaints/", data=complaint_form()).get_data(as_text=True)
    assert "ใบรับเรื่องร้องเรียน" in receipt
    assert "เลขที่รับเรื่อง" in receipt and "รหัสติดตามเรื่อง" in receipt
    assert english_left(receipt) == []
    code = re.search(r'<span class="code">([^<]+)</span>', receipt).group(1)

    track = client.get("/complaints/track").get_data(as_text=True)
    assert "ดูสถานะเรื่อง" in track
    assert english_left(track) == []

    status = client.post("/complaints/track", data={"tracking_code": code})
    html = status.get_data(as_text=True)
    assert status.status_code == 200
    assert "ความคืบหน้า" in html and "รับเรื่องร้องเรียนแล้ว" in html
    assert english_left(html) == []


def test_pages_are_english_after_choosing_english(client):
    r = client.get("/lang/en?next=/complaints/")
    assert r.status_code == 302
    assert "lang=en" in r.headers["Set-Cookie"]

    home = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in home
    assert "How can we help?" in home
    assert "ท่านต้องการติดต่อเรื่องใด" not in home

    form = client.get("/complaints/").get_data(as_text=True)
    assert "File a complaint, grievance or suggestion" in form
    assert "ยื่นเรื่องร้องเรียน ร้องทุกข์ หรือเสนอแนะ" not in form

    client.get("/lang/th?next=/")
    assert "ท่านต้องการติดต่อเรื่องใด" in client.get("/").get_data(as_text=True)
