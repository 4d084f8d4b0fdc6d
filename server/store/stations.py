"""Counties, supervising units, station types and stations, always read through a scope."""
from server.rules import catalogue
from server.rules.windows import weekday_windows, with_windows_from
from server.store import dumps, loads, narrowed, one
from server.store.audit import record
from server.store.scope import station_clause
from server.timeutil import iso, now

JSON_FIELDS = ("services", "windows", "closed_dates", "entrances", "lends")
PROFILE_FIELDS = ("name", "type_code", "county_id", "unit_id", "host_unit", "address",
                  "rules_text", "answer_promise") + JSON_FIELDS
# Columns with a database default: a new station given none takes the default.
DEFAULTED_FIELDS = ("answer_promise",)

# unit_ids / units: every supervising unit of the station (none: its county office); unit_id is the
# first of them, kept for readers that group by one unit.
_SELECT = """
SELECT s.*, c.name AS county, c.code AS county_code, t.name AS type_name,
  (SELECT group_concat(su.unit_id) FROM station_units su WHERE su.station_id = s.id) AS unit_ids,
  (SELECT group_concat(u.name, '、') FROM station_units su JOIN supervising_units u ON u.id = su.unit_id
   WHERE su.station_id = s.id) AS unit
FROM stations s
JOIN counties c ON c.id = s.county_id
JOIN station_types t ON t.code = s.type_code
"""


def _station(row):
    if row is None:
        return None
    row["unit_ids"] = sorted(int(x) for x in (row["unit_ids"] or "").split(",") if x)
    return loads(row, *JSON_FIELDS)


def load_catalogue(db):
    """Write the counties, units and station types of the notice; safe to run again (units the city
    office edited keep their edits)."""
    for code, name in catalogue.COUNTIES:
        db.execute("INSERT OR IGNORE INTO counties (code, name) VALUES (?, ?)", [code, name])
    for name in catalogue.SUPERVISING_UNITS:
        db.execute("INSERT OR IGNORE INTO supervising_units (name, types, active) VALUES (?, ?, ?)",
                   [name, dumps(catalogue.UNIT_TYPES.get(name, [])), int(name != catalogue.COUNTY_OFFICE)])
    for t in catalogue.STATION_TYPES.values():
        db.execute(
            "INSERT OR REPLACE INTO station_types (code, name, name_en, services, windows, units,"
            " lends) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [t["code"], t["name"], t["name_en"], dumps(t["services"]), dumps(t["windows"]),
             dumps(t["units"]), dumps(t["lends"])])


def counties(db):
    return list(db.query("SELECT * FROM counties ORDER BY code"))


def units(db, include_inactive=False):
    """The supervising units (with the station types they usually supervise), in the catalogue's order."""
    where = "" if include_inactive else " WHERE active = 1"
    return [loads(u, "types") for u in db.query(f"SELECT * FROM supervising_units{where} ORDER BY id")]


def default_unit_ids(db, type_code, role="city"):
    """The units a new station of a type starts under; a county office's own 政务服务大厅 is its own."""
    if type_code == "government" and role == "county":
        return []
    names = catalogue.DEFAULT_UNITS.get(type_code, [])
    return [u["id"] for u in units(db) if u["name"] in names]


def unit_station_counts(db):
    return {r["unit_id"]: r["n"] for r in db.query(
        "SELECT su.unit_id, count(*) AS n FROM station_units su JOIN stations s ON s.id = su.station_id"
        " WHERE s.active = 1 GROUP BY su.unit_id")}


def save_unit(db, actor, unit_id, name, types, active=True):
    """Create (unit_id None) or change a unit; returns its id."""
    if unit_id is None:
        cur = db.execute("INSERT INTO supervising_units (name, types, active) VALUES (?, ?, ?)",
                         [name, dumps(types), int(active)])
        record(db, actor, "create", "unit", cur.lastrowid, after={"name": name, "types": types})
        return cur.lastrowid
    before = loads(one(db, "SELECT name, types, active FROM supervising_units WHERE id = ?", [unit_id]), "types")
    after = {"name": name, "types": types, "active": int(active)}
    if before != after:
        db.execute("UPDATE supervising_units SET name = ?, types = ?, active = ? WHERE id = ?",
                   [name, dumps(types), int(active), unit_id])
        record(db, actor, "update", "unit", unit_id, before=before, after=after)
    return unit_id


def unit_name_taken(db, name, except_id=None):
    return one(db, "SELECT id FROM supervising_units WHERE name = ? AND id != ?",
               [name, except_id or 0]) is not None


def unit_id_by_name(db, name):
    row = one(db, "SELECT id FROM supervising_units WHERE name = ?", [name])
    return row and row["id"]


def station_types(db):
    return [loads(t, "services", "windows", "units", "lends")
            for t in db.query("SELECT * FROM station_types ORDER BY rowid")]


def list_stations(db, scope, county_id=None, type_code=None, include_closed=False):
    """Stations inside the scope, optionally narrowed by county or type; closed ones only if asked."""
    where, params = station_clause(scope)
    sql = _SELECT + f" WHERE {where}"
    if not include_closed:
        sql += " AND s.active = 1"
    sql, params = narrowed(sql, params, ("s.county_id = ?", county_id), ("s.type_code = ?", type_code))
    rows = db.query(sql + " ORDER BY s.active DESC, c.code, s.id", params)
    return [_station(r) for r in rows]


