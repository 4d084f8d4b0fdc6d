"""Volunteers: registration records with the ID number encrypted, team membership, badges."""
from server import crypto
from server.store import dumps, loads, narrowed, one
from server.store.audit import log_reveal, record
from server.store.scope import station_clause
from server.timeutil import iso, now

_LIST = """
SELECT v.id, v.ref, v.name, v.gender, v.birth_date, v.id_last4, v.mobile, v.status,
       v.badge_version, v.registered_at,
       (SELECT group_concat(m.station_id) FROM station_members m WHERE m.volunteer_id = v.id) AS station_ids
FROM volunteers v
"""


class DuplicateVolunteer(Exception):
    """The ID number is already registered."""


def ref_for(volunteer_id):
    """The public volunteer reference carried by badges: no personal data."""
    return f"V{volunteer_id:06d}"


def create_volunteer(db, actor, person, station_ids, status="pending"):
    """Insert a checked registration; raises DuplicateVolunteer on a known ID number."""
    id_hash = crypto.lookup_hash(person["id_number"])
    if one(db, "SELECT id FROM volunteers WHERE id_hash = ?", [id_hash]):
        raise DuplicateVolunteer()
    stamp = iso(now())
    profile = {k: v for k, v in person.items()
               if k not in ("id_number", "name", "gender", "birth_date", "mobile")}
    cur = db.execute(
        "INSERT INTO volunteers (ref, name, gender, birth_date, id_cipher, id_hash, id_last4,"
        " mobile, profile, status, registered_at, created_at, updated_at)"
        " VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [person["name"], person["gender"], person["birth_date"],
         crypto.encrypt(person["id_number"]), id_hash, person["id_number"][-4:], person["mobile"],
         dumps(profile), status, person.get("registered_at") or stamp, stamp, stamp])
    vid = cur.lastrowid
    db.execute("UPDATE volunteers SET ref = ? WHERE id = ?", [ref_for(vid), vid])
    for station_id in station_ids:
        db.execute("INSERT OR IGNORE INTO station_members (station_id, volunteer_id, joined_at)"
                   " VALUES (?, ?, ?)", [station_id, vid, stamp])
    record(db, actor, "create", "volunteer", vid,
           after={"status": status, "stations": list(station_ids)})
    return vid


def _in_scope(scope, alias="v"):
    where, params = station_clause(scope)
    return (f"EXISTS (SELECT 1 FROM station_members m JOIN stations s ON s.id = m.station_id"
            f" WHERE m.volunteer_id = {alias}.id AND {where})", params)


def list_volunteers(db, scope, station_id=None, status=None):
    """Volunteers of the stations inside the scope; clear ID numbers never leave this layer."""
    where, params = _in_scope(scope)
    sql, params = narrowed(
        _LIST + f" WHERE {where}", params,
        ("EXISTS (SELECT 1 FROM station_members m2 WHERE m2.volunteer_id = v.id AND m2.station_id = ?)", station_id),
        ("v.status = ?", status))
    return list(db.query(sql + " ORDER BY v.id", params))


def get_volunteer(db, scope, volunteer_id):
    """One volunteer inside the scope (profile decoded, ID still encrypted), or None."""
    where, params = _in_scope(scope)
    row = one(db, f"SELECT v.* FROM volunteers v WHERE v.id = ? AND {where}", [volunteer_id] + params)
    if row:
        row.pop("id_cipher")
        row["station_ids"] = station_ids_of(db, volunteer_id)
    return loads(row, "profile")


def volunteer_by_ref(db, ref):
    """For the scan engine: status, badge version and team of a badge's volunteer."""
    return one(db, "SELECT id, ref, name, status, badge_version FROM volunteers WHERE ref = ?", [ref])


def station_ids_of(db, volunteer_id):
    return [r["station_id"] for r in db.query(
        "SELECT station_id FROM station_members WHERE volunteer_id = ? ORDER BY station_id",
        [volunteer_id])]


def is_member(db, volunteer_id, station_id):
    return one(db, "SELECT 1 AS x FROM station_members WHERE volunteer_id = ? AND station_id = ?",
               [volunteer_id, station_id]) is not None


def reveal_id_number(db, actor, volunteer_id, why):
    """The clear ID number, logged with who and why."""
    row = one(db, "SELECT id_cipher FROM volunteers WHERE id = ?", [volunteer_id])
    log_reveal(db, actor, "volunteer", volunteer_id, "id_number", why)
    return crypto.decrypt(row["id_cipher"])


def set_status(db, actor, volunteer_id, status, opinion=None):
    before = one(db, "SELECT status, approval_opinion FROM volunteers WHERE id = ?", [volunteer_id])
    stamp = iso(now())
    if status == "active" and before["status"] == "pending":
        db.execute("UPDATE volunteers SET status = ?, approval_opinion = ?, approved_by = ?,"
                   " approved_at = ?, updated_at = ? WHERE id = ?",
                   [status, opinion, actor, stamp, stamp, volunteer_id])
    else:
        db.execute("UPDATE volunteers SET status = ?, updated_at = ? WHERE id = ?",
                   [status, stamp, volunteer_id])
    record(db, actor, "status", "volunteer", volunteer_id, before=before,
           after={"status": status, "approval_opinion": opinion})


def reissue_badge(db, actor, volunteer_id):
    """Bump the badge version: every earlier badge stops working at once."""
    db.execute("UPDATE volunteers SET badge_version = badge_version + 1, updated_at = ? WHERE id = ?",
               [iso(now()), volunteer_id])
    version = one(db, "SELECT badge_version FROM volunteers WHERE id = ?", [volunteer_id])["badge_version"]
    record(db, actor, "reissue_badge", "volunteer", volunteer_id, after={"badge_version": version})
    return version


def update_volunteer(db, actor, volunteer_id, before, person, station_ids):
    """Save edited registration fields (not the ID number) and team; audit what changed."""
    profile = {k: v for k, v in person.items()
               if k not in ("id_number", "name", "gender", "birth_date", "mobile")}
    after = {"name": person["name"], "gender": before["gender"], "mobile": person["mobile"],
             "profile": profile, "station_ids": sorted(station_ids)}
    old = {"name": before["name"], "gender": before["gender"], "mobile": before["mobile"],
           "profile": before["profile"], "station_ids": sorted(before["station_ids"])}
    if after == old:
        return False
    db.execute("UPDATE volunteers SET name = ?, mobile = ?, profile = ?, updated_at = ?"
               " WHERE id = ?", [person["name"], person["mobile"], dumps(profile),
                                 iso(now()), volunteer_id])
    db.execute("DELETE FROM station_members WHERE volunteer_id = ?", [volunteer_id])
    for station_id in station_ids:
        db.execute("INSERT INTO station_members (station_id, volunteer_id, joined_at) VALUES (?, ?, ?)",
                   [station_id, volunteer_id, iso(now())])
    changed = {k for k in after if after[k] != old[k]}
    record(db, actor, "update", "volunteer", volunteer_id,
           before={k: ("***" if k == "mobile" else old[k]) for k in changed},
           after={k: ("***" if k == "mobile" else after[k]) for k in changed})
    return True
