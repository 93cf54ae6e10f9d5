"""Demo data: one municipality with its departments and categories, in Thai and English.

Loading is idempotent: a second `make run` finds the rows and leaves them as they are.
"""

from __future__ import annotations

from sqlalchemy import select

from casework.extensions import db
from casework.models import Category, Department, Organization
from casework.tipline import penalties, retaliation

ORG = {
    "slug": "demo",
    "name_th": "เทศบาลเมืองตัวอย่าง",
    "name_en": "Tuayang Town Municipality (demo)",
    "address_th": "123 ถนนเทศบาล ตำบลในเมือง อำเภอเมือง จังหวัดตัวอย่าง 10000",
    "address_en": "123 Thetsaban Road, Nai Mueang, Mueang District, 10000",
    "phone": "0 4200 0000",
    "email": "saraban@demo.go.th",
    "website": "https://demo.go.th",
    "signatory_title": "นายกเทศมนตรีเมืองตัวอย่าง",
    "office_hours_th": "วันจันทร์ถึงวันศุกร์ เวลา 08.30–16.30 น. (เว้นวันหยุดราชการ)",
    "office_hours_en": "Monday to Friday, 8:30–16:30 (except public holidays)",
}

DEPARTMENTS = [
    ("clerk", "สำนักปลัดเทศบาล", "Office of the Municipal Clerk"),
    ("finance", "กองคลัง", "Finance Division"),
    ("works", "กองช่าง", "Public Works Division"),
    ("health", "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division"),
    ("education", "กองการศึกษา", "Education Division"),
    ("welfare", "กองสวัสดิการสังคม", "Social Welfare Division"),
    ("audit", "หน่วยตรวจสอบภายใน", "Internal Audit Unit"),
]

COMPLAINT_CATEGORIES = [
    ("roads", "ถนน ทางเท้า ท่อระบายน้ำ", "Roads, footpaths and drains", 15, "works"),
    ("lighting", "ไฟฟ้าสาธารณะ", "Street lighting", 7, "works"),
    ("waste", "ขยะและความสะอาด", "Rubbish and cleanliness", 7, "health"),
    ("nuisance", "เหตุเดือดร้อนรำคาญ (เสียง กลิ่น ควัน)", "Nuisance (noise, smell, smoke)", 15, "health"),
    ("water", "น้ำประปาและน้ำท่วม", "Water supply and flooding", 15, "works"),
    ("welfare", "สวัสดิการและเบี้ยยังชีพ", "Welfare and allowances", 15, "welfare"),
    ("tax", "ภาษีและค่าธรรมเนียม", "Local taxes and fees", 15, "finance"),
    ("service", "การให้บริการของเจ้าหน้าที่", "Service by municipal staff", 15, "clerk"),
    ("other", "เรื่องอื่น ๆ", "Other", 15, "clerk"),
]

TIP_CATEGORIES = [
    ("bribery", "การเรียกรับสินบน", "Bribery", 15),
    ("procurement", "การจัดซื้อจัดจ้าง", "Procurement", 15),
    ("personnel", "การบริหารงานบุคคลและการเลื่อนขั้น", "Personnel and promotion", 15),
    ("property", "การใช้ทรัพย์สินของราชการโดยมิชอบ", "Misuse of public property", 15),
    ("abuse", "การใช้อำนาจหน้าที่โดยมิชอบ", "Abuse of authority", 15),
    (
        "unfair_service",
        "การให้บริการที่ไม่เป็นธรรม เลือกปฏิบัติ",
        "Unfair or discriminatory service",
        15,
    ),
    ("other", "การทุจริตหรือประพฤติมิชอบอื่น ๆ", "Other corruption or misconduct", 15),
]


def load() -> Organization:
    org = db.session.scalar(select(Organization).filter_by(slug=ORG["slug"]))
    if org is None:
        org = Organization(**ORG)
        db.session.add(org)
        db.session.flush()
    departments = {
        d.code: d for d in db.session.scalars(select(Department).filter_by(organization_id=org.id))
    }
    for code, th, en in DEPARTMENTS:
        if code not in departments:
            departments[code] = Department(
                organization_id=org.id, code=code, name_th=th, name_en=en
            )
            db.session.add(departments[code])
    db.session.flush()
    existing = {
        (c.channel, c.code)
        for c in db.session.scalars(select(Category).filter_by(organization_id=org.id))
    }
    for order, (code, th, en, days, dept) in enumerate(COMPLAINT_CATEGORIES):
        if ("complaint", code) not in existing:
            db.session.add(
                Category(
                    organization_id=org.id,
                    channel="complaint",
                    code=code,
                    name_th=th,
                    name_en=en,
                    sla_days=days,
                    department_id=departments[dept].id,
                    sort_order=order,
                )
            )
    for order, (code, th, en, days) in enumerate(TIP_CATEGORIES):
        if ("tip", code) not in existing:
            db.session.add(
                Category(
                    organization_id=org.id,
                    channel="tip",
                    code=code,
                    name_th=th,
                    name_en=en,
                    sla_days=days,
                    sort_order=order,
                )
            )
    retaliation.seed_kinds(org.id)
    penalties.seed(org.id)
    db.session.commit()
    return org
