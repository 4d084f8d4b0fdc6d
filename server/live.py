"""Socket.IO: every event handler, each checking who is asking, and the push helpers."""
import json
import logging
import uuid

from flask import request
from flask_login import current_user
from flask_socketio import SocketIO, disconnect, join_room
from socketio import RedisManager

from server.db import get_db
from server.services.stations import on_duty_payload, payloads_of
from server.store import devices, staff, stations
from server.store.scope import covers_station
from server.timeutil import now

socketio = SocketIO()
# This process's sockets by who holds them: sid -> ("device", device id) or ("session", staff
# session id). Revoking a device, signing out, disabling a user or a session running out drops
# them by sid through socketio's own API; sweep() catches what another process ended.
_holders = {}


def station_room(station_id):
    return f"station:{station_id}"


def init_app(app):
    # Same origin only: never cors_allowed_origins='*'. With several processes, pushes and socket
    # drops travel through Redis, and only the websocket transport is taken: a long-polling
    # session's requests could land on a process that does not hold it.
    queue = app.config.get("REDIS_URL") or None
    several = queue is not None or int(app.config.get("WORKERS") or 1) > 1
    options = {"message_queue": queue, "transports": ["websocket"]} if several else {}
    if queue and app.config.get("PUSH_ONLY"):  # the scan writer: it sends pushes and holds no socket
        options["client_manager"] = RedisManager(queue, channel="flask-socketio", write_only=True)
    socketio.init_app(app, async_mode="threading", cors_allowed_origins=app.config.get(
        "SOCKETIO_ORIGINS") or None, manage_session=False, **options)
    _bus.url = queue


@socketio.on("connect")
def on_connect(auth=None):
    """A kiosk joins its own station's room; staff join nothing until they ask."""
    token = (auth or {}).get("device_token") if isinstance(auth, dict) else None
    if token is not None and not _plain_text(token, 200):
        return False  # a number, a list or unencodable text is no token
    if token:
        device = devices.device_for_token(get_db(), token)
        if device is None:
            return False
        _holders[request.sid] = ("device", device["id"])
        join_room(station_room(device["station_id"]))
        return True
    if current_user.is_authenticated:
        _holders[request.sid] = ("session", current_user.session_id)
        return True
    return False


@socketio.on("disconnect")
def on_disconnect(*_args):
    _holders.pop(request.sid, None)


@socketio.on("watch_station")
def on_watch_station(data):
    """Staff ask to follow one station; only inside their scope."""
    if not current_user.is_authenticated or _holders.get(request.sid, ("",))[0] != "session":
        disconnect()
        return {"ok": False}
    raw = data.get("station_id") if isinstance(data, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, (int, str)) or isinstance(raw, str) and not _plain_text(raw, 12):
        return {"ok": False, "error": "bad_station"}
    try:
        station_id = int(raw)
    except ValueError:
        return {"ok": False, "error": "bad_station"}
    if not 0 < station_id < 2**63:
        return {"ok": False, "error": "bad_station"}
    station = stations.get_station(get_db(), current_user.scope, station_id)
    if station is None or not covers_station(current_user.scope, station):
        return {"ok": False, "error": "forbidden"}
    join_room(station_room(station_id))
    if current_user.scope.may("citizen_requests"):  # the inbox room: never the federation
        join_room(staff_room(station_id))
    # The state as of joining, so nothing pushed before the join is missed.
    return {"ok": True, "on_duty": on_duty_payload(get_db(), station_id)}


@socketio.on("catch_up")
def on_catch_up(data):
    """What is new since the page was rendered (its last alert and request ids), inside the scope:
    asked after joining, so nothing filed between the render and the join is missed."""
    if not current_user.is_authenticated or _holders.get(request.sid, ("",))[0] != "session":
        disconnect()
        return {"ok": False}
    data = data if isinstance(data, dict) else {}
    since = {k: data.get(k) for k in ("since_alert", "since_request", "station_id")}
    if any(v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**63)
           for v in since.values()):
        return {"ok": False, "error": "bad_since"}
    from server.store import alerts, requests
    db, scope, out = get_db(), current_user.scope, {"ok": True}
    if since["since_alert"] is not None:
        out["alerts"] = alerts.open_alerts_since(db, scope, since["since_alert"])
    if since["since_request"] is not None:
        out["requests"] = requests.requests_since(db, scope, since["since_request"], since["station_id"])
    return out


