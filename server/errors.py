"""One error shape for the JSON API and bilingual error pages for people; never a stack trace."""
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
}


class ApiError(Exception):
    """An error the API answers with a status and a message in Chinese and English."""

    def __init__(self, status, code, zh=None, en=None, field=None, retry_after=None):
        super().__init__(code)
        default_zh, default_en = MESSAGES.get(status, MESSAGES[400])
        self.status, self.code, self.field = status, code, field
        self.retry_after = retry_after  # seconds, sent as Retry-After (429, 503)
        self.zh, self.en = zh or default_zh, en or default_en

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

    @app.errorhandler(Exception)
    def server_error(exc):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return _respond(ApiError(500, "server_error"))
