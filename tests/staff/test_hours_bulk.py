"""The approval list at city scale: pages, filters, "select all N matching", the count confirmed
before and after, and bulk decisions that keep the one-by-one rules."""
from datetime import date, timedelta

from server.store import stations
from tests.conftest import csrf_of, gen_shift, gen_staff, gen_station, gen_volunteer, login

PAGE = "/staff/hours/approval"


def _many(db, vid, station, n, first=date(2024, 1, 1)):
    """n closed, pending shifts of one volunteer on consecutive days (09:00-11:00 local)."""
    rows = []
    for k in range(n):
        day = first + timedelta(days=k)
        start, end = f"{day}T01:00:00.000000+00:00", f"{day}T03:00:00.000000+00:00"
        rows.append((vid, station, day.isoformat(), start, end, end, 120, "scan", "closed", "pending", "[]", end, end))
    with db.conn:
        db.conn.executemany(
            "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at,"
            " credited_minutes, source, state, approval, review_reasons, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return [r["id"] for r in db.query("SELECT id FROM shifts WHERE volunteer_id = ? ORDER BY local_date", [vid])]


def _approval(db, ids):
    marks = ",".join("?" * len(ids))
    return [r["approval"] for r in db.query(f"SELECT approval FROM shifts WHERE id IN ({marks}) ORDER BY id", ids)]


def _shown(page):
    body = page.split('data-testid="approval-queue"')[1].split("</table>")[0]
    return [int(x.split('"')[0]) for x in body.split('data-shift-id="')[1:]]


def _post(client, data):
    return client.post(PAGE, data={**data, "csrf_token": csrf_of(client, PAGE)})


def _upto(page):
    return page.split('name="upto" value="')[1].split('"')[0]


def test_the_list_is_paged_oldest_first_with_a_pager(client, db):
    station = gen_station(db)
    ids = _many(db, gen_volunteer(db, [station]), station, 230)
    login(client, gen_staff(db, "federation"))
    first = client.get(PAGE).get_data(as_text=True)
    third = client.get(PAGE + "?page=3").get_data(as_text=True)
    assert _shown(first) == ids[:100] and _shown(third) == ids[200:]
    assert 'data-total="230"' in first and "第 1 / 3 页" in first and "第 3 / 3 页" in third
    assert 'rel="next"' in first and 'rel="next"' not in third and 'rel="prev"' in third
    assert _shown(client.get(PAGE + "?page=99").get_data(as_text=True)) == []


def test_filters_by_month_and_county_narrow_the_list_and_the_count(client, db):
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    a, b = gen_station(db, county_code="530802"), gen_station(db, county_code="530821")
    ids_a = _many(db, gen_volunteer(db, [a]), a, 60)  # 1 Jan - 29 Feb 2024
    ids_b = _many(db, gen_volunteer(db, [b], name="李四"), b, 60)
    login(client, gen_staff(db, "federation"))
    page = client.get(f"{PAGE}?month=2024-02&county={county['530821']}").get_data(as_text=True)
    assert _shown(page) == ids_b[31:] and 'data-total="29"' in page
    assert not set(_shown(page)) & set(ids_a)
    assert 'name="month" value="2024-02"' in page


def test_rows_have_large_labelled_checkboxes_and_a_sticky_bar(client, db, app):
    station = gen_station(db)
    vid = gen_volunteer(db, [station], name="王五")
    shift = gen_shift(db, vid, station, day=date(2024, 5, 6))
    login(client, gen_staff(db, "federation"))
    page = client.get(PAGE).get_data(as_text=True)
    row = page.split('data-testid="approval-queue"')[1].split(f'data-shift-id="{shift}"')[1].split("</tr>")[0]
    assert 'class="big-check"' in row and f'aria-label="选择 2024-05-06 王五 的记录 #{shift}"' in row
    bar = page.split('data-testid="action-bar"')[0].rsplit("<div", 1)[1]
    assert 'class="sticky-bar"' in bar and 'data-testid="select-all"' in page
    css = client.get("/static/css/app.css").get_data(as_text=True)
    rule = css.split(".sticky-bar {")[1].split("}")[0]
    assert "position: sticky" in rule and "bottom: 0" in rule
    assert "width: 32px" in css.split(".big-check input[type=checkbox] {")[1].split("}")[0]


def test_select_all_n_confirms_the_count_then_approves_them_all(client, db):
    station = gen_station(db)
    ids = _many(db, gen_volunteer(db, [station]), station, 250)
    login(client, gen_staff(db, "federation", username="fed1"))
    page = client.get(PAGE).get_data(as_text=True)
    assert "选择全部 250 条符合条件的记录" in page
    asked = _post(client, {"action": "approve", "all": "1", "upto": _upto(page), "ids": [str(ids[0])]})
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-count="250"' in body and "确认审核通过 250 条记录" in body
    assert set(_approval(db, ids)) == {"pending"}  # nothing done before the confirmation
    done = _post(client, {"action": "approve", "all": "1", "upto": _upto(page), "confirmed": "1"})
    assert done.status_code == 302
    assert set(_approval(db, ids)) == {"approved"}
    assert "已审核通过 250 条" in client.get(PAGE).get_data(as_text=True)
    audit = list(db.query("SELECT actor, before, after FROM audit_log WHERE action = 'approve'"))
    assert len(audit) == 250 and audit[0] == {"actor": "staff:fed1", "before": '{"approval":"pending"}',
                                              "after": '{"approval":"approved"}'}
    totals = next(iter(db.query("SELECT sum(approved_minutes) AS m FROM station_days")))
    assert totals["m"] == 250 * 120  # the running totals follow


def test_bulk_approval_keeps_the_rules_and_the_filters(client, db):
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    a, b = gen_station(db, county_code="530802"), gen_station(db, county_code="530821")
    vid = gen_volunteer(db, [a])
    ok = gen_shift(db, vid, a, day=date(2024, 5, 6))
    review = gen_shift(db, vid, a, day=date(2024, 5, 7), state="review")
    mine = gen_shift(db, vid, a, day=date(2024, 5, 8), source="manual", entered_by="staff:cityuser")
    theirs = gen_shift(db, vid, a, day=date(2024, 5, 9), source="manual", entered_by="staff:someone")
    with db.conn:
        opened = db.conn.execute(
            "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, last_scan_at, state,"
            " created_at, updated_at) VALUES (?, ?, '2024-05-10', '2024-05-10T01:00:00.000000+00:00',"
            " '2024-05-10T01:00:00.000000+00:00', 'open', 'x', 'x')", [vid, a]).lastrowid
    elsewhere = gen_shift(db, gen_volunteer(db, [b]), b, day=date(2024, 5, 6))
    login(client, gen_staff(db, "city", username="cityuser"))
    page = client.get(f"{PAGE}?county={county['530802']}").get_data(as_text=True)
    upto = _upto(page)
    later = gen_shift(db, vid, a, day=date(2024, 5, 11))  # filed after the page was opened
    form = {"action": "approve", "all": "1", "upto": upto, "county": str(county["530802"])}
    body = _post(client, form).get_data(as_text=True)
    assert 'data-count="2"' in body  # 5 match; open, in review and own are left as they are
    kept = body.split('data-testid="confirm-kept"')[1].split("</ul>")[0]
    assert "进行中" in kept and "待站点核实" in kept and "本人补录" in kept
    _post(client, {**form, "confirmed": "1"})
    assert _approval(db, [ok, review, mine, theirs, opened, elsewhere, later]) == [
        "approved", "pending", "pending", "approved", "pending", "pending", "pending"]
    assert "已审核通过 2 条" in client.get(PAGE).get_data(as_text=True)


def test_bulk_reject_needs_a_reason_and_bulk_undo_leaves_exported_records(client, db):
    station = gen_station(db)
    ids = _many(db, gen_volunteer(db, [station]), station, 40)
    login(client, gen_staff(db, "federation"))
    upto = _upto(client.get(PAGE).get_data(as_text=True))
    res = _post(client, {"action": "reject", "all": "1", "upto": upto, "month": "2024-01", "confirmed": "1"})
    assert res.status_code == 302 and set(_approval(db, ids)) == {"pending"}
    assert "驳回须填写原因" in client.get(PAGE).get_data(as_text=True)
    _post(client, {"action": "reject", "all": "1", "upto": upto, "month": "2024-01", "why": "重复记录",
                   "confirmed": "1"})
    assert _approval(db, ids) == ["rejected"] * 31 + ["pending"] * 9
    _post(client, {"action": "approve", "all": "1", "upto": upto, "confirmed": "1"})
    with db.conn:  # one of them went out in an export
        db.conn.execute("UPDATE shifts SET approval = 'exported' WHERE id = ?", [ids[39]])
    _post(client, {"action": "undo", "all": "1", "upto": upto, "status": "approved", "why": "再核",
                   "confirmed": "1"})
    assert _approval(db, ids[31:]) == ["pending"] * 8 + ["exported"]
    undo = next(iter(db.query("SELECT before, why FROM audit_log WHERE action = 'undo_approval' LIMIT 1")))
    assert '"approved_by":"staff:' in undo["before"] and undo["why"] == "再核"


def test_select_all_is_scope_checked_and_needs_the_page_it_came_from(client, db):
    station = gen_station(db)
    ids = _many(db, gen_volunteer(db, [station]), station, 5)
    county = gen_staff(db, "county", county_id=stations.counties(db)[0]["id"])
    login(client, county)
    res = client.post(PAGE, data={"action": "approve", "all": "1", "upto": "999", "confirmed": "1",
                                  "csrf_token": csrf_of(client, "/staff/stations")})
    assert res.status_code == 403 and set(_approval(db, ids)) == {"pending"}
    other = client.application.test_client()
    login(other, gen_staff(db, "federation"))
    res = other.post(PAGE, data={"action": "approve", "all": "1", "confirmed": "1",
                                 "csrf_token": csrf_of(other, PAGE)})  # no upto: nothing chosen
    assert res.status_code == 302 and set(_approval(db, ids)) == {"pending"}


def test_the_station_review_list_is_paged_with_its_count(client, db):
    station = gen_station(db)
    _many(db, gen_volunteer(db, [station]), station, 130)
    with db.conn:
        db.conn.execute("UPDATE shifts SET state = 'review', review_reasons = '[\"forgotten_checkout\"]'"
                        " WHERE local_date < '2024-05-01'")  # 121 of them
    login(client, gen_staff(db, "station", station_id=station))
    first = client.get("/staff/hours/review").get_data(as_text=True)
    second = client.get("/staff/hours/review?page=2").get_data(as_text=True)
    assert 'data-testid="review-total">121<' in first and "第 1 / 2 页" in first
    assert first.count('data-testid="open-shift"') == 100 and second.count('data-testid="open-shift"') == 21


def test_the_approval_list_reads_its_index_alone(db):
    """The count and hours of the city's list come from shifts_queue, not 1.5 million table rows."""
    from server.store.hours import _queue
    from server.store.scope import Scope
    where, params, source = _queue(Scope("city"), "approved", county_id=3)
    plan = " ".join(r["detail"] for r in db.query(
        f"EXPLAIN QUERY PLAN SELECT count(*), sum(sh.credited_minutes) FROM {source} WHERE {where}", params))
    assert "COVERING INDEX shifts_queue" in plan


def test_long_work_shows_progress_and_a_download_says_when_it_is_done(client, db):
    """The approval forms carry data-busy (forms.js shows a running bar and the seconds spent); an
    export answers with the cookie naming the page's token, so the page knows the file arrived."""
    station = gen_station(db)
    ids = _many(db, gen_volunteer(db, [station]), station, 3)
    login(client, gen_staff(db, "city"))
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-busy="正在统计所选记录，已用 {s} 秒"' in page
    body = _post(client, {"action": "approve", "ids": [str(i) for i in ids]}).get_data(as_text=True)
    assert 'data-busy="正在审核通过 3 条记录，已用 {s} 秒"' in body
    _post(client, {"action": "approve", "ids": [str(i) for i in ids], "confirmed": "1"})
    res = client.post("/staff/hours/export", data={"from": "2024-01-01", "to": "2024-01-31", "format": "csv",
                                                   "download_token": "1712345678901234",
                                                   "csrf_token": csrf_of(client, "/staff/hours/export")})
    assert res.status_code == 200 and "leifeng_download=1712345678901234" in res.headers["Set-Cookie"]
    assert "Path=/staff" in res.headers["Set-Cookie"] and "SameSite=Strict" in res.headers["Set-Cookie"]
    res = client.post("/staff/hours/export", data={"from": "2024-01-01", "to": "2024-01-31", "format": "csv",
                                                   "download_token": "<script>",
                                                   "csrf_token": csrf_of(client, "/staff/hours/export")})
    assert "leifeng_download" not in res.headers.get("Set-Cookie", "")
    js = client.get("/static/js/forms.js").get_data(as_text=True)
    assert "[data-busy]" in js and "leifeng_download=" in js


def test_a_page_in_the_far_half_is_the_same_walked_from_the_end(client, db):
    station = gen_station(db)
    ids = _many(db, gen_volunteer(db, [station]), station, 350)
    login(client, gen_staff(db, "federation"))
    pages = [_shown(client.get(f"{PAGE}?page={p}").get_data(as_text=True)) for p in (1, 2, 3, 4)]
    assert pages == [ids[:100], ids[100:200], ids[200:300], ids[300:]]