def _plain_text(value, max_len):
    """A short string that UTF-8 can carry (a lone surrogate cannot reach SQLite or a hash)."""
    if not isinstance(value, str) or len(value) > max_len:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def push_changed_stations(_db, calls, _results):
    """Once a batch of scans is committed: the on-duty list of each station whose duty it changed,
    as the batch left it, pushed once; batches push in the order they were committed (a process's
    commit group before answering their kiosks, the scan writer from a thread of its own). Calls run
    alone after a fault come in the order they were committed: the later's list is the newer."""
    found = {}
    for call in calls:
        found.update(call.on_duty)
    for station_id, payload in sorted(payloads_of(found).items()):
        push_on_duty(station_id, payload)


def push_on_duty(station_id, payload):
    """Send a station's on-duty list to its room; call only after the commit."""
    socketio.emit("on_duty", payload, to=station_room(station_id))


def drop_sockets(kind, ids):
    """Disconnect the sockets held by the given devices or staff sessions, in every process."""
    _drop_here(kind, ids)
    _bus.publish(kind, ids)


def _drop_here(kind, ids):
    """Disconnect this process's sockets held by the given devices or staff sessions."""
    ids = set(ids)
    for sid, (held_kind, held_id) in list(_holders.items()):
        if held_kind == kind and held_id in ids:
            _holders.pop(sid, None)
            socketio.server.disconnect(sid, namespace="/")


class _DropBus:
    """Socket drops for the other processes, over Redis pub/sub (no Redis: one process, no need)."""
    channel = "leifeng:drop-sockets"

    def __init__(self):
        self.url, self.origin, self._client = None, uuid.uuid4().hex, None

    def _redis(self):
        if self._client is None:
            import redis
            self._client = redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
        return self._client

    def publish(self, kind, ids):
        if not self.url or not ids:
            return
        message = json.dumps({"origin": self.origin, "kind": kind, "ids": sorted(ids)})
        try:
            self._redis().publish(self.channel, message)
        except Exception:  # the per-minute sweep() still drops them from the database's state
            logging.getLogger(__name__).exception("could not tell other processes to drop %s sockets", kind)

    def listen(self):
        """Drop what other processes ask for; runs for the life of a serving process."""
        while self.url:
            try:
                pubsub = self._redis().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                for message in pubsub.listen():
                    data = json.loads(message["data"])
                    if data.get("origin") != self.origin and data.get("kind") in ("device", "session"):
                        _drop_here(data["kind"], data.get("ids") or ())
            except Exception:
                logging.getLogger(__name__).exception("socket-drop listener lost Redis; retrying")
                socketio.sleep(2)


_bus = _DropBus()


def start_drop_listener():
    """In a serving process with Redis: hear the drops other processes publish."""
    if _bus.url:
        socketio.start_background_task(_bus.listen)


def sweep(db):
    """Drop sockets whose device was revoked or whose session ended, here or in another
    process (run every minute, in an app context)."""
    from server.auth import ends_of
    held = list(_holders.values())
    device_ids = {i for k, i in held if k == "device"}
    session_ids = {i for k, i in held if k == "session"}
    drop_sockets("device", device_ids - devices.live_devices(db, device_ids))
    alive = {r["id"] for r in staff.live_sessions(db, session_ids) if now() < ends_of(r)[0]}
    drop_sockets("session", session_ids - alive)


def staff_room(station_id):
    """Staff-only room of a station: requests carry personal hints kiosks must not get."""
    return f"staff-station:{station_id}"


def push_new_request(station_id, payload):
    socketio.emit("new_request", payload, to=staff_room(station_id))


def push_alert(station_id):
    socketio.emit("alert", {"station_id": station_id}, to=staff_room(station_id))
