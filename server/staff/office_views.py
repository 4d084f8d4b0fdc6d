"""What offices watch: the live dashboard, alerts, coverage by month, the ten standards."""
from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.db import get_db, immediate
from server.errors import ApiError
from server.i18n import flash_t
from server.rules import alerts as alert_rules, dashboard as board
from server.rules import standards
from server.rules.identity import clean_text
from server.staff import bp
from server.staff.loaders import station_or_404
from server.store import alerts, offices, stations
from server.timeutil import local_date, now


def _month():
    """?month=YYYY-MM, this month by default."""
    text = request.args.get("month") or local_date(now()).strftime("%Y-%m")
    try:
        year, month = map(int, text.split("-"))
        return date(year, month, 1)
    except ValueError:
        abort(400)



def _filters():
    """The dashboard's filters from the query string; unknown values are ignored."""
    args = request.args
    state = args.get("state") if args.get("state") in board.SEVERITY else None
    query = (args.get("q") or "").strip()[:40] or None
    return {"county_id": args.get("county", type=int), "type_code": args.get("type") or None,
            "unit_id": args.get("unit", type=int), "query": query}, state


@bp.get("/dashboard")
@staff_only()
def dashboard():
    db, scope = get_db(), current_user.scope
    since_alert = alerts.latest_alert_id(db, scope)  # read first: the page has seen alerts up to it
    every = board.by_severity(offices.dashboard(db, scope, now()))
    filters, state = _filters()
    rows = [r for r in every if board.matches(r, **filters)]
    shown_ids = {r["id"] for r in rows if state is None or r["status"] == state}
    open_alerts = [a for a in alerts.open_alerts(db, scope) if a["station_id"] in shown_ids]
    unit_ids = {u for r in every for u in r["unit_ids"]}
    choices = {"counties": sorted({(r["county_code"], r["county_id"], r["county"]) for r in every}),
               "types": sorted({(r["type_code"], r["type_name"]) for r in every}),
               "units": [u for u in stations.units(db, include_inactive=True) if u["id"] in unit_ids]}
    tiles = board.county_tiles(every, stations.counties(db)) if len(choices["counties"]) > 1 else []
    return render_template("staff/dashboard.html", rows=rows, state=state, filters=filters, choices=choices,
                           counts=board.tally(rows), states=board.STATES, severity=board.SEVERITY, tiles=tiles,
                           groups=board.group_alerts(open_alerts, [r["id"] for r in rows]),
                           alert_count=len(open_alerts), since_alert=since_alert,
                           alerts_first=scope.may("watch_many_stations"), kinds=alert_rules.KINDS,
                           accountable=alerts.ACCOUNTABLE, may_ack=alerts.may_acknowledge)


def _back():
    target = request.form.get("next", "")
    return target if target.startswith("/staff/") and not target.startswith("//") else url_for("staff.dashboard")


@bp.post("/alerts/ack")
@staff_only()
def alerts_ack():
    """Acknowledge the ticked alerts with one note: all of them, or none when one is not this office's."""
    note = clean_text(request.form.get("note"), "note", 200)
    ids = [int(x) for x in request.form.getlist("alert_id") if x.isdigit() and len(x) < 19]
    if not note or not ids:
        raise ApiError(400, "no_alerts_or_note", "请勾选告警并填写处理说明", "Tick the alerts and write a note")
    db = get_db()
    with immediate(db):
        try:
            done, before = alerts.acknowledge_many(db, current_user.scope, current_user.actor, ids, note, now())
        except LookupError:
            raise ApiError(404, "not_found", "所勾选的告警不存在或不在您的范围内，未确认任何告警",
                           "An alert you ticked does not exist or is outside your scope; nothing was acknowledged")
        except PermissionError:
            raise ApiError(403, "forbidden", "问责告警由县（区）文明办或业务主管单位确认，未确认任何告警",
                           "The county office or a supervising unit acknowledges accountability alerts; nothing was acknowledged")
    zh, en = f"已确认 {len(done)} 条告警", f"{len(done)} alerts acknowledged"
    if before:
        zh, en = f"{zh}；{len(before)} 条已由他人确认", f"{en}; {len(before)} were already acknowledged"
    flash_t(zh, en, "ok")
    return redirect(_back())


@bp.post("/alerts/<int:alert_id>/ack")
@staff_only()
def alert_ack(alert_id):
    note = clean_text(request.form.get("note"), "note", 200)
    if not note:
        flash_t("确认告警须填写说明", "Write a note to acknowledge", "error")
        return redirect(url_for("staff.dashboard"))
    db = get_db()
    with immediate(db):
        try:
            if not alerts.acknowledge(db, current_user.scope, current_user.actor, alert_id, note, now()):
                abort(404)
        except PermissionError:
            abort(403, "问责告警由县（区）文明办或业务主管单位确认 / The county office or a supervising unit acknowledges this alert")
    flash_t("告警已确认", "Alert acknowledged", "ok")
    return redirect(_back())


@bp.get("/stations/<int:station_id>/coverage")
@staff_only()
def station_coverage(station_id):
    station = station_or_404(station_id)
    first = _month()
    days = offices.station_month(get_db(), station, first.year, first.month, now())
    return render_template("staff/station_coverage.html", station=station, days=days, month=first,
                           lead=days[0]["weekday"] if days else 0)


@bp.get("/coverage")
@staff_only()
def coverage_table():
    first = _month()
    rows = offices.county_month(get_db(), current_user.scope, first.year, first.month, now())
    counties = {}
    for r in rows:
        counties.setdefault(r["county"], []).append(r)
    return render_template("staff/coverage.html", counties=counties, month=first)


def _scorecards(db, scope, today):
    cards = []
    for s in stations.list_stations(db, scope):
        judged = standards.judge(offices.standards_facts(db, s, today), today)
        cards.append({"station": s, "judged": judged, "score": standards.score(judged),
                      "fix": standards.to_fix(judged)})
    cards.sort(key=lambda c: (-c["score"], c["station"]["id"]))
    return cards


@bp.get("/standards")
@staff_only()
def standards_ranking():
    db, today = get_db(), local_date(now())
    cards = _scorecards(db, current_user.scope, today)
    overdue = offices.overdue_rectifications(db, current_user.scope, today)
    by_county, by_unit = {}, {}
    for c in cards:
        c["overdue"] = overdue.get(c["station"]["id"], 0)
        by_county.setdefault(c["station"]["county"], []).append(c)
        for unit in (c["station"].get("unit") or "").split("、"):  # a bank answers to two units
            by_unit.setdefault(unit, []).append(c)

    def rank(groups):  # (name, average score, stations, overdue rectifications), best first
        return sorted(((k, sum(c["score"] for c in v) / len(v), len(v), sum(c["overdue"] for c in v))
                       for k, v in groups.items()), key=lambda x: (-x[1], x[3], x[0]))
    return render_template("staff/standards.html", cards=cards, county_rank=rank(by_county),
                           unit_rank=rank(by_unit))


@bp.get("/stations/<int:station_id>/standards")
@staff_only()
def station_standards(station_id):
    station = station_or_404(station_id)
    today = local_date(now())
    judged = standards.judge(offices.standards_facts(get_db(), station, today), today)
    return render_template("staff/station_standards.html", station=station, judged=judged,
                           score=standards.score(judged), fix=standards.to_fix(judged))
