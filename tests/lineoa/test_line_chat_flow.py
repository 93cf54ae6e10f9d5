"""A citizen files a complaint in a LINE chat, with photos and a location, and the case is
the same as one filed on the web (received via LINE)."""

from __future__ import annotations

import io

from PIL import Image

from casework.extensions import db
from casework.models import Attachment, Case


def test_full_chat_files_a_case_with_photos_and_location(chat, line_api, gps_jpeg):
    chat.follow()
    assert "สวัสดี" in chat.text
    chat.tap("file")
    assert "ถนน ทางเท้า ท่อระบายน้ำ" in [b["label"] for b in chat.buttons]  # the categories
    chat.tap("category", code="roads")
    assert "รายละเอียด" in chat.text
    chat.say("ถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้มทุกวัน")
    chat.send(chat.sim.photo(gps_jpeg))
    assert "1" in chat.text
    chat.photo()
    chat.tap("next")
    chat.location(13.75633, 100.50177, "ถนนดินสอ เขตพระนคร")
    chat.tap("give_contact")
    chat.tap("title", t="นาย")
    chat.say("สมชาย ใจดี")
    chat.say("081 234 5678")
    chat.tap("consent")
    assert "ถนนหน้าโรงเรียนเป็นหลุมลึก" in chat.text and "2" in chat.text
    from casework.notify.line import postback_data

    # The webhook files the case at once; the photos wait for the outbox worker.
    assert chat.sim.post(chat.sim.postback(postback_data("confirm"))) == 200
    with chat.app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.received_via == "line"
        assert (case.lat, case.lng) == (13.75633, 100.50177)
        assert case.location == "ถนนดินสอ เขตพระนคร"
        assert not case.anonymous and case.contact_consent
        assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0
        number = case.case_number
    said = chat.collect()
    receipt = next(m for m in said if m["type"] == "flex")
    assert number in chat.text and "รหัสติดตามเรื่อง" in chat.text
    assert "/complaints/track" in str(receipt)
    # The worker downloaded the photos from the data API, without their metadata.
    with chat.app.app_context():
        from casework.cases import attachments

        case = db.session.scalar(db.select(Case))
        files = db.session.scalars(db.select(Attachment)).all()
        assert len(files) == 2
        data = attachments.content(files[0], case)
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
