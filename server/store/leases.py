"""The background-job lease and the serving processes' heartbeats (times in Unix seconds)."""
from server.store import one


def take(db, name, holder, at, seconds):
    """Take or renew the lease for holder unless another holds it unexpired; True if held."""
    db.execute("INSERT INTO job_lease (name, holder, expires_at, renewed_at) VALUES (?, ?, ?, ?)"
               " ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,"
               " renewed_at = excluded.renewed_at"
               " WHERE job_lease.holder = excluded.holder OR job_lease.expires_at < excluded.renewed_at",
               [name, holder, at + seconds, at])
    return lease(db, name)["holder"] == holder


def ran(db, name, holder, at):
    """Record that holder ran the jobs at this time."""
    db.execute("UPDATE job_lease SET ran_at = ?, ran_by = ? WHERE name = ? AND holder = ?",
               [at, holder, name, holder])


def release(db, name, holder):
    db.execute("DELETE FROM job_lease WHERE name = ? AND holder = ?", [name, holder])


def lease(db, name):
    """The lease row (holder, expires_at, renewed_at, ran_at, ran_by), or None."""
    return one(db, "SELECT * FROM job_lease WHERE name = ?", [name])


def heartbeat(db, process_id, host, pid, started_at, at):
    """Say this process is alive; forget processes unseen for a day."""
    db.execute("INSERT INTO server_processes (id, host, pid, started_at, seen_at) VALUES (?, ?, ?, ?, ?)"
               " ON CONFLICT(id) DO UPDATE SET seen_at = excluded.seen_at",
               [process_id, host, pid, started_at, at])
    db.execute("DELETE FROM server_processes WHERE seen_at < ?", [at - 86400])


def processes_seen_since(db, since):
    """Serving processes that said they were alive at or after since."""
    return [dict(r) for r in db.query("SELECT * FROM server_processes WHERE seen_at >= ? ORDER BY started_at",
                                      [since])]


def gone(db, process_id):
    db.execute("DELETE FROM server_processes WHERE id = ?", [process_id])


def figures(db, seen_since, silent_before):
    """What /metrics reports from the database: open alerts, kiosks silent since silent_before
    (their scans wait in their queues), serving processes seen since seen_since."""
    return one(db, "SELECT (SELECT count(*) FROM alerts WHERE acknowledged_at IS NULL AND cleared_at IS NULL) AS alerts_open,"
                   " (SELECT count(*) FROM devices WHERE revoked_at IS NULL AND (last_seen_at IS NULL OR last_seen_at < ?))"
                   " AS kiosks_silent,"
                   " (SELECT count(*) FROM server_processes WHERE seen_at >= ?) AS workers,"
                   " (SELECT expires_at FROM job_lease WHERE name = 'jobs') AS lease_expires_at",
               [silent_before, seen_since])
