"""Scan throughput and latency through the real server, beside /healthz measured in the same run.

Run: make bench (or .venv/bin/python bench/scan_bench.py [--seconds 8]). Prints figures; never fails.
"""
import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server.rules.badges import make_badge_token  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402


def kiosks(server, count):
    """count paired kiosks spread over the demo stations, each with its team's badges."""
    secret, out = server.secret(), []
    stations = [s["id"] for s in server.cli("stations", "--json")]
    teams = {sid: [make_badge_token(secret, v["ref"], 1) for v in
                   server.cli("volunteers", "--station", str(sid), "--json") if v["status"] == "active"]
             for sid in stations}
    for i in range(count):
        sid = stations[i % len(stations)]
        out.append((server.pair(sid)["Authorization"], teams[sid]))
    return out


class Client:
    """One keep-alive connection, as one kiosk holds; fresh: a new connection for every request."""

    def __init__(self, port, auth=None, tokens=(), fresh=False):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.auth, self.tokens, self.i, self.fresh = auth, tokens, 0, fresh

    def _answered(self):
        res = self.conn.getresponse()
        res.read()
        if self.fresh:
            self.conn.close()  # http.client opens the next one on the next request
        return res.status

    def health(self):
        self.conn.request("GET", "/healthz")
        return self._answered()

    def scan(self):
        token = self.tokens[self.i % len(self.tokens)]
        self.i += 1
        body = json.dumps({"events": [{"id": str(uuid.uuid4()), "token": token,
                                       "scanned_at": datetime.now(timezone.utc).isoformat()}]})
        self.conn.request("POST", "/api/kiosk/scans", body, {"Content-Type": "application/json",
                                                              "Authorization": self.auth})
        return self._answered()


def saturate(clients, call, seconds):
    """Requests per second with every client sending back to back."""
    done, errors, stop = [0] * len(clients), [0], time.time() + seconds

    def run(i, c):
        while time.time() < stop:
            if getattr(c, call)() == 200:
                done[i] += 1
            else:
                errors[0] += 1
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds, errors[0]


def open_loop(clients, call, rate, seconds):
    """Latencies (ms) at a fixed offered rate, timed from each request's scheduled start."""
    per_client = rate / len(clients)
    latencies, lock = [], threading.Lock()

    def run(i, c):
        start = time.time() + i / rate
        for n in range(int(per_client * seconds)):
            due = start + n / per_client
            time.sleep(max(0, due - time.time()))
            getattr(c, call)()
            with lock:
                latencies.append((time.time() - due) * 1000)
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99) - 1], len(latencies)


def processes(seconds, kiosk_count=10, rounds=3):
    """Scans at saturation with LEIFENG_WORKERS=1 and =2 (with a real Redis), each beside its /healthz.

    Both servers run at once, idle but for the one measured, and are measured in turns, round
    after round: this machine's speed drifts by a third within minutes, and one figure of each
    taken minutes apart measured the drift as much as the servers. Every request on a new
    connection, for both: a kept-alive connection stays with whichever process accepted it, and
    ten of them split anywhere from 10/0 to 6/4 between two processes, so a run would measure
    that split. A kiosk scanning now and then opens one per scan anyway (the server closes an idle
    connection after two seconds)."""
    from tests.redis_server import redis_server
    servers, figures = {}, {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp, redis_server(tmp) as url:
        try:
            for workers in (1, 2):
                folder = Path(tmp) / f"w{workers}"
                folder.mkdir()
                env = {"LEIFENG_SCAN_DEBOUNCE_SECONDS": "0", "LEIFENG_WORKERS": str(workers)}
                if workers > 1:
                    env["LEIFENG_REDIS_URL"] = url
                server = servers[workers] = LiveServer(folder, env).start(90)
                server.devices = kiosks(server, kiosk_count)
            for server in servers.values():  # warmed up first: their first seconds are not counted
                saturate([Client(server.port, *d, fresh=True) for d in server.devices], "scan", 2)
            print(f"  1 against 2 processes, {kiosk_count} kiosks at saturation, a connection per request,"
                  f" {rounds} rounds taken in turn:")
            for round_ in range(1, rounds + 1):
                for workers, server in servers.items():
                    base, _ = saturate([Client(server.port, fresh=True) for _ in range(kiosk_count)], "health",
                                       seconds)
                    scans, errors = saturate([Client(server.port, *d, fresh=True) for d in server.devices], "scan",
                                             seconds)
                    figures[workers].append(scans)
                    print(f"    round {round_}, {workers} process(es): scans {scans:7.0f}/s   /healthz {base:7.0f}/s"
                          f"   ratio {scans / base:.2f}   errors {errors}")
                print(f"    round {round_}: 2 processes / 1 process {figures[2][-1] / figures[1][-1]:.2f}x")
        finally:
            for server in servers.values():
                server.stop()
    one, two = statistics.median(figures[1]), statistics.median(figures[2])
    print(f"  2 processes / 1 process, medians: {two:.0f} / {one:.0f} scans/s = {two / one:.2f}x (target ≥ 1.5x)")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--processes", action="store_true", help="only the 1-versus-2-processes figures")
    ap.add_argument("--kiosks", type=int, default=10, help="kiosks (keep-alive connections) in the 1-versus-2 run")
    args = ap.parse_args()
    if args.processes:
        return processes(args.seconds, args.kiosks)
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(tmp, {"LEIFENG_SCAN_DEBOUNCE_SECONDS": "0"}).start()
        try:
            devices = kiosks(server, 50)
            print(f"scan benchmark — {args.seconds:.0f} s per figure, server and client on this machine")
            for n in (1, 50):
                base, _ = saturate([Client(server.port) for _ in range(n)], "health", args.seconds)
                scans, errors = saturate([Client(server.port, *devices[i]) for i in range(n)], "scan",
                                         args.seconds)
                print(f"  {n:>2} kiosk(s) at saturation: scans {scans:7.0f}/s   /healthz {base:7.0f}/s"
                      f"   ratio {scans / base:.2f} (target ≥ 0.50)   errors {errors}")
            p50, p99, n = open_loop([Client(server.port, *d) for d in devices], "scan", 200, args.seconds)
            h50, h99, _ = open_loop([Client(server.port) for _ in devices], "health", 200, args.seconds)
            print(f"  200 scans/s from 50 kiosks: p50 {p50:.1f} ms  p99 {p99:.1f} ms (target p99 < 50 ms)"
                  f"   /healthz at 200/s: p50 {h50:.1f} ms  p99 {h99:.1f} ms   ({n} scans)")
        finally:
            server.stop()
    processes(args.seconds, args.kiosks)


if __name__ == "__main__":
    main()
