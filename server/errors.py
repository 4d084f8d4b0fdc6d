"""One error shape for the JSON API and bilingual error pages for people; never a stack trace."""
import math
import sqlite3
import threading
import time

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from server.rules.errors import RuleError

MESSAGES = {
    400: ("请求有误", "Bad request"),
    401: ("请先登录或配对", "Please sign in or pair this device"),
    403: ("没有权限", "Not allowed"),
    404: ("找不到该页面或记录", "Not found"),
    405: ("不支持该操作", "Method not allowed"),
    409: ("与已有记录冲突", "Conflicts with an existing record"),
    413: ("提交的内容过大", "Request body too large"),
    415: ("请以 JSON 格式提交", "Send JSON (Content-Type: application/json)"),
    429: ("操作太频繁，请稍后再试", "Too many attempts, try again later"),
    500: ("系统出错，请稍后再试", "Server error, please try again"),
    503: ("系统繁忙，请稍后再试", "The server is busy; please try again shortly"),
}

# SQLite's primary result codes that say "not now", not "wrong": answered 503 with Retry-After.
_SQLITE_FAULTS = {
    5: ("busy", 2, "系统繁忙，请几秒后再试", "The database is busy; try again in a few seconds"),
    6: ("busy", 2, "系统繁忙，请几秒后再试", "The database is busy; try again in a few seconds"),
    13: ("storage_full", 30, "服务器存储空间已满，记录暂未保存，请稍后再试并通知管理员",
         "The server's disk is full; nothing was saved. Try again later and tell the administrator"),
    10: ("storage_error", 30, "服务器存储出错，记录暂未保存，请稍后再试并通知管理员",
         "The server could not write to its disk; nothing was saved. Try again later and tell the administrator"),
    14: ("storage_error", 30, "服务器存储出错，记录暂未保存，请稍后再试并通知管理员",
         "The server could not open its database; nothing was saved. Try again later and tell the administrator"),
}


def database_fault(exc):
    """The 503 ApiError for a database that is locked, full or failing; None for other errors."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # a few paths raise without the code; the message is SQLite's own
        text = str(exc)
        code = 5 if "locked" in text or "busy" in text else 13 if "full" in text else \
            10 if "disk I/O" in text else None
    fault = _SQLITE_FAULTS.get(code & 0xFF) if code is not None else None
    if fault is None:
        return None
    name, retry, zh, en = fault
    return ApiError(503, name, zh, en, retry_after=retry)


class RepeatLog:
    """Logs an error the first time, then only how often it repeated: at 10, 100, 1000... and
    at most once a minute, so a full disk writes a few lines, not thousands of tracebacks."""

    def __init__(self, every_seconds=60):
        self.every, self.lock, self.seen = every_seconds, threading.Lock(), {}

    def __call__(self, logger, key, message, *args, exc_info=False):
        now = time.monotonic()
        with self.lock:
            entry = self.seen.setdefault(key, {"count": 0, "logged_count": 0, "logged_at": None})
            entry["count"] += 1
            count = entry["count"]
            first = count == 1
            due = not first and (_power_of_ten(count) or now - entry["logged_at"] >= self.every)
            if first or due:
                repeats, entry["logged_count"], entry["logged_at"] = count - entry["logged_count"], count, now
        if first:
            logger.error(message, *args, exc_info=exc_info)
        elif due:
            logger.error(message + " (again %d more times, %d in all)", *args, repeats, count)


def _power_of_ten(n):
    return n >= 10 and str(n).strip("0") == "1"


log_repeated = RepeatLog()


class ApiError(Exception):
    """An error the API answers with a status and a message in Chinese and English."""

    def __init__(self, status, code, zh=None, en=None, field=None, retry_after=None):
        super().__init__(code)
        default_zh, default_en = MESSAGES.get(status, MESSAGES[400])
        self.status, self.code, self.field = status, code, field
        self.retry_after = retry_after  # seconds, sent as Retry-After (429, 503)
        self.zh, self.en = zh or default_zh, en or default_en

    def __reduce__(self):  # crosses processes whole (server/scan_writer.py)
        return ApiError, (self.status, self.code, self.zh, self.en, self.field, self.retry_after)

    @classmethod
    def from_rule(cls, err, status=400):
        return cls(status, err.code, err.zh, err.en, err.field)

    def body(self):
        error = {"code": self.code, "message": self.zh, "message_en": self.en}
        if self.field:
            error["field"] = self.field
        return {"error": error}


def _too_large():
    """413 naming this endpoint's limit."""
    limit = request.max_content_length
    if not limit:
        return ApiError(413, "too_large")
    size = f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit // 1024} KB"
    return ApiError(413, "too_large", f"提交的内容过大（最多 {size}）", f"Request body too large (at most {size})")


