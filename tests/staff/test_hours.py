"""Hours: the station's review, manual entries and back-fill, the federation's approval, stars."""
import io
from datetime import date, datetime, timezone

from openpyxl import Workbook

from server.store import stations
from tests.conftest import csrf_of, gen_shift, gen_staff, gen_station, gen_volunteer, login


def _one(db, sql, params=()):
    return next(iter(db.query(sql, params)), None)


def _shift(db, shift_id):
    return _one(db, "SELECT * FROM shifts WHERE id = ?", [shift_id])


def _post(client, path, data, page=None):
    return client.post(path, data={**data, "csrf_token": csrf_of(client, page or path)})


def _decide(client, action, ids, why=""):
    return _post(client, "/staff/hours/approval", {"action": action, "ids": [str(i) for i in ids], "why": why,
                                                   "confirmed": "1"},
                 "/staff/stations")


# --- review at the station ---------------------------------------------------------------

def test_review_sets_the_real_end_recomputes_and_audits(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    sid = gen_shift(db, vid, station, start="09:00", end="17:30", state="review", minutes=0)
    login(client, gen_staff(db, "station", username="mgr", station_id=station))
    assert f'data-shift-id="{sid}"' in client.get("/staff/hours/review").get_data(as_text=True)
    res = _post(client, f"/staff/hours/shifts/{sid}", {"action": "settle", "end": "11:00", "why": "电话核实"})
    assert res.status_code == 302
    row = _shift(db, sid)
    assert row["state"] == "closed" and row["credited_minutes"] == 120 and row["review_note"] == "电话核实"
    assert row["ended_at"] == "2024-05-06T03:00:00.000000+00:00"
    audit = _one(db, "SELECT * FROM audit_log WHERE object_type = 'shift' AND object_id = ?", [str(sid)])
    assert audit["actor"] == "staff:mgr" and audit["why"] == "电话核实"
    assert '"state":"review"' in audit["before"] and '"credited_minutes":120' in audit["after"]
    assert f'data-shift-id="{sid}"' not in client.get("/staff/hours/review").get_data(as_text=True)


def test_review_refuses_past_last_window_before_start_and_no_reason(client, db):
    station = gen_station(db)
    sid = gen_shift(db, gen_volunteer(db, [station]), station, start="09:00", end="17:30", state="review", minutes=0)
    login(client, gen_staff(db, "station", station_id=station))
    for end, why, text in [("18:00", "核实", "最后一个服务时段"), ("08:30", "核实", "晚于开始"),
                           ("11:00", "", "原因")]:
        res = _post(client, f"/staff/hours/shifts/{sid}", {"action": "settle", "end": end, "why": why})
        assert res.status_code == 400 and text in res.get_data(as_text=True), end
    assert _shift(db, sid)["state"] == "review"


def test_station_reject_keeps_the_record_and_credits_nothing(client, db):
    station = gen_station(db)
    sid = gen_shift(db, gen_volunteer(db, [station]), station, state="review", minutes=0)
    login(client, gen_staff(db, "station", station_id=station))
    assert _post(client, f"/staff/hours/shifts/{sid}", {"action": "reject", "why": "误扫"}).status_code == 302
    row = _shift(db, sid)
    assert row["state"] == "rejected" and row["approval"] == "rejected" and row["credited_minutes"] == 0


def test_station_manager_cannot_open_another_stations_shift(client, db):
    a, b = gen_station(db), gen_station(db)
    sid = gen_shift(db, gen_volunteer(db, [a]), a, state="review")
    login(client, gen_staff(db, "station", station_id=b))
    assert client.get(f"/staff/hours/shifts/{sid}").status_code == 404


# --- manual entries and back-fill --------------------------------------------------------

def test_manual_entry_is_marked_pending_and_checked(client, db, clock):
    clock.instant = datetime(2024, 6, 1, 4, tzinfo=timezone.utc)
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    login(client, gen_staff(db, "station", username="mgr", station_id=station))
    form = {"station_id": str(station), "volunteer": f"V{vid:06d}", "date": "2019-03-05", "start": "09:00",
            "end": "11:00"}
    assert _post(client, "/staff/hours/manual", form).status_code == 302
    row = _one(db, "SELECT * FROM shifts WHERE volunteer_id = ?", [vid])
    assert (row["source"], row["state"], row["approval"], row["entered_by"], row["credited_minutes"],
            row["service_item"]) == ("manual", "closed", "pending", "staff:mgr", 120, "站点服务")
    for changes, text in [({"date": "2018-12-31"}, "2019-01-01"), ({"date": "2024-07-01"}, "未来"),
                          ({"volunteer": "V999999"}, "志愿者编号"), ({"end": "08:00"}, "晚于开始"),
                          ({"start": "10:00"}, "已有记录"), ({"start": "12:00", "end": "14:00"}, "服务时段")]:
        res = _post(client, "/staff/hours/manual", {**form, **changes})
        assert res.status_code == 400 and text in res.get_data(as_text=True), changes
    assert _one(db, "SELECT count(*) AS n FROM shifts")["n"] == 1


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["志愿者编号", "姓名", "服务日期", "开始时间", "结束时间", "服务内容"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _upload(client, station, rows):
    data = {"station_id": str(station), "csrf_token": csrf_of(client, "/staff/hours/manual"),
            "file": (_sheet(rows), "补录.xlsx")}
    return client.post("/staff/hours/manual/upload", data=data, content_type="multipart/form-data")


def test_backfill_upload_is_all_or_nothing_with_row_errors(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station], name="李四")
    ref = f"V{vid:06d}"
    login(client, gen_staff(db, "station", station_id=station))
    assert client.get("/staff/hours/manual/template.xlsx").data[:2] == b"PK"
    good = [[ref, "李四", "2019-03-05", "08:30", "11:30", "站点服务"],
            [ref, "李四", date(2019, 3, 6), "14:30", "17:00", "站点服务"]]
    res = _upload(client, station, good + [[ref, "李四", "2019-03-07", "11:00", "10:00", "站点服务"],
                                          [ref, "王五", "2019-03-08", "09:00", "10:00", "站点服务"]])
    page = res.get_data(as_text=True)
    assert res.status_code == 400 and "第 4 行" in page and "结束时间应晚于开始时间" in page
    assert "第 5 行" in page and "姓名" in page and "第 2 行" not in page
    assert _one(db, "SELECT count(*) AS n FROM shifts")["n"] == 0
    overlap = _upload(client, station, good + [[ref, "李四", "2019-03-05", "09:00", "10:00", None]])
    assert overlap.status_code == 400 and "第 4 行" in overlap.get_data(as_text=True)
    assert _one(db, "SELECT count(*) AS n FROM shifts")["n"] == 0
    assert _upload(client, station, good).status_code == 302
    rows = list(db.query("SELECT credited_minutes, source FROM shifts ORDER BY id"))
    assert rows == [{"credited_minutes": 180, "source": "manual"}, {"credited_minutes": 150, "source": "manual"}]


def test_upload_of_something_else_is_refused(client, db):
    station = gen_station(db)
    login(client, gen_staff(db, "station", station_id=station))
    data = {"station_id": str(station), "csrf_token": csrf_of(client, "/staff/hours/manual"),
            "file": (io.BytesIO(b"not a workbook"), "x.xlsx")}
    res = client.post("/staff/hours/manual/upload", data=data, content_type="multipart/form-data")
    assert res.status_code == 400 and "模板" in res.get_data(as_text=True)


# --- approval ------------------------------------------------------------------------------

def test_open_review_and_own_manual_records_cannot_be_approved(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    city = gen_staff(db, "city", username="cityuser")
    closed = gen_shift(db, vid, station, day=date(2024, 5, 6))
    review = gen_shift(db, vid, station, day=date(2024, 5, 7), state="review")
    mine = gen_shift(db, vid, station, day=date(2024, 5, 8), source="manual", entered_by="staff:cityuser")
    with db.conn:
        cur = db.conn.execute(
            "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, last_scan_at, state,"
            " created_at, updated_at) VALUES (?, ?, '2024-05-09', '2024-05-09T01:00:00.000000+00:00',"
            " '2024-05-09T01:00:00.000000+00:00', 'open', 'x', 'x')", [vid, station])
    opened = cur.lastrowid
    login(client, city)
    res = _decide(client, "approve", [closed, review, mine, opened])
    assert res.status_code == 302
    assert [_shift(db, i)["approval"] for i in (closed, review, mine, opened)] == ["approved", "pending", "pending", "pending"]
    assert _shift(db, closed)["approved_by"] == "staff:cityuser"
    messages = client.get("/staff/hours/approval").get_data(as_text=True)
    assert "不能审核自己补录的记录" in messages and "进行中的记录不能审核" in messages
    other = app_client(client)
    login(other, gen_staff(db, "federation"))
    _decide(other, "approve", [mine])
    assert _shift(db, mine)["approval"] == "approved"


def app_client(client):
    return client.application.test_client()


def test_reject_needs_a_reason_and_undo_works_until_export(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    a, b = gen_shift(db, vid, station, day=date(2024, 5, 6)), gen_shift(db, vid, station, day=date(2024, 5, 7))
    login(client, gen_staff(db, "federation"))
    _decide(client, "reject", [a])
    assert _shift(db, a)["approval"] == "pending"
    _decide(client, "reject", [a], why="重复记录")
    assert _shift(db, a)["approval"] == "rejected" and _shift(db, a)["review_note"] == "重复记录"
    _decide(client, "approve", [b])
    _decide(client, "undo", [b], why="时间有误")
    assert _shift(db, b)["approval"] == "pending" and _shift(db, b)["approved_by"] is None
    _decide(client, "approve", [b])
    client.post("/staff/hours/export", data={"from": "2024-05-01", "to": "2024-05-31", "format": "csv",
                                             "csrf_token": csrf_of(client, "/staff/hours/export")})
    assert _shift(db, b)["approval"] == "exported"
    _decide(client, "undo", [b], why="再改")
    assert _shift(db, b)["approval"] == "exported"
    assert "已导出的记录不能撤销审核" in client.get("/staff/hours/approval").get_data(as_text=True)


def test_counties_cannot_approve_and_filters_narrow_the_queue(client, db):
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    a, b = gen_station(db, county_code="530802"), gen_station(db, county_code="530821")
    sa = gen_shift(db, gen_volunteer(db, [a]), a)
    sb = gen_shift(db, gen_volunteer(db, [b]), b)
    login(client, gen_staff(db, "county", county_id=county["530802"]))
    assert client.get("/staff/hours/approval").status_code == 403
    assert _decide(client, "approve", [sb]).status_code == 403
    other = app_client(client)
    login(other, gen_staff(db, "federation"))
    page = other.get(f"/staff/hours/approval?county={county['530821']}").get_data(as_text=True)
    page = page.split('data-testid="approval-queue"')[1]
    assert f'data-shift-id="{sb}"' in page and f'data-shift-id="{sa}"' not in page


def test_records_older_than_ten_working_days_are_flagged(client, db, clock):
    clock.instant = datetime(2024, 5, 20, 4, tzinfo=timezone.utc)  # Monday; 10 working days back: 6 May
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    late = gen_shift(db, vid, station, day=date(2024, 5, 3))
    fresh = gen_shift(db, vid, station, day=date(2024, 5, 6))
    login(client, gen_staff(db, "federation"))
    page = client.get("/staff/hours/approval").get_data(as_text=True)
    warning = page.split('data-testid="overdue"')[1].split("</section>")[0]
    assert f'data-shift-id="{late}"' in warning and f'data-shift-id="{fresh}"' not in warning


# --- star levels ---------------------------------------------------------------------------

def _hours_of(db, vid, station, minutes_total):
    """Shifts on distinct days adding up to minutes_total, pending approval."""
    ids, day, left = [], date(2024, 1, 1).toordinal(), minutes_total
    while left:
        chunk = min(left, 360)
        ids.append(gen_shift(db, vid, station, day=date.fromordinal(day), minutes=chunk))
        left -= chunk
        day += 1
    return ids


def test_star_threshold_exactly_at_100_hours_through_approval(client, db):
    station = gen_station(db)
    full, short = gen_volunteer(db, [station], name="满百"), gen_volunteer(db, [station], name="差一点")
    ids = _hours_of(db, full, station, 6000) + _hours_of(db, short, station, 5994)
    login(client, gen_staff(db, "federation"))
    assert "满百" not in client.get("/staff/hours/stars").get_data(as_text=True)  # pending hours do not count
    _decide(client, "approve", ids)
    page = client.get("/staff/hours/stars").get_data(as_text=True)
    assert f'data-volunteer-id="{full}"' in page and "一星志愿者" in page
    assert f'data-volunteer-id="{short}"' not in page
    res = _post(client, "/staff/hours/stars/certify", {"volunteer_id": str(full), "level": "2"}, "/staff/hours/stars")
    assert res.status_code == 302 and _one(db, "SELECT count(*) AS n FROM star_certifications")["n"] == 0
    _post(client, "/staff/hours/stars/certify", {"volunteer_id": str(full), "level": "1"}, "/staff/hours/stars")
    assert _one(db, "SELECT level FROM star_certifications WHERE volunteer_id = ?", [full])["level"] == 1
    assert f'data-volunteer-id="{full}"' not in client.get("/staff/hours/stars").get_data(as_text=True)


def test_rewards_are_recorded(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    login(client, gen_staff(db, "federation"))
    _post(client, "/staff/hours/rewards", {"volunteer": f"V{vid:06d}", "what": "公园年卡", "given_on": "2024-05-01"},
          "/staff/hours/stars")
    row = _one(db, "SELECT * FROM rewards")
    assert row["volunteer_id"] == vid and row["what"] == "公园年卡" and row["given_by"].startswith("staff:")
