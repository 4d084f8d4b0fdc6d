"""Hours reports: per volunteer, station, county and unit, by month or year; the five-hour rule."""
import calendar
import io

from flask import abort, render_template, request, send_file
from flask_login import current_user

from server.auth import staff_only
from server.db import get_db
from server.services.export import table_xlsx
from server.i18n import text
from server.staff import bp
from server.store import reports
from server.timeutil import local_date, now

GROUP_LABELS = {"county": ("县（区）", "County"), "unit": ("业务主管单位", "Supervising unit"),
                "station": ("站点", "Station"), "volunteer": ("志愿者", "Volunteer")}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period():
    """(year, month or 0, first day, last day) from ?year=&month=; this month by default."""
    today = local_date(now())
    year = request.args.get("year", type=int) or today.year
    month = request.args.get("month", type=int)
    month = today.month if month is None and "year" not in request.args else (month or 0)
    if not 2019 <= year <= today.year + 1 or not 0 <= month <= 12:
        abort(400)
    if month:
        return year, month, f"{year}-{month:02d}-01", f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]}"
    return year, 0, f"{year}-01-01", f"{year}-12-31"


def _tables(db, scope, group, first, last, year, station_id):
    """Every table of the page as (title, headers, rows) for the page and for XLSX."""
    label = text(*GROUP_LABELS[group])
    records, hours, approved = text("记录数", "Records"), text("记录时长（小时）", "Hours"), text("已审核时长（小时）", "Approved hours")
    totals = reports.station_totals(db, scope, first, last)
    out = {"hours": (text(f"按{label}统计", f"By {label.lower()}"), [label, records, hours, approved],
                     [[r["name"], r["records"], r["hours"], r["approved_hours"]]
                      for r in reports.hours_by(db, scope, group, first, last, totals)])}
    months = reports.by_month(db, scope, f"{year}-01-01", f"{year}-12-31")
    out["months"] = (text(f"{year} 年按月统计", f"{year} by month"), [text("月份", "Month"), records, hours, approved],
                     [[m["month"], m["records"], m["hours"], m["approved_hours"]] for m in months])
    counties = reports.hours_by(db, scope, "county", first, last, totals)
    out["counties"] = (text("按县（区）统计", "By county"), [text("县（区）", "County"), records, hours, approved],
                       [[r["name"], r["records"], r["hours"], r["approved_hours"]] for r in counties])
    today = local_date(now())
    five = reports.five_hour_rule(db, scope, first, last, totals, today)
    out["five"] = (text("每日 5 小时", "Five hours a day"), [text("站点", "Station"), text("开放天数", "Open days"),
                  text("站点服务时长（小时）", "Station service hours"), text("志愿服务总时长（小时）", "Volunteer hours"),
                  text("满 5 小时天数", "Days with 5 hours"), text("不足 5 小时天数", "Days short of 5 hours")],
                   [[r["name"], r["open_days"], r["service_hours"], r["volunteer_hours"], r["met"], r["short"]]
                    for r in five])
    if station_id:
        station, days = reports.short_days(db, scope, station_id, first, last, today)
        if station:
            out["days"] = (text(f"{station['name']} 不足 5 小时的日期", f"{station['name']}: days short of 5 hours"),
                           [text("日期", "Date"), text("站点服务时长（小时）", "Station service hours"),
                            text("志愿服务总时长（小时）", "Volunteer hours")],
                           [[d["day"], d["hours"], d["volunteer_hours"]] for d in days])
    return out, five


@bp.get("/reports")
@staff_only()
def reports_page():
    year, month, first, last = _period()
    group = request.args.get("group") if request.args.get("group") in GROUP_LABELS else "county"
    station_id = request.args.get("station", type=int)
    tables, five = _tables(get_db(), current_user.scope, group, first, last, year, station_id)
    wanted = request.args.get("table")
    if request.args.get("format") == "xlsx":
        if wanted not in tables:
            abort(404)
        title, headers, rows = tables[wanted]
        return send_file(io.BytesIO(table_xlsx(title, headers, rows)), mimetype=_XLSX, as_attachment=True,
                         download_name=f"{title}-{first}-{last}.xlsx", max_age=0)
    charts = {"months": [[r[0], r[2], r[3]] for r in tables["months"][2]],
              "counties": [[r[0], r[2], r[3]] for r in tables["counties"][2]]}
    return render_template("staff/reports.html", tables=tables, five=five, charts=charts, year=year, month=month,
                           group=group, groups=GROUP_LABELS, first=first, last=last, station_id=station_id,
                           years=range(2019, local_date(now()).year + 1))