def get_station(db, scope, station_id):
    """One station if the scope covers it (closed ones too: they are kept for history), else None."""
    where, params = station_clause(scope)
    return _station(one(db, _SELECT + f" WHERE s.id = ? AND {where}", [station_id] + params))


def station_for_device(db, station_id):
    """A station's public profile for its own paired kiosk (no scope: the device is the key)."""
    return _station(one(db, _SELECT + " WHERE s.id = ?", [station_id]))


def _unit_ids(profile):
    if "unit_ids" in profile:
        return sorted({int(u) for u in profile["unit_ids"]})
    return [int(profile["unit_id"])] if profile.get("unit_id") else []


def _schedule(before_windows, profile):
    """The stored windows: the form's weekday windows from its date on, and its day rule."""
    windows = profile["windows"]
    if "windows_from" not in profile and "days" not in profile:
        return windows
    days = profile.get("days") or windows.get("days")
    if before_windows is None:
        return with_windows_from(None, weekday_windows(windows), None, days)
    return with_windows_from(before_windows, weekday_windows(windows), profile.get("windows_from"), days)


def _set_units(db, station_id, unit_ids):
    db.execute("DELETE FROM station_units WHERE station_id = ?", [station_id])
    for unit_id in unit_ids:
        db.execute("INSERT INTO station_units (station_id, unit_id) VALUES (?, ?)", [station_id, unit_id])


def _forget_service_time(db, station_id):
    # The station's days are read with its windows and open days, which changed: recomputed when read.
    db.execute("UPDATE station_days SET service_minutes = NULL WHERE station_id = ?", [station_id])


def create_station(db, actor, profile):
    """Insert a validated profile and audit it; returns the new id."""
    stamp = iso(now())
    unit_ids = _unit_ids(profile)
    profile = dict(profile, windows=_schedule(None, profile), unit_id=unit_ids[0] if unit_ids else None)
    values = {k: (dumps(profile[k]) if k in JSON_FIELDS else profile.get(k))
              for k in PROFILE_FIELDS if k not in DEFAULTED_FIELDS or profile.get(k) is not None}
    cols = ", ".join(values)
    cur = db.execute(
        f"INSERT INTO stations ({cols}, created_at, updated_at)"
        f" VALUES ({', '.join('?' * len(values))}, ?, ?)",
        list(values.values()) + [stamp, stamp])
    _set_units(db, cur.lastrowid, unit_ids)
    record(db, actor, "create", "station", cur.lastrowid,
           after=dict({k: profile.get(k) for k in PROFILE_FIELDS}, unit_ids=unit_ids))
    return cur.lastrowid


def update_station(db, actor, station_id, before, changes):
    """Apply changed profile fields and audit the before and after."""
    changes = dict(changes)
    if "windows" in changes:
        changes["windows"] = _schedule(before.get("windows"), changes)
    if "unit_ids" in changes or "unit_id" in changes:
        changes["unit_ids"] = _unit_ids(changes)
        changes["unit_id"] = changes["unit_ids"][0] if changes["unit_ids"] else None
    changed = {k: v for k, v in changes.items()
               if k in PROFILE_FIELDS + ("unit_ids",) and before.get(k) != v}
    if not changed:
        return False
    columns = {k: v for k, v in changed.items() if k in PROFILE_FIELDS}
    sets = ", ".join(f"{k} = ?" for k in columns)
    params = [dumps(v) if k in JSON_FIELDS else v for k, v in columns.items()]
    db.execute(f"UPDATE stations SET {sets + ', ' if sets else ''}updated_at = ? WHERE id = ?",
               params + [iso(now()), station_id])
    if "unit_ids" in changed:
        _set_units(db, station_id, changed["unit_ids"])
    if "windows" in changed or "closed_dates" in changed:
        _forget_service_time(db, station_id)
    record(db, actor, "update", "station", station_id,
           before={k: before.get(k) for k in changed}, after=changed)
    return True


def close_station(db, actor, station, why, instant):
    """Close a station: kept with its history, its kiosks revoked, off the dashboards and alerts."""
    if not station["active"]:
        return False
    stamp = iso(instant)
    db.execute("UPDATE stations SET active = 0, closed_at = ?, closed_why = ?, updated_at = ? WHERE id = ?",
               [stamp, why, stamp, station["id"]])
    revoked = [r["id"] for r in db.query(
        "SELECT id FROM devices WHERE station_id = ? AND revoked_at IS NULL", [station["id"]])]
    db.execute("UPDATE devices SET revoked_at = ? WHERE station_id = ? AND revoked_at IS NULL",
               [stamp, station["id"]])
    db.execute("UPDATE pairing_codes SET expires_at = ? WHERE station_id = ? AND used_at IS NULL AND expires_at > ?",
               [stamp, station["id"], stamp])
    record(db, actor, "close", "station", station["id"], before={"active": 1},
           after={"active": 0, "revoked_devices": revoked}, why=why)
    return True


def reopen_station(db, actor, station, instant):
    if station["active"]:
        return False
    db.execute("UPDATE stations SET active = 1, closed_at = NULL, closed_why = NULL, updated_at = ? WHERE id = ?",
               [iso(instant), station["id"]])
    record(db, actor, "reopen", "station", station["id"], before={"active": 0}, after={"active": 1})
    return True


def name_taken(db, name, except_id=None):
    return one(db, "SELECT id FROM stations WHERE name = ? AND id != ?",
               [name, except_id or 0]) is not None
