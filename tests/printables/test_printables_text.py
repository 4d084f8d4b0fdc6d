"""Long names shrink or wrap to fit; nothing overflows the page margins or gets cut; the font is found."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from printables import fonts, render_pages
from printables.canvas import mm
from printables.fonts import SOFT_BREAK, FontMissing, fit_text
from printables.signs import breakable_name
from tests.printables.samples import LONG_HOST, LONG_NAME, NAME_40, gen_station, texts

DRAW = ImageDraw.Draw(Image.new("RGB", (10, 10)))


def _joined(layout):
    return "".join(layout.lines).replace(" ", "")


def test_the_sample_name_has_forty_characters():
    assert len(NAME_40) == 40 and NAME_40.endswith("学雷锋志愿服务点")


def test_short_text_stays_on_one_line_at_full_size():
    layout = fit_text(DRAW, "上楼", 2000, 300, 40)
    assert layout.lines == ["上楼"] and layout.size == 300


def test_long_text_shrinks_then_wraps_and_keeps_every_character():
    layout = fit_text(DRAW, NAME_40, 3000, 400, 60, max_height=1200, bold=True)
    assert len(layout.lines) > 1 and layout.size >= 60 and layout.fits
    assert _joined(layout) == NAME_40
    assert all(layout.face.width(DRAW, line) <= 3000 for line in layout.lines) and layout.height <= 1200


def test_a_soft_break_puts_the_suffix_on_its_own_line():
    layout = fit_text(DRAW, breakable_name("普洱市人民医院学雷锋志愿服务点"), 3000, 800, 100, max_height=1600)
    assert layout.lines == ["普洱市人民医院", "学雷锋志愿服务点"]
    assert breakable_name("振兴社区志愿者服务站") == "振兴社区" + SOFT_BREAK + "志愿者服务站"


def test_punctuation_never_starts_a_line():
    text = "热情、主动、微笑服务群众；服务中不玩手机、不相互聊天。" * 3
    for width in range(300, 1400, 90):
        layout = fit_text(DRAW, text, width, 40, 40, balance=False)
        assert _joined(layout) == text
        assert not any(line[:1] in "，。、；：）》”" for line in layout.lines)


@settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet="普洱市学雷锋志愿服务点（）、，ABC xyz0123-./", min_size=1, max_size=60),
       width=st.integers(min_value=60, max_value=1500), height=st.integers(min_value=20, max_value=600))
def test_fit_text_never_cuts_and_never_overflows_when_it_says_it_fits(text, width, height):
    layout = fit_text(DRAW, text, width, 90, 16, max_height=height)
    assert _joined(layout) == text.replace(" ", "")
    if layout.fits:
        assert layout.height <= height
        assert all(layout.face.width(DRAW, line) <= width for line in layout.lines)


def _inside(box, outer, slack=2):
    return (box[0] >= outer[0] - slack and box[1] >= outer[1] - slack and box[2] <= outer[2] + slack
            and box[3] <= outer[3] + slack)


@pytest.mark.parametrize("kind,options,margin", [
    ("name-board", {"size": "A3"}, mm(20)), ("name-board", {"size": "A4"}, mm(14)), ("rules", {}, mm(14)),
    ("services", {"size": "A3"}, mm(14)), ("direction-sign", {"entrance": 3}, mm(14)), ("station-poster", {}, mm(14))])
@pytest.mark.parametrize("name", [NAME_40, LONG_NAME])
def test_long_station_names_and_host_units_fit_inside_the_margins(kind, options, margin, name):
    station = gen_station(name=name, host_unit=LONG_HOST, address="思茅区" + "振兴大道" * 10 + " 44 号")
    page = render_pages(kind, {"station": station}, **options)[0]
    page_box = (margin, 0, page.width - margin, page.height)
    placed = [t for t in texts(page) if t["bbox"]]
    named = [t for t in placed if t["text"].replace(SOFT_BREAK, "") == name or
             t["text"].endswith(name)]
    assert named, "the station name is printed"
    for t in placed:
        assert t["fits"], t
        assert _inside(t["bbox"], t["box"]), t
        assert _inside(t["bbox"], page_box), t
        assert "".join(t["lines"]).replace(" ", "") == t["text"].replace(SOFT_BREAK, "").replace(" ", "")


def test_the_packaged_font_is_found_first(monkeypatch):
    monkeypatch.delenv("LEIFENG_FONT", raising=False)
    pytest.importorskip("pylopdf_fonts_zh_cn")
    path, index, _bold = fonts.find_font()
    assert path.endswith("NotoSansSC-Regular.otf") and index == 0


def test_a_configured_font_is_used_and_a_missing_one_says_so(monkeypatch, tmp_path):
    regular, index, _ = fonts.find_font()
    monkeypatch.setenv("LEIFENG_FONT", f"{regular}#{index}")
    assert fonts.find_font(bold=True) == (regular, index, False)  # no bold configured: faked with a stroke
    assert fonts.font(40, bold=True).stroke > 0
    monkeypatch.setenv("LEIFENG_FONT", str(tmp_path / "none.otf"))
    with pytest.raises(FontMissing, match="none.otf"):
        fonts.font(40)
    monkeypatch.delenv("LEIFENG_FONT")
    with fonts.using(tmp_path / "none.otf"), pytest.raises(FontMissing):
        fonts.font(40)
    with pytest.raises(FontMissing):
        render_pages("badge", {"badge": {"name": "x", "token": "A"}}, font=tmp_path / "none.otf")
    assert fonts.font(40).size == 40  # the block ended: the usual search again
