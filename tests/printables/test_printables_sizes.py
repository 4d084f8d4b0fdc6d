"""Every printable at its exact physical size: PNG pixels at 300 dpi, PDF pages in points."""
import io
import re
import subprocess
import sys

import pytest
from PIL import Image

from printables import KINDS, render, render_pages
from tests.printables.samples import gen_badge, gen_records, gen_station

A4, A4_LANDSCAPE, A3_LANDSCAPE, A3, CARD = (2480, 3508), (3508, 2480), (4961, 3508), (3508, 4961), (1011, 638)
STATION = gen_station()
CASES = [
    ("name-board", {"station": STATION}, {}, A3_LANDSCAPE),
    ("name-board", {"station": STATION}, {"size": "A4"}, A4_LANDSCAPE),
    ("rules", {"station": STATION}, {}, A4),
    ("rules", {"station": STATION}, {"size": "A3"}, A3),
    ("services", {"station": STATION}, {}, A4),
    ("services", {"station": STATION}, {"size": "A3"}, A3),
    ("direction-sign", {"station": STATION}, {"entrance": 3}, A4_LANDSCAPE),
    ("badge", {"badge": gen_badge()}, {}, CARD),
    ("badge-sheet", {"badges": [gen_badge(i) for i in range(3)]}, {}, A4),
    ("station-poster", {"station": STATION}, {}, A4),
    ("register", {"station": STATION, "from": "2026-11-01", "to": "2026-11-30", "records": gen_records(days=3)}, {},
     A4_LANDSCAPE),
    ("service-card", {"volunteer": {"name": "欧阳娜娜", "number": "V000123"}, "records": []}, {}, A4),
    ("registration-form", {}, {}, A4),
    ("request-form", {}, {}, A4),
]


def pdf_pages(pdf):
    """(width, height) in points of every page, as poppler's pdfinfo reads them."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", "-"], input=pdf, capture_output=True, check=True)
    return [(float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info.stdout.decode())]


def points(pixels):
    return pixels / 300 * 72


def test_the_kinds_come_in_order_and_are_all_covered():
    assert list(KINDS)[:11] == ["name-board", "rules", "services", "direction-sign", "badge", "badge-sheet",
                                "station-poster", "register", "service-card", "registration-form", "request-form"]
    assert {kind for kind, *_ in CASES} == set(list(KINDS)[:11])
    assert all(title and not title.isascii() for title, _fn in KINDS.values())


@pytest.mark.parametrize("kind,data,options,size", CASES, ids=[f"{c[0]}-{c[2].get('size', '')}" for c in CASES])
def test_png_and_pdf_have_the_exact_physical_size(kind, data, options, size):
    pages = render_pages(kind, data, **options)
    assert pages and all(p.size == size and p.mode == "RGB" for p in pages)
    png = Image.open(io.BytesIO(render(kind, data, "png", **options)))
    assert png.size == size and tuple(round(v) for v in png.info["dpi"]) == (300, 300)
    pdf = render(kind, data, "pdf", **options)
    assert pdf.startswith(b"%PDF")
    boxes = pdf_pages(pdf)
    assert len(boxes) == len(pages)
    for w, h in boxes:
        assert abs(w - points(size[0])) < 0.5 and abs(h - points(size[1])) < 0.5


def test_badge_sheet_of_23_makes_three_a4_pages():
    badges = [gen_badge(i) for i in range(23)]
    assert len(render_pages("badge-sheet", {"badges": badges})) == 3
    boxes = pdf_pages(render("badge-sheet", {"badges": badges}, "pdf"))
    assert len(boxes) == 3 and all(abs(w - 595.3) < 0.5 and abs(h - 841.9) < 0.5 for w, h in boxes)


def test_multi_page_png_is_the_first_page():
    data = {"station": STATION, "records": [], "blank_pages": 3}
    pages = render_pages("register", data)
    assert len(pages) == 3
    png = Image.open(io.BytesIO(render("register", data, "png"))).convert("RGB")
    assert png.tobytes() == pages[0].tobytes()


def test_unknown_kind_format_and_entrance_are_refused():
    with pytest.raises(KeyError):
        render("nothing", {})
    with pytest.raises(ValueError):
        render("badge", {"badge": gen_badge()}, "jpeg")
    with pytest.raises(IndexError):
        render_pages("direction-sign", {"station": STATION}, entrance=9)
    with pytest.raises(ValueError):
        render_pages("direction-sign", {"station": gen_station(entrances=[])})


def test_options_a_kind_does_not_take_are_ignored():
    """Routes pass entrance= and size= to every station kind; only the kinds that use them look."""
    assert render_pages("rules", {"station": STATION}, entrance=2, size="A4")[0].size == A4
    assert render_pages("station-poster", {"station": STATION}, size="A3")[0].size == A4


def test_printables_import_no_flask_and_no_database():
    code = "import sys, printables; bad = {'flask', 'sqlite3', 'sqlite_utils', 'server'} & set(sys.modules); " \
           "assert not bad, bad"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
