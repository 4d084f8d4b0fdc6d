"""Service-demand requests: phone form, consent, tracking, the station's inbox, privacy."""
import re

import pytest

from server.live import socketio
from tests.conftest import (REQUEST_FORM, csrf_of, gen_kiosk, gen_request, gen_staff, gen_station,
                            gen_volunteer, login)


def _post(client, station, **changes):
    form = {**REQUEST_FORM, **changes, "csrf_token": csrf_of(client, f"/s/{station}/request")}
    return client.post(f"/s/{station}/request", data={k: v for k, v in form.items() if v is not None})


def _count(db, table="requests"):
    return next(db.query(f"SELECT count(*) AS n FROM {table}"))["n"]


def _ticket(res):
    return re.search(r'data-testid="ticket">(\w+)<', res.get_data(as_text=True)).group(1)


def test_phone_request_gives_a_ticket_and_stores_details_encrypted(client, db):
    station = gen_station(db)
    res = _post(client, station)
    assert res.status_code == 200 and res.headers["Cache-Control"] == "no-store"
    ticket = _ticket(res)
    row = next(db.query("SELECT * FROM requests"))
    assert row["ticket"] == ticket and row["name_masked"] == "李**" and row["phone_masked"] == "139****5678"
    assert "李大爷" not in str(row) and "13900005678" not in str(row) and "买菜" not in str(row)
    consent = row["consent"]
    assert '"version"' in consent and f'"station_id":{station}' in consent


def test_consent_is_never_assumed(client, db):
    station = gen_station(db)
    res = _post(client, station, consent=None)
    assert res.status_code == 400 and "同意" in res.get_data(as_text=True)
    res = _post(client, station, category="社区矫正")
    assert res.status_code == 400 and "单独同意" in res.get_data(as_text=True)
    res = _post(client, station, category="空巢老人", health_details="1")
    assert res.status_code == 400 and "单独同意" in res.get_data(as_text=True)
    res = _post(client, station, age="12")
    assert res.status_code == 400 and "监护人" in res.get_data(as_text=True)
    assert _count(db) == 0
    assert _post(client, station, category="社区矫正", consent_sensitive="1").status_code == 200
    assert _post(client, station, age="12", guardian_name="李母", consent_guardian="1").status_code == 200
    rows = list(db.query("SELECT category, sensitive, consent FROM requests ORDER BY id"))
    assert rows[0]["category"] is None and rows[0]["sensitive"] == 1  # the category itself is encrypted
    assert '"guardian":"李母"' in rows[1]["consent"]


@pytest.mark.parametrize("changes,field", [
    ({"mobile": "12345678901"}, "mobile"), ({"mobile": "", "home_phone": ""}, "mobile"), ({"age": "200"}, "age"),
    ({"reason": "x" * 10000}, "reason"), ({"name": "李\x00大爷"}, "name"), ({"category": "外星人"}, "category"),
    ({"service_item": ""}, "service_item"), ({"name": ""}, "name")])
def test_bad_input_is_named_beside_its_field(client, db, changes, field):
    res = _post(client, gen_station(db), **changes)
    assert res.status_code == 400 and f'data-testid="error-{field}"' in res.get_data(as_text=True)
    assert _count(db) == 0 and _count(db, "request_events") == 0


def test_tracking_needs_ticket_and_last_four(client, db):
    station = gen_station(db)
    ticket = _ticket(_post(client, station))
    track = lambda last4: client.post("/s/track", data={"ticket": ticket.lower(), "last4": last4, "csrf_token": csrf_of(client, "/s/track")})
    assert track("0000").status_code == 404
    ok = track("5678")
    assert ok.status_code == 200 and "待受理" in ok.get_data(as_text=True)
    for _ in range(10):
        track("1111")
    assert track("5678").status_code == 429


def test_inbox_masks_and_reveal_is_logged(client, db, app):
    station = gen_station(db)
    gen_request(app, db, station, category="吸毒人员", consent_sensitive="1")
    login(client, gen_staff(db, "station", station_id=station))
    page = client.get("/staff/requests").get_data(as_text=True)
    assert "李**" in page and "139****5678" in page and "敏感类别" in page
    assert "吸毒" not in page and "李大爷" not in page
    rid = next(db.query("SELECT id FROM requests"))["id"]
    detail = client.get(f"/staff/requests/{rid}").get_data(as_text=True)
    assert "吸毒" not in detail and "买菜" not in detail
    res = client.post(f"/staff/requests/{rid}/reveal", data={"why": "安排上门服务", "csrf_token": csrf_of(client, f"/staff/requests/{rid}")})
    text = res.get_data(as_text=True)
    assert "吸毒人员" in text and "李大爷" in text and res.headers["Cache-Control"] == "no-store"
    log = list(db.query("SELECT object_type, why FROM reveal_log"))
    assert log == [{"object_type": "request", "why": "安排上门服务"}]


