"""The real `run.py serve`: no public demo on a public address, owner-only files, the phones' address."""
import sqlite3
import stat
import subprocess
import sys

import pytest
import requests

from server import create_app
from server.db import connect, immediate
from server.ops.demo import load_demo
from tests.live_server import ROOT, LiveServer
from tests.ops.test_cli import run

pytestmark = pytest.mark.browser  # starts the real server


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def _demo_database(folder):
    """A demo city made outside serve, as an older install or a test run would leave it (0644)."""
    folder.mkdir(exist_ok=True)
    app = create_app({"DATABASE": str(folder / "leifeng.sqlite3"), "DEMO": False})
    db = connect(app.config["DATABASE"])
    with app.app_context(), immediate(db):
        load_demo(db)
    db.close()
    (folder / "leifeng.sqlite3").chmod(0o644)


def _serve(folder, **env):
    """run.py serve to its end (a refusal) or for 20 s; returns the finished process."""
    server = LiveServer(folder, env=env)
    return server, subprocess.run([sys.executable, "run.py", "serve"], cwd=ROOT, env=server.env,
                                  capture_output=True, text=True, timeout=60)


def test_public_address_never_loads_the_demo(tmp_path):
    server = LiveServer(tmp_path, env={"HOST": "0.0.0.0"})
    server.start(timeout=90)
    try:
        assert requests.get(server.url + "/staff/login", timeout=10).ok
        db = sqlite3.connect(tmp_path / "leifeng.sqlite3")
        assert db.execute("SELECT count(*) FROM staff_users").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM stations").fetchone() == (0,)
        db.close()
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    assert "python run.py init" in log and "leifeng-demo" not in log


def test_public_address_with_demo_accounts_refuses_to_start(tmp_path):
    _demo_database(tmp_path)
    _server, res = _serve(tmp_path, HOST="0.0.0.0")
    assert res.returncode == 2
    first = res.stderr.strip().splitlines()[0]
    assert first.startswith("拒绝启动") and "演示账号" in first
    assert "python run.py init" in res.stderr and "LEIFENG_DATABASE" in res.stderr and "Refusing to start" in res.stderr
    assert "Traceback" not in res.stderr
    # asked for explicitly, a network demo starts, with a warning
    server = LiveServer(tmp_path, env={"HOST": "0.0.0.0", "LEIFENG_DEMO": "true"})
    server.start(timeout=90)
    server.stop()
    assert "演示账号的密码是公开的" in (tmp_path / "server.log").read_text()


def test_init_on_a_demo_database_points_to_a_new_one(tmp_path):
    _demo_database(tmp_path)
    res = run(tmp_path, "init", "--username", "admin", "--password", "a-long-password")
    assert res.returncode == 2 and "LEIFENG_DATABASE" in res.stderr and "演示数据库" in res.stderr


def test_database_wal_backup_and_export_are_owner_only(tmp_path):
    server = LiveServer(tmp_path)  # loopback: the demo city loads on the empty database
    server.start(timeout=90)
    try:
        assert requests.get(server.url + "/healthz", timeout=10).ok
        files = [tmp_path / f"leifeng.sqlite3{end}" for end in ("", "-wal", "-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        server.cli("backup", "-o", str(tmp_path / "copy.sqlite3"))
        assert _mode(tmp_path / "copy.sqlite3") == 0o600
        server.cli("export", "--from", "2000-01-01", "--to", "2100-12-31", "-o", str(tmp_path / "out.csv"))
        assert _mode(tmp_path / "out.csv") == 0o600
    finally:
        server.stop()


def test_an_older_database_is_narrowed_and_serve_names_the_unreachable_address(tmp_path):
    _demo_database(tmp_path)
    assert _mode(tmp_path / "leifeng.sqlite3") == 0o644
    server = LiveServer(tmp_path)
    server.start(timeout=90)
    server.stop()
    assert _mode(tmp_path / "leifeng.sqlite3") == 0o600
    log = (tmp_path / "server.log").read_text()
    assert f"http://127.0.0.1:{server.port}/s/" in log  # the phones' address follows PORT
    assert log.index("市民的手机无法访问") < log.index("phones cannot reach it")
