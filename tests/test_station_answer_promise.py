"""What a receipt says about when the station answers: a per-station setting with a default."""
from tests.conftest import gen_kiosk, gen_station


def test_the_kiosk_receives_the_station_promise_default_then_its_own(client, db):
    station_id = gen_station(db)
    headers = gen_kiosk(client, db, station_id)
    assert client.get("/api/kiosk/station", headers=headers).get_json()["station"]["answer_promise"] == "工作日 2 天内联系您"
    db.execute("UPDATE stations SET answer_promise = ? WHERE id = ?", ["当天电话联系您", station_id])
    assert client.get("/api/kiosk/station", headers=headers).get_json()["station"]["answer_promise"] == "当天电话联系您"
