"""The volunteer's own page: cards for hours, star and training; records by month, each folded."""
from datetime import date, datetime, timezone

from tests.conftest import gen_shift, gen_station, gen_volunteer
from tests.public.test_volunteer_page import _link


def test_records_are_grouped_by_month_newest_first_and_folded(client, db, clock):
    clock.instant = datetime(2024, 7, 1, 2, tzinfo=timezone.utc)
    station = gen_station(db)
    vid = gen_volunteer(db, [station], name="赵六")
    gen_shift(db, vid, station, day=date(2024, 5, 6), start="08:00", end="11:30", approval="approved")
    gen_shift(db, vid, station, day=date(2024, 6, 3), start="08:00", end="10:00")
    gen_shift(db, vid, station, day=date(2024, 6, 4), start="08:00", end="09:00")
    page = client.application.test_client().get(_link(client, db, vid, station)).get_data(as_text=True)
    months = page.split('data-testid="month"')[1:]
    assert len(months) == 2
    assert "2024年6月" in months[0] and "2 条 · 3.0 小时" in months[0] and "2024年5月" in months[1]
    assert '<details class="month" data-testid="month">' in page and "<details class=\"month\" open" not in page
    assert "<table" not in page  # cards and lists: nothing wider than a phone
    for card in ("approved-hours", "star-level", "own-training"):
        assert f'data-testid="{card}"' in page
