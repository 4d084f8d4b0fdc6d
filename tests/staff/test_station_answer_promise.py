"""What a receipt says about when the station answers: a per-station setting with a default."""
from tests.conftest import gen_kiosk, gen_station


def test_the_kiosk_receives_the_station_promise_default_then_its_own(client, db):
    station_id = gen_station(db)
    headers = gen_kiosk(client, db, station_id)
    assert client.get("/api/kiosk/station", headers=headers).get_json()["station"]["answer_promise"] == "工作日 2 天内联系您"
    db.execute("UPDATE stations SET answer_promise = ? WHERE id = ?", ["当天电话联系您", station_id])
    assert client.get("/api/kiosk/station", headers=headers).get_json()["station"]["answer_promise"] == "当天电话联系您"


def test_the_kiosk_form_sends_its_tick_boxes_as_true_or_false(client, db):
    """The kiosk's request form sends health_details as JSON true/false, like its consents."""
    from tests.conftest import REQUEST_FORM
    headers = gen_kiosk(client, db, gen_station(db))
    for ticked in (False, True):
        res = client.post("/api/kiosk/requests", headers=headers, json={
            **REQUEST_FORM, "consent": True, "health_details": ticked, "consent_sensitive": ticked})
        assert res.status_code == 201, res.json


def _edit(client, db, station_id, **changes):
    from tests.conftest import csrf_of
    from tests.staff.test_stations import _form
    path = f"/staff/stations/{station_id}"
    return client.post(path, data=_form(db, csrf_token=csrf_of(client, path), **changes))


def test_a_station_manager_sets_the_promise_and_the_kiosk_receipt_says_it(client, db):
    from server.store import stations
    from server.store.scope import Scope
    from tests.conftest import gen_staff, login
    station_id = gen_station(db, "hospital")
    kiosk = client.application.test_client()
    headers = gen_kiosk(kiosk, db, station_id)
    login(client, gen_staff(db, "station", station_id=station_id))
    page = client.get(f"/staff/stations/{station_id}").get_data(as_text=True)
    assert 'name="answer_promise" value="工作日 2 天内联系您"' in page
    assert _edit(client, db, station_id, answer_promise="  当天电话联系您  ").status_code == 302
    assert stations.get_station(db, Scope("city"), station_id)["answer_promise"] == "当天电话联系您"
    assert kiosk.get("/api/kiosk/station", headers=headers).get_json()["station"]["answer_promise"] == "当天电话联系您"
    audit = list(db.query("SELECT after FROM audit_log WHERE object_type = 'station' AND action = 'update'"))
    assert "当天电话联系您" in audit[-1]["after"]
    # Emptied, the field goes back to the default rather than leaving the receipt without an answer.
    assert _edit(client, db, station_id, answer_promise="").status_code == 302
    assert stations.get_station(db, Scope("city"), station_id)["answer_promise"] == "工作日 2 天内联系您"


def test_a_bad_promise_gets_its_message_beside_the_field_and_nothing_is_saved(client, db):
    from server.rules.station_profile import ANSWER_PROMISE_MAX
    from server.store import stations
    from server.store.scope import Scope
    from tests.conftest import gen_staff, login
    station_id = gen_station(db, "hospital")
    login(client, gen_staff(db, "city"))
    before = stations.get_station(db, Scope("city"), station_id)
    for bad, message in (("联" * (ANSWER_PROMISE_MAX + 1), f"内容过长（最多 {ANSWER_PROMISE_MAX} 字）"),
                         ("当天\n联系您", "控制字符")):
        res = _edit(client, db, station_id, answer_promise=bad, address="新地址 9 号")
        assert res.status_code == 400
        page = res.get_data(as_text=True)
        field = page.split('name="answer_promise"')[1].split("</label>")[0]
        assert 'data-testid="error-answer_promise"' in field and message in field
        assert 'data-testid="form-error"' in page
        assert stations.get_station(db, Scope("city"), station_id) == before
