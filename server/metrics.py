"""/metrics in Prometheus' text format: scans by outcome, request latency by route, kiosk calls
waiting, kiosks gone quiet, open alerts and the serving processes. Loopback or a token only."""
import hmac
import os
import time
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest, multiprocess)
from prometheus_client.core import GaugeMetricFamily

from server.config import is_loopback
from server.db import get_db
from server.store import leases
from server.timeutil import iso, now

bp = Blueprint("metrics", __name__)

SCANS = Counter("leifeng_scans", "Kiosk scan events answered, by outcome", ["outcome"])
LATENCY = Histogram("leifeng_request_seconds", "Time to answer a request, by route",
                    ["method", "route"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
WAITING = Gauge("leifeng_kiosk_calls_waiting", "Kiosk scan calls being answered or waiting for the write lock",
                multiprocess_mode="livesum")
SILENT_MINUTES = 10
FORWARDED = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def count_scans(outcomes):
    """Count a call's answered scan events by outcome."""
    for outcome in outcomes:
        SCANS.labels(outcome).inc()


def init_app(app):
    app.before_request(_start)
    app.teardown_request(_finish)
    app.register_blueprint(bp)


def _start():
    g.metrics_started = time.perf_counter()
    if request.endpoint == "api.scans":
        WAITING.inc()
        g.metrics_waiting = True


def _finish(_exc=None):
    started = g.pop("metrics_started", None)
    if g.pop("metrics_waiting", False):
        WAITING.dec()
    if started is not None:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)


def allowed():
    """A direct request from this machine (not one a proxy forwarded), or the right token."""
    token = current_app.config.get("METRICS_TOKEN")
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), str(token).encode()):
        return True
    direct = not any(h in request.headers for h in FORWARDED)
    return direct and is_loopback(request.remote_addr or "")


class _DatabaseFigures:
    """Figures read from the database at each scrape, the same whichever process answers."""

    def __init__(self, db, lease_seconds):
        self.db, self.lease_seconds = db, lease_seconds

    def collect(self):
        seen_since = time.time() - max(self.lease_seconds, 3)
        row = leases.figures(self.db, seen_since, iso(now() - timedelta(minutes=SILENT_MINUTES)))
        yield GaugeMetricFamily("leifeng_alerts_open", "Alerts raised and not yet acknowledged or cleared",
                                value=row["alerts_open"])
        yield GaugeMetricFamily("leifeng_kiosks_silent", f"Paired kiosks not heard from for {SILENT_MINUTES}"
                                " minutes (their scans wait in their queues)", value=row["kiosks_silent"])
        yield GaugeMetricFamily("leifeng_workers", "Server processes alive (seen within the job lease)",
                                value=row["workers"])
        left = (row["lease_expires_at"] or 0) - time.time()
        yield GaugeMetricFamily("leifeng_job_lease_seconds_left", "Seconds until the background-job lease runs out"
                                " unless its holder renews it", value=max(left, 0))


@bp.get("/metrics")
def metrics():
    if not allowed():
        abort(403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # several workers: add up every process's figures
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    from_db = CollectorRegistry()
    from_db.register(_DatabaseFigures(get_db(), current_app.config["JOB_LEASE_SECONDS"]))
    body = generate_latest(processes) + generate_latest(from_db)
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
