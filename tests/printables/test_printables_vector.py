"""Vector output a sign shop can use: real text read back by poppler, an embedded subset font, vector QR."""
import io
import os
import re
import shutil
import subprocess

import pytest
from PIL import Image

from printables import layout_pages, parse_size, render
from printables.signs import rules_of
from tests.printables.samples import LONG_NAME, decode, gen_badge, gen_station

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
STATION = gen_station(name=LONG_NAME)
RARE = "堃喆䶮"  # outside GB 2312's level 1: drawn from the supplement font


def run(*cmd, data):
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout


def pdf_text(pdf):
    """The PDF's text as poppler reads it, with every space and line break removed."""
    return re.sub(r"\s+", "", run("pdftotext", "-", "-", data=pdf).decode())


def flat(text):
    return re.sub(r"\s+", "", text)


def pdf_pages_at(pdf, dpi):
    """The PDF's pages rasterised by poppler (not our own renderer)."""
    png = run("pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-", data=pdf)
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_pdftotext_reads_the_name_every_rule_and_service_back():
    station = {**STATION, "services": STATION["services"] + [f"{RARE}便民服务"]}
    board = pdf_text(render("name-board", {"station": station}, "pdf"))
    rules = pdf_text(render("rules", {"station": station}, "pdf"))
    services = pdf_text(render("services", {"station": station}, "pdf"))
    assert flat(station["name"]) in board and "服务单位：" + station["host_unit"] in board
    for rule in rules_of(station):
        assert flat(rule) in rules
    assert station["name"] in rules
    for line in station["services"]:
        assert flat(line) in services
    for word in ("星期一", "08:00—11:30", "休息"):
        assert word in services


def test_pdffonts_lists_an_embedded_subset_font():
    for kind, data in (("name-board", {"station": STATION}), ("registration-form", {}),
                       ("badge", {"badge": gen_badge(name=f"张{RARE}")})):
        listing = run("pdffonts", "-", data=render(kind, data, "pdf")).decode().splitlines()[2:]
        assert listing, kind
        for line in listing:  # name+tag, type, encoding, emb, sub, uni
            name, *_, emb, sub, uni, _obj, _gen = line.split()
            assert re.fullmatch(r"[A-Z]{6}\+\S+", name) and (emb, sub, uni) == ("yes", "yes", "yes"), line


def test_characters_outside_the_working_font_are_still_real_text():
    pdf = render("badge", {"badge": gen_badge(name=f"张{RARE}")}, "pdf")
    assert f"张{RARE}" in pdf_text(pdf)


def test_name_board_pdf_is_small():
    for size in ("A3", "A4", "1200x400mm"):
        assert len(render("name-board", {"station": STATION}, "pdf", size=size)) < 200_000, size


def test_qr_rasterised_from_the_vector_pdf_at_150_dpi_decodes():
    poster = pdf_pages_at(render("station-poster", {"station": STATION}, "pdf"), 150)
    assert decode(poster) == [STATION["phone_url"]]
    badge = gen_badge(7)
    card = pdf_pages_at(render("badge", {"badge": badge}, "pdf"), 150)
    assert decode(card) == [badge["token"]]
    sheet = pdf_pages_at(render("badge-sheet", {"badges": [gen_badge(i) for i in range(4)]}, "pdf"), 150)
    assert sorted(decode(sheet)) == sorted(gen_badge(i)["token"] for i in range(4))


def pt(mm):
    return mm / 25.4 * 72


def page_sizes(pdf):
    info = run("pdfinfo", "-", data=pdf).decode()
    return [tuple(float(v) for v in m) for m in re.findall(r"Page size: +([\d.]+) x ([\d.]+) pts", info)]


def test_custom_size_scales_text_and_keeps_the_physical_size():
    assert parse_size("1200x400mm") == (1200, 400) and parse_size("A3") == "A3"
    for bad in ("huge", "10x10mm", "1200x"):
        with pytest.raises(ValueError):
            parse_size(bad)
    (w, h), = page_sizes(render("name-board", {"station": STATION}, "pdf", size="1200x400mm"))
    assert abs(w - pt(1200)) < 1 and abs(h - pt(400)) < 1
    a3 = layout_pages("name-board", {"station": STATION}, size="A3")[0]
    big = layout_pages("name-board", {"station": STATION}, size="1200x400mm")[0]

    def name_size(page):
        return next(b["size"] for b in page.text_boxes if b["text"] == STATION["name"])
    assert name_size(big) > name_size(a3) * 1.2  # 400 mm tall against 297 mm: the name grows with the board


def test_bleed_adds_the_margin_and_crop_marks_outside_the_trim():
    plain = render("name-board", {"station": STATION}, "pdf", size="A4")
    bled = render("name-board", {"station": STATION}, "pdf", size="A4", bleed=3)
    (w, h), = page_sizes(bled)
    assert abs(w - pt(297 + 2 * 11)) < 1 and abs(h - pt(210 + 2 * 11)) < 1  # 3 mm bleed, 2 mm gap, 6 mm marks
    assert pdf_text(bled) == pdf_text(plain)
    boxes = dict(re.findall(r"(\w+Box): +([\d. ]+)", run("pdfinfo", "-box", "-", data=bled).decode()))
    trim = [float(v) for v in boxes["TrimBox"].split()]
    bleed = [float(v) for v in boxes["BleedBox"].split()]
    assert abs(trim[0] - pt(11)) < 0.1 and abs(trim[2] - trim[0] - pt(297)) < 0.5  # the trim is the A4 sheet
    assert abs(trim[0] - bleed[0] - pt(3)) < 0.25 and abs(bleed[3] - trim[3] - pt(3)) < 0.25  # whole pixels
    image = pdf_pages_at(bled, 100)
    px = 100 / 25.4
    # the red band runs 3 mm past the trim's top-left corner; outside the bleed the sheet is white
    assert image.getpixel((round(9.5 * px), round(9.5 * px)))[0] > 150 > image.getpixel((round(9.5 * px),
                                                                                          round(9.5 * px)))[1]
    assert image.getpixel((round(7 * px), round(7 * px))) == (255, 255, 255)
    # a crop mark: black on the trim line's extension, in the margin above the corner
    column = [image.getpixel((round(11 * px) + dx, round(3 * px)))[0] for dx in range(-2, 3)]
    assert min(column) < 100
    with pytest.raises(ValueError):
        render("badge", {"badge": gen_badge()}, "pdf", bleed=3)


def test_svg_has_real_text_the_font_inside_and_the_size_in_mm():
    svg = render("name-board", {"station": STATION}, "svg", size="A4").decode()
    assert svg.startswith("<?xml") and 'width="297mm" height="210mm"' in svg
    assert "@font-face" in svg and "data:font/otf;base64," in svg
    texts = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert flat(STATION["name"]) in flat(texts)
    with pytest.raises(ValueError, match="one page"):
        render("register", {"station": STATION, "records": [], "blank_pages": 2}, "svg")


def test_a_configured_font_lacking_some_characters_still_makes_vector_files():
    latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # a TrueType face with no hanzi at all
    if not os.path.exists(latin):
        pytest.skip("no DejaVu font on this machine")
    station = gen_station(name="Station ABC")
    pdf = render("name-board", {"station": station}, "pdf", font=latin)
    assert "StationABC" in pdf_text(pdf)
    assert "Station ABC" in render("name-board", {"station": station}, "svg", font=latin).decode()
