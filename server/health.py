"""Liveness for monitors: the database answers, and which migrations are in."""
from flask import Blueprint, jsonify

from server.db import get_db
from server.schema import migrations
from server.store import one

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    db = get_db()
    ok = one(db, "SELECT 1 AS ok")["ok"] == 1
    return jsonify(ok=ok, migrations=len(migrations.applied(db)),
                   stations=one(db, "SELECT count(*) AS n FROM stations")["n"])
