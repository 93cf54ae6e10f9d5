"""Thai wording for seeded cases (casework.seed): subjects, details, places, people and tips.

Fictional throughout: the names are common Thai first names and surnames put together at
random, the phone numbers are in the 08x range and the e-mail domain is ``example.com``."""

from __future__ import annotations

import random

SUBJECTS = {
    "roads": (
        "ถนนชำรุดเป็นหลุมบ่อ",
        "ทางเท้าแตกร้าว เดินไม่สะดวก",
        "ท่อระบายน้ำอุดตัน น้ำเน่าขัง",
        "ฝาท่อระบายน้ำหาย เสี่ยงอันตราย",
        "ขอให้ซ่อมผิวถนนหลังวางท่อประปา",
    ),
    "lighting": (
        "ไฟฟ้าส่องสว่างดับทั้งซอย",
        "เสาไฟฟ้าเอียง เสี่ยงล้มทับบ้าน",
        "ไฟกิ่งกะพริบตลอดคืน",
        "ขอติดตั้งไฟส่องสว่างเพิ่มบริเวณทางเปลี่ยว",
    ),
    "waste": (
        "ขยะไม่ได้จัดเก็บหลายวัน",
        "มีการลักลอบทิ้งขยะข้างทาง",
        "ถังขยะชำรุด ส่งกลิ่นเหม็น",
        "รถเก็บขยะทำน้ำขยะหกเลอะถนน",
    ),
    "nuisance": (
        "เสียงดังจากร้านอาหารกลางคืน",
        "กลิ่นเหม็นจากฟาร์มสุกร",
        "ควันจากการเผาขยะในที่โล่ง",
        "ฝุ่นจากไซต์ก่อสร้างคอนโดมิเนียม",
    ),
    "water": (
        "น้ำประปาไม่ไหล",
        "น้ำประปาขุ่น มีตะกอน",
        "น้ำท่วมขังหลังฝนตกหนัก",
        "ท่อประปาแตก น้ำรั่วไหลบนถนน",
    ),
    "welfare": (
        "ยังไม่ได้รับเบี้ยยังชีพผู้สูงอายุ",
        "สอบถามการลงทะเบียนเบี้ยความพิการ",
        "ขอรับความช่วยเหลือครอบครัวผู้ยากไร้",
    ),
    "tax": (
        "สอบถามภาษีที่ดินและสิ่งปลูกสร้าง",
        "ใบแจ้งภาษีป้ายไม่ถูกต้อง",
        "ขอผ่อนชำระค่าธรรมเนียมเก็บขยะ",
    ),
    "service": (
        "เจ้าหน้าที่ให้บริการล่าช้า",
        "ติดต่องานทะเบียนแล้วไม่ได้รับความสะดวก",
        "เจ้าหน้าที่พูดจาไม่สุภาพ",
    ),
    "other": (
        "สุนัขจรจัดจำนวนมากในชุมชน",
        "ต้นไม้ใหญ่กิ่งหักพาดสายไฟ",
        "ขอให้ติดตั้งกระจกโค้งที่ทางแยก",
        "จอดรถกีดขวางทางเข้าออกซอย",
    ),
}
GENERIC_SUBJECTS = SUBJECTS["other"]

STREETS = ("เทศบาล 1", "มิตรภาพ", "ราชดำเนิน", "โพธิ์กลาง", "สุรนารี", "จอมพล", "ชุมพล")
LANDMARKS = (
    "หน้าบ้านเลขที่ {n}",
    "ปากซอย {street} {n}",
    "ใกล้ตลาดสดเทศบาล",
    "หน้าโรงเรียนเทศบาล {k}",
    "ข้างวัดกลาง",
    "ตรงข้ามร้านสะดวกซื้อ ถนน{street}",
    "หลังสถานีขนส่ง",
)
SINCE = (
    "เป็นมาประมาณ {d} วันแล้ว",
    "เกิดขึ้นทุกคืนตั้งแต่ต้นเดือน",
    "เคยแจ้งด้วยวาจาแล้วแต่ยังไม่มีการแก้ไข",
    "ชาวบ้านในซอยได้รับความเดือดร้อนหลายครัวเรือน",
)
PLEAS = (
    "ขอให้เทศบาลเข้ามาตรวจสอบและแก้ไขด้วยครับ",
    "รบกวนช่วยดำเนินการโดยเร็ว ขอบคุณค่ะ",
    "ขอความอนุเคราะห์ด้วยครับ",
    "หวังว่าจะได้รับการแก้ไขโดยเร็วค่ะ",
)

