"""/stats in Thai and English, with stable URLs per fiscal year and period: both channels apart,
the "no complaints" sentence for an empty month and an empty fiscal year, SVG charts with the
same numbers in tables, small tip cells shown as "< 3", and no text a tipster wrote; and
/api/v1/stats with the same figures keyed by channel."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date, datetime

import pytest
from figures_direct import bangkok, direct_count


@pytest.fixture
def today(jan_2027):
    return jan_2027


def section(html: str, channel: str) -> str:
    start = html.index(f'<section class="channel-figures" id="{channel}"')
    return html[start : html.index("</section>", start)]


def tiles(part: str) -> list[int]:
    return [int(n) for n in re.findall(r"<li><strong>(\d+)</strong>", part)]


@pytest.mark.real_commits  # threads, the engine's own statements or a second session
def test_stats_page_shows_both_channels_apart_in_thai(app, client, today, two_years):
    r = client.get("/stats?fiscal_year=2570&period=q1")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<html lang="th">' in html
    assert "ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570 (ตุลาคม – ธันวาคม 2569)" in html
    assert "สถิติเรื่องร้องเรียน" in html
    for channel, title in (
        ("complaint", "เรื่องร้องเรียน/ร้องทุกข์ทั่วไป"),
        ("tip", "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
    ):
        part = section(html, channel)
        assert title in part
        with app.app_context():
            want = direct_count(channel, date(2026, 10, 1), date(2026, 12, 31), today)
        assert tiles(part) == [want["received"], want["completed"], want["in_progress"]]
        # the chart and the table beside it carry the same numbers, month by month
        svg = part[part.index("<svg") : part.index("</svg>")]
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        bars = re.findall(r'<text class="chart-value"[^>]*>(\d+)</text>', svg)
        table = part[part.index("<table>") : part.index("</table>")]
        rows = re.findall(r'<th scope="row">เดือน[^<]+</th>(?:<td class="num">(\d+)</td>)?', table)
        assert [b for b in bars[:3]] == [r or "0" for r in rows]
        with app.app_context():
            months = [
                direct_count(channel, first, last, today)["received"]
                for first, last in (
                    (date(2026, 10, 1), date(2026, 10, 31)),
                    (date(2026, 11, 1), date(2026, 11, 30)),
                    (date(2026, 12, 1), date(2026, 12, 31)),
                )
            ]
        assert [int(b) for b in bars[:3]] == months
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]  # no JavaScript
    assert "style=" not in html.split("<main", 1)[1]  # the CSP allows no inline style


def test_stats_page_in_english(client, today, two_years):
    client.get("/lang/en?next=/stats")
    html = client.get("/stats?fiscal_year=2569&period=m09").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Complaint statistics" in html and "September 2026" in html
    assert "General complaints and grievances" in html
    assert "Complaints about corruption and misconduct" in html
    assert "สถิติเรื่องร้องเรียน" not in html


def test_the_no_complaints_sentence_for_an_empty_year_and_an_empty_month(client, today, add_case):
    html = client.get("/stats?fiscal_year=2569").get_data(as_text=True)
    assert "ไม่มีเรื่องร้องเรียนทั่วไปในปีงบประมาณ พ.ศ. 2569" in html
    assert "ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบในปีงบประมาณ พ.ศ. 2569" in html

    add_case("complaint", "roads", bangkok(2026, 10, 5))
    add_case("tip", "bribery", datetime(2026, 12, 2))
    year = client.get("/stats?fiscal_year=2570").get_data(as_text=True)
    general = section(year, "complaint")
    assert re.search(r"เดือนพฤศจิกายน 2569</th><td colspan=\"3\">ไม่มีเรื่องร้องเรียน</td>", general)
    assert re.search(r"เดือนตุลาคม 2569</th><td class=\"num\">1</td>", general)
    month = client.get("/stats?fiscal_year=2570&period=m11").get_data(as_text=True)
    assert "ไม่มีเรื่องร้องเรียนทั่วไปในเดือนพฤศจิกายน 2569" in month
    assert "ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบในเดือนพฤศจิกายน 2569" in month
    december = client.get("/stats?fiscal_year=2570&period=m12").get_data(as_text=True)
    assert "ไม่มีเรื่องร้องเรียนทั่วไปในเดือนธันวาคม 2569" in december
    assert "ไม่มีเรื่องร้องเรียนการทุจริต" not in december
    later = client.get("/stats?fiscal_year=2570&period=m05").get_data(as_text=True)
    assert "ยังไม่ถึงช่วงเวลานี้" in later  # not begun: no claim that nothing came in
    client.get("/lang/en?next=/stats")
    english = client.get("/stats?fiscal_year=2570&period=m11").get_data(as_text=True)
    assert "No general complaints were received in November 2026." in english


def test_small_tip_cells_show_as_below_k(client, today, add_case):
    for _ in range(5):
        add_case("tip", "bribery", datetime(2026, 11, 2))
    add_case("tip", "procurement", datetime(2026, 11, 3))
    add_case("tip", "procurement", datetime(2026, 11, 3))
    add_case("tip", "property", datetime(2026, 11, 3))
    html = client.get("/stats?fiscal_year=2570").get_data(as_text=True)
    tips = section(html, "tip")
    assert tiles(tips) == [8, 0, 8]  # totals exact
    table = tips[tips.index("<h4>") :]
    assert re.search(r"การจัดซื้อจัดจ้าง</th><td class=\"num\">&lt; 3</td>", table)
    assert re.search(r"การเรียกรับสินบน</th><td class=\"num\">5</td>", table)
    assert ">2<" not in table.split("</table>")[0]
    body = client.get("/api/v1/stats?fiscal_year=2570").get_json()
    rows = {r["code"]: r for r in body["tip"]["by_category"]}
    assert rows["procurement"]["received"] is None
    assert rows["procurement"]["suppressed"] == "below_k"
    assert rows["bribery"]["received"] == 5 and "completed" not in rows["bribery"]
    assert rows["property"]["suppressed"] == "below_k"
    assert body["tip"]["received"] == 8 and body["k"] == 3


def test_nothing_a_tipster_wrote_is_published(client, app, today):
    from casework.tipline import filing
    from rongrian.tenancy import current_org

    with app.app_context(), app.test_request_context():
        filing.file_tip(
            current_org(),
            filing.TipSubmission(
                category="bribery",
                what="นายสมมติ เรียกเงินสามหมื่นบาท",
                where="ห้องพัสดุ ชั้นสอง",
                accused_name="นายสมมติ ทดสอบ",
                accused_unit="กองคลัง",
            ),
        )
    html = client.get("/stats").get_data(as_text=True)
    api = client.get("/api/v1/stats").get_data(as_text=True)
    assert tiles(section(html, "tip"))[0] == 1
    for text in ("นายสมมติ", "สามหมื่น", "ห้องพัสดุ"):
        assert text not in html and text not in html_lib.unescape(api)


@pytest.mark.parametrize(
    "query",
    [
        "fiscal_year=abc",
        "fiscal_year=2571",
        "fiscal_year=2570.0",
        "fiscal_year=",
        "period=q5",
        "period=Q1",
        "fiscal_year=2570&period=m13",
    ],
)
def test_bad_periods_are_refused(client, today, query):
    page = client.get(f"/stats?{query}")
    assert page.status_code == 400
    api = client.get(f"/api/v1/stats?{query}")
    assert api.status_code == 400
    body = api.get_json()
    field = "period" if "period=" in query and "fiscal_year=2570&" not in query else None
    field = field or ("period" if "m13" in query else "fiscal_year")
    assert set(body) == {"error", "fields"} and list(body["fields"]) == [field]


def test_api_figures_equal_the_direct_count_keyed_by_channel(app, client, today, two_years):
    body = client.get("/api/v1/stats?fiscal_year=2569&period=h2").get_json()
    assert body["fiscal_year"] == 2569 and body["period"] == "h2"
    assert (body["start"], body["end"]) == ("2026-04-01", "2026-09-30")
    assert [p["period"] for p in body["parts"]["months"]] == [
        "m04",
        "m05",
        "m06",
        "m07",
        "m08",
        "m09",
    ]
    for channel in ("complaint", "tip"):
        with app.app_context():
            want = direct_count(channel, date(2026, 4, 1), date(2026, 9, 30), today)
        got = body[channel]
        assert (got["received"], got["completed"], got["in_progress"]) == (
            want["received"],
            want["completed"],
            want["in_progress"],
        )
        assert got["satisfaction"]["responses"] == want["rated"]
        assert got["satisfaction"]["target_pct"] == 80
    default = client.get("/api/v1/stats").get_json()
    assert (default["fiscal_year"], default["period"]) == (2570, "year")
