"""The SVG printables as a browser draws them: the QR decodes, the embedded font draws the text."""
import io
from pathlib import Path

import pytest
from PIL import Image

from printables import render
from tests.browser.conftest import CHROMIUM
from tests.printables.samples import LONG_NAME, decode, gen_station

pytestmark = pytest.mark.browser


@pytest.fixture()
def svg_page(browser):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    context = browser.new_context(viewport={"width": 900, "height": 1200}, device_scale_factor=2)
    yield context.new_page()
    context.close()


def shot(page, path, svg):
    """The SVG inline in a page in Chromium, screenshotted to path and returned as an image."""
    inline = svg.decode().split("?>", 1)[1]
    page.set_content(f"<!doctype html><html><body style='margin:0'>{inline}</body></html>")
    page.wait_for_function("document.fonts.status === 'loaded'")
    page.screenshot(path=str(path))
    return Image.open(io.BytesIO(path.read_bytes())).convert("RGB")


def test_poster_svg_qr_decodes_in_chromium(svg_page, tmp_path):
    station = gen_station(name=LONG_NAME)
    image = shot(svg_page, tmp_path / "poster.png", render("station-poster", {"station": station}, "svg"))
    assert decode(image) == [station["phone_url"]]


def test_name_board_svg_draws_its_text_with_the_embedded_font(svg_page, tmp_path):
    svg = render("name-board", {"station": gen_station()}, "svg", size="A4")
    shot(svg_page, Path("/tmp/name-board-svg.png"), svg)  # kept for a person to look at
    faces = svg_page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert {'"leifeng-0"', '"leifeng-1"'} <= set(faces) or {"leifeng-0", "leifeng-1"} <= set(faces)
    name_box = svg_page.evaluate("""() => [...document.querySelectorAll('text')]
        .filter(t => t.textContent.includes('学雷锋志愿服务点')).map(t => t.getBBox().width)""")
    assert name_box and max(name_box) > 1000  # px of the 3508-wide viewBox: drawn large, not a fallback box
