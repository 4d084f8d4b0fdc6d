"""The Flask app factory: it reads like the table of contents of the server."""
import os
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from server import auth, config, db, errors, filters, i18n, live, schema
from server.store.stations import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


def create_app(test_config=None):
    """Defaults, then LEIFENG_* environment variables, then the test mapping."""
    app = Flask(__name__, instance_path=os.environ.get("LEIFENG_INSTANCE", str(ROOT / "instance")),
                static_folder=str(ROOT / "static"), static_url_path="/static",
                template_folder="templates")
    app.config.from_mapping(config.defaults())
    app.config.from_prefixed_env("LEIFENG")
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.setdefault("DATABASE", str(Path(app.instance_path) / "leifeng.sqlite3"))
    config.ensure_secrets(app)
    app.json.ensure_ascii = False  # Chinese stays readable in API answers

    db.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    filters.init_app(app)
    auth.init_app(app)
    app.before_request(allow_uploads)  # before CSRF, which reads the form
    csrf.init_app(app)
    live.init_app(app)
    from server import metrics, proxies  # metrics after serve() chose where figures are kept
    metrics.init_app(app)
    proxies.init_app(app)
    app.after_request(security_headers)
    init_database(app)
    register_blueprints(app)
    return app


# Endpoint -> the setting of its body limit; every other request has MAX_CONTENT_LENGTH.
UPLOAD_ENDPOINTS = {"staff.inspections": "INSPECTION_UPLOAD_MAX_BYTES",
                    "staff.upload_volunteer_photo": "INSPECTION_UPLOAD_MAX_BYTES",  # a phone photo, like theirs
                    "staff.hours_upload": "BACKFILL_UPLOAD_MAX_BYTES"}


def allow_uploads():
    """Pages that take photos or spreadsheets accept bigger bodies than the API's limit.

    Set before anything reads the body, so Werkzeug answers 413 from Content-Length alone.
    """
    from flask import current_app, request
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = current_app.config[UPLOAD_ENDPOINTS[request.endpoint]]


# Scripts only from our own files (no inline script, no eval); styles may still be inline
# (style attributes in templates). Socket.IO's websocket is same-origin, which 'self' covers.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Pages and answers that may carry personal data are never kept by a browser or proxy.
PRIVATE_PREFIXES = ("/staff/", "/s/", "/v/", "/api/")


def security_headers(response):
    """Tell browsers the rules on every response."""
    from flask import request
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_database(app):
    """Apply pending migrations and the station catalogue."""
    conn = db.connect(app.config["DATABASE"])
    try:
        schema.migrate(conn)
        with db.immediate(conn):
            load_catalogue(conn)
    finally:
        conn.close()


def register_blueprints(app):
    from kiosk import bp as kiosk_bp
    from server.public.phone import bp as phone_bp
    from server.api import bp as api_bp
    from server.public.health import bp as health_bp
    from server.public.downloads import bp as public_bp
    from server.staff import bp as staff_bp
    from server.public.volunteer import bp as volunteer_page_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(volunteer_page_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(phone_bp)
    csrf.exempt(api_bp)  # the kiosk API authenticates by bearer token, never by cookie
