"""The JSON API: the kiosk's calls under /api/kiosk/, answered in one error shape."""
from flask import Blueprint, request

from server.errors import ApiError

bp = Blueprint("api", __name__, url_prefix="/api")


TEXT = (str, type(None))
FLAG = (bool, str, type(None))  # a tick box: true/false, or "1"/"on" as a form sends it


def json_body(allowed, required=(), types=None):
    """The request's JSON object, refusing other content types, unknown and missing fields.

    With types ({field: allowed Python types}), every present field is checked, TEXT where
    not named, and a wrong one is a 400 naming it.
    """
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "请求内容不是有效的 JSON 对象", "Body is not a JSON object")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ApiError(400, "unknown_field", f"不认识的字段：{', '.join(unknown)[:80]}",
                       f"Unknown field(s): {', '.join(unknown)[:80]}", unknown[0][:40])
    missing = [f for f in required if f not in body]
    if missing:
        raise ApiError(400, "missing_field", f"缺少字段：{', '.join(missing)}",
                       f"Missing field(s): {', '.join(missing)}", missing[0])
    if types is not None:
        for field in sorted(body):
            expected = types.get(field, TEXT)
            value = body[field]
            if not isinstance(value, expected) or isinstance(value, bool) and bool not in expected:
                raise ApiError(400, "bad_type", f"字段 {field} 的类型不正确", f"Field {field} has the wrong type", field)
    return body


@bp.after_request
def no_store(response):
    """Kiosk answers carry names: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


from server.api import citizens, kiosk, lending  # noqa: E402,F401  (views register on bp)
