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
