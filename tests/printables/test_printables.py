"""Printables: exact sizes, every QR read back by an independent decoder, text that fits."""
import io
import re

import pytest
import zxingcpp
from PIL import Image

from printables import KINDS, register_totals, render, render_pages
from printables.fonts import fit_text
from printables.register import _rows
from server.rules.badges import make_badge_token

TOKEN = make_badge_token("secret", "V000123", 4)
STATION = {
    "id": 7, "name": "普洱市人民医院学雷锋志愿服务点", "type_name": "医院", "host_unit": "普洱市人民医院",
    "county": "思茅区", "address": "思茅区振兴大道 44 号", "services": ["挂号就医就诊等咨询", "轮椅借用"],
    "windows": {str(d): [["08:00", "11:30"], ["14:30", "17:30"]] for d in range(7)},
    "entrances": [{"label": "北门", "direction": "left", "where": "一楼大厅东侧，约 30 米"},
                  {"label": "负一楼", "direction": "upstairs", "where": "乘扶梯上一楼"}],
    "rules_text": None, "phone_url": "https://leifeng.example.org/s/7", "phone_url_text": "leifeng.example.org/s/7"}
BADGE = {"name": "欧阳娜娜", "number": "PE-000123", "station": STATION["name"], "star_level": 2, "token": TOKEN,
         "photo": None}
A4, A4L, A3L, CARD = (2480, 3508), (3508, 2480), (4961, 3508), (1011, 638)


def _decode(image):
    return [r.text for r in zxingcpp.read_barcodes(image)]


def _scaled(image, factor):
    return image.resize((int(image.width * factor), int(image.height * factor)), Image.LANCZOS)


@pytest.mark.parametrize("kind,data,options,size", [
    ("name-board", {"station": STATION}, {"size": "A3"}, A3L), ("name-board", {"station": STATION}, {"size": "A4"}, A4L),
    ("rules", {"station": STATION}, {}, A4), ("rules", {"station": STATION}, {"size": "A3"}, (3508, 4961)),
    ("services", {"station": STATION}, {}, A4), ("direction-sign", {"station": STATION}, {"entrance": 1}, A4L),
    ("badge", {"badge": BADGE}, {}, CARD), ("badge-sheet", {"badges": [BADGE] * 3}, {}, A4),
    ("station-poster", {"station": STATION}, {}, A4), ("register", {"station": STATION, "records": []}, {}, A4L),
    ("registration-form", {}, {}, A4), ("request-form", {}, {}, A4)])
def test_exact_pixel_sizes_at_300_dpi(kind, data, options, size):
    pages = render_pages(kind, data, **options)
    assert all(p.size == size for p in pages)
    png = Image.open(io.BytesIO(render(kind, data, "png", **options)))
    assert png.size == size and round(png.info["dpi"][0]) == 300


def test_every_kind_is_covered_above():
    assert set(KINDS) == {"name-board", "rules", "services", "direction-sign", "badge", "badge-sheet",
                          "station-poster", "register", "registration-form", "request-form"}


def test_pdf_pages_have_physical_sizes():
    pdf = render("badge-sheet", {"badges": [BADGE] * 23}, "pdf")
    boxes = re.findall(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", pdf)
    assert len(boxes) == 3  # 23 badges, ten a page
    for w, h in boxes:
        assert abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1


def test_badge_qr_reads_back_at_print_and_webcam_sizes():
    card = render_pages("badge", {"badge": BADGE})[0]
    assert _decode(card) == [TOKEN]
    assert _decode(_scaled(card, 0.4)) == [TOKEN]


def test_badge_sheet_qrs_all_read_back():
    tokens = [make_badge_token("secret", f"V{i:06d}", 1) for i in range(10)]
    page = render_pages("badge-sheet", {"badges": [{**BADGE, "token": t} for t in tokens]})[0]
    assert sorted(_decode(page)) == sorted(tokens)


def test_poster_qr_reads_back_full_and_at_phone_size():
    poster = render_pages("station-poster", {"station": STATION})[0]
    assert _decode(poster) == [STATION["phone_url"]]
    assert _decode(_scaled(poster, 0.25)) == [STATION["phone_url"]]


def test_badge_token_uses_alphanumeric_mode():
    from printables.qr import is_alphanumeric
    assert is_alphanumeric(TOKEN)


@pytest.mark.parametrize("name", ["普洱市思茅区人民医院门诊部第一住院部东侧大厅综合服务学雷锋志愿服务点",
                                  "宁洱哈尼族彝族自治县宁洱镇民主社区学雷锋志愿服务站", "测" * 40])
def test_long_names_shrink_or_wrap_but_fit(name):
    assert len(name) <= 40
    width, height = 3000, 1200
    font, lines, line_h = fit_text(name, width, height, 500, 40, bold=True)
    assert "".join(lines) == name  # nothing cut
    assert all(font.getlength(line) <= width for line in lines) and len(lines) * line_h <= height
    for kind, options in (("name-board", {"size": "A4"}), ("rules", {}), ("services", {}), ("station-poster", {})):
        render_pages(kind, {"station": {**STATION, "name": name, "host_unit": "测试" * 20}}, **options)


def test_register_sums_to_records_and_marks_short_days():
    records = [{"date": f"2026-11-{d:02d}", "start": "08:00", "end": "11:30", "volunteer_name": "张三", "minutes": 210}
               for d in range(1, 31)]
    records += [{"date": f"2026-11-{d:02d}", "start": "14:30", "end": "17:30", "volunteer_name": "李四", "minutes": 180}
                for d in range(1, 31, 2)]
    totals = register_totals(records)
    assert sum(totals.values()) == sum(r["minutes"] for r in records)
    rows = _rows(records)
    total_rows = [r for r in rows if r[0] == "total"]
    assert len(total_rows) == 30
    assert all(("不足5小时" in r[1]) == (totals[r[1][0]] < 300) for r in total_rows)
    assert sum(round(float(r[1][3]) * 60) for r in total_rows) == sum(totals.values())
    pages = render_pages("register", {"station": STATION, "from": "2026-11-01", "to": "2026-11-30", "records": records})
    assert len(pages) == -(-len(rows) // 16)


def test_filled_forms_render_and_blank_forms_tick_nothing():
    filled = render_pages("registration-form", {"volunteer": {"name": "张三", "id_number": "**************1234",
                                                              "service_items": ["助老服务"], "employer_type": "其他"}})[0]
    blank = render_pages("registration-form", {})[0]
    assert filled.tobytes() != blank.tobytes()
    request = render_pages("request-form", {"request": {"name": "李*", "category": "空巢老人", "family": [
        {"relation": "儿子", "name": "李*"}] * 7, "service_item": "助老"}})[0]
    assert request.size == A4
