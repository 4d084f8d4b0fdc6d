"""Badges: name, number, station and star level on the card; cut marks around every card on the sheet."""
import pytest

from printables import render_pages
from printables.badges import STAR_NAMES
from printables.canvas import RED
from tests.printables.samples import LONG_NAME, gen_badge, texts


def _red_pixels(image, box):
    return sum(n for n, colour in image.crop(box).getcolors(1 << 20) if colour == RED)


@pytest.mark.parametrize("level", range(6))
def test_card_shows_who_and_where_and_the_stars(level):
    badge = gen_badge(5, star_level=level, station=LONG_NAME)
    card = render_pages("badge", {"badge": badge})[0]
    printed = [t["text"] for t in texts(card)]
    for text in (badge["name"], f"编号 {badge['number']}", LONG_NAME, STAR_NAMES[level]):
        assert text in printed
    assert all(t["fits"] for t in texts(card))
    stars = _red_pixels(card, (0, card.height - 110, card.width // 2, card.height - 20))
    assert (stars > 500 * level) if level else stars == 0


def test_more_stars_draw_more_red():
    cards = [render_pages("badge", {"badge": gen_badge(5, star_level=n)})[0] for n in (1, 5)]
    counts = [_red_pixels(c, (0, c.height - 110, c.width // 2, c.height - 20)) for c in cards]
    assert counts[1] > 4 * counts[0]


def test_sheet_has_cut_marks_in_the_gutters_and_no_cards_past_ten():
    page = render_pages("badge-sheet", {"badges": [gen_badge(i) for i in range(3)]})[0]
    gx = (page.width - 2 * 1011) // 3
    gutter = page.crop((gx - 45, 0, gx - 5, page.height)).convert("L")  # left of the first column
    assert gutter.getextrema()[0] < 50  # the marks are there
    empty_slot = page.crop((gx + 1011 + gx, 1400, page.width - gx, 2000)).convert("L")
    assert empty_slot.getextrema() == (255, 255)  # slots past the last badge stay white
    assert len(render_pages("badge-sheet", {"badges": []})) == 1