TITLES = ("นาย", "นาง", "นางสาว")
FIRST_NAMES = (
    "สมชาย",
    "สมหญิง",
    "วิชัย",
    "มาลี",
    "ประเสริฐ",
    "สุดารัตน์",
    "อนุชา",
    "กาญจนา",
    "ธนพล",
    "ปวีณา",
    "บุญเรือน",
    "ศักดิ์ชัย",
)
SURNAMES = (
    "ใจดี",
    "แสงทอง",
    "ศรีสุข",
    "บุญมา",
    "วงศ์สวัสดิ์",
    "ทองคำ",
    "พรหมมา",
    "สายบุญ",
    "มีสุข",
    "จันทร์หอม",
)

QUESTIONS = (
    "ขอทราบตำแหน่งที่ชัดเจน หรือภาพถ่ายเพิ่มเติม",
    "ขอเลขที่บ้านและเบอร์ติดต่อกลับ",
    "ขอสำเนาใบเสร็จที่เกี่ยวข้อง",
)
RESULTS = (
    "ดำเนินการซ่อมแซมเรียบร้อยแล้ว",
    "ได้ประสานผู้ประกอบการและตักเตือนแล้ว ไม่พบเหตุซ้ำ",
    "จัดเก็บเรียบร้อยแล้ว และเพิ่มรอบการจัดเก็บในพื้นที่",
    "ชี้แจงรายละเอียดให้ผู้ร้องทราบแล้ว",
)
EXPLANATIONS = (
    "อยู่ระหว่างจัดซื้อวัสดุ คาดว่าจะดำเนินการแล้วเสร็จตามวันที่แจ้ง",
    "ต้องรองบประมาณซ่อมแซม ขออภัยในความล่าช้า",
)

TIP_WHAT = (
    "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งอนุมัติใบอนุญาตก่อสร้าง",
    "กำหนดคุณลักษณะเฉพาะในการจัดซื้อให้ผู้รับจ้างรายเดียวได้งาน",
    "นำรถยนต์ของทางราชการไปใช้ในงานส่วนตัวในวันหยุด",
    "เบิกค่าล่วงเวลาโดยไม่ได้มาปฏิบัติงานจริง",
    "ให้บริการเฉพาะคนรู้จัก ผู้มาก่อนต้องรอนาน",
    "รับเงินค่าธรรมเนียมแล้วไม่ออกใบเสร็จ",
)
TIP_POSITIONS = ("นักวิชาการ", "หัวหน้าฝ่าย", "ผู้อำนวยการกอง", "เจ้าพนักงานธุรการ", "คนงาน")
TIP_UNITS = ("กองช่าง", "กองคลัง", "สำนักปลัดเทศบาล", "กองสาธารณสุขและสิ่งแวดล้อม")
HOW_KNOWN = ("witnessed", "involved", "documents", "told")
ORDER = "คำสั่งเทศบาลที่ {n}/{year}"
REFERRAL_BODIES = ("nacc", "pacc", "damrongdham")


def subject(rng: random.Random, category_code: str) -> str:
    return rng.choice(SUBJECTS.get(category_code, GENERIC_SUBJECTS))


def details(rng: random.Random, subject_text: str) -> str:
    place = rng.choice(LANDMARKS).format(
        n=rng.randint(1, 399), street=rng.choice(STREETS), k=rng.randint(1, 6)
    )
    since = rng.choice(SINCE).format(d=rng.randint(2, 30))
    return f"{subject_text} บริเวณ{place} {since} {rng.choice(PLEAS)}"


def location(rng: random.Random) -> str:
    return f"ซอย {rng.choice(STREETS)} {rng.randint(1, 40)} ถนน{rng.choice(STREETS)} ตำบลในเมือง"


def person(rng: random.Random) -> str:
    return f"{rng.choice(TITLES)}{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def phone(rng: random.Random) -> str:
    return f"08{rng.randint(0, 9)}-{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"


def reporter(rng: random.Random) -> dict:
    """A complainant's contact details, as the intake form would take them."""
    values = {"name": person(rng), "phone": phone(rng)}
    if rng.random() < 0.4:
        values["email"] = f"citizen{rng.randint(1, 10**6)}@example.com"
    if rng.random() < 0.3:
        values["address"] = f"{rng.randint(1, 399)} {location(rng)}"
    return values


def tip_answers(rng: random.Random, category_code: str, occurred: str) -> dict:
    """A tip questionnaire in the shape casework.tipline.filing seals."""
    named = rng.random() < 0.5
    return {
        "category": category_code,
        "accused": {
            "name": person(rng) if named else "",
            "position": rng.choice(TIP_POSITIONS),
            "unit": rng.choice(TIP_UNITS),
            "role": "staff" if named else "unknown",
        },
        "what": rng.choice(TIP_WHAT),
        "when": "",
        "occurred_on": occurred,
        "where": rng.choice(TIP_UNITS),
        "how_known": rng.choice(HOW_KNOWN),
        "how_known_details": "",
        "evidence": "",
        "witnesses": "",
        "reported_elsewhere": "no",
        "reported_where": "",
    }
