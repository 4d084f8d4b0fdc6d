"""Every setting, its default and what it means; the README's table is checked against this."""
import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

# name: (default, description). Set any of them with an environment variable LEIFENG_<NAME>.
SETTINGS = {
    "SECRET_KEY": (None, "Signs sessions, badges and links; made once into instance/secrets.json"),
    "DATA_KEY": (None, "Fernet key for personal data at rest; made once into instance/secrets.json"),
    "HASH_KEY": (None, "Key of the keyed hash used to look up ID numbers; made once likewise"),
    "DATABASE": (None, "Path of the SQLite file; default instance/leifeng.sqlite3"),
    "PUBLIC_URL": ("http://127.0.0.1:5000", "Address citizens' phones reach, printed on QR posters"),
    "DEMO": (True, "Load the demo city when `serve` starts on an empty database"),
    "SCAN_DEBOUNCE_SECONDS": (60, "A repeat of the same badge within this many seconds is one scan"),
    "OFFLINE_LIMIT_SECONDS": (7 * 86400, "Oldest kiosk time accepted as is; older is flagged"),
    "CLOCK_SKEW_SECONDS": (120, "How far in the future a kiosk clock may be before it is flagged"),
    "PAIRING_CODE_MINUTES": (15, "How long a kiosk pairing code stays valid"),
    "KIOSK_IDLE_SECONDS": (60, "Idle time before the kiosk asks 还在吗？ and resets"),
    "KIOSK_FEATURES": (["scan", "request", "signup", "lend", "track"], "Kiosk screens switched on, from scan, request, signup, lend, track"),
    "MAX_SCANS_PER_CALL": (500, "Most scan events one kiosk call may carry"),
    "MAX_CONTENT_LENGTH": (1024 * 1024, "Largest request body in bytes; larger gets 413"),
    "INSPECTION_UPLOAD_MAX_BYTES": (12 * 1024 * 1024, "Largest inspection form with its photos, in bytes (larger: 413 before it is read)"),
    "BACKFILL_UPLOAD_MAX_BYTES": (4 * 1024 * 1024, "Largest back-fill spreadsheet upload, in bytes (larger: 413 before it is read)"),
    "LOGIN_LIMIT": (5, "Failed sign-ins per account, from any address, in LOGIN_WINDOW_SECONDS"),
    "LOGIN_ADDRESS_LIMIT": (30, "Failed sign-ins per address, to any account, in LOGIN_WINDOW_SECONDS"),
    "LOGIN_WINDOW_SECONDS": (300, "Window of the sign-in rate limits"),
    "AUTOCLOSE_INTERVAL_SECONDS": (60, "How often open shifts past the day's last window are closed"),
    "ALERT_GRACE_MINUTES": (5, "Minutes a window may run with fewer than two on duty before an alert"),
    "AUTOCLOSE_GRACE_MINUTES": (30, "Minutes after the last window before an open shift counts as forgotten"),
    "SESSION_IDLE_MINUTES": (30, "A staff session ends after this many minutes without a page opened or a form sent"),
    "SESSION_MAX_HOURS": (12, "A staff session ends this many hours after sign-in, however active"),
    "SESSION_COOKIE_SECURE": (False, "Send the staff cookie over HTTPS only (set true behind TLS)"),
    "EXPORT_COLUMNS": (None, "Columns of the national-system export: a JSON list of [header, field] pairs"),
    "VOLUNTEER_LINK_DAYS": (90, "How many days a volunteer's private page link stays valid"),
    "CERTIFICATE_ISSUER": ("普洱市志愿服务联合会", "The recording organisation named on 志愿服务记录证明"),
}


def defaults():
    """The default configuration mapping."""
    conf = {name: value for name, (value, _doc) in SETTINGS.items() if value is not None}
    conf.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                WTF_CSRF_TIME_LIMIT=None)
    return conf


def ensure_secrets(app):
    """Fill missing keys from instance/secrets.json, creating it (mode 0600) on first start."""
    missing = [k for k in ("SECRET_KEY", "DATA_KEY", "HASH_KEY") if not app.config.get(k)]
    if not missing:
        return
    path = Path(app.instance_path) / "secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    made = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(48),
        "DATA_KEY": lambda: Fernet.generate_key().decode(),
        "HASH_KEY": lambda: secrets.token_urlsafe(48),
    }
    changed = False
    for key in missing:
        if key not in stored:
            stored[key] = made[key]()
            changed = True
        app.config[key] = stored[key]
    if changed:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(stored, out)
