"""The register prints the credited band as 时间段: on every row of a demo month it agrees with the hours."""
from datetime import date

from printables import render_pages
from server.services import printing
from server.db import immediate
from server.ops.demo import load_demo
from server.store import stations
from server.store.scope import Scope
from tests.conftest import gen_shift, gen_station, gen_volunteer
from tests.printables.samples import texts

TODAY = date(2026, 11, 29)


def _minutes(band):
    total = 0
    for piece in band.split("、"):
        a, b = piece.split("—")
        total += (int(b[:2]) * 60 + int(b[3:])) - (int(a[:2]) * 60 + int(a[3:]))
    return total


def test_band_and_hours_agree_on_every_row_of_a_demo_month(app, db):
    with app.app_context(), immediate(db):
        load_demo(db, today=TODAY)
    checked = 0
    with app.app_context():
        for s in stations.list_stations(db, Scope("city")):
            station = stations.get_station(db, Scope("city"), s["id"])
            data = printing.register_data(db, station, "2026-11-01", "2026-11-30")
            for r in data["records"]:
                if r["minutes"] == 0:
                    assert r["band"] == "—"
                    continue
                assert _minutes(r["band"]) == r["minutes"], r
                checked += 1
    assert checked > 100


def test_a_shift_past_the_window_prints_its_band_and_the_scans_small(app, db):
    sid = gen_station(db)
    vid = gen_volunteer(db, [sid])
    gen_shift(db, vid, sid, day=date(2024, 5, 6), start="07:55", end="11:33")
    with app.app_context():
        data = printing.register_data(db, stations.get_station(db, Scope("city"), sid), "2024-05-06", "2024-05-06")
    [record] = data["records"]
    assert (record["band"], record["scan"], record["minutes"]) == ("08:00—11:30", "07:55—11:33", 210)
    assert data["days"] == {"2024-05-06": {"service_minutes": 210, "volunteer_minutes": 210}}
    printed = [t["text"] for page in render_pages("register", data) for t in texts(page)]
    assert "08:00—11:30" in printed and "签到签退 07:55—11:33" in printed and "3.50" in printed
    assert "07:55—11:33" not in printed  # the scans never stand in for the band
    assert "不足5小时" in printed
