"""Issue 12's attacks replayed against the real server (run.py serve, gunicorn, the demo city).

Sign-in and tracking limits are asked from many source addresses: the whole of 127.0.0.0/8 is
loopback, so each test client binds its own 127.x address and the server sees a distinct peer.
"""
import threading
from datetime import datetime, timedelta, timezone

import pytest
import requests
import socketio
from requests.adapters import HTTPAdapter

from tests.live_server import csrf_token, serving

_next_address = iter(range(2, 250))


class _FromAddress(HTTPAdapter):
    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser_at(address=None):
    """A requests session whose connections come from their own loopback address."""
    s = requests.Session()
    s.mount("http://", _FromAddress(address or f"127.0.{next(_next_address)}.1"))
    return s


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("attacks")) as srv:
        yield srv


# 12.11 -------------------------------------------------------------------------------------

def test_an_office_behind_one_address_signs_in_as_often_as_it_needs(server):
    office = f"127.0.{next(_next_address)}.1"
    for n in range(40):  # the old limit refused the 31st good sign-in in five minutes
        res = server.sign_in(browser_at(office), "simao")
        assert res.status_code == 302, (n, res.status_code)


def test_guesses_from_many_addresses_are_capped_per_account(server):
    answers = [server.sign_in(browser_at(), "ninger", "guess-%d" % n) for n in range(8)]
    assert [r.status_code for r in answers[:5]] == [401] * 5
    refused = answers[5:]
    assert all(r.status_code == 429 for r in refused)
    assert 0 < int(refused[0].headers["Retry-After"]) <= 300
    assert "登录失败次数过多" in refused[0].text
    # Even the right password waits: the limit does not tell a guess from the owner.
    assert server.sign_in(browser_at(), "ninger").status_code == 429


def test_one_address_guessing_many_accounts_is_capped(server):
    guesser = f"127.0.{next(_next_address)}.1"
    codes = [server.sign_in(browser_at(guesser), f"nobody{n}", "x").status_code for n in range(32)]
    assert codes[:30] == [401] * 30 and codes[30:] == [429, 429]
    assert server.sign_in(browser_at(), "weijian").status_code == 302  # other addresses unaffected


def test_tracking_digits_are_capped_per_ticket_across_addresses(server):
    kiosk = server.pair(1)
    res = requests.post(server.url + "/api/kiosk/requests", headers=kiosk, timeout=10, json={
        "name": "李大爷", "mobile": "13900005678", "category": "空巢老人", "service_item": "助老",
        "reason": "独居，需要帮忙买菜", "consent": True})
    assert res.status_code == 201, res.text
    ticket = res.json()["ticket"]
    codes = [browser_at().post(server.url + "/api/track", json={"ticket": ticket, "last4": f"{n:04d}"},
                               timeout=10).status_code for n in range(12)]
    assert codes[:10] == [404] * 10 and codes[10:] == [429, 429]
    late = browser_at().post(server.url + "/api/track", json={"ticket": ticket, "last4": "5678"}, timeout=10)
    assert late.status_code == 429 and int(late.headers["Retry-After"]) > 0


# 12.3 --------------------------------------------------------------------------------------

def _socket(server, **connect):
    """A real Socket.IO client; `ended` is set when the server drops it."""
    client = socketio.Client(reconnection=False)
    client.ended, client.pushes = threading.Event(), []
    client.on("disconnect", lambda *a: client.ended.set())
    client.on("on_duty", lambda data: client.pushes.append(data))
    client.connect(server.url, transports=["polling"], wait_timeout=10, **connect)
    return client


def test_a_revoked_kiosk_loses_its_open_socket_at_once(server):
    kiosk = server.pair(2)
    sock = _socket(server, auth={"device_token": kiosk["Authorization"][7:]})
    try:
        manager = browser_at()
        assert server.sign_in(manager, "station2").status_code == 302
        device_id = server.sql("SELECT max(id) FROM devices WHERE station_id = 2")[0][0]
        page = manager.get(f"{server.url}/staff/stations/2/kiosks", timeout=10).text
        res = manager.post(f"{server.url}/staff/stations/2/kiosks/{device_id}/revoke", timeout=10,
                           data={"csrf_token": csrf_token(page)}, allow_redirects=False)
        assert res.status_code == 302
        assert sock.ended.wait(10), "the revoked kiosk's socket is still open"
    finally:
        sock.disconnect()
    with pytest.raises(socketio.exceptions.ConnectionError):
        _socket(server, auth={"device_token": kiosk["Authorization"][7:]})


# 12.9 --------------------------------------------------------------------------------------

def test_a_session_from_2020_no_longer_opens_the_dashboard(server):
    s = browser_at()
    assert server.sign_in(s, "federation").status_code == 302
    assert s.get(server.url + "/staff/dashboard", allow_redirects=False, timeout=10).status_code == 200
    old = "2020-05-01T00:00:00.000000+00:00"
    server.sql("UPDATE staff_sessions SET created_at = ?, last_seen_at = ? WHERE id ="
                " (SELECT max(s.id) FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id"
                " WHERE u.username = 'federation')", (old, old))
    res = s.get(server.url + "/staff/dashboard", allow_redirects=False, timeout=10)
    assert res.status_code == 302 and "/staff/login" in res.headers["Location"]


def test_last_seen_follows_pages_not_sockets(server):
    s = browser_at()
    assert server.sign_in(s, "station1").status_code == 302
    session_id = server.sql("SELECT max(s.id) FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id"
                             " WHERE u.username = 'station1'")[0][0]
    far_past = (datetime.now(timezone.utc) - timedelta(minutes=10)).isoformat(timespec="microseconds")
    server.sql("UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?", (far_past, session_id))
    sock = _socket(server, headers={"Cookie": "; ".join(f"{c.name}={c.value}" for c in s.cookies)})
    sock.disconnect()
    assert server.sql("SELECT last_seen_at FROM staff_sessions WHERE id = ?", (session_id,))[0][0] == far_past
    assert s.get(server.url + "/staff/stations", timeout=10).status_code == 200
    assert server.sql("SELECT last_seen_at FROM staff_sessions WHERE id = ?", (session_id,))[0][0] > far_past
