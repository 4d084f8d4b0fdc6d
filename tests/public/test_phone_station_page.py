"""The station's phone page: today's windows in Pu'er time by the app's clock, open now, who is there."""
from datetime import datetime, timezone

from tests.conftest import gen_shift, gen_station, gen_volunteer

MONDAY = "2024-05-06"  # a working day


def _at(clock, utc_text):
    clock.instant = datetime.fromisoformat(utc_text).replace(tzinfo=timezone.utc)


def _page(client, station):
    return client.get(f"/s/{station}").get_data(as_text=True)


def test_open_now_shows_todays_windows_and_the_count_on_duty(client, db, clock):
    station = gen_station(db, type_code="hospital")
    _at(clock, "2024-05-06T01:00:00")  # 09:00 in Pu'er
    page = _page(client, station)
    assert "5月6日 星期一" in page and "08:00–11:30" in page and "14:30–17:30" in page
    assert "服务中" in page and "现在没有志愿者在岗" in page
    shift = gen_shift(db, gen_volunteer(db, [station]), station, day=datetime(2024, 5, 6).date(), start="08:30")
    db.execute("UPDATE shifts SET ended_at = NULL, state = 'open' WHERE id = ?", [shift])
    db.conn.commit()
    assert "现在有 1 位志愿者在岗" in _page(client, station)


def test_the_day_is_the_local_day_before_eight_in_the_morning(client, db, clock):
    station = gen_station(db, type_code="hospital")
    _at(clock, "2024-05-05T23:30:00")  # 07:30 on Monday in Pu'er, still Sunday in UTC
    page = _page(client, station)
    assert "5月6日 星期一" in page and "08:00 开始服务" in page and "服务中" not in page


def test_after_the_last_window_and_on_a_closed_date(client, db, clock):
    station = gen_station(db, type_code="hospital")
    _at(clock, "2024-05-06T14:00:00")  # 22:00 in Pu'er
    assert "今天的服务已结束" in _page(client, station)
    closed = gen_station(db, type_code="hospital", closed_dates=[MONDAY])
    page = _page(client, closed)
    assert "今天不提供服务" in page and "08:00–11:30" not in page


def test_the_page_speaks_english_when_asked(client, db, clock):
    station = gen_station(db, type_code="hospital")
    _at(clock, "2024-05-06T01:00:00")
    page = client.get(f"/s/{station}?lang=en").get_data(as_text=True)
    assert "Monday 6 May" in page and "Open now" in page
