"""The proof of submission as a one-page A4 PDF that a person can read, print and hand over.

It says in words what the signed proof says (the organization, the report number, the date),
and carries the signed proof itself twice, for whoever checks it: as a QR code, and as the file
``proof.json`` attached to the PDF. It ends with a line on how to check it. It never carries the
receipt, and it names nobody.

Drawn with fpdf2 from fonts the machine has (rongrian.fonts; text shaped with HarfBuzz so Thai
marks sit right); nothing is fetched from anywhere. The PDF's own dates are the report's day,
not the moment it was downloaded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from casework.dates.thaidate import format_date, local_date
from casework.models import Case, Organization
from rongrian import fonts
from rongrian.i18n import current_locale, localized

if TYPE_CHECKING:
    from fpdf import FPDF

MARGIN = 18
TEAL = (15, 118, 110)
GREY = (71, 85, 105)


def _document(day: datetime) -> FPDF:
    from fpdf import FPDF  # loaded on first use: fpdf2 and fontTools weigh ~37 MB a worker

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(day)
    pdf.set_producer("Rongrian")
    regular = fonts.thai_font(fonts.THAI_REGULAR)
    bold = fonts.installed(fonts.THAI_BOLD) or regular
    pdf.add_font("thai", "", str(regular))
    pdf.add_font("thai", "B", str(bold))
    latin = fonts.installed(fonts.LATIN_REGULAR)
    if latin is not None:  # Noto Sans Thai has no Latin letters
        pdf.add_font("latin", "", str(latin))
        pdf.add_font("latin", "B", str(fonts.installed(fonts.LATIN_BOLD) or latin))
        pdf.set_fallback_fonts(["latin"], exact_match=False)
    pdf.set_text_shaping(True)
    return pdf


def _line(pdf: FPDF, text: str, size: float, *, bold=False, colour=(0, 0, 0), gap=1.5) -> None:
    pdf.set_font("thai", "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.55, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _fact(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font("thai", "", 11)
    pdf.set_text_color(*GREY)
    pdf.cell(55, 8, label)
    pdf.set_font("thai", "B", 13)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(0, 8, value, align="L", new_x="LMARGIN", new_y="NEXT")


def render(org: Organization, case: Case, proof: dict, key_url: str) -> bytes:
    """The PDF for ``proof`` (as ``filing.proof_for`` opened it) of ``case``."""
    claims = proof["claims"]
    day = local_date(case.received_at)
    pdf = _document(datetime.combine(day, time.min, tzinfo=UTC))
    pdf.set_title(_("Proof of submission") + " " + claims["case_number"])
    pdf.add_page()
    _line(pdf, localized(org), 13, colour=GREY, gap=0.5)
    _line(pdf, _("Proof that a corruption report was received"), 20, bold=True, colour=TEAL)
    _line(
        pdf,
        _(
            "%(organization)s received a corruption report on %(date)s under the number "
            "below. This document does not say who sent the report.",
            organization=claims["organization"],
            date=format_date(day, current_locale()),
        ),
        12,
        gap=4,
    )
    _fact(pdf, _("Report number"), claims["case_number"])
    _fact(pdf, _("Date received"), format_date(day, current_locale()))
    _fact(pdf, _("Organization"), claims["organization"])
    pdf.set_font("thai", "", 9)
    pdf.set_text_color(*GREY)
    pdf.cell(55, 6, _("Check code of the content"))
    pdf.multi_cell(0, 6, claims["content_sha256"], align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    import qrcode  # loaded on first use, like fpdf

    signed = json.dumps(proof, ensure_ascii=False, separators=(",", ":"))
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(signed.encode())
    code.make(fit=True)
    image = code.make_image().get_image()
    top = pdf.get_y()
    pdf.image(image, x=MARGIN, y=top, w=70, h=70, alt_text=_("The signed proof, for checking"))
    pdf.set_xy(MARGIN + 76, top)
    pdf.set_font("thai", "B", 12)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(0, 7, _("How to check this document"), align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_font("thai", "", 11)
    pdf.multi_cell(
        0,
        6,
        _(
            "An agency such as the NACC scans the QR code, or opens the file proof.json "
            "attached to this PDF, and checks it against the organization's published "
            "verification details at %(url)s. If anything in it was changed, the check fails.",
            url=key_url,
        ),
        align="L",
        new_x="LEFT",
        new_y="NEXT",
    )
    pdf.set_xy(MARGIN, top + 76)
    _line(
        pdf,
        _(
            "Keep your receipt separately and do not write it on this page: anyone who has the "
            "receipt can read your report and the officers' questions."
        ),
        11,
        colour=GREY,
    )
    pdf.embed_file(
        bytes=json.dumps(proof, ensure_ascii=False, indent=2).encode(),
        basename="proof.json",
        desc=_("The signed proof, for checking"),
        mime_type="application/json",
        modification_date=datetime.combine(day, time.min, tzinfo=UTC),
    )
    return bytes(pdf.output())
