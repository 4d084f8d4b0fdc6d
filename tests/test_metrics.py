"""/metrics (Prometheus text) and the trusted-proxy setting, through the app's own routes."""
import time

from prometheus_client.parser import text_string_to_metric_families

from server import create_app
from server.db import immediate
from server.store import leases
from tests.conftest import badge_for, gen_kiosk, gen_station, gen_volunteer, scan_event


def _figures(text):
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_metrics_count_scans_by_outcome_and_requests_by_route(app, client, db, clock):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    token = badge_for(db, gen_volunteer(db, [station]))
    before = _figures(client.get("/metrics").get_data(as_text=True))
    bad = scan_event("NOT-A-BADGE", clock())
    res = client.post("/api/kiosk/scans", json={"events": [scan_event(token, clock()), bad]}, headers=kiosk)
    assert res.status_code == 200
    with immediate(db):
        leases.heartbeat(db, "host:1:a", "host", 1, time.time(), time.time())
    res = client.get("/metrics")
    assert res.status_code == 200 and res.mimetype == "text/plain"
    after = _figures(res.get_data(as_text=True))

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)
    assert grew("leifeng_scans_total", outcome="checked_in") == 1
    assert grew("leifeng_scans_total", outcome="rejected") == 1
    assert grew("leifeng_request_seconds_count", method="POST", route="/api/kiosk/scans") == 1
    assert after[("leifeng_kiosk_calls_waiting", ())] == 0
    assert after[("leifeng_workers", ())] == 1
    assert after[("leifeng_alerts_open", ())] == 0
    assert ("leifeng_kiosks_silent", ()) in after


def test_metrics_only_from_this_machine_or_with_the_token(tmp_path, app, client):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    # a request a proxy on this machine forwarded is not a local one
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
    assert client.get("/metrics", headers={"X-Real-IP": "203.0.113.9"}).status_code == 403
    app.config["METRICS_TOKEN"] = "s3cret-token-for-prometheus"
    remote = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.get("/metrics", environ_base=remote,
                      headers={"Authorization": "Bearer s3cret-token-for-prometheus"}).status_code == 200
    assert client.get("/metrics", environ_base=remote, headers={"Authorization": "Bearer wrong"}).status_code == 403
    refused = client.get("/metrics", environ_base=remote, headers={"Accept": "application/json"})
    assert refused.json["error"]["message"] and refused.json["error"]["message_en"]


def _failed_sign_ins(client, address_header, remote="127.0.0.1", times=3):
    codes = []
    for _ in range(times):
        headers = {"X-Forwarded-For": address_header} if address_header else {}
        page = client.get("/staff/login", headers=headers, environ_base={"REMOTE_ADDR": remote})
        csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        codes.append(client.post("/staff/login", headers=headers, environ_base={"REMOTE_ADDR": remote},
                                 data={"username": "nobody-here", "password": "wrong password",
                                       "csrf_token": csrf}).status_code)
    return codes


def _app(tmp_path, app, **extra):
    return create_app({**{k: app.config[k] for k in ("SECRET_KEY", "DATA_KEY", "HASH_KEY", "CLOCK")},
                       "TESTING": True, "DEMO": False, "DATABASE": str(tmp_path / "p.sqlite3"),
                       "LOGIN_ADDRESS_LIMIT": 2, **extra})


def test_behind_a_trusted_proxy_rate_limits_count_the_citizen(tmp_path, app):
    proxied = _app(tmp_path, app, TRUSTED_PROXIES=["127.0.0.1"]).test_client()
    assert _failed_sign_ins(proxied, "203.0.113.7")[-1] == 429
    assert _failed_sign_ins(proxied, "203.0.113.8", times=1) != [429]  # another citizen, own count
    # the headers of anyone but the proxy are not believed
    assert _failed_sign_ins(proxied, "203.0.113.20", remote="198.51.100.4")[-1] == 429
    assert _failed_sign_ins(proxied, "203.0.113.21", remote="198.51.100.4", times=1) == [429]


def test_without_trusted_proxies_forwarded_addresses_are_ignored(tmp_path, app):
    plain = _app(tmp_path, app).test_client()
    assert _failed_sign_ins(plain, "203.0.113.7")[-1] == 429
    assert _failed_sign_ins(plain, "203.0.113.8", times=1) == [429]  # the same sender: the proxy
