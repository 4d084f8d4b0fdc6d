"""The staff print page and run.py print offer vector PDF, SVG and PNG, a sign shop's size and a 3 mm bleed."""
import re
import subprocess

from tests.conftest import gen_managed_station
from tests.ops.test_print_command import city, run  # noqa: F401  (the demo-city fixture)


def page_size_mm(pdf):
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    w, h = re.search(r"Page size: +([\d.]+) x ([\d.]+) pts", info).groups()
    return round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)


def test_staff_print_page_offers_pdf_svg_png_and_a_sign_shop_size(app, db):
    station, client = gen_managed_station(app, db)
    page = client.get(f"/staff/stations/{station}/print").get_data(as_text=True)
    assert 'data-testid="svg-name-board"' in page and 'data-testid="sign-shop-name-board"' in page
    assert 'data-testid="svg-station-poster"' in page
    base = f"/staff/stations/{station}/print"
    svg = client.get(f"{base}/name-board.svg?size=A4")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and 'width="297mm"' in svg.text
    assert client.get(f"{base}/direction-sign.svg?entrance=1").mimetype == "image/svg+xml"
    shop = client.get(f"{base}/name-board.pdf?size=1200x400mm&bleed=3")
    assert shop.status_code == 200 and page_size_mm(shop.data) == (1200 + 22, 400 + 22)
    bad = client.get(f"{base}/name-board.pdf?size=huge")
    assert bad.status_code == 400 and "尺寸应为" in bad.get_data(as_text=True) and "size must be" in bad.get_data(as_text=True)
    assert client.get(f"{base}/badge-sheet.svg").status_code == 404  # several pages: PDF only
    assert client.get(f"{base}/register.svg").status_code == 404


def test_print_command_writes_svg_and_a_sign_shop_board(city, tmp_path):  # noqa: F811
    svg = tmp_path / "board.svg"
    res = run(city, "print", "name-board", "--station", "1", "-o", str(svg))
    assert res.returncode == 0, res.stderr
    assert svg.read_text().startswith("<?xml") and "<text" in svg.read_text()
    pdf = tmp_path / "shop.pdf"
    res = run(city, "print", "name-board", "--station", "1", "--size", "1200x400mm", "--bleed", "3", "-o", str(pdf))
    assert res.returncode == 0, res.stderr
    assert page_size_mm(pdf.read_bytes()) == (1222, 422)
    bad = run(city, "print", "name-board", "--station", "1", "--size", "10x10", "-o", str(tmp_path / "b.pdf"))
    assert bad.returncode == 2 and "尺寸" in bad.stderr and "Traceback" not in bad.stderr
    badge = run(city, "print", "badge-sheet", "--station", "1", "--bleed", "3", "-o", str(tmp_path / "c.pdf"))
    assert badge.returncode == 2 and "出血" in badge.stderr
    pages = run(city, "print", "register", "--station", "1", "-o", str(tmp_path / "r.svg"))
    assert pages.returncode == 2 and "SVG" in pages.stderr
