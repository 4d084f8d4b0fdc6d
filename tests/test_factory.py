"""The app factory, configuration, health and migrations."""
import re
from pathlib import Path

from server import create_app
from server.config import SETTINGS
from server.db import connect
from server.schema import migrate, migrations


def test_healthz_reports_database(client):
    res = client.get("/healthz")
    assert res.status_code == 200
    assert res.json["ok"] is True
    assert res.json["migrations"] == len(migrations._migrations)


def test_test_config_overrides_defaults(app):
    assert app.testing and app.config["SECRET_KEY"] == "test-secret"
    assert app.config["SCAN_DEBOUNCE_SECONDS"] == 60


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("LEIFENG_SCAN_DEBOUNCE_SECONDS", "5")
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    app = create_app({"DEMO": False})
    assert app.config["SCAN_DEBOUNCE_SECONDS"] == 5
    assert app.config["DATABASE"] == str(tmp_path / "leifeng.sqlite3")
    secrets_file = tmp_path / "secrets.json"
    assert secrets_file.exists() and secrets_file.stat().st_mode & 0o077 == 0


def test_secrets_are_kept_across_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    first = create_app().config["SECRET_KEY"]
    assert create_app().config["SECRET_KEY"] == first


def test_migrations_twice_change_nothing(app, db):
    schema_before = list(db.query("SELECT name, sql FROM sqlite_master ORDER BY name"))
    applied_before = [m.name for m in migrations.applied(db)]
    migrate(db)
    migrate(db)
    assert list(db.query("SELECT name, sql FROM sqlite_master ORDER BY name")) == schema_before
    assert [m.name for m in migrations.applied(db)] == applied_before


def test_connection_pragmas(app):
    db = connect(app.config["DATABASE"])
    assert next(db.query("PRAGMA journal_mode"))["journal_mode"] == "wal"
    assert next(db.query("PRAGMA synchronous"))["synchronous"] == 2  # FULL
    assert next(db.query("PRAGMA foreign_keys"))["foreign_keys"] == 1
    assert next(db.query("PRAGMA busy_timeout"))["timeout"] >= 5000


def test_every_setting_is_documented_in_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for name in SETTINGS:
        assert re.search(rf"`LEIFENG_{name}`", readme), f"README lacks LEIFENG_{name}"
