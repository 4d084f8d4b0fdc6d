"""Liveness for monitors: the database answers, and which migrations are in."""
from flask import Blueprint, jsonify

from server.db import get_db
from server.schema import migrations
from server.store import one

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    db = get_db()
    row = one(db, "SELECT (SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?) AS migrations,"
                  " (SELECT count(*) FROM stations) AS stations", [migrations.name])
    return jsonify(ok=True, migrations=row["migrations"], stations=row["stations"])
