"""A real redis-server for a test: a free port, no persistence, always stopped."""
import shutil
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis

from tests.live_server import free_port

MISSING = ("redis-server 未安装 / is not installed: run scripts/ensure-services.sh as root"
           " (make test does), or apt-get install redis-server")


@contextmanager
def redis_server(folder):
    """Yield the URL of a fresh redis-server bound to 127.0.0.1; killed on the way out."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not shutil.os.path.exists(binary):
        pytest.fail(MISSING)
    port = free_port()
    log = open(f"{folder}/redis.log", "ab")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder), "--daemonize", "no"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start: " + open(f"{folder}/redis.log").read()[-1000:])
                time.sleep(0.05)
        yield url
    finally:
        proc.kill()
        proc.wait(10)
        log.close()
