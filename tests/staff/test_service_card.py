"""《普洱市志愿服务证》: print a volunteer's period from the staff page and run.py, mark it written (audited)."""
import subprocess
from datetime import date, datetime

from server import create_app
from server.db import connect
from server.rules.windows import STATION_TZ
from tests.conftest import csrf_of, gen_shift, gen_staff, gen_station, gen_volunteer, login
from tests.ops.test_cli import run


def _world(db):
    sid = gen_station(db)
    vid = gen_volunteer(db, [sid], name="欧阳娜娜")
    gen_shift(db, vid, sid, day=date(2024, 5, 6), start="07:55", end="11:33")
    gen_shift(db, vid, sid, day=date(2024, 5, 9), start="14:30", end="16:00")
    gen_shift(db, vid, sid, day=date(2024, 6, 3), start="08:00", end="09:00")  # outside the period
    return sid, vid


def _pdf_text(body, tmp_path):
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(body)
    return "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


def test_staff_prints_the_period_and_marks_it_written(client, db, clock, tmp_path):
    clock.instant = datetime(2024, 6, 10, 10, 0, tzinfo=STATION_TZ)
    sid, vid = _world(db)
    login(client, gen_staff(db, "station", station_id=sid))
    page = client.get(f"/staff/volunteers/{vid}").get_data(as_text=True)
    assert 'data-testid="service-card"' in page and "已登记入志愿服务证 0 条，未登记 3 条" in page
    res = client.get(f"/staff/volunteers/{vid}/service-card.pdf?from=2024-05-01&to=2024-05-31")
    assert res.status_code == 200 and res.mimetype == "application/pdf"
    text = _pdf_text(res.data, tmp_path)
    for words in ("欧阳娜娜", "2024-05-06", "08:00—11:30", "3.50", "2024-05-09", "14:30—16:00", "1.50", "站点服务",
                  "记录单位（盖章）", "本期共2条，合计5.00小时"):
        assert words in text, words
    assert "2024-06-03" not in text and "07:55" not in text

    token = csrf_of(client, f"/staff/volunteers/{vid}")
    res = client.post(f"/staff/volunteers/{vid}/service-card/mark",
                      data={"from": "2024-05-01", "to": "2024-05-31", "csrf_token": token})
    assert res.status_code == 302
    marked = {r["local_date"]: r["card_recorded_at"] for r in db.query(
        "SELECT local_date, card_recorded_at FROM shifts WHERE volunteer_id = ?", [vid])}
    assert marked["2024-05-06"] and marked["2024-05-09"] and marked["2024-06-03"] is None
    audit = list(db.query("SELECT actor, after FROM audit_log WHERE action = 'service_card' AND object_id = ?",
                          [str(vid)]))
    assert len(audit) == 1 and '"from":"2024-05-01"' in audit[0]["after"]
    page = client.get(f"/staff/volunteers/{vid}").get_data(as_text=True)
    assert "已登记入志愿服务证 2 条，未登记 1 条" in page and "2024-06-10 10:00" in page
    # marking the same period again marks nothing and audits nothing
    client.post(f"/staff/volunteers/{vid}/service-card/mark",
                data={"from": "2024-05-01", "to": "2024-05-31", "csrf_token": token})
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'service_card'").fetchone()[0] == 1


def test_a_bad_period_is_refused_and_marks_nothing(client, db):
    sid, vid = _world(db)
    login(client, gen_staff(db, "station", station_id=sid))
    token = csrf_of(client, f"/staff/volunteers/{vid}")
    res = client.post(f"/staff/volunteers/{vid}/service-card/mark",
                      data={"from": "2024-05-31", "to": "2024-05-01", "csrf_token": token})
    assert res.status_code == 400 and "期间" in res.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM shifts WHERE card_recorded_at IS NOT NULL").fetchone()[0] == 0
    assert client.get(f"/staff/volunteers/{vid}/service-card.pdf?from=x&to=2024-05-01").status_code == 400


def test_another_stations_manager_sees_no_card(client, db):
    sid, vid = _world(db)
    login(client, gen_staff(db, "station", station_id=gen_station(db)))
    assert client.get(f"/staff/volunteers/{vid}/service-card.pdf?from=2024-05-01&to=2024-05-31").status_code == 404


def test_run_py_print_service_card(tmp_path, monkeypatch):
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    app = create_app()
    db = connect(app.config["DATABASE"])
    db.app = app
    _sid, vid = _world(db)
    db.close()
    out = tmp_path / "card.pdf"
    res = run(tmp_path, "print", "service-card", "--volunteer", vid, "--from", "2024-05-01", "--to", "2024-05-31",
              "-o", out)
    assert res.returncode == 0, res.stderr
    assert "08:00—11:30" in _pdf_text(out.read_bytes(), tmp_path)
    res = run(tmp_path, "print", "service-card", "--volunteer", vid, "-o", out)
    assert res.returncode == 2 and "--from" in res.stderr


def test_print_page_titles_follow_the_stations_name(client, db):
    community = gen_station(db, "community", name="振兴社区学雷锋志愿服务站")
    hospital = gen_station(db, "hospital")
    login(client, gen_staff(db, "city"))
    page = client.get(f"/staff/stations/{community}/print").get_data(as_text=True)
    assert "学雷锋志愿服务站相关制度" in page and "服务点相关制度" not in page and "登记簿" in page
    assert "登记薄" not in page
    assert "学雷锋志愿服务点相关制度" in client.get(f"/staff/stations/{hospital}/print").get_data(as_text=True)
