"""The phone request form's category: 其他需保密的情况 opens the sensitive ones, 不便说明 is accepted."""
from server.rules.demand import CATEGORY_UNSAID, clean_request
from tests.conftest import REQUEST_FORM, csrf_of, gen_staff, gen_station, login


def _post(client, station, **changes):
    form = {**REQUEST_FORM, **changes, "csrf_token": csrf_of(client, f"/s/{station}/request")}
    return client.post(f"/s/{station}/request", data={k: v for k, v in form.items() if v is not None})


def test_unsaid_is_a_category_the_rule_accepts_and_it_is_not_sensitive():
    public, details, needs = clean_request({**REQUEST_FORM, "category": CATEGORY_UNSAID})
    assert public["category"] == "不便说明" and not public["sensitive"] and not needs["sensitive"]


def test_unsaid_from_the_phone_is_filed_and_the_staff_list_shows_it(client, db):
    station = gen_station(db)
    res = _post(client, station, category="不便说明")
    assert res.status_code == 200 and 'data-testid="ticket"' in res.get_data(as_text=True)
    assert next(db.query("SELECT category, sensitive FROM requests")) == {"category": "不便说明", "sensitive": 0}
    login(client, gen_staff(db, "station", station_id=station))
    assert "不便说明" in client.get("/staff/requests").get_data(as_text=True)


def test_the_private_choice_files_the_category_picked_on_its_step_as_sensitive(client, db):
    station = gen_station(db)
    res = _post(client, station, category="其他需保密的情况", private_category="社区矫正")
    assert res.status_code == 400 and "单独同意" in res.get_data(as_text=True)  # its own consent first
    res = _post(client, station, category="其他需保密的情况", private_category="社区矫正", consent_sensitive="1")
    assert res.status_code == 200
    row = next(db.query("SELECT category, sensitive FROM requests"))
    assert row == {"category": None, "sensitive": 1}


def test_the_private_choice_without_a_pick_is_refused_and_nothing_is_stored(client, db):
    station = gen_station(db)
    res = _post(client, station, category="其他需保密的情况")
    assert res.status_code == 400 and "请选择服务对象类别" in res.get_data(as_text=True)
    assert next(db.query("SELECT count(*) AS n FROM requests"))["n"] == 0


def test_an_ordinary_category_ignores_a_private_pick_left_over(client, db):
    station = gen_station(db)
    assert _post(client, station, category="空巢老人", private_category="吸毒人员").status_code == 200
    assert next(db.query("SELECT category, sensitive FROM requests")) == {"category": "空巢老人", "sensitive": 0}
