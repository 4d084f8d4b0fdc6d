"""《普洱市志愿服务证》 on the staff volunteer page: print a period's records for the card, mark them written."""
from datetime import date, timedelta

from flask import abort, redirect, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.db import get_db, immediate
from server.errors import ApiError
from server.i18n import flash_t
from server.services.printing import send_printable, service_card_data
from server.staff import bp
from server.staff.loaders import volunteer_or_404
from server.store import service_cards
from server.store.scope import roles_that_may
from server.timeutil import local_date, now

MARKERS = roles_that_may("mark_service_cards")
FORMATS = ("png", "pdf")



def _period(values):
    """from/to as ISO days (the current month by default), at most a year; 400 otherwise."""
    today = local_date(now())
    try:
        start = date.fromisoformat(values.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(values.get("to") or today.isoformat())
    except ValueError:
        raise ApiError(400, "bad_period", "日期格式应为 YYYY-MM-DD", "Dates must be YYYY-MM-DD") from None
    if end < start or end - start > timedelta(days=366):
        raise ApiError(400, "bad_period", "期间须在一年以内，且开始不晚于结束", "The period must run forward and span at most a year")
    return start.isoformat(), end.isoformat()


@bp.get("/volunteers/<int:volunteer_id>/service-card.<fmt>")
@staff_only()
def print_service_card(volunteer_id, fmt):
    v = volunteer_or_404(volunteer_id)
    if fmt not in FORMATS:
        abort(404)
    day_from, day_to = _period(request.args)
    rows = service_cards.card_records(get_db(), current_user.scope, volunteer_id, day_from, day_to)
    return send_printable("service-card", service_card_data(v, rows, day_from, day_to), fmt,
                          f"service-card-{v['ref']}-{day_from}-{day_to}", request.args.get("preview") == "1")


@bp.post("/volunteers/<int:volunteer_id>/service-card/mark")
@staff_only(*MARKERS)
def mark_service_card(volunteer_id):
    volunteer_or_404(volunteer_id)
    day_from, day_to = _period(request.form)
    db = get_db()
    with immediate(db):
        count = service_cards.mark_written(db, current_user.actor, current_user.scope, volunteer_id, day_from,
                                           day_to, now())
    flash_t(f"已登记入志愿服务证：{day_from} 至 {day_to} 共 {count} 条",
            f"{count} records of {day_from} to {day_to} marked as written into the service card", "ok")
    return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))
