"""Every QR printed reads back with an independent decoder, at print size and as a camera sees it."""
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image
from qrcode.util import MODE_ALPHA_NUM

from printables import render, render_pages
from printables.qr import QUIET_ZONE, make_code, qr_image
from tests.printables.samples import decode, gen_badge, gen_station, gen_token, scaled

LONGEST_TOKEN = "LF1.ABCDEFGHIJKL.999999." + "A" * 26  # the server's longest shape: 12-char ref, 6-digit version


def test_badge_tokens_use_alphanumeric_mode_and_stay_small():
    for token in (gen_token(1), gen_token(999999, 42), LONGEST_TOKEN):
        code = make_code(token, "M")
        assert [d.mode for d in code.data_list] == [MODE_ALPHA_NUM]
        assert code.version <= 3  # 29 modules: big modules on a small card


def test_urls_and_lower_case_fall_back_to_bytes():
    code = make_code("https://leifeng.example.org/s/7", "Q")
    assert code.data_list[0].mode != MODE_ALPHA_NUM
    assert decode(qr_image("https://leifeng.example.org/s/7", 400, "Q")) == ["https://leifeng.example.org/s/7"]


def test_modules_are_whole_pixels_with_a_quiet_zone():
    image = qr_image(gen_token(), 500)
    count = make_code(gen_token()).modules_count + 2 * QUIET_ZONE
    assert image.width == image.height and image.width % count == 0 and image.width <= 500
    module = image.width // count
    border = image.crop((0, 0, image.width, QUIET_ZONE * module)).convert("L")
    assert border.getextrema() == (255, 255)
    with pytest.raises(ValueError):
        qr_image(gen_token(), 20)


def _symbol_box(result):
    p = result.position
    xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
    ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("level", [0, 3, 5])
def test_badge_reads_back_at_300_dpi_and_at_webcam_distance(level):
    badge = gen_badge(7, star_level=level)
    card = render_pages("badge", {"badge": badge})[0]
    assert decode(card) == [badge["token"]]
    assert decode(scaled(card, 0.4)) == [badge["token"]]
    assert decode(scaled(card, 0.3)) == [badge["token"]]


def test_badge_qr_is_large_with_its_quiet_zone_clear():
    badge = gen_badge(8, token=LONGEST_TOKEN)
    card = render_pages("badge", {"badge": badge})[0]
    [result] = zxingcpp.read_barcodes(card)
    assert result.text == LONGEST_TOKEN and result.extra["ECLevel"] in ("M", "Q")
    x0, y0, x1, y1 = _symbol_box(result)
    assert y1 - y0 >= 0.45 * card.height  # the symbol alone, quiet zone not counted
    module = (x1 - x0 + 1) / (make_code(LONGEST_TOKEN).modules_count)
    zone = round(QUIET_ZONE * module)
    around = card.crop((x0 - zone, y0 - zone, x1 + zone + 1, y1 + zone + 1)).convert("L")
    inner = Image.new("L", around.size, 255)
    inner.paste(around.crop((zone, zone, around.width - zone, around.height - zone)), (zone, zone))
    assert around.tobytes() == inner.tobytes()  # nothing but white within four modules of the symbol


def test_badge_with_photo_still_reads():
    photo = Image.new("RGB", (300, 400), (90, 120, 160))
    import io
    buf = io.BytesIO()
    photo.save(buf, "JPEG")
    badge = gen_badge(9, photo=buf.getvalue())
    card = render_pages("badge", {"badge": badge})[0]
    assert decode(scaled(card, 0.4)) == [badge["token"]]
    assert card.getpixel((60, 200)) != (255, 255, 255)  # the photo is there
    assert render_pages("badge", {"badge": gen_badge(9, photo=b"not an image")})[0].size == card.size


def test_every_badge_on_a_sheet_reads_back():
    badges = [gen_badge(i) for i in range(10)]
    sheet = render_pages("badge-sheet", {"badges": badges})[0]
    assert sorted(decode(sheet)) == sorted(b["token"] for b in badges)


def test_poster_reads_back_full_size_and_at_phone_distance():
    station = gen_station()
    poster = render_pages("station-poster", {"station": station})[0]
    assert decode(poster) == [station["phone_url"]]
    assert decode(scaled(poster, 0.25)) == [station["phone_url"]]
    assert decode(scaled(poster, 0.12)) == [station["phone_url"]]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_qr_in_the_pdf_reads_back_after_rasterising(tmp_path):
    badges = [gen_badge(i) for i in range(12)]
    (tmp_path / "sheet.pdf").write_bytes(render("badge-sheet", {"badges": badges}, "pdf"))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "sheet.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 2
    found = [t for p in pages for t in decode(Image.open(p))]
    assert sorted(found) == sorted(b["token"] for b in badges)
