"""Soak: the real server under a long mixed load (kiosk scans, printables, pages, photo uploads from
many threads); prints the gunicorn worker's resident memory at the start and the end beside the
number of requests served, and every minute in between.

Run: make bench (or .venv/bin/python bench/soak_bench.py [--minutes N] [--threads N]). Prints
figures; never fails. The test of the bound itself is tests/ops/test_memory_live.py.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.live_load import Load, rss_mb, worker_pid  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=3)
    p.add_argument("--threads", type=int, default=48)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(tmp).start()
        try:
            pid = worker_pid(server)
            load = Load(server, threads=args.threads)
            start_rss, peak, began = rss_mb(pid), [rss_mb(pid)], time.monotonic()
            print(f"start: worker RSS {start_rss:.0f} MB, 0 requests served", flush=True)
            last = [began]

            def tick():
                peak[0] = max(peak[0], rss_mb(pid))
                if time.monotonic() - last[0] >= 60:
                    last[0] = time.monotonic()
                    print(f"{(last[0] - began) / 60:4.1f} min: worker RSS {rss_mb(pid):.0f} MB,"
                          f" {load.served} requests served", flush=True)

            errors = load.run(args.minutes * 60, on_tick=tick)
            seconds = time.monotonic() - began
            end_rss = rss_mb(pid)
            print(f"end:   worker RSS {end_rss:.0f} MB (peak {peak[0]:.0f} MB), {load.served} requests served"
                  f" in {seconds:.0f} s ({load.served / seconds:.1f}/s) by {args.threads} threads: {load.counts}")
            print(f"ratio: end/start RSS {end_rss / start_rss:.2f}; failures {len(load.failures)},"
                  f" thread errors {len(errors)}; same worker: {worker_pid(server) == pid}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
