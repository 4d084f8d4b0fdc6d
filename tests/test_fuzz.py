"""Hypothesis throws hostile input at the scan API and the staff forms: never a 500."""
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import csrf_of, gen_kiosk, gen_staff, gen_station, login

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
hostile_text = st.one_of(st.text(max_size=300), st.sampled_from([
    "' OR 1=1 --", "<script>alert(1)</script>", "\x00\x07", "５３０８０２１９８００５０６１２３Ｘ",
    "LF1.V000001.1." + "A" * 26, "{{7*7}}", "😀" * 50, "x" * 5000]))
json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
                          max_leaves=12)


def _schema(db):
    return list(db.query("SELECT name, sql FROM sqlite_master ORDER BY name"))


def test_scan_api_never_500(app, db):
    client = app.test_client()
    kiosk = gen_kiosk(client, db, gen_station(db))
    before = _schema(db)

    @FUZZ
    @given(body=st.one_of(json_value, st.fixed_dictionaries({"events": st.lists(
        st.fixed_dictionaries({"id": hostile_text, "token": hostile_text, "scanned_at": hostile_text}), max_size=3)})))
    def check(body):
        res = client.post("/api/kiosk/scans", data=json.dumps(body), headers={**kiosk, "Content-Type": "application/json"})
        assert res.status_code < 500
        if res.status_code >= 400:
            assert res.json["error"]["message"] and res.json["error"]["message_en"]

    check()
    assert _schema(db) == before
    assert next(db.query("SELECT count(*) AS n FROM shifts"))["n"] == 0


def test_pairing_never_500(app, db):
    client = app.test_client()

    @FUZZ
    @given(body=json_value)
    def check(body):
        assert client.post("/api/kiosk/pair", data=json.dumps(body), content_type="application/json").status_code < 500

    check()
    assert next(db.query("SELECT count(*) AS n FROM devices"))["n"] == 0


def test_volunteer_form_never_500_nor_half_written(app, db):
    client = app.test_client()
    station = gen_station(db)
    login(client, gen_staff(db, "city"))
    token = csrf_of(client, "/staff/volunteers/new")

    @FUZZ
    @given(fields=st.dictionaries(st.sampled_from(["name", "id_number", "mobile", "email", "postcode", "birth_date",
                                                   "gender", "employer_type", "resume", "school", "qq"]), hostile_text))
    def check(fields):
        data = {**fields, "csrf_token": token, "station_ids": [str(station)], "service_items": ["助老服务"]}
        res = client.post("/staff/volunteers/new", data=data)
        assert res.status_code in (302, 400, 409)

    check()
    assert next(db.query("SELECT count(*) AS n FROM volunteers"))["n"] == 0
    assert next(db.query("SELECT count(*) AS n FROM station_members"))["n"] == 0


def test_station_form_never_500(app, db):
    client = app.test_client()
    login(client, gen_staff(db, "city"))
    token = csrf_of(client, "/staff/stations/new")

    @FUZZ
    @given(fields=st.dictionaries(st.sampled_from(["name", "type_code", "county_id", "unit_id", "services", "windows_0",
                                                   "entrances", "lends", "closed_dates", "rules_text"]), hostile_text))
    def check(fields):
        res = client.post("/staff/stations/new", data={**fields, "csrf_token": token})
        assert res.status_code in (302, 400, 409)

    check()


def test_request_and_signup_endpoints_never_500_nor_half_written(app, db):
    client = app.test_client()
    kiosk = gen_kiosk(client, db, gen_station(db))
    fields = st.sampled_from(["name", "mobile", "home_phone", "age", "category", "service_item", "reason", "gender",
                              "family", "consent", "consent_sensitive", "guardian_name", "id_number", "service_items"])

    @FUZZ
    @given(body=st.dictionaries(fields, json_value, max_size=8), signup=st.booleans())
    def check(body, signup):
        db.execute("DELETE FROM rate_hits")  # the fuzzer is not a flood
        url = "/api/kiosk/signups" if signup else "/api/kiosk/requests"
        res = client.post(url, data=json.dumps(body), headers={**kiosk, "Content-Type": "application/json"})
        assert res.status_code < 500, (body, res.get_data(as_text=True)[:300])

    check()
    orphans = next(db.query("SELECT count(*) AS n FROM requests r WHERE NOT EXISTS"
                            " (SELECT 1 FROM request_events e WHERE e.request_id = r.id)"))["n"]
    assert orphans == 0