MAX_JSON_DEPTH = 32
_INT_RANGE = (-2**63, 2**63 - 1)  # what SQLite can store


def _bad_json(code, path, zh, en):
    top = path.split("[", 1)[0].split(".", 1)[0] or None
    where = path or "body"
    return ApiError(400, code, f"字段 {where[:60]} {zh}", f"Field {where[:60]} {en}", top and top[:40])


def check_json_body():
    """Refuse malformed JSON before any view sees it: nested too deep, a lone surrogate (text
    that has no UTF-8), a number SQLite cannot hold. Each answer is a 400 naming the field."""
    if not request.is_json:
        return
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise ApiError(400, "json_too_deep", f"请求内容嵌套过深（最多 {MAX_JSON_DEPTH} 层）",
                       f"JSON nested too deep (at most {MAX_JSON_DEPTH} levels)") from None
    stack = [(body, "", 1)]  # the body itself is level 1
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _bad_json("json_too_deep", path, f"嵌套过深（最多 {MAX_JSON_DEPTH} 层）",
                            f"is nested too deep (at most {MAX_JSON_DEPTH} levels)")
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if not _utf8(key):
                    raise _bad_json("bad_text", path, "的字段名不是有效的文字", "has a name that is not valid text")
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            if not _utf8(value):
                raise _bad_json("bad_text", path, "含有无法识别的字符（不是有效的 UTF-8 文字）",
                                "holds text that is not valid UTF-8 (a lone surrogate)")
        elif isinstance(value, float) and not math.isfinite(value) or \
                isinstance(value, int) and not isinstance(value, bool) and not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
            raise _bad_json("bad_number", path, "的数值超出范围", "holds a number out of range")


def _utf8(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(err):
    headers = {"Retry-After": str(err.retry_after)} if err.retry_after else {}
    if _wants_json():
        return jsonify(err.body()), err.status, headers
    # Citizens on the phone pages get the phone layout, never the staff header.
    template = "phone/error.html" if request.path.startswith("/s/") else "error.html"
    return render_template(template, error=err), err.status, headers


def init_app(app):
    app.before_request(check_json_body)  # the first hook: before auth, CSRF and every view
    app.register_error_handler(ApiError, _respond)
    app.register_error_handler(RuleError, lambda e: _respond(ApiError.from_rule(e)))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = {413: "too_large", 415: "unsupported_media_type", 429: "rate_limited",
                404: "not_found", 405: "method_not_allowed", 403: "forbidden",
                401: "unauthorized"}.get(exc.code, "bad_request")
        status = exc.code if exc.code in MESSAGES else 400
        if status == 413:
            return _respond(_too_large())
        return _respond(ApiError(status, code))

    @app.errorhandler(sqlite3.Error)
    def db_error(exc):
        fault = database_fault(exc)
        if fault is None:
            return server_error(exc)
        log_repeated(app.logger, ("db", fault.code, str(exc)), "database %s (%s), answered 503: %s %s",
                     fault.code, exc, request.method, request.url_rule.rule if request.url_rule else "?")
        return _respond(fault)

    @app.errorhandler(Exception)
    def server_error(exc):
        where = request.url_rule.rule if request.url_rule else request.path[:80]
        log_repeated(app.logger, ("500", type(exc).__name__, str(exc)[:200], where),
                     "unhandled error on %s %s", request.method, where, exc_info=exc)
        return _respond(ApiError(500, "server_error"))