def test_other_scopes_get_nothing_not_even_a_count(client, db, app):
    here = gen_station(db, county_code="530802")
    gen_request(app, db, here)
    rid = next(db.query("SELECT id FROM requests"))["id"]
    login(client, gen_staff(db, "county", county_id=2))
    page = client.get("/staff/requests").get_data(as_text=True)
    assert "(0)" in page and "data-request-id" not in page
    assert client.get(f"/staff/requests/{rid}").status_code == 404


def test_state_flow_with_public_and_private_notes(client, db, app):
    station = gen_station(db)
    rid = gen_request(app, db, station)
    ticket = next(db.query("SELECT ticket FROM requests"))["ticket"]
    login(client, gen_staff(db, "station", station_id=station))
    change = lambda state, note, public=None: client.post(f"/staff/requests/{rid}/state", data={
        "state": state, "note": note, "public": public, "csrf_token": csrf_of(client, f"/staff/requests/{rid}")})
    assert change("done", "跳过").status_code == 400
    assert change("accepted", "").status_code == 400
    assert change("accepted", "已安排志愿者 / 内部：王五负责", None).status_code == 302
    assert change("in_service", "志愿者周三上门", "1").status_code == 302
    client.post(f"/staff/requests/{rid}/service", data={"leader_opinion": "同意", "volunteer_count": "2", "volunteer_names": "王五、赵六",
                                                        "service_record": "已买菜送达", "csrf_token": csrf_of(client, f"/staff/requests/{rid}")})
    assert change("done", "已办结", "1").status_code == 302
    row = next(db.query("SELECT state, volunteer_count, service_record FROM requests"))
    assert row == {"state": "done", "volunteer_count": 2, "service_record": "已买菜送达"}
    citizen = client.application.test_client()
    seen = citizen.post("/s/track", data={"ticket": ticket, "last4": "5678", "csrf_token": csrf_of(citizen, "/s/track")}).get_data(as_text=True)
    assert "志愿者周三上门" in seen and "王五负责" not in seen and "已办结" in seen
    res = citizen.post("/s/track/feedback", data={"ticket": ticket, "last4": "5678", "rating": "5", "feedback": "很满意",
                                                 "csrf_token": csrf_of(citizen, "/s/track")})
    assert res.status_code == 200 and "感谢" in res.get_data(as_text=True)
    assert next(db.query("SELECT rating, feedback FROM requests")) == {"rating": 5, "feedback": "很满意"}


