"""Star levels, their certification and rewards (激励回馈), and what a volunteer's own page shows."""
from server.rules.stars import STAR_THRESHOLDS, star_level
from server.store import one
from server.store.audit import record
from server.store.scope import station_clause
from server.timeutil import iso, now

_FIRST_STAR_MINUTES = STAR_THRESHOLDS[-1][1] * 60


def approved_minutes(db, volunteer_id):
    """Cumulative approved (and exported) minutes: the only hours that count for stars."""
    return one(db, "SELECT coalesce(sum(credited_minutes), 0) AS m FROM shifts WHERE volunteer_id = ?"
                   " AND approval IN ('approved', 'exported')", [volunteer_id])["m"]


def certified_level(db, volunteer_id):
    return one(db, "SELECT coalesce(max(level), 0) AS level FROM star_certifications WHERE volunteer_id = ?",
               [volunteer_id])["level"]


def new_star_levels(db, scope):
    """Volunteers in scope whose level from approved hours exceeds their highest certified one."""
    where, params = station_clause(scope)
    rows = db.query(f"""
        SELECT v.id, v.ref, v.name, t.minutes,
               (SELECT coalesce(max(level), 0) FROM star_certifications c WHERE c.volunteer_id = v.id) AS certified
        FROM (SELECT volunteer_id, sum(credited_minutes) AS minutes FROM shifts
              WHERE approval IN ('approved', 'exported') GROUP BY volunteer_id HAVING minutes >= ?) t
        JOIN volunteers v ON v.id = t.volunteer_id
        WHERE EXISTS (SELECT 1 FROM station_members m JOIN stations s ON s.id = m.station_id
                      WHERE m.volunteer_id = v.id AND {where})
        ORDER BY t.minutes DESC""", [_FIRST_STAR_MINUTES] + params)
    out = []
    for row in rows:
        row["hours"] = round(row["minutes"] / 60, 1)
        row["level"] = star_level(row["minutes"] / 60)
        if row["level"] > row["certified"]:
            out.append(row)
    return out


def certify(db, actor, volunteer_id, level):
    """Record a star certification; False when that level is not yet earned or already held."""
    earned = star_level(approved_minutes(db, volunteer_id) / 60)
    if not 1 <= level <= earned or level <= certified_level(db, volunteer_id):
        return False
    db.execute("INSERT INTO star_certifications (volunteer_id, level, certified_by, certified_at)"
               " VALUES (?, ?, ?, ?)", [volunteer_id, level, actor, iso(now())])
    record(db, actor, "certify_star", "volunteer", volunteer_id, after={"level": level})
    return True


def add_reward(db, actor, volunteer_id, what, given_on):
    cur = db.execute("INSERT INTO rewards (volunteer_id, what, given_on, given_by) VALUES (?, ?, ?, ?)",
                     [volunteer_id, what, given_on, actor])
    record(db, actor, "reward", "volunteer", volunteer_id, after={"what": what, "given_on": given_on})
    return cur.lastrowid


def rewards_of(db, volunteer_id):
    return list(db.query("SELECT * FROM rewards WHERE volunteer_id = ? ORDER BY given_on DESC, id DESC",
                         [volunteer_id]))


def recent_rewards(db, scope, limit=50):
    where, params = station_clause(scope)
    return list(db.query(f"""
        SELECT r.*, v.name, v.ref FROM rewards r JOIN volunteers v ON v.id = r.volunteer_id
        WHERE EXISTS (SELECT 1 FROM station_members m JOIN stations s ON s.id = m.station_id
                      WHERE m.volunteer_id = v.id AND {where})
        ORDER BY r.id DESC LIMIT ?""", params + [limit]))


def volunteer_for_link(db, ref):
    """The volunteer a signed link names: what the private page needs, no personal numbers."""
    return one(db, "SELECT id, ref, name, status, badge_version, id_last4 FROM volunteers WHERE ref = ?", [ref])


def own_shifts(db, volunteer_id, limit=200):
    """A volunteer's records, newest first, with the station's name."""
    return list(db.query(
        "SELECT sh.local_date, sh.started_at, sh.ended_at, sh.credited_minutes, sh.state, sh.approval,"
        " sh.service_item, s.name AS station_name FROM shifts sh JOIN stations s ON s.id = sh.station_id"
        " WHERE sh.volunteer_id = ? ORDER BY sh.started_at DESC LIMIT ?", [volunteer_id, limit]))


def own_trainings(db, volunteer_id):
    return list(db.query(
        "SELECT t.held_on, t.topic, t.trainer FROM training_attendees a JOIN trainings t ON t.id = a.training_id"
        " WHERE a.volunteer_id = ? ORDER BY t.held_on DESC", [volunteer_id]))


def certificate_facts(db, volunteer_id):
    """Approved hours per station and the first and last service day, for the certificate."""
    rows = list(db.query(
        "SELECT s.name AS station, coalesce(nullif(s.host_unit, ''), s.name) AS organisation,"
        " sum(sh.credited_minutes) AS minutes, count(*) AS records, min(sh.local_date) AS first,"
        " max(sh.local_date) AS last FROM shifts sh JOIN stations s ON s.id = sh.station_id"
        " WHERE sh.volunteer_id = ? AND sh.approval IN ('approved', 'exported') AND sh.credited_minutes > 0"
        " GROUP BY s.id ORDER BY minutes DESC", [volunteer_id]))
    return rows
