"""The kiosk API through the Flask client: pairing, scans, idempotency, refusals, scope."""
from datetime import datetime, timedelta

import pytest

from server.db import immediate
from server.rules.badges import make_badge_token
from server.store import devices, volunteers
from server.timeutil import STATION_TZ
from tests.conftest import badge_for, gen_kiosk, gen_station, gen_volunteer, scan_event

MON = datetime(2026, 11, 23, tzinfo=STATION_TZ)  # a Monday


def at(hhmm, day=MON):
    h, m = map(int, hhmm.split(":"))
    return day.replace(hour=h, minute=m)


@pytest.fixture
def station(db):
    return gen_station(db, "community")


@pytest.fixture
def kiosk(client, db, station):
    return gen_kiosk(client, db, station)


def scan(client, kiosk, clock, token, when, event_id=None):
    clock.instant = when
    res = client.post("/api/kiosk/scans", json={"events": [scan_event(token, when, event_id)]},
                      headers=kiosk)
    assert res.status_code == 200, res.json
    return res.json["results"][0]


def count(db, table):
    return next(db.query(f"SELECT count(*) AS n FROM {table}"))["n"]


def test_check_in_then_out_credits_window_time(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    first = scan(client, kiosk, clock, token, at("07:50"))
    assert first["outcome"] == "checked_in" and first["volunteer"]["name"] == "张三"
    second = scan(client, kiosk, clock, token, at("15:00"))
    assert second["outcome"] == "checked_out"
    # 08:00-11:30 (210 min) and 14:30-15:00 (30 min): lunch and early time not credited
    assert second["shift"]["credited_minutes"] == 240
    assert second["shift"]["service_item"] == "站点服务"
    assert second["volunteer"]["today_minutes"] == 240


def test_repeat_within_debounce_is_one_scan(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    assert scan(client, kiosk, clock, token, at("09:00"))["outcome"] == "checked_in"
    assert scan(client, kiosk, clock, token, at("09:00") + timedelta(seconds=59))["outcome"] == "duplicate"
    assert scan(client, kiosk, clock, token, at("10:00"))["outcome"] == "checked_out"
    assert scan(client, kiosk, clock, token, at("10:00") + timedelta(seconds=5))["outcome"] == "duplicate"
    assert count(db, "shifts") == 1


def test_resent_event_returns_first_result_and_changes_nothing(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    first = scan(client, kiosk, clock, token, at("09:00"), "0b7e8f3c-1111-4a2b-9c3d-000000000001")
    again = scan(client, kiosk, clock, token, at("09:00"), "0b7e8f3c-1111-4a2b-9c3d-000000000001")
    assert again["outcome"] == first["outcome"] == "checked_in"
    assert count(db, "scan_events") == 1 and count(db, "shifts") == 1
    other = scan(client, kiosk, clock, token, at("10:00"), "0b7e8f3c-1111-4a2b-9c3d-000000000001")
    assert other["outcome"] == "rejected" and other["reason"] == "id_conflict"
    assert count(db, "scan_events") == 1


def test_forgotten_checkout_never_becomes_next_mornings_checkout(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    scan(client, kiosk, clock, token, at("09:00"))
    tuesday = scan(client, kiosk, clock, token, at("08:05", MON + timedelta(days=1)))
    assert tuesday["outcome"] == "checked_in"
    old = next(db.query("SELECT * FROM shifts ORDER BY id LIMIT 1"))
    assert old["state"] == "review" and old["credited_minutes"] == 0
    assert "forgotten_checkout" in old["review_reasons"]
    assert old["ended_at"].startswith("2026-11-23T09:30")  # 17:30 local


def test_scan_at_another_station_closes_first_for_review(client, db, clock, station, kiosk):
    other = gen_station(db, "community")
    other_kiosk = gen_kiosk(client, db, other)
    token = badge_for(db, gen_volunteer(db, [station, other]))
    scan(client, kiosk, clock, token, at("09:00"))
    assert scan(client, other_kiosk, clock, token, at("10:00"))["outcome"] == "checked_in"
    rows = list(db.query("SELECT station_id, state, review_reasons FROM shifts ORDER BY id"))
    assert rows[0]["state"] == "review" and "station_change" in rows[0]["review_reasons"]
    assert rows[1]["station_id"] == other and rows[1]["state"] == "open"


def test_volunteer_off_the_team_is_recorded_but_flagged(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [gen_station(db)]))
    assert scan(client, kiosk, clock, token, at("09:00"))["outcome"] == "checked_in"
    done = scan(client, kiosk, clock, token, at("11:00"))
    assert done["shift"]["state"] == "review" and "not_member" in done["shift"]["review_reasons"]


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_inactive_volunteer_is_refused(client, db, clock, station, kiosk, status):
    token = badge_for(db, gen_volunteer(db, [station], status=status))
    result = scan(client, kiosk, clock, token, at("09:00"))
    assert result["outcome"] == "rejected" and result["reason"] == status
    assert "volunteer" not in result and count(db, "shifts") == 0


def test_bad_tokens_record_no_shift(client, db, clock, station, kiosk):
    vid = gen_volunteer(db, [station])
    good = badge_for(db, vid)
    forged = make_badge_token("another-secret", volunteers.ref_for(vid), 1)
    other_purpose = make_badge_token("test-secret", volunteers.ref_for(vid), 1, purpose="link")
    tampered = good.replace(".1.", ".2.")
    for token, reason in [(forged, "bad_badge"), (other_purpose, "bad_badge"), (tampered, "bad_badge"),
                          ("HELLO WORLD", "bad_badge"), ("https://example.org/x", "bad_badge")]:
        assert scan(client, kiosk, clock, token, at("09:00"))["reason"] == reason
    with db.app.app_context(), immediate(db):
        volunteers.reissue_badge(db, "test", vid)
    assert scan(client, kiosk, clock, good, at("09:10"))["reason"] == "revoked_badge"
    assert count(db, "shifts") == 0
    assert scan(client, kiosk, clock, badge_for(db, vid), at("09:20"))["outcome"] == "checked_in"


def test_scanner_typed_variants_read(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in token.lower())
    assert scan(client, kiosk, clock, fullwidth + "\r\n", at("09:00"))["outcome"] == "checked_in"


def test_kiosk_clock_in_the_future_uses_server_time(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    clock.instant = at("09:00")
    event = scan_event(token, at("09:00") + timedelta(hours=3))
    res = client.post("/api/kiosk/scans", json={"events": [event]}, headers=kiosk).json["results"][0]
    assert "clock_skew" in res["shift"]["review_reasons"]
    assert res["shift"]["started_at"].startswith("2026-11-23T01:00")


def test_scan_after_midnight_is_that_local_day(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    result = scan(client, kiosk, clock, token, at("00:30"))
    assert result["shift"]["local_date"] == "2026-11-23"


def test_malformed_batch_stores_nothing(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    good = scan_event(token, at("09:00"))
    for bad in ({"id": "not-a-uuid", "token": token, "scanned_at": at("09:00").isoformat()},
                {"id": good["id"], "token": token, "scanned_at": "2026-11-23 09:00"},
                {"id": good["id"], "token": 5, "scanned_at": good["scanned_at"]},
                {**good, "volunteer_id": 1}):
        res = client.post("/api/kiosk/scans", json={"events": [good, bad]}, headers=kiosk)
        assert res.status_code == 400 and res.json["error"]["message"] and res.json["error"]["message_en"]
    assert count(db, "scan_events") == 0


def test_batch_limits_and_content_types(client, db, kiosk):
    assert client.post("/api/kiosk/scans", json={"events": []}, headers=kiosk).status_code == 400
    assert client.post("/api/kiosk/scans", data="events=1", headers=kiosk).status_code == 415
    assert client.post("/api/kiosk/scans", json={"events": [], "x": 1}, headers=kiosk).json["error"]["code"] == "unknown_field"
    huge = {"events": [{"id": "x" * 100, "token": "y" * 100, "scanned_at": "z"}] * 6000}
    assert client.post("/api/kiosk/scans", json=huge, headers=kiosk).status_code == 413


def test_unpaired_and_revoked_devices_are_refused(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    body = {"events": [scan_event(token, at("09:00"))]}
    assert client.post("/api/kiosk/scans", json=body).status_code == 401
    assert client.post("/api/kiosk/scans", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    device = next(db.query("SELECT id FROM devices"))["id"]
    with db.app.app_context(), immediate(db):
        devices.revoke_device(db, "test", device)
    assert client.post("/api/kiosk/scans", json=body, headers=kiosk).status_code == 401
    assert count(db, "scan_events") == 0


def test_pairing_code_is_single_use_and_expires(client, db, clock, station):
    with db.app.app_context(), immediate(db):
        code = devices.new_pairing_code(db, "test", station, 15)
    assert client.post("/api/kiosk/pair", json={"code": code.lower()}).status_code == 201
    again = client.post("/api/kiosk/pair", json={"code": code})
    assert again.status_code == 400 and "已使用" in again.json["error"]["message"]
    clock.instant = at("09:00")
    with db.app.app_context(), immediate(db):
        code = devices.new_pairing_code(db, "test", station, 15)
    clock.instant = at("09:16")
    assert client.post("/api/kiosk/pair", json={"code": code}).status_code == 400
    assert count(db, "devices") == 1


def test_pairing_is_rate_limited(client, db):
    codes = [client.post("/api/kiosk/pair", json={"code": "WRONG%03d" % i}).status_code for i in range(12)]
    assert codes[:10] == [400] * 10 and codes[-1] == 429


def test_identity_items_only_on_own_open_shift(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    shift = scan(client, kiosk, clock, token, at("09:00"))["shift"]["id"]
    other_kiosk = gen_kiosk(client, db, gen_station(db))
    url = f"/api/kiosk/shifts/{shift}/identity"
    assert client.post(url, json={"items": ["sash"]}, headers=other_kiosk).status_code == 404
    assert client.post(url, json={"items": ["hat"]}, headers=kiosk).status_code == 400
    assert client.post(url, json={"items": ["vest", "sash"]}, headers=kiosk).status_code == 200
    assert next(db.query("SELECT identity_items FROM shifts"))["identity_items"] == '["sash","vest"]'


def test_kiosk_sees_only_its_station_and_no_personal_numbers(client, db, clock, station, kiosk):
    token = badge_for(db, gen_volunteer(db, [station]))
    scan(client, kiosk, clock, token, at("09:00"))
    body = client.get("/api/kiosk/station", headers=kiosk).get_data(as_text=True)
    assert '"count":1' in body.replace(" ", "") and "张三" in body
    assert "138" not in body and "5308" not in body
    assert client.get("/api/kiosk/station", headers=kiosk).headers["Cache-Control"] == "no-store"


def test_kiosk_result_shows_the_certified_star_not_the_computed_one(client, db, clock, station, kiosk):
    from server.store import recognition
    vid = gen_volunteer(db, [station])
    with db.app.app_context(), immediate(db):
        db.execute("INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at,"
                   " credited_minutes, state, approval, created_at, updated_at) VALUES (?, ?, '2026-10-01',"
                   " '2026-10-01T00:00:00.000000+00:00', '2026-10-01T08:00:00.000000+00:00',"
                   " '2026-10-01T08:00:00.000000+00:00', 6000, 'closed', 'approved', 'x', 'x')", [vid, station])
    token = badge_for(db, vid)
    first = scan(client, kiosk, clock, token, at("09:00"))
    assert first["volunteer"]["approved_hours"] == 100.0 and first["volunteer"]["star_level"] == 0
    with db.app.app_context(), immediate(db):
        assert recognition.certify(db, "staff:fed", vid, 1)
    assert scan(client, kiosk, clock, token, at("10:00"))["volunteer"]["star_level"] == 1


def test_a_scan_reads_once_and_writes_twice(app, client, db, clock, station, kiosk):
    """Each call to SQLite makes the server's threads take turns at the interpreter: a check-in
    or check-out is one read of what it is decided on (the stations' on-duty lists among it: the
    push after the COMMIT sends them as the scan left them), the shift's write and the event's
    insert (the kiosk's answer comes back from those two writes), and nothing after the COMMIT."""
    from server import db as connections
    token = badge_for(db, gen_volunteer(db, [station]))
    scan(client, kiosk, clock, token, at("08:00"))  # the request thread's connection is open now
    conn = connections._local.connections[app.config["DATABASE"]].conn
    seen = []
    conn.set_trace_callback(lambda sql: seen[-1:] != [sql] and seen.append(sql))  # a trigger's repeats once
    try:
        for when, outcome, write in (("09:00", "checked_out", "UPDATE"), ("10:00", "checked_in", "INSERT")):
            seen.clear()
            result = scan(client, kiosk, clock, token, at(when))
            assert result["outcome"] == outcome
            assert result["volunteer"]["name"] and result["shift"]["id"]
            assert [s.split()[0] for s in seen] == ["SELECT", "BEGIN", "WITH", write, "INSERT", "COMMIT"], seen
    finally:
        conn.set_trace_callback(None)