def test_new_request_reaches_staff_room_not_kiosks(client, db, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    staff_client = app.test_client()
    login(staff_client, gen_staff(db, "station", station_id=station))
    staff_sock = socketio.test_client(app, flask_test_client=staff_client)
    staff_sock.emit("watch_station", {"station_id": station}, callback=True)
    kiosk_sock = socketio.test_client(app, flask_test_client=client, auth={"device_token": kiosk["Authorization"][7:]})
    res = client.post("/api/kiosk/requests", json={**REQUEST_FORM, "consent": True}, headers=kiosk)
    assert res.status_code == 201 and res.json["track_url"].endswith(f"/s/track?ticket={res.json['ticket']}")
    pushed = [m for m in staff_sock.get_received() if m["name"] == "new_request"]
    assert pushed and pushed[0]["args"][0]["ticket"] == res.json["ticket"] and "大爷" not in str(pushed)
    assert [m for m in kiosk_sock.get_received() if m["name"] == "new_request"] == []


def test_kiosk_request_refuses_unknown_fields(client, db):
    kiosk = gen_kiosk(client, db, gen_station(db))
    res = client.post("/api/kiosk/requests", json={**REQUEST_FORM, "id_number": "x"}, headers=kiosk)
    assert res.status_code == 400 and res.json["error"]["code"] == "unknown_field" and _count(db) == 0


def test_kiosk_signup_creates_pending_volunteer_and_catches_duplicates(client, db):
    from datetime import date
    from server.rules.identity import make_id_number
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    body = {"name": "赵敏", "id_number": make_id_number("530821", date(1995, 2, 3), 77), "mobile": "13600001111",
            "service_items": ["助老服务"], "consent": True}
    assert client.post("/api/kiosk/signups", json={**body, "consent": False}, headers=kiosk).status_code == 400
    assert client.post("/api/kiosk/signups", json=body, headers=kiosk).status_code == 201
    again = client.post("/api/kiosk/signups", json=body, headers=kiosk)
    assert again.status_code == 409 and "已经注册" in again.json["error"]["message"]
    row = next(db.query("SELECT status, profile FROM volunteers"))
    assert row["status"] == "pending" and "站点现场报名" in row["profile"]


def test_lending_needs_a_volunteer_on_duty_and_stock(client, db, clock):
    from datetime import datetime, timedelta
    from server.timeutil import STATION_TZ
    from tests.conftest import badge_for, scan_event
    station = gen_station(db, "bank", lends=[{"item": "雨伞", "stock": 1}])
    kiosk = gen_kiosk(client, db, station)
    loan = {"item": "雨伞", "name": "钱多多", "mobile": "13800001234"}
    assert client.post("/api/kiosk/loans", json=loan, headers=kiosk).json["error"]["field"] == "badge"
    when = datetime(2026, 11, 23, 9, 30, tzinfo=STATION_TZ)
    clock.instant = when
    client.post("/api/kiosk/scans", json={"events": [scan_event(badge_for(db, gen_volunteer(db, [station])), when)]}, headers=kiosk)
    loan["badge"] = badge_for(db, next(db.query("SELECT max(id) AS id FROM volunteers"))["id"])
    assert client.post("/api/kiosk/loans", json={**loan, "item": "轮椅"}, headers=kiosk).status_code == 400
    made = client.post("/api/kiosk/loans", json=loan, headers=kiosk)
    assert made.status_code == 201
    assert client.post("/api/kiosk/loans", json=loan, headers=kiosk).json["error"]["code"] == "out_of_stock"
    listed = client.get("/api/kiosk/loans", headers=kiosk).json
    assert listed["items"] == [{"item": "雨伞", "stock": 1, "out": 1}] and "borrower_masked" not in listed["out"][0]
    assert "钱多多" not in str(listed) and "13800001234" not in str(listed)
    clock.instant = when + timedelta(days=4)
    login(staff := client.application.test_client(), gen_staff(db, "station", station_id=station))
    assert 'data-testid="overdue"' in staff.get("/staff/loans").get_data(as_text=True)
    back = {"badge": loan["badge"]}
    assert client.post(f"/api/kiosk/loans/{made.json['id']}/return", json=back, headers=kiosk).status_code == 200
    assert client.post(f"/api/kiosk/loans/{made.json['id']}/return", json=back, headers=kiosk).status_code == 404


def test_next_states_come_in_workflow_order_and_a_final_refusal_is_confirmed(client, db, app):
    station = gen_station(db)
    rid = gen_request(app, db, station)
    login(client, gen_staff(db, "station", station_id=station))
    selected = lambda: re.search(r'<option value="(\w+)" selected>', client.get(f"/staff/requests/{rid}").get_data(as_text=True)).group(1)
    change = lambda **form: client.post(f"/staff/requests/{rid}/state", data={
        **form, "csrf_token": csrf_of(client, f"/staff/requests/{rid}")})
    assert selected() == "accepted"
    assert change(state="accepted", note="已安排").status_code == 302
    page = client.get(f"/staff/requests/{rid}").get_data(as_text=True)
    order = re.findall(r'<option value="(\w+)"', page.split('data-testid="next-state"')[1].split("</select>")[0])
    assert order == ["in_service", "transferred", "cannot"] and selected() == "in_service"
    asked = change(state="cannot", note="超出服务范围", public="1")
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-testid="confirm-final"' in text and "超出服务范围" in text
    assert next(db.query("SELECT state FROM requests"))["state"] == "accepted"
    assert change(state="cannot", note="", confirm="1").status_code == 400  # a note, even when confirming
    assert change(state="cannot", note="超出服务范围", public="1", confirm="1").status_code == 302
    assert next(db.query("SELECT state FROM requests"))["state"] == "cannot"


def test_signup_has_its_own_versioned_consent(client, db):
    from datetime import date
    from server.rules.registration import SIGNUP_CONSENT_TEXT, SIGNUP_CONSENT_VERSION
    from server.rules.identity import make_id_number
    station = gen_station(db)
    page = client.get(f"/s/{station}/signup").get_data(as_text=True)
    consent = page.split('data-testid="signup-consent"')[1].split("</div>")[0]
    assert SIGNUP_CONSENT_TEXT[0] in consent and "全国志愿服务信息系统" in consent
    assert SIGNUP_CONSENT_VERSION in page
    for word in ("艾滋病", "戒毒", "社区矫正", "监外执行"):  # the help request's consent is not this one
        assert word not in page
    form = {"name": "赵敏", "id_number": make_id_number("530821", date(1995, 2, 3), 77), "mobile": "13600001111",
            "service_items": ["助老服务"], "consent": "1", "csrf_token": csrf_of(client, f"/s/{station}/signup")}
    assert client.post(f"/s/{station}/signup", data=form).status_code == 200
    profile = next(db.query("SELECT profile FROM volunteers"))["profile"]
    assert f'"version":"{SIGNUP_CONSENT_VERSION}"' in profile.replace(" ", "")
    assert f'"station_id":{station}' in profile.replace(" ", "") and '"channel":"phone"' in profile.replace(" ", "")


def test_a_failed_phone_form_names_every_field_at_the_top_and_keeps_every_value(client, db):
    station = gen_station(db)
    res = _post(client, station, mobile="12345678901", age="200", category="社区矫正", health_details="1",
                consent_guardian="1", **{"family-0-name": "李小", "family-0-relation": "子"})
    text = res.get_data(as_text=True)
    assert res.status_code == 400 and _count(db) == 0
    summary = text.split('data-testid="error-summary"')[1].split("</div>")[0]
    links = re.findall(r'href="#f-(\w+)"', summary)
    assert links == ["mobile", "age", "consent_sensitive"]
    assert all(f'id="f-{field}"' in text for field in links)
    assert text.index('data-testid="error-summary"') < text.index('data-testid="request-form"')
    assert 'action="#error-summary"' in text  # the page comes back scrolled to the summary
    for box in ("consent", "health_details", "consent_guardian"):
        assert re.search(rf'name="{box}" value="1"[^>]*checked', text), box
    assert 'value="李小"' in text and 'value="子"' in text and 'value="社区矫正" checked' in text
    assert "Age must be" not in text and "Give at least" not in text and "needs its own consent" not in text
    english = client.post(f"/s/{station}/request?lang=en", data={**REQUEST_FORM, "mobile": "12345678901",
                          "csrf_token": csrf_of(client, f"/s/{station}/request")}).get_data(as_text=True)
    assert "手机号" not in english.split('data-testid="error-summary"')[1].split("</div>")[0]


def test_signup_failure_lists_every_field_and_keeps_the_consent_tick(client, db):
    station = gen_station(db)
    form = {"name": "", "id_number": "530802199001011234", "mobile": "123", "consent": "1",
            "service_items": [], "csrf_token": csrf_of(client, f"/s/{station}/signup")}
    text = client.post(f"/s/{station}/signup", data=form).get_data(as_text=True)
    summary = text.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert re.findall(r'href="#f-(\w+)"', summary) == ["name", "mobile", "id_number", "service_items"]
    assert re.search(r'name="consent" value="1"[^>]*checked', text)
    assert next(db.query("SELECT count(*) AS n FROM volunteers"))["n"] == 0


def test_phone_404_is_a_phone_page_with_a_way_back(client, db):
    station = gen_station(db)
    for path, back in ((f"/s/{station}/no-such-page", True), ("/s/99999", False), ("/s/99999/request", False)):
        res = client.get(path)
        text = res.get_data(as_text=True)
        assert res.status_code == 404 and 'class="phone"' in text and 'data-testid="phone-error"' in text, path
        assert "学雷锋志愿服务站点管理" not in text and "Not found" not in text and "找不到" in text, path
        assert (f'href="/s/{station}"' in text) is back, path
    english = client.get(f"/s/{station}/nope?lang=en").get_data(as_text=True)
    assert "Not found" in english and "找不到" not in english


def test_favicon_is_the_station_mark(client):
    import io
    from PIL import Image
    res = client.get("/favicon.ico")
    assert res.status_code == 200 and res.mimetype == "image/x-icon"
    icon = Image.open(io.BytesIO(res.data)).convert("RGB")
    r, g, b = icon.getpixel((icon.width // 2, icon.height // 2))
    assert r > 150 and g < 60 and b < 60  # the red heart
