"""run.py subcommands: help, init, pair, stations, volunteers; run in this process through click's runner."""
import json
import os
import sqlite3
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest
from click.testing import CliRunner

from server import create_app
from server.db import connect, immediate
from server.ops.cli import cli
from server.ops.demo import load_demo

ROOT = Path(__file__).resolve().parents[2]
Finished = namedtuple("Finished", "returncode stdout stderr")


def run(folder, *args, stdin=None, env=None):
    """`python run.py ARGS` with LEIFENG_INSTANCE=folder, through click's runner: no settings but those
    given (as a bare environment would), and an exception fails the test instead of becoming exit code 1."""
    bare = {k: None for k in os.environ if k.startswith("LEIFENG_") or k in ("HOST", "PORT")}
    done = CliRunner().invoke(cli, [str(a) for a in args], input=stdin, catch_exceptions=False, prog_name="run.py",
                              env={**bare, "LEIFENG_INSTANCE": str(folder), **(env or {})})
    return Finished(done.exit_code, done.stdout, done.stderr)


def test_help_lists_subcommands(tmp_path):
    """The real entry point, once: python run.py --help."""
    env = {"LEIFENG_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "run.py", "--help"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    for name in ("serve", "init", "pair", "stations", "volunteers"):
        assert name in done.stdout


COMMANDS = ["serve", "init", "pair", "stations", "volunteers", "print", "backup", "restore", "kiosk", "export", "demo",
            "users", "users add", "users list", "users disable", "users enable", "users reset"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_says_what_it_does_and_its_options(tmp_path, command):
    res = run(tmp_path, *command.split(), "--help")
    assert res.returncode == 0 and res.stdout.startswith(f"Usage: run.py {command} ")
    listed = run(tmp_path, *command.split()[:-1], "--help").stdout  # the command's line in its group's list
    name = command.split()[-1]
    assert next(line for line in listed.splitlines() if line.strip().startswith(name + " ")).split(name, 1)[1].strip()


@pytest.mark.parametrize("args", [["pair"], ["pair", "--station", "x"], ["print", "poster", "-o", "p.pdf"],
                                  ["backup"], ["users", "add", "simao1"], ["nothing"], ["export", "--from", "x"]])
def test_a_bad_command_line_is_exit_code_2_with_a_reason(tmp_path, args):
    res = run(tmp_path, *args)
    assert res.returncode == 2 and "Error:" in res.stderr and "Traceback" not in res.stderr and not res.stdout


def test_init_makes_an_empty_city_with_one_account(tmp_path):
    res = run(tmp_path, "init", "--username", "admin", "--password", "a-long-password")
    assert res.returncode == 0, res.stderr
    assert run(tmp_path, "stations", "--json").stdout.strip() == "[]"
    again = run(tmp_path, "init", "--username", "x", "--password", "another-long-one")
    assert "已有账号" in again.stdout
    short = run(tmp_path / "b", "init", "--username", "admin", "--password", "short")
    assert short.returncode == 2 and "10" in short.stderr


def test_init_refuses_a_common_or_username_password(tmp_path):
    """The first account follows the same password rules as the staff pages."""
    common = run(tmp_path, "init", "--username", "admin", "--password", "woaini1314")
    assert common.returncode == 2 and "密码" in common.stderr
    same = run(tmp_path, "init", "--username", "cityoffice1", "--password", "cityoffice1")
    assert same.returncode == 2
    assert run(tmp_path, "init", "--username", "admin", "--password", "红塔-思茅-ledger-92").returncode == 0


def test_pair_stations_and_volunteers_mask_personal_data(tmp_path, monkeypatch):
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    app = create_app()
    db = connect(app.config["DATABASE"])
    with app.app_context(), immediate(db):
        load_demo(db)
    listed = json.loads(run(tmp_path, "stations", "--json").stdout)
    assert len(listed) == 26 and listed[0]["id"] == 1
    people = json.loads(run(tmp_path, "volunteers", "--station", "1", "--json").stdout)
    assert people and all("*" in p["name"] and "****" in p["mobile"] and p["id_number"].startswith("*" * 14) for p in people)
    code = json.loads(run(tmp_path, "pair", "--station", "1", "--json").stdout)["code"]
    assert len(code) == 8
    stored = sqlite3.connect(tmp_path / "leifeng.sqlite3").execute("SELECT code_hash FROM pairing_codes").fetchall()
    assert stored and code not in str(stored)
    assert run(tmp_path, "pair", "--station", "999").returncode == 2
    out = tmp_path / "badges.pdf"
    assert run(tmp_path, "print", "badge-sheet", "--station", "1", "-o", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert run(tmp_path, "print", "register", "-o", str(out)).returncode == 2  # needs --station
    assert "request-form" in run(tmp_path, "print", "--help").stdout


def test_kiosk_launcher_command(tmp_path):
    out = run(tmp_path, "kiosk", "--url", "http://127.0.0.1:5055/kiosk/", "--profile", str(tmp_path / "p"), "--dry-run")
    assert out.returncode == 0
    assert "--kiosk" in out.stdout and "--app=http://127.0.0.1:5055/kiosk/" in out.stdout
    assert f"--user-data-dir={tmp_path / 'p'}" in out.stdout


def test_backup_command(tmp_path):
    assert run(tmp_path, "init", "--username", "admin", "--password", "a-long-password").returncode == 0
    target = tmp_path / "copy.sqlite3"
    assert run(tmp_path, "backup", "-o", str(target)).returncode == 0
    assert sqlite3.connect(target).execute("SELECT username FROM staff_users").fetchall() == [("admin",)]
    assert run(tmp_path, "backup", "-o", str(target)).returncode != 0
