"""Printables from the station's data: staff downloads, the public blanks, and a printed badge that checks in."""
import io
from datetime import datetime

import zxingcpp
from PIL import Image

from server.db import immediate
from server.ops.demo import load_demo
from server.services.printing import STATION_KINDS
from server.store import stations
from server.store.scope import Scope
from server.timeutil import STATION_TZ
from tests.conftest import gen_kiosk, gen_managed_station, gen_staff, gen_station, gen_volunteer, login, scan_event


def test_every_demo_station_renders_every_station_printable(app, db):
    from printables import render_pages
    from server.services.printing import station_data
    with app.app_context(), immediate(db):
        load_demo(db)
    with app.test_request_context():
        for station in stations.list_stations(db, Scope("city")):
            data = {"station": station_data(station)}
            for kind in STATION_KINDS:
                if kind == "direction-sign" and not station["entrances"]:
                    continue
                for entrance in range(len(station["entrances"]) if kind == "direction-sign" else 1):
                    assert render_pages(kind, data, entrance=entrance)


def test_printed_badge_checks_in_at_the_kiosk(client, db, clock, app):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    login(staff := app.test_client(), gen_staff(db, "station", station_id=station))
    png = staff.get(f"/staff/volunteers/{vid}/badge.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    token = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))[0].text
    kiosk = gen_kiosk(client, db, station)
    clock.instant = datetime(2026, 11, 23, 9, 0, tzinfo=STATION_TZ)
    res = client.post("/api/kiosk/scans", json={"events": [scan_event(token, clock.instant)]}, headers=kiosk)
    assert res.json["results"][0]["outcome"] == "checked_in"


def test_station_print_page_and_downloads(app, db):
    station, client = gen_managed_station(app, db)
    page = client.get(f"/staff/stations/{station}/print").get_data(as_text=True)
    assert "学雷锋志愿服务点名称牌" in page and "指示牌" in page
    for kind in ("name-board", "rules", "services", "station-poster", "badge-sheet", "register"):
        res = client.get(f"/staff/stations/{station}/print/{kind}.pdf")
        assert res.status_code == 200 and res.data.startswith(b"%PDF"), kind
    assert client.get(f"/staff/stations/{station}/print/direction-sign.png?entrance=1").status_code == 200
    assert client.get(f"/staff/stations/{station}/print/nothing.pdf").status_code == 404
    blank = app.test_client().get("/downloads/registration-form.pdf")
    assert blank.status_code == 200 and blank.data.startswith(b"%PDF")
    assert app.test_client().get("/downloads/badge.pdf").status_code == 404


def test_registration_form_prints_masked_unless_revealed_with_reason(app, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    client = app.test_client()
    login(client, gen_staff(db, "city"))
    masked = client.get(f"/staff/volunteers/{vid}/registration.png")
    assert masked.status_code == 200
    assert list(db.query("SELECT * FROM reveal_log")) == []
    from tests.conftest import csrf_of
    clear = client.post(f"/staff/volunteers/{vid}/registration.png",
                        data={"why": "报送审批", "csrf_token": csrf_of(client, f"/staff/volunteers/{vid}")})
    assert clear.status_code == 200 and clear.data != masked.data
    assert [r["why"] for r in db.query("SELECT why FROM reveal_log")] == ["报送审批"]
