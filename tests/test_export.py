"""The national-system export: rows equal the approved records, text IDs, safe cells, locks, corrections."""
import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from server import crypto
from server.export import DEFAULT_COLUMNS, columns_from, safe
from server.store import stations
from tests.conftest import csrf_of, gen_shift, gen_staff, gen_station, gen_volunteer, login

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["姓名", "证件类型", "证件号码", "服务日期", "开始时间", "结束时间", "服务时长（小时）", "服务内容",
           "服务地点", "记录单位"]


def _one(db, sql, params=()):
    return next(iter(db.query(sql, params)), None)


def _export(client, fmt="xlsx", kind="records", day_from="2024-05-01", day_to="2024-05-31", **extra):
    return client.post("/staff/hours/export", data={
        "from": day_from, "to": day_to, "format": fmt, "kind": kind, **extra,
        "csrf_token": csrf_of(client, "/staff/hours/export")})


def _sheet(body):
    ws = load_workbook(io.BytesIO(body)).active
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def _id_of(app, db, vid):
    with app.app_context():
        return crypto.decrypt(_one(db, "SELECT id_cipher FROM volunteers WHERE id = ?", [vid])["id_cipher"])


def _world(db):
    station = gen_station(db, name="测试路社区学雷锋志愿服务站")
    people = [gen_volunteer(db, [station], name="=HYPERLINK(\"x\")"), gen_volunteer(db, [station], name="王芳")]
    approved = [gen_shift(db, people[0], station, day=date(2024, 5, 6), start="08:00", end="11:30", approval="approved"),
                gen_shift(db, people[1], station, day=date(2024, 5, 6), start="14:30", end="16:10", approval="approved"),
                gen_shift(db, people[1], station, day=date(2024, 5, 9), start="09:00", end="10:00", approval="approved")]
    gen_shift(db, people[0], station, day=date(2024, 5, 7))  # pending: not exported
    gen_shift(db, people[0], station, day=date(2024, 6, 3), approval="approved")  # outside the range
    return station, people, approved


def test_xlsx_rows_and_hours_equal_the_approved_records(app, client, db):
    _station, people, approved = _world(db)
    login(client, gen_staff(db, "federation"))
    res = _export(client)
    assert res.status_code == 200 and res.data[:2] == b"PK"
    ws, rows = _sheet(res.data)
    assert rows[0] == HEADERS and len(rows) == 4
    minutes = sum(_one(db, "SELECT credited_minutes FROM shifts WHERE id = ?", [i])["credited_minutes"] for i in approved)
    assert round(sum(r[6] for r in rows[1:]), 2) == round(minutes / 60, 2) == 6.17
    assert rows[1][3:8] == ["2024-05-06", "08:00", "11:30", 3.5, "站点服务"]
    assert rows[1][8] == "测试路社区学雷锋志愿服务站" and rows[1][1] == "居民身份证"
    for n, vid in ((2, people[0]), (3, people[1])):
        cell = ws.cell(row=n, column=3)
        assert cell.data_type == "s" and cell.number_format == "@" and cell.value == _id_of(app, db, vid)
        assert len(cell.value) == 18
    assert rows[1][0] == "'=HYPERLINK(\"x\")"  # never a formula
    assert all(not str(v).startswith(("=", "+", "-", "@")) for r in rows for v in r if v is not None)


def test_export_marks_locks_and_logs_one_reveal_per_batch(client, db):
    _world(db)
    login(client, gen_staff(db, "federation"))
    _export(client)
    batch = _one(db, "SELECT * FROM export_batches")
    assert batch["rows"] == 3 and batch["kind"] == "records"
    rows = list(db.query("SELECT approval, export_batch FROM shifts WHERE approval IN ('approved', 'exported')"))
    assert sorted((r["approval"], r["export_batch"]) for r in rows) == [("approved", None)] + [("exported", batch["id"])] * 3
    reveals = list(db.query("SELECT * FROM reveal_log"))
    assert len(reveals) == 1 and reveals[0]["object_type"] == "export_batch" and "export batch" in reveals[0]["why"]
    again = _export(client)
    assert again.status_code == 302 and _one(db, "SELECT count(*) AS n FROM export_batches")["n"] == 1


