"""Hypothesis throws hostile input at the scan API and the staff forms: never a 500."""
import json
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import csrf_of, gen_kiosk, gen_staff, gen_station, gen_volunteer, login

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


# 12.4: malformed JSON on every endpoint, non-strings, lone surrogates, deep nesting, huge numbers

lone_surrogate = st.builds(lambda a, s, b: a + s + b, st.text(max_size=5),
                           st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF).map(str), st.text(max_size=5))
huge_number = st.sampled_from([10 ** 30, -(10 ** 30), 2 ** 63, 10 ** 4000, 1e308 * 10, float("nan"), -1e400])
non_string = st.one_of(st.none(), st.booleans(), st.integers(), huge_number, st.floats(allow_nan=False),
                       st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))
evil = st.one_of(non_string, lone_surrogate, hostile_text,
                 st.integers(30, 6000).map(lambda n: json.loads("[" * min(n, 500) + "]" * min(n, 500))))


def _deep(n):
    return "[" * n + "]" * n


# Every JSON endpoint and the fields it takes; a POST route under /api/ missing here fails the test.
JSON_ENDPOINTS = {
    "/api/kiosk/pair": ["code", "label"],
    "/api/kiosk/scans": ["events"],
    "/api/kiosk/shifts/1/identity": ["items"],
    "/api/kiosk/requests": ["name", "mobile", "home_phone", "gender", "age", "category", "service_item", "reason",
                            "health_details", "occupation", "employer", "job", "address", "family", "service_time",
                            "service_place", "consent", "consent_sensitive", "consent_guardian", "guardian_name"],
    "/api/kiosk/signups": ["name", "id_number", "mobile", "service_items", "consent"],
    "/api/kiosk/loans": ["item", "name", "mobile", "badge"],
    "/api/kiosk/loans/1/return": ["badge"],
    "/api/track": ["ticket", "last4"],
}


