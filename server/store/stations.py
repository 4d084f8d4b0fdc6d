"""Counties, supervising units, station types and stations, always read through a scope."""
from server import catalogue
from server.store import dumps, loads, one
from server.store.audit import record
from server.store.scope import station_clause
from server.timeutil import iso, now

JSON_FIELDS = ("services", "windows", "closed_dates", "entrances", "lends")
PROFILE_FIELDS = ("name", "type_code", "county_id", "unit_id", "host_unit", "address",
                  "rules_text") + JSON_FIELDS

_SELECT = """
SELECT s.*, c.name AS county, c.code AS county_code, u.name AS unit, t.name AS type_name
FROM stations s
JOIN counties c ON c.id = s.county_id
JOIN station_types t ON t.code = s.type_code
LEFT JOIN supervising_units u ON u.id = s.unit_id
"""


def load_catalogue(db):
    """Write the counties, units and station types of the notice; safe to run again."""
    for code, name in catalogue.COUNTIES:
        db.execute("INSERT OR IGNORE INTO counties (code, name) VALUES (?, ?)", [code, name])
    for name in catalogue.SUPERVISING_UNITS:
        db.execute("INSERT OR IGNORE INTO supervising_units (name) VALUES (?)", [name])
    for t in catalogue.STATION_TYPES.values():
        db.execute(
            "INSERT OR REPLACE INTO station_types (code, name, name_en, services, windows, units,"
            " lends) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [t["code"], t["name"], t["name_en"], dumps(t["services"]), dumps(t["windows"]),
             dumps(t["units"]), dumps(t["lends"])])


def counties(db):
    return list(db.query("SELECT * FROM counties ORDER BY code"))


def units(db):
    return list(db.query("SELECT * FROM supervising_units ORDER BY id"))


def unit_id_by_name(db, name):
    row = one(db, "SELECT id FROM supervising_units WHERE name = ?", [name])
    return row and row["id"]


def station_types(db):
    return [loads(t, "services", "windows", "units", "lends")
            for t in db.query("SELECT * FROM station_types ORDER BY rowid")]


def list_stations(db, scope, county_id=None, type_code=None):
    """Stations inside the scope, optionally narrowed by county or type."""
    where, params = station_clause(scope)
    sql = _SELECT + f" WHERE {where}"
    if county_id:
        sql += " AND s.county_id = ?"
        params.append(county_id)
    if type_code:
        sql += " AND s.type_code = ?"
        params.append(type_code)
    rows = db.query(sql + " ORDER BY c.code, s.id", params)
    return [loads(r, *JSON_FIELDS) for r in rows]


def get_station(db, scope, station_id):
    """One station if the scope covers it, else None."""
    where, params = station_clause(scope)
    row = one(db, _SELECT + f" WHERE s.id = ? AND {where}", [station_id] + params)
    return loads(row, *JSON_FIELDS)


def station_for_device(db, station_id):
    """A station's public profile for its own paired kiosk (no scope: the device is the key)."""
    return loads(one(db, _SELECT + " WHERE s.id = ?", [station_id]), *JSON_FIELDS)


def create_station(db, actor, profile):
    """Insert a validated profile and audit it; returns the new id."""
    stamp = iso(now())
    values = {k: (dumps(profile[k]) if k in JSON_FIELDS else profile.get(k))
              for k in PROFILE_FIELDS}
    cols = ", ".join(values)
    cur = db.execute(
        f"INSERT INTO stations ({cols}, created_at, updated_at)"
        f" VALUES ({', '.join('?' * len(values))}, ?, ?)",
        list(values.values()) + [stamp, stamp])
    record(db, actor, "create", "station", cur.lastrowid, after=profile)
    return cur.lastrowid


def update_station(db, actor, station_id, before, changes):
    """Apply changed profile fields and audit the before and after."""
    changed = {k: v for k, v in changes.items() if k in PROFILE_FIELDS and before.get(k) != v}
    if not changed:
        return False
    sets = ", ".join(f"{k} = ?" for k in changed)
    params = [dumps(v) if k in JSON_FIELDS else v for k, v in changed.items()]
    db.execute(f"UPDATE stations SET {sets}, updated_at = ? WHERE id = ?",
               params + [iso(now()), station_id])
    record(db, actor, "update", "station", station_id,
           before={k: before.get(k) for k in changed}, after=changed)
    return True


def name_taken(db, name, except_id=None):
    return one(db, "SELECT id FROM stations WHERE name = ? AND id != ?",
               [name, except_id or 0]) is not None
