"""Every setting, its default and what it means; the README's table is checked against this."""
import ipaddress
import json
import os
import secrets
import socket
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

# name: (default, description). Set any of them with an environment variable LEIFENG_<NAME>.
SETTINGS = {
    "SECRET_KEY": (None, "Signs sessions, badges and links; made once into instance/secrets.json"),
    "DATA_KEY": (None, "Fernet key for personal data at rest; made once into instance/secrets.json"),
    "HASH_KEY": (None, "Key of the keyed hash used to look up ID numbers; made once likewise"),
    "DATABASE": (None, "Path of the SQLite file; default instance/leifeng.sqlite3"),
    "PUBLIC_URL": (None, "Address citizens' phones reach, printed on QR posters and tickets; default http://HOST:PORT"),
    "DEMO": (None, "Load the demo city when `serve` starts on an empty database: unset, only on a loopback address; true, anywhere; false, never"),
    "SCAN_DEBOUNCE_SECONDS": (60, "A repeat of the same badge within this many seconds is one scan"),
    "OFFLINE_LIMIT_SECONDS": (7 * 86400, "Oldest kiosk time accepted as is; older is flagged"),
    "CLOCK_SKEW_SECONDS": (120, "How far in the future a kiosk clock may be before it is flagged"),
    "PAIRING_CODE_MINUTES": (15, "How long a kiosk pairing code stays valid"),
    "KIOSK_IDLE_SECONDS": (60, "Idle time before the kiosk asks 还在吗？ and resets"),
    "KIOSK_FEATURES": (["scan", "request", "signup", "lend", "track"], "Kiosk screens switched on, from scan, request, signup, lend, track"),
    "MAX_SCANS_PER_CALL": (500, "Most scan events one kiosk call may carry"),
    "MAX_CONTENT_LENGTH": (1024 * 1024, "Largest request body in bytes; larger gets 413"),
    "WRITE_WAIT_SECONDS": (3, "How long a request waits for the database's write lock before answering 503 with Retry-After"),
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
    "WORKERS": (1, "Server processes `serve` runs; more than 1 needs REDIS_URL"),
    "REDIS_URL": (None, "Redis that carries Socket.IO pushes between server processes, e.g. redis://127.0.0.1:6379/0"),
    "SCAN_WRITER": (None, "Set by `serve` itself when WORKERS > 1: the socket of the one process that writes every scan (server/scan_writer.py); not for setting by hand"),
    "JOB_LEASE_SECONDS": (60, "Background jobs run in the process holding this lease; another takes it over when it runs out"),
    "TRUSTED_PROXIES": ([], "Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed"),
    "METRICS_TOKEN": (None, "Bearer token that opens /metrics from another machine (loopback needs none)"),
}


def defaults():
    """The default configuration mapping."""
    conf = {name: value for name, (value, _doc) in SETTINGS.items() if value is not None}
    conf["PUBLIC_URL"] = default_public_url()
    conf.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                WTF_CSRF_TIME_LIMIT=None)
    return conf


def bound_address():
    """The HOST and PORT that `serve` binds (127.0.0.1:5000 unless the environment says otherwise)."""
    return os.environ.get("HOST") or "127.0.0.1", int(os.environ.get("PORT") or 5000)


def is_loopback(host):
    """True for localhost and 127.0.0.0/8 or ::1: only this machine can connect."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _outward_host(host):
    """0.0.0.0 or :: is no address to print: take the one this machine uses towards others."""
    if host not in ("0.0.0.0", "::", "[::]"):
        return host
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a UDP connect only picks a route; nothing is sent
            return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def default_public_url():
    """http://HOST:PORT of the address being served, so posters match the port actually used."""
    host, port = bound_address()
    host = _outward_host(host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def public_url_warning(url):
    """(中文, English) when citizens' phones cannot reach url (a loopback or private address), else None."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if host == "localhost" or host.endswith(".localhost") or (ip and ip.is_loopback):
        where_zh, where_en = "本机地址，只有这台电脑能打开", "a loopback address only this computer can open"
    elif ip and (ip.is_private or ip.is_link_local or ip.is_unspecified):
        where_zh, where_en = "内网地址，用移动网络的手机打不开", "a private address that phones on mobile data cannot open"
    else:
        return None
    return (f"注意：二维码海报和回执上的地址 {url} 是{where_zh}，市民的手机无法访问。"
            "请把 LEIFENG_PUBLIC_URL 设为手机能打开的地址（例如 LEIFENG_PUBLIC_URL=https://zyfw.example.cn），"
            "重新启动后再打印。",
            f"Note: {url}, printed on QR posters and tickets, is {where_en}: citizens' phones cannot reach it. "
            "Set LEIFENG_PUBLIC_URL to an address phones can open (e.g. LEIFENG_PUBLIC_URL=https://volunteer.example.cn), "
            "restart, then print again.")


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
