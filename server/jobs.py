"""Background work of a serving process: closing forgotten check-outs."""
from server.db import connect, immediate
from server.live import socketio
from server.timeutil import now


def close_forgotten_once(app):
    """One pass of the forgotten check-out closer; returns the stations it touched."""
    from server.api.kiosk import on_duty_payload
    from server.live import push_on_duty
    from server.store.shifts import close_forgotten

    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            with immediate(db):
                touched = close_forgotten(db, now(), app.config["AUTOCLOSE_GRACE_MINUTES"])
            for station_id in touched:
                push_on_duty(station_id, on_duty_payload(db, station_id))
        return touched
    finally:
        db.close()


def evaluate_alerts_once(app):
    """Raise the alerts this minute calls for and tell the staff rooms of their stations."""
    from server.live import push_alert
    from server.store.alerts import evaluate

    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            with immediate(db):
                raised = evaluate(db, now(), app.config["ALERT_GRACE_MINUTES"])
            for station_id in raised:
                push_alert(station_id)
        return raised
    finally:
        db.close()


def drop_ended_sockets_once(app):
    """Disconnect sockets of sessions that ran out and devices revoked by another process."""
    from server.live import sweep

    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            sweep(db)
    finally:
        db.close()


def _loop(app):
    while True:
        for job in (close_forgotten_once, evaluate_alerts_once, drop_ended_sockets_once):
            try:
                job(app)
            except Exception:  # keep the loop alive; the next pass retries
                app.logger.exception("background job %s failed", job.__name__)
        socketio.sleep(app.config["AUTOCLOSE_INTERVAL_SECONDS"])


def start_jobs(app):
    socketio.start_background_task(_loop, app)
