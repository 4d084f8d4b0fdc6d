"""The real server's memory stays bounded: many threads of scans, printables, pages and uploads
for about half a minute, and the gunicorn worker's resident memory stays under 250 MB."""
import os

import pytest

from tests.live_load import Load, children, rss_mb, worker_pid
from tests.live_server import LiveServer

LIMIT_MB = 250
SECONDS = float(os.environ.get("LEIFENG_MEMORY_TEST_SECONDS", "20"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = LiveServer(tmp_path_factory.mktemp("memory")).start()
    yield srv
    srv.stop()


def test_worker_memory_stays_bounded_under_many_threads(server):
    pid = worker_pid(server)
    load = Load(server, threads=32)
    samples, renderer = [rss_mb(pid)], [0.0]

    def sample():
        samples.append(rss_mb(pid))
        for child in children(pid):  # the render process: reported, its memory leaves with it
            try:
                renderer[0] = max(renderer[0], rss_mb(child))
            except (FileNotFoundError, RuntimeError):
                pass

    errors = load.run(SECONDS, on_tick=sample, tick=0.25)
    samples.append(rss_mb(pid))
    peak = max(samples)
    print(f"worker RSS {samples[0]:.0f} MB at the start, peak {peak:.0f} MB, {samples[-1]:.0f} MB at the end,"
          f" {load.served} requests {load.counts}; render process peak {renderer[0]:.0f} MB")
    assert worker_pid(server) == pid  # the same worker throughout: not restarted to shed memory
    assert errors == [] and load.failures == [], (errors, load.failures[:5])
    assert min(load.counts.get(k, 0) for k in ("scan", "printable", "page", "upload")) > 0, load.counts
    assert peak < LIMIT_MB, f"worker RSS peaked at {peak:.0f} MB (limit {LIMIT_MB}) after {load.served} requests"
