"""Serve with gunicorn: WORKERS processes of many threads each; with more than one, Socket.IO
pushes and socket drops travel between them through Redis (REDIS_URL), and one more process, kept
by gunicorn's master beside them, writes every scan (server/scan_writer.py)."""
import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"
WRITER = "LEIFENG_SCAN_WRITER"
ROOT = Path(__file__).resolve().parents[2]
WRITER_START_SECONDS = 60


class _Gunicorn(BaseApplication):
    def __init__(self, factory, options):
        self.factory, self.options = factory, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.factory()

    def run(self):
        if os.environ.get(WRITER):
            _WithWriter(self).run()
        else:
            super().run()


class _WithWriter(Arbiter):
    """gunicorn's master, which also keeps the scan writer running: started before the workers,
    started again whenever it exits (kill -9 included; the workers answer 503 meanwhile), stopped
    after the workers, so no scan they took is left without its writer."""
    writer = None

    def start(self):
        super().start()
        self._start_writer()
        deadline = time.monotonic() + WRITER_START_SECONDS
        while not _accepts(os.environ[WRITER]):
            if self.writer.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit("拒绝启动：写入扫码记录的进程（server/scan_writer.py）没有启动，见上面的错误。\n"
                         "Refusing to start: the scan writer (server/scan_writer.py) did not start; see the error above.")
            time.sleep(0.05)

    def manage_workers(self):
        if self.writer is not None and self.writer.poll() is not None:
            self.log.error("Scan writer (pid:%s) is gone; starting another", self.writer.pid)
            _forget_metrics(self.writer.pid)
            self._start_writer()
        super().manage_workers()

    def stop(self, graceful=True):
        super().stop(graceful)
        writer, self.writer = self.writer, None
        if writer is not None and writer.poll() is None:
            writer.terminate()  # it answers what it holds, then leaves
            try:
                writer.wait(10)
            except subprocess.TimeoutExpired:
                writer.kill()
                writer.wait()
            _forget_metrics(writer.pid)

    def _start_writer(self):
        self.writer = subprocess.Popen([sys.executable, "-m", "server.scan_writer"], cwd=ROOT)
        self.log.info("Scan writer started (pid:%s)", self.writer.pid)


def _accepts(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def prepare_writer(workers):
    """With several processes, a folder only this user can open for the scan writer's socket,
    named to the workers and the writer by LEIFENG_SCAN_WRITER; with one, no writer."""
    os.environ.pop(WRITER, None)
    if workers < 2:
        return None
    os.environ[WRITER] = os.path.join(_private_folder("leifeng-writer-"), "scans.sock")
    return os.environ[WRITER]


def refusal(config):
    """(中文, English) when the settings cannot serve as asked (several processes without a
    reachable Redis), else None."""
    try:
        workers = int(config.get("WORKERS") or 1)
    except (TypeError, ValueError):
        workers = 0
    if workers < 1:
        return (f"LEIFENG_WORKERS 应为 1 或更大的整数，现在是 {config.get('WORKERS')!r}。",
                f"LEIFENG_WORKERS must be a whole number of 1 or more, not {config.get('WORKERS')!r}.")
    url = config.get("REDIS_URL")
    if workers > 1 and not url:
        return ("拒绝启动：LEIFENG_WORKERS={n} 要运行 {n} 个服务进程，它们之间的实时推送需要 Redis。"
                "请设置 LEIFENG_REDIS_URL（例如 LEIFENG_REDIS_URL=redis://127.0.0.1:6379/0；开发时 make redis 启动一个），"
                "或者使用 LEIFENG_WORKERS=1。".format(n=workers),
                "Refusing to start: LEIFENG_WORKERS={n} runs {n} server processes, and their live pushes need Redis."
                " Set LEIFENG_REDIS_URL (e.g. LEIFENG_REDIS_URL=redis://127.0.0.1:6379/0; `make redis` starts one"
                " for development), or use LEIFENG_WORKERS=1.".format(n=workers))
    if url:
        import redis
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        except (redis.RedisError, ValueError, OSError) as err:
            return (f"拒绝启动：连不上 LEIFENG_REDIS_URL={url}（{err}）。请先启动 Redis（systemctl start redis-server，"
                    "开发时 make redis），或检查地址。",
                    f"Refusing to start: cannot reach LEIFENG_REDIS_URL={url} ({err}). Start Redis first"
                    " (systemctl start redis-server; `make redis` for development) or check the address.")
    return None


def prepare_metrics():
    """Give this server's processes one folder for Prometheus counters (set before any metric is
    made, so forked workers write their figures there and /metrics adds them up)."""
    if os.environ.get(METRICS_DIR):
        return os.environ[METRICS_DIR]
    os.environ[METRICS_DIR] = _private_folder("leifeng-metrics-")
    return os.environ[METRICS_DIR]


def _private_folder(prefix):
    """A new folder only this user can open, removed when the serving process (not a fork) ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))
    return folder


def _worker_exit(_server, worker):
    """A dead worker's live gauges leave the sums (its counters stay counted)."""
    _forget_metrics(worker.pid)


def _forget_metrics(pid):
    if os.environ.get(METRICS_DIR):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(pid)


def _post_fork(_server, _worker):
    """In each worker, before its threads start: few malloc arenas, large buffers given back to the
    system when freed (server/memory.py: the worker's memory stays bounded)."""
    from server.memory import render_apart, tune_malloc
    tune_malloc()
    render_apart()


def serve(factory, host, port, threads=64, workers=1):
    """Run the app made by factory (called in each worker) until stopped."""
    _Gunicorn(factory, {
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
        "timeout": 120, "graceful_timeout": 10, "umask": 0o077, "accesslog": None, "errorlog": "-",
        "loglevel": "warning", "child_exit": _worker_exit, "post_fork": _post_fork,
    }).run()
