"""普洱市志愿者服务记录登记簿: the book sums to the records, marks short days by service time, numbers its pages."""
import math
import random

from printables import register_totals, render_pages
from printables.register import DAILY_MINIMUM, ROWS_PER_PAGE, SHORT_MARK, hours, register_rows
from tests.printables.samples import gen_records, gen_station, texts

STATION = gen_station()


def _all_text(pages):
    return [t["text"] for page in pages for t in texts(page)]


def test_totals_sum_to_the_records_whatever_their_order():
    records = gen_records()
    shuffled = random.Random(3).sample(records, len(records))
    totals = register_totals(shuffled)
    assert list(totals) == sorted(totals)
    assert sum(totals.values()) == sum(r["minutes"] for r in records)
    for day, minutes in totals.items():
        assert minutes == sum(r["minutes"] for r in records if r["date"] == day)


def _service_days(records):
    """A station's service time per day as the caller gives it: here four fifths of the summed time
    (volunteers overlapping), so days with 5 h summed can still be short."""
    return {d: {"service_minutes": m * 4 // 5, "volunteer_minutes": m} for d, m in register_totals(records).items()}


def test_a_month_of_records_prints_every_record_and_a_total_per_day():
    records = gen_records()
    totals, days = register_totals(records), _service_days(records)
    short_days = [d for d, v in days.items() if v["service_minutes"] < DAILY_MINIMUM]
    assert short_days and len(short_days) < len(totals)  # the sample has both kinds of day
    assert any(totals[d] >= DAILY_MINIMUM for d in short_days)  # the sum would have passed them
    rows = register_rows(records, days)
    assert sum(r["kind"] == "record" for r in rows) == len(records)
    day_rows = [r for r in rows if r["kind"] == "total"]
    assert [r["date"] for r in day_rows] == list(totals)
    for row in day_rows:
        assert row["cells"][3] == hours(days[row["date"]]["service_minutes"])
        assert row["cells"][5] == f"志愿服务总时长 {hours(totals[row['date']])} 小时"
        assert row["short"] == (days[row["date"]]["service_minutes"] < DAILY_MINIMUM)
        assert (row["cells"][4] == SHORT_MARK) == row["short"]
    assert all(r["cells"][4] == "站点服务" for r in rows if r["kind"] == "record")

    pages = render_pages("register", {"station": STATION, "from": "2026-11-01", "to": "2026-11-30",
                                      "records": records, "days": days})
    assert len(pages) == math.ceil(len(rows) / ROWS_PER_PAGE)
    printed = _all_text(pages)
    assert printed.count("当日站点服务时长") == len(totals)
    assert printed.count("普洱市志愿者服务记录登记簿") == len(pages) and not any("登记薄" in t for t in printed)
    assert printed.count(SHORT_MARK) == len(short_days)
    assert printed.count("站点服务") == len(records)
    assert sum(1 for t in printed if t.startswith("站点：") and STATION["name"] in t) == len(pages)
    assert sum(1 for t in printed if "2026-11-01 至 2026-11-30" in t) == len(pages)
    for n in range(1, len(pages) + 1):
        assert f"第 {n} 页 / 共 {len(pages)} 页" in printed
    total_hours = hours(sum(totals.values()))
    assert any(t.startswith("本期合计") and total_hours in t and f"{len(short_days)} 天不足" in t for t in printed)


def test_a_day_running_onto_the_next_page_is_marked_continued():
    records = [{"date": "2026-11-02", "start": f"{8 + i // 4:02d}:{(i % 4) * 15:02d}", "end": "18:00",
                "volunteer_name": f"志愿者{i}", "minutes": 30} for i in range(ROWS_PER_PAGE + 4)]
    pages = render_pages("register", {"station": STATION, "records": records})
    assert len(pages) == 2
    assert "2026-11-02（续）" in [t["text"] for t in texts(pages[1])]
    assert "不足5小时" not in _all_text(pages)  # 20 x 30 minutes = 10 hours


def test_blank_book_pages_are_ruled_and_preprinted():
    pages = render_pages("register", {"station": STATION, "records": [], "blank_pages": 2})
    assert len(pages) == 2
    printed = _all_text(pages)
    assert "当日合计" not in printed and printed.count("站点服务") == 2 * ROWS_PER_PAGE
    assert "第 2 页 / 共 2 页" in printed
