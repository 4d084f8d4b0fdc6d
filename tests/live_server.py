"""Start the real server (python run.py serve, gunicorn) on a free port with its own instance."""
import json
import os
import re
import signal
import sqlite3
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "leifeng-demo"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def csrf_token(html):
    """The CSRF token a page's form carries."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@contextmanager
def serving(instance, env=None):
    """A started LiveServer on its own instance folder, stopped when the block ends."""
    server = LiveServer(instance, env).start()
    try:
        yield server
    finally:
        server.stop()


class LiveServer:
    """One serving process group; kill() is a power cut, start() a reboot on the same files."""

    def __init__(self, instance, env=None):
        self.instance, self.port = Path(instance), free_port()
        self.env = {**os.environ, "LEIFENG_INSTANCE": str(instance), "PORT": str(self.port),
                    "HOST": "127.0.0.1", **(env or {})}
        self.url, self.proc = f"http://127.0.0.1:{self.port}", None

    def start(self, timeout=60):
        if getattr(self, "log", None):
            self.log.close()  # a restart after kill() appends to the same log
        self.log = open(self.instance / "server.log", "ab")
        self.proc = subprocess.Popen([sys.executable, "run.py", "serve"], cwd=ROOT, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("server did not start: " + (self.instance / "server.log").read_text()[-2000:])

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def cli(self, *args):
        out = subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out) if "--json" in args else out

    def sql(self, statement, params=()):
        """The rows of one statement on the server's database, in its own transaction."""
        conn = sqlite3.connect(self.instance / "leifeng.sqlite3", timeout=10)
        try:
            with conn:
                return conn.execute(statement, params).fetchall()
        finally:
            conn.close()

    def sign_in(self, session, username, password=DEMO_PASSWORD):
        """Post the staff sign-in form on a requests session; the answer (a 302 when it worked)."""
        page = session.get(self.url + "/staff/login", timeout=10).text
        return session.post(self.url + "/staff/login", allow_redirects=False, timeout=10,
                            data={"username": username, "password": password, "csrf_token": csrf_token(page)})

    def secret(self):
        return json.loads((self.instance / "secrets.json").read_text())["SECRET_KEY"]

    def pair(self, station_id):
        code = self.cli("pair", "--station", str(station_id), "--json")["code"]
        res = requests.post(self.url + "/api/kiosk/pair", json={"code": code}, timeout=10)
        res.raise_for_status()
        return {"Authorization": "Bearer " + res.json()["device_token"]}
