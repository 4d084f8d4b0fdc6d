"""The national-system export: rows equal the approved records, text IDs, safe cells, locks, corrections."""
import csv
import io
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from server import crypto
from server.services.export import DEFAULT_COLUMNS, columns_from, safe
from server.store import stations
from tests.conftest import csrf_of, gen_shift, gen_staff, gen_station, gen_volunteer, login
from tests.ops.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
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


def test_cli_export(tmp_path, instance_db):
    db = instance_db
    station = gen_station(db)
    gen_shift(db, gen_volunteer(db, [station]), station, approval="approved")
    out = tmp_path / "out.xlsx"
    res = _cli(tmp_path, "--from", "2024-05-01", "--to", "2024-05-31", "--county", "530802", "-o", str(out))
    assert res.returncode == 0, res.stderr
    _ws, rows = _sheet(out.read_bytes())
    assert rows[0] == HEADERS and len(rows) == 2
    assert _one(db, "SELECT approval FROM shifts")["approval"] == "exported"


# --- the file first, then the mark; any batch again by its number -------------------------------

def _cli(tmp_path, *args, umask=None):
    """run.py export ARGS: through click's runner, or as a real process started under a umask."""
    if umask is None:
        return run(tmp_path, "export", *args)
    env = {"LEIFENG_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "run.py", "export", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, preexec_fn=lambda: os.umask(umask))


@pytest.fixture
def cli_world(instance_db):
    _world(instance_db)
    return instance_db


def _marks(db):
    return (sorted(r["approval"] for r in db.query("SELECT approval FROM shifts")),
            _one(db, "SELECT count(*) AS n FROM export_batches")["n"])


def test_cli_export_that_cannot_write_its_file_marks_nothing_and_leaves_nothing(tmp_path, cli_world):
    db = cli_world
    before = _marks(db)
    res = _cli(tmp_path, "--from", "2024-05-01", "--to", "2024-05-31", "-o", "/nonexistent/x.csv")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "无法写入" in res.stderr and "nothing was marked exported" in res.stderr
    assert _marks(db) == before and before[1] == 0
    # The folder exists but the name is taken by a folder: the temporary file is made, the rename fails.
    out = tmp_path / "out"
    (out / "x.csv").mkdir(parents=True)
    res = _cli(tmp_path, "--from", "2024-05-01", "--to", "2024-05-31", "-o", str(out / "x.csv"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert _marks(db) == before
    assert [p.name for p in out.iterdir()] == ["x.csv"]  # no temporary file left behind
    # Now it can be written: the same records are exported, once.
    res = _cli(tmp_path, "--from", "2024-05-01", "--to", "2024-05-31", "-o", str(out / "y.csv"))
    assert res.returncode == 0, res.stderr
    assert _marks(db)[1] == 1 and _marks(db)[0].count("exported") == 3
    assert sorted(p.name for p in out.iterdir()) == ["x.csv", "y.csv"]


def test_cli_export_files_are_0600_whatever_the_umask(tmp_path, cli_world):
    out = tmp_path / "records.xlsx"
    out.write_bytes(b"an older file of the same name, world-readable")
    out.chmod(0o644)
    res = _cli(tmp_path, "--from", "2024-05-01", "--to", "2024-05-31", "-o", str(out), umask=0)
    assert res.returncode == 0, res.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_bytes()[:2] == b"PK"
    again = tmp_path / "again.csv"
    assert _cli(tmp_path, "--batch", "1", "-o", str(again), umask=0).returncode == 0
    assert stat.S_IMODE(again.stat().st_mode) == 0o600


def test_cli_batch_again_equals_the_original(tmp_path, cli_world):
    db = cli_world
    first, again = tmp_path / "first.csv", tmp_path / "again.csv"
    assert _cli(tmp_path, "--from", "2024-05-01", "--to", "2024-05-31", "-o", str(first)).returncode == 0
    marks = _marks(db)
    res = _cli(tmp_path, "--batch", "1", "-o", str(again))
    assert res.returncode == 0, res.stderr
    body = first.read_bytes()
    assert again.read_bytes() == body and len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) == 4
    assert _marks(db) == marks  # a download again marks nothing
    res = _cli(tmp_path, "--batch", "7", "-o", str(tmp_path / "none.csv"))
    assert res.returncode == 2 and "no export batch 7" in res.stderr and not (tmp_path / "none.csv").exists()


def test_web_export_that_cannot_make_its_file_marks_nothing(app, client, db):
    _world(db)
    login(client, gen_staff(db, "federation"))
    app.config["EXPORT_COLUMNS"] = [["姓名", "no_such_field"]]  # the file cannot be made
    try:
        _export(client)
    except ValueError:
        pass  # the test client re-raises; a real server answers 500
    assert _marks(db) == (["approved"] * 4 + ["pending"], 0)
    assert list(db.query("SELECT * FROM reveal_log")) == []


def test_any_batch_downloads_again_with_the_rows_as_sent(app, client, db):
    station, _people, approved = _world(db)
    login(client, gen_staff(db, "federation"))
    original_csv = _export(client, fmt="csv").data
    page = client.get("/staff/hours/export").get_data(as_text=True)
    assert 'href="/staff/hours/export/1"' in page and 'href="/staff/hours/export/1?format=csv"' in page
    again = client.get("/staff/hours/export/1?format=csv")
    assert again.status_code == 200 and again.data == original_csv
    assert "批次1" in again.headers["Content-Disposition"] or "%E6%89%B9%E6%AC%A11" in again.headers["Content-Disposition"]
    # A record corrected after the export: batch 1 still downloads as it was sent, and the
    # corrections batch downloads again as it was sent, even after a second correction.
    manager = client.application.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    settle = {"action": "settle", "why": "实际 10:30 离开", "csrf_token": csrf_of(manager, "/staff/hours/review")}
    assert manager.post(f"/staff/hours/shifts/{approved[0]}", data={**settle, "end": "10:30"}).status_code == 302
    assert client.get("/staff/hours/export/1?format=csv").data == original_csv
    corrections_csv = _export(client, fmt="csv", kind="corrections").data
    assert manager.post(f"/staff/hours/shifts/{approved[0]}", data={**settle, "end": "10:00", "why": "再次核对"}
                        ).status_code == 302
    assert client.get("/staff/hours/export/2?format=csv").data == corrections_csv
    assert client.get("/staff/hours/export/1?format=csv").data == original_csv
    assert _one(db, "SELECT count(*) AS n FROM export_batches")["n"] == 2  # nothing exported twice
    downloads = list(db.query("SELECT why FROM reveal_log WHERE why LIKE '%downloaded again%'"))
    assert len(downloads) == 4  # every download again shows ID numbers in the clear: logged


def test_a_batch_downloads_again_only_for_who_may_see_it(client, db):
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    a = gen_station(db, county_code="530802")
    gen_shift(db, gen_volunteer(db, [a], name="甲"), a, approval="approved")
    login(client, gen_staff(db, "county", county_id=county["530802"]))
    first = _export(client)
    assert first.status_code == 200
    again = client.get("/staff/hours/export/1")
    assert again.status_code == 200 and again.headers["Cache-Control"].startswith("no-store")
    assert _sheet(again.data)[1] == _sheet(first.data)[1]  # an XLSX again: the same rows, cell for cell
    other = client.application.test_client()
    login(other, gen_staff(db, "county", county_id=county["530821"]))
    assert other.get("/staff/hours/export/1?format=csv").status_code == 404
    assert other.get("/staff/hours/export/999").status_code == 404


def test_xlsx_fast_cells_are_byte_for_byte_what_xlsxwriter_writes():
    """to_xlsx writes plain cells in one step (export._ExportSheet); the sheet must be exactly what
    XlsxWriter's own Worksheet writes, for awkward text too: XML characters, control characters,
    _xHHHH_ look-alikes, spaces at either end, a "<r>" rich-string look-alike, formulas, numbers."""
    import zipfile

    from xlsxwriter.worksheet import Worksheet

    from server.services.export import FIELDS, to_xlsx
    texts = ["张三", "=1+1", "-2", "@x", "\t=A1", "a&b", "<r>x</r>", 'say "hi"', "line\nbreak", "bell\x07",
             "_x0041_", " lead", "trail ", "\u3000全角", "\ufffe", "", "530802199001011234", "08:00"]
    numbers = [0, 1, 1.5, 2.25, 3.3333, -7, 10 ** 12, True]
    columns = [(h, f) for f, h in FIELDS.items()]
    rows = []
    for n in range(60):
        row = {f: texts[(n + i) % len(texts)] for i, f in enumerate(FIELDS)}
        row["hours"], row["record_id"] = numbers[n % len(numbers)], n if n % 5 else None
        rows.append(row)

    def sheet(body):
        return zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml")
    fast, plain = sheet(to_xlsx(columns, rows)), sheet(to_xlsx(columns, rows, sheet_class=Worksheet))
    assert b"inlineStr" in fast and fast == plain


def test_markup_shaped_text_is_written_as_text_not_xml():
    """XlsxWriter's constant-memory mode copies "<r>…</r>" into the sheet unescaped: a name or note
    shaped like that must arrive as the text it is, never as markup in the file."""
    import zipfile

    from server.services.export import FIELDS, safe, to_xlsx
    hostile = '<r><t>x</t></r><c r="Z9"><f>1+1</f></c><r>'
    assert safe("<r>x</r>") == "'<r>x</r>"
    columns = [(h, f) for f, h in FIELDS.items()]
    rows = [{f: hostile + "</r>" for f in FIELDS}]
    sheet = zipfile.ZipFile(io.BytesIO(to_xlsx(columns, rows))).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"&lt;r&gt;" in sheet
