"""Items a station lends (雨伞, 轮椅...): who has what, since when, and what is overdue."""
from datetime import timedelta

from server import crypto
from server.rules.identity import mask_name, mask_phone
from server.store import dumps, one
from server.store.scope import station_clause
from server.timeutil import iso, now


def lend(db, station_id, device_id, item, name, phone, days):
    """Record an item going out. Call inside a write transaction."""
    stamp = now()
    cur = db.execute(
        "INSERT INTO loans (station_id, item, borrower_masked, phone_masked, borrower_cipher, device_id,"
        " out_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [station_id, item, mask_name(name), mask_phone(phone),
         crypto.encrypt(dumps({"name": name, "phone": phone})), device_id, iso(stamp),
         iso(stamp + timedelta(days=days))])
    return cur.lastrowid


def out_count(db, station_id, item):
    return one(db, "SELECT count(*) AS n FROM loans WHERE station_id = ? AND item = ? AND returned_at IS NULL",
               [station_id, item])["n"]


def open_loans(db, station_id):
    """What is out at a station now, for its public kiosk screen: items and times only, oldest
    first, with an overdue flag (who borrowed is for staff, loans_in_scope)."""
    rows = list(db.query("SELECT id, item, out_at, due_at FROM loans"
                         " WHERE station_id = ? AND returned_at IS NULL ORDER BY out_at", [station_id]))
    stamp = iso(now())
    for row in rows:
        row["overdue"] = row["due_at"] < stamp
    return rows


def give_back(db, station_id, loan_id):
    """Mark a loan returned; False if it is not an open loan of this station."""
    cur = db.execute("UPDATE loans SET returned_at = ? WHERE id = ? AND station_id = ? AND returned_at IS NULL",
                     [iso(now()), loan_id, station_id])
    return cur.rowcount == 1


def loans_in_scope(db, scope, open_only=True):
    where, params = station_clause(scope)
    sql = ("SELECT l.id, l.item, l.borrower_masked, l.phone_masked, l.out_at, l.due_at, l.returned_at,"
           " s.name AS station FROM loans l JOIN stations s ON s.id = l.station_id WHERE " + where)
    if open_only:
        sql += " AND l.returned_at IS NULL"
    rows = list(db.query(sql + " ORDER BY l.out_at", params))
    stamp = iso(now())
    for row in rows:
        row["overdue"] = row["returned_at"] is None and row["due_at"] < stamp
    return rows
