"""Service-demand requests: personal details encrypted, masked copies for lists, an event trail."""
import json
import secrets

from server import crypto
from server.rules.catalogue import CONSENT_VERSION, REQUEST_FLOW
from server.rules.identity import mask_name, mask_phone
from server.store import dumps, loads, narrowed, one
from server.store.audit import log_reveal
from server.store.devices import CODE_ALPHABET
from server.store.scope import station_clause
from server.timeutil import iso, now

_LIST = """
SELECT r.id, r.ticket, r.station_id, r.channel, r.state, r.name_masked, r.phone_masked, r.category,
       r.sensitive, r.service_item, r.service_time, r.created_at, r.updated_at, r.rating,
       s.name AS station
FROM requests r JOIN stations s ON s.id = r.station_id
"""


def _track_hash(ticket, last4):
    return crypto.lookup_hash(f"{ticket}:{last4}", purpose="track")


def create_request(db, station_id, channel, public, details, guardian=None):
    """Store a checked request; returns (id, ticket). Call inside a write transaction."""
    ticket = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    phone = details["mobile"] or details["home_phone"]
    stamp = iso(now())
    consent = {"version": CONSENT_VERSION, "at": stamp, "station_id": station_id, "channel": channel,
               "sensitive": public["sensitive"], "guardian": guardian}
    cur = db.execute(
        "INSERT INTO requests (ticket, track_hash, station_id, channel, name_masked, phone_masked,"
        " category, sensitive, service_item, service_time, details_cipher, consent, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ticket, _track_hash(ticket, phone[-4:]), station_id, channel, mask_name(details["name"]),
         mask_phone(phone), public["category"], int(public["sensitive"]), public["service_item"],
         public["service_time"], crypto.encrypt(dumps(details)), dumps(consent), stamp, stamp])
    db.execute("INSERT INTO request_events (request_id, at, actor, to_state, note, public)"
               " VALUES (?, ?, ?, 'new', ?, 1)", [cur.lastrowid, stamp, channel, "已收到您的需求"])
    return cur.lastrowid, ticket


def list_requests(db, scope, state=None, station_id=None, limit=300):
    """Requests of the stations inside the scope, newest first; masked columns only."""
    if not scope.may("citizen_requests"):
        return []
    where, params = station_clause(scope)
    sql, params = narrowed(_LIST + f" WHERE {where}", params, ("r.state = ?", state),
                           ("r.station_id = ?", station_id))
    return list(db.query(sql + " ORDER BY r.id DESC LIMIT ?", params + [limit]))


def latest_request_id(db, scope):
    """The newest request id inside the scope: an inbox rendered now has seen every request up to it."""
    if not scope.may("citizen_requests"):
        return 0
    where, params = station_clause(scope)
    return one(db, f"SELECT max(r.id) AS n FROM requests r JOIN stations s ON s.id = r.station_id WHERE {where}",
               params)["n"] or 0


def requests_since(db, scope, since_id, station_id=None, limit=100):
    """Requests inside the scope newer than a page's last one, as the live push carries them."""
    if not scope.may("citizen_requests"):
        return []
    where, params = station_clause(scope)
    sql, params = narrowed(_LIST + f" WHERE r.id > ? AND {where}", [since_id] + params,
                           ("r.station_id = ?", station_id))
    return [{"id": r["id"], "ticket": r["ticket"], "station_id": r["station_id"], "service_item": r["service_item"],
             "category": "敏感类别" if r["sensitive"] else r["category"], "name": r["name_masked"]}
            for r in db.query(sql + " ORDER BY r.id LIMIT ?", params + [limit])]


def get_request(db, scope, request_id):
    """One request inside the scope (details still encrypted), with its event trail; else None."""
    if not scope.may("citizen_requests"):
        return None
    where, params = station_clause(scope)
    row = one(db, "SELECT r.*, s.name AS station FROM requests r JOIN stations s ON s.id = r.station_id"
                  f" WHERE r.id = ? AND {where}", [request_id] + params)
    if row is None:
        return None
    row.pop("details_cipher")
    row.pop("track_hash")
    row["events"] = list(db.query("SELECT * FROM request_events WHERE request_id = ? ORDER BY id",
                                  [request_id]))
    return loads(row, "consent")


def reveal_details(db, actor, request_id, why):
    """The decrypted personal details of a request, logged with who and why."""
    row = one(db, "SELECT details_cipher FROM requests WHERE id = ?", [request_id])
    log_reveal(db, actor, "request", request_id, "details", why)
    return json.loads(crypto.decrypt(row["details_cipher"]))


def change_state(db, actor, request_id, to_state, note, public):
    """Move a request along its flow with a note; False when the move is not allowed."""
    row = one(db, "SELECT state FROM requests WHERE id = ?", [request_id])
    if to_state not in REQUEST_FLOW[row["state"]]:
        return False
    stamp = iso(now())
    db.execute("UPDATE requests SET state = ?, updated_at = ? WHERE id = ?", [to_state, stamp, request_id])
    db.execute("INSERT INTO request_events (request_id, at, actor, from_state, to_state, note, public)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)", [request_id, stamp, actor, row["state"], to_state, note,
                                                 int(public)])
    return True


def record_service(db, actor, request_id, fields):
    """The team leader's opinion, volunteers assigned and the service done (志愿者服务情况)."""
    sets = {k: v for k, v in fields.items()
            if k in ("leader_opinion", "volunteer_count", "volunteer_names", "service_record")}
    stamp = iso(now())
    db.execute(f"UPDATE requests SET {', '.join(f'{k} = ?' for k in sets)}, updated_at = ? WHERE id = ?",
               list(sets.values()) + [stamp, request_id])
    db.execute("INSERT INTO request_events (request_id, at, actor, note, public) VALUES (?, ?, ?, ?, 0)",
               [request_id, stamp, actor, "更新服务记录 / service record updated"])


def track(db, ticket, last4):
    """What the citizen sees of their request: coarse state and public notes; None if no match."""
    ticket = "".join(ch for ch in (ticket or "").upper() if ch.isalnum())[:12]
    row = one(db, "SELECT r.id, r.ticket, r.state, r.track_hash, r.service_item, r.created_at,"
                  " r.feedback, r.rating, s.name AS station FROM requests r"
                  " JOIN stations s ON s.id = r.station_id WHERE r.ticket = ?", [ticket])
    if row is None or not secrets.compare_digest(row.pop("track_hash"), _track_hash(ticket, last4)):
        return None
    row["notes"] = list(db.query("SELECT at, to_state, note FROM request_events"
                                 " WHERE request_id = ? AND public = 1 ORDER BY id", [row["id"]]))
    return row


def leave_feedback(db, request_id, feedback, rating):
    """服务对象意见和建议 and a 1-5 rating, once the request is finished."""
    db.execute("UPDATE requests SET feedback = ?, rating = ?, updated_at = ? WHERE id = ?",
               [feedback, rating, iso(now()), request_id])
    db.execute("INSERT INTO request_events (request_id, at, actor, note, public) VALUES (?, ?, ?, ?, 0)",
               [request_id, iso(now()), "citizen", "服务对象反馈 / feedback left"])