def test_csv_is_utf8_with_bom_and_formula_safe(client, db):
    _world(db)
    login(client, gen_staff(db, "city"))
    res = _export(client, fmt="csv")
    assert res.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) == 4 and rows[1][0].startswith("'=")


def test_corrections_to_exported_records_are_appended_and_exported_again(client, db):
    station, _people, approved = _world(db)
    login(client, gen_staff(db, "federation"))
    _export(client)
    manager = client.application.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    res = manager.post(f"/staff/hours/shifts/{approved[0]}", data={
        "action": "settle", "end": "10:30", "why": "实际 10:30 离开", "csrf_token": csrf_of(manager, "/staff/hours/review")})
    assert res.status_code == 302
    row = _one(db, "SELECT * FROM shifts WHERE id = ?", [approved[0]])
    assert row["approval"] == "exported" and row["credited_minutes"] == 150
    fix = _one(db, "SELECT * FROM shift_corrections")
    assert fix["shift_id"] == approved[0] and fix["why"] == "实际 10:30 离开" and fix["export_batch"] is None
    assert '"credited_minutes":210' in fix["before"] and '"credited_minutes":150' in fix["after"]
    res = _export(client, kind="corrections")
    _ws, rows = _sheet(res.data)
    assert rows[0][-2:] == ["原导出批次", "更正说明"] and len(rows) == 2
    assert rows[1][6] == 2.5 and rows[1][-1] == "实际 10:30 离开" and rows[1][-2] == 1
    assert _one(db, "SELECT export_batch FROM shift_corrections")["export_batch"] == 2
    assert _one(db, "SELECT kind FROM export_batches WHERE id = 2")["kind"] == "corrections"
    assert _export(client, kind="corrections").status_code == 302  # nothing left to send


def test_a_county_exports_only_its_own_records(client, db):
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    a, b = gen_station(db, county_code="530802"), gen_station(db, county_code="530821")
    gen_shift(db, gen_volunteer(db, [a], name="甲"), a, approval="approved")
    sb = gen_shift(db, gen_volunteer(db, [b], name="乙"), b, approval="approved")
    login(client, gen_staff(db, "county", county_id=county["530802"]))
    _ws, rows = _sheet(_export(client, county=str(county["530821"])).data)  # asking for B gets A only
    assert [r[0] for r in rows[1:]] == ["甲"]
    assert _one(db, "SELECT approval FROM shifts WHERE id = ?", [sb])["approval"] == "approved"


def test_export_columns_are_a_setting(app, client, db):
    _world(db)
    app.config["EXPORT_COLUMNS"] = [["证件号码", "id_number"], ["姓名", "name"], ["时长", "hours"]]
    login(client, gen_staff(db, "federation"))
    _ws, rows = _sheet(_export(client).data)
    assert rows[0] == ["证件号码", "姓名", "时长"] and len(rows[1][0]) == 18
    assert columns_from(None) == [tuple(c) for c in DEFAULT_COLUMNS]
    assert columns_from(["姓名", "证件号码"]) == [("姓名", "name"), ("证件号码", "id_number")]


def test_safe_cells():
    assert [safe(v) for v in ("=1+1", "+86", "-3", "@a", "\tx", "普通", 3.5, None)] == [
        "'=1+1", "'+86", "'-3", "'@a", "'\tx", "普通", 3.5, None]


def test_cli_export(tmp_path, monkeypatch):
    from server import create_app
    from server.db import connect
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    app = create_app({"DEMO": False})
    db = connect(app.config["DATABASE"])
    db.app = app
    station = gen_station(db)
    gen_shift(db, gen_volunteer(db, [station]), station, approval="approved")
    out = tmp_path / "out.xlsx"
    env = {"LEIFENG_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "run.py", "export", "--from", "2024-05-01", "--to", "2024-05-31",
                          "--county", "530802", "-o", str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    _ws, rows = _sheet(out.read_bytes())
    assert rows[0] == HEADERS and len(rows) == 2
    assert _one(db, "SELECT approval FROM shifts")["approval"] == "exported"
