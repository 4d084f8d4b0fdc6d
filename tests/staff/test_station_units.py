"""Supervising units as data, several per station; working days in alerts; closing a station (issue 14)."""
import json
from datetime import datetime

from server.rules.catalogue import STANDARD_WINDOWS, weekly_windows
from server.db import immediate
from server.schema import migrate
from server.services.alerts import evaluate
from server.store import alerts, stations
from server.store.scope import Scope
from server.timeutil import STATION_TZ
from tests.conftest import gen_kiosk, gen_staff, gen_station, login

BANK_UNITS = ("人行普洱市中心支行", "市银保监分局")


def _unit(db, name):
    return stations.unit_id_by_name(db, name)


def test_a_bank_is_seen_by_both_of_its_units_and_no_other(client, db):
    bank = gen_station(db, "bank", unit_ids=[_unit(db, n) for n in BANK_UNITS])
    hospital = gen_station(db, "hospital", unit="市卫计委")
    for name, visible in ((BANK_UNITS[0], {bank}), (BANK_UNITS[1], {bank}), ("市卫计委", {hospital})):
        listed = {s["id"] for s in stations.list_stations(db, Scope("unit", unit_id=_unit(db, name)))}
        assert listed == visible, name
        fresh = client.application.test_client()
        login(fresh, gen_staff(db, "unit", unit_id=_unit(db, name)))
        page = fresh.get("/staff/stations").get_data(as_text=True)
        assert {sid for sid in (bank, hospital) if f'data-station-id="{sid}"' in page} == visible, name
        for sid in (bank, hospital):
            assert fresh.get(f"/staff/stations/{sid}").status_code == (200 if sid in visible else 404)
    shown = stations.get_station(db, Scope("city"), bank)
    assert shown["unit"] == "人行普洱市中心支行、市银保监分局"


def test_old_single_units_move_to_the_many_to_many_table_and_the_county_office_is_no_unit(db):
    hospital = gen_station(db, "hospital", unit="市卫计委")
    park = gen_station(db, "park", unit="县（区）文明办")
    db.execute("DELETE FROM station_units")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_station_units'")
    db.conn.executescript("""
        DROP TABLE station_units;
        ALTER TABLE supervising_units DROP COLUMN types;
        ALTER TABLE supervising_units DROP COLUMN active;
        ALTER TABLE stations DROP COLUMN closed_at;
        ALTER TABLE stations DROP COLUMN closed_why;
    """)
    migrate(db)
    got = {r["station_id"]: r["unit_id"] for r in db.query("SELECT * FROM station_units")}
    assert got == {hospital: _unit(db, "市卫计委")}
    assert stations.get_station(db, Scope("city"), park)["unit_ids"] == []
    types = {u["name"]: u["types"] for u in stations.units(db)}
    assert types["市文旅局"] == ["culture", "scenic", "hotel"] and "县（区）文明办" not in types


def test_working_day_migration_gives_each_station_its_types_days(db):
    community = gen_station(db, "community")
    adjusted = gen_station(db, "community")
    hospital = gen_station(db, "hospital")
    db.execute("UPDATE stations SET windows = ? WHERE id = ?",
               [json.dumps(dict(weekly_windows(STANDARD_WINDOWS), **{"5": [["09:00", "12:00"]]})), adjusted])
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm015_working_days'")
    db.conn.commit()
    migrate(db)
    got = {r["id"]: json.loads(r["windows"]) for r in db.query("SELECT id, windows FROM stations")}
    assert got[community]["days"] == "workdays" and got[community]["5"] == [] and got[community]["0"] == STANDARD_WINDOWS
    assert got[adjusted]["days"] == "everyday"
    assert got[hospital]["days"] == "everyday" and got[hospital]["6"] == STANDARD_WINDOWS


def _raised(app, db, when):
    with app.app_context(), immediate(db):
        evaluate(db, when, 5)
    return {(r["station_id"], r["kind"], r["local_date"]) for r in db.query("SELECT * FROM alerts")}


def test_community_station_raises_no_alert_on_a_sunday_and_one_on_a_makeup_saturday(app, db):
    windows = dict(weekly_windows(STANDARD_WINDOWS), days="workdays")
    windows["5"], windows["6"] = [], []
    community = gen_station(db, "community", windows=windows)
    sunday = datetime(2026, 11, 29, 12, 0, tzinfo=STATION_TZ)
    assert not {a for a in _raised(app, db, sunday) if a[0] == community}
    makeup_saturday = datetime(2026, 10, 10, 12, 0, tzinfo=STATION_TZ)
    assert (community, "no_scan", "2026-10-10") in _raised(app, db, makeup_saturday)
    national_day = datetime(2026, 10, 1, 12, 0, tzinfo=STATION_TZ)
    assert not {a for a in _raised(app, db, national_day) if a[0] == community and a[2] == "2026-10-01"}


def test_a_closed_station_raises_no_alert_and_its_old_ones_leave_the_dashboards(app, db):
    sid = gen_station(db, "hospital")
    monday = datetime(2026, 11, 23, 12, 0, tzinfo=STATION_TZ)
    assert (sid, "no_scan", "2026-11-23") in _raised(app, db, monday)
    assert [a["station_id"] for a in alerts.open_alerts(db, Scope("city"))] == [sid]
    with app.app_context(), immediate(db):
        stations.close_station(db, "test", stations.get_station(db, Scope("city"), sid), "搬迁", monday)
    assert alerts.open_alerts(db, Scope("city")) == []
    tuesday = datetime(2026, 11, 24, 12, 0, tzinfo=STATION_TZ)
    assert not {a for a in _raised(app, db, tuesday) if a[2] == "2026-11-24"}