def test_every_json_endpoint_is_fuzzed(app):
    posts = {re.sub(r"<int:\w+>", "1", rule.rule) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/api/") and "POST" in rule.methods}
    assert posts <= set(JSON_ENDPOINTS), posts - set(JSON_ENDPOINTS)


def _assert_clean_answer(res, body):
    assert res.status_code < 500, (body, res.status_code, res.get_data(as_text=True)[:300])
    if res.status_code == 400:
        error = res.json["error"]
        assert error["code"] and error["message"] and error["message_en"]
        if isinstance(body, dict) and body:
            assert error.get("field"), (body, error)


def test_every_json_endpoint_refuses_malformed_fields_never_500(app, db):
    client = app.test_client()
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    gen_volunteer(db, [station])
    before = _schema(db)
    event = st.fixed_dictionaries({"id": st.one_of(st.uuids().map(str), evil), "token": st.one_of(hostile_text, evil),
                                   "scanned_at": st.one_of(st.just("2026-11-29T08:01:07+08:00"), evil)})

    @FUZZ
    @given(path=st.sampled_from(sorted(JSON_ENDPOINTS)), data=st.data())
    def check(path, data):
        fields = JSON_ENDPOINTS[path]
        values = st.one_of(evil, st.lists(event, min_size=1, max_size=3)) if path.endswith("scans") else evil
        body = data.draw(st.dictionaries(st.sampled_from(fields), values, min_size=1, max_size=6) if fields
                         else st.dictionaries(hostile_text, evil, max_size=2))
        db.execute("DELETE FROM rate_hits")  # the fuzzer is not a flood
        res = client.post(path, data=json.dumps(body), headers={**kiosk, "Content-Type": "application/json"})
        _assert_clean_answer(res, body)

    check()
    assert _schema(db) == before


@pytest.mark.parametrize("depth", [33, 1000, 5000, 100_000])
def test_deep_json_refused_on_every_endpoint(app, db, depth):
    client = app.test_client()
    kiosk = gen_kiosk(client, db, gen_station(db))
    for path, fields in JSON_ENDPOINTS.items():
        for raw in (_deep(depth), '{"%s": %s}' % ((fields or ["x"])[0], _deep(depth))):
            res = client.post(path, data=raw, headers={**kiosk, "Content-Type": "application/json"})
            assert res.status_code == 400, (path, depth, res.status_code)
            assert res.json["error"]["code"] == "json_too_deep"
    res = client.get("/api/kiosk/station", data=_deep(depth), headers={**kiosk, "Content-Type": "application/json"})
    assert res.status_code == 400


def test_one_lone_surrogate_token_refuses_the_batch_naming_the_field(app, db):
    client = app.test_client()
    kiosk = gen_kiosk(client, db, gen_station(db))
    good = {"id": "6f1c2b1e-8a55-4d0e-9a43-5b8f1f0a9c11", "token": "LF1.X", "scanned_at": "2026-11-29T08:01:07+08:00"}
    bad = {**good, "id": "6f1c2b1e-8a55-4d0e-9a43-5b8f1f0a9c12", "token": "\ud800"}
    res = client.post("/api/kiosk/scans", data=json.dumps({"events": [good, bad]}),
                      headers={**kiosk, "Content-Type": "application/json"})
    assert res.status_code == 400
    error = res.json["error"]
    assert error["code"] == "bad_text" and error["field"] == "events" and "events[1].token" in error["message_en"]
    assert next(db.query("SELECT count(*) AS n FROM scan_events"))["n"] == 0


@pytest.mark.parametrize("value", [5, 10 ** 30, True, ["李"], {"a": 1}, "\udfff"])
@pytest.mark.parametrize("field", ["name", "mobile", "reason", "category", "service_item", "age", "guardian_name"])
def test_request_fields_of_the_wrong_type_are_named(app, db, field, value):
    if field == "age" and value == 5:
        value = 5000  # a number is a fine age; an impossible one is still refused by name
    client = app.test_client()
    kiosk = gen_kiosk(client, db, gen_station(db))
    body = {"name": "李大爷", "mobile": "13900005678", "category": "空巢老人", "service_item": "助老",
            "reason": "独居", "consent": True, field: value}
    res = client.post("/api/kiosk/requests", data=json.dumps(body), headers={**kiosk, "Content-Type": "application/json"})
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.json["error"]["field"] == field, res.json


@pytest.mark.parametrize("value", [5, 10 ** 30, False, ["x"], {"a": 1}, "\ud800"])
@pytest.mark.parametrize("field", ["name", "id_number", "mobile", "service_items"])
def test_signup_fields_of_the_wrong_type_are_named(app, db, field, value):
    client = app.test_client()
    kiosk = gen_kiosk(client, db, gen_station(db))
    body = {"name": "赵敏", "id_number": "11010519491231002X", "mobile": "13600001111",
            "service_items": ["助老服务"], "consent": True, field: value}
    res = client.post("/api/kiosk/signups", data=json.dumps(body), headers={**kiosk, "Content-Type": "application/json"})
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.json["error"]["field"] == field, res.json
    assert next(db.query("SELECT count(*) AS n FROM volunteers"))["n"] == 0


def test_phone_forms_never_500(app, db):
    client = app.test_client()
    station = gen_station(db)
    raw_bytes = st.sampled_from([b"\xed\xa0\x80", b"\xff\xfe", b"%ED%A0%80", b"%FF", b"\x00"])

    @FUZZ
    @given(page=st.sampled_from(["request", "signup", "track", "track/feedback"]),
           fields=st.dictionaries(st.sampled_from(["name", "mobile", "id_number", "category", "service_item", "reason",
                                                   "age", "consent", "ticket", "last4", "feedback", "rating",
                                                   "service_items", "family_name_0", "gender"]),
                                  st.one_of(hostile_text, raw_bytes.map(lambda b: b.decode("latin-1"))), max_size=8))
    def check(page, fields):
        db.execute("DELETE FROM rate_hits")
        path = f"/s/{station}/{page}" if page in ("request", "signup") else f"/s/{page}"
        token = csrf_of(client, f"/s/{station}/request")
        body = "&".join(f"{k}={quote(v, safe='%')}" for k, v in {**fields, "csrf_token": token}.items())
        res = client.post(path, data=body.encode("latin-1", "replace"),
                          content_type="application/x-www-form-urlencoded")
        assert res.status_code < 500, (fields, res.get_data(as_text=True)[:300])

    check()


@pytest.mark.parametrize("payload", [None, [], [1], "1", 7, 10 ** 30, {"station_id": 10 ** 30},
                                     {"station_id": "\ud800"}, {"station_id": [1]}, {"station_id": {"a": 1}},
                                     {"station_id": True}, {"station_id": -1}, {"station_id": "9" * 40}])
def test_watch_station_refuses_malformed_payloads(app, db, client, socket_client, payload):
    login(client, gen_staff(db, "city"))
    sock = socket_client()
    assert sock.is_connected()
    answer = sock.emit("watch_station", payload, callback=True)
    assert answer == {"ok": False, "error": "bad_station"} or answer.get("error") == "forbidden", answer


@pytest.mark.parametrize("auth", [{"device_token": 5}, {"device_token": ["x"]}, {"device_token": "\ud800"},
                                  {"device_token": {"a": 1}}, [1], "token"])
def test_socket_connect_refuses_malformed_auth(app, socket_client, auth):
    sock = socket_client(auth=auth)
    assert not sock.is_connected()
