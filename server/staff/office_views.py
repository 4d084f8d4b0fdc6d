"""What offices watch: the live dashboard, alerts, coverage by month, the ten standards."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.db import get_db, immediate
from server.rules import standards
from server.rules.identity import clean_text
from server.staff import bp
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


def _station_or_404(station_id):
    station = stations.get_station(get_db(), current_user.scope, station_id)
    if station is None:
        abort(404)
    return station


@bp.get("/dashboard")
@staff_only()
def dashboard():
    db = get_db()
    rows = offices.dashboard(db, current_user.scope, now())
    summary = {k: sum(1 for r in rows if r["status"] == k) for k in ("green", "amber", "red", "grey")}
    return render_template("staff/dashboard.html", rows=rows, summary=summary,
                           alerts=alerts.open_alerts(db, current_user.scope), kinds=alerts.KINDS,
                           accountable=alerts.ACCOUNTABLE, may_ack=alerts.may_acknowledge)


@bp.post("/alerts/<int:alert_id>/ack")
@staff_only()
def alert_ack(alert_id):
    note = clean_text(request.form.get("note"), "note", 200)
    if not note:
        flash("确认告警须填写说明 / Write a note to acknowledge", "error")
        return redirect(url_for("staff.dashboard"))
    db = get_db()
    with immediate(db):
        try:
            if not alerts.acknowledge(db, current_user.scope, current_user.actor, alert_id, note, now()):
                abort(404)
        except PermissionError:
            abort(403, "问责告警由县（区）文明办或业务主管单位确认 / The county office or a supervising unit acknowledges this alert")
    flash("告警已确认 / Alert acknowledged", "ok")
    return redirect(request.form.get("next") if request.form.get("next", "").startswith("/staff/")
                    else url_for("staff.dashboard"))


@bp.get("/stations/<int:station_id>/coverage")
@staff_only()
def station_coverage(station_id):
    station = _station_or_404(station_id)
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
    station = _station_or_404(station_id)
    today = local_date(now())
    judged = standards.judge(offices.standards_facts(get_db(), station, today), today)
    return render_template("staff/station_standards.html", station=station, judged=judged,
                           score=standards.score(judged), fix=standards.to_fix(judged))
