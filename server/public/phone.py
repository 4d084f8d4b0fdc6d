"""The citizens' phone pages at /s/<station>: ask for help, sign up, track a request."""
import secrets

from flask import Blueprint, abort, g, render_template, request

from server.rules.catalogue import (CONSENT_TEXT, CONSENT_VERSION, EMPLOYER_TYPES, REQUEST_CATEGORIES,
                              REQUEST_ITEMS, REQUEST_STATES, SENSITIVE_CATEGORIES, SERVICE_ITEMS)
from server.services.citizens import RateLimited, file_request, sign_up, track
from server.rules.demand import CATEGORY_UNSAID
from server.db import get_db, immediate
from server.errors import ApiError
from server.rules.registration import SIGNUP_CONSENT_TEXT, SIGNUP_CONSENT_VERSION
from server.rules.errors import RuleError
from server.rules.identity import clean_text
from server.rules.windows import windows_on
from server.store import requests as store
from server.store import offices, stations, volunteers
from server.timeutil import local, local_date, now

bp = Blueprint("phone", __name__, url_prefix="/s", template_folder="templates")
DEVICE_COOKIE = "dev"
# The sensitive categories are offered behind one discreet choice, on their own step.
PRIVATE_CHOICE = "其他需保密的情况"


@bp.before_request
def device_id():
    """A random per-browser id, so limits apply per device as well as per address."""
    g.device_cookie = request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(12)


@bp.after_request
def private(response):
    response.headers["Cache-Control"] = "no-store"
    # No device id when the request was refused before this blueprint's hooks (a CSRF failure).
    if g.get("device_cookie") and request.cookies.get(DEVICE_COOKIE) != g.device_cookie:
        response.set_cookie(DEVICE_COOKIE, g.device_cookie, max_age=365 * 86400, samesite="Lax",
                            httponly=True)
    return response


def _rate_keys():
    return [f"ip:{request.remote_addr}", f"dev:{g.device_cookie}"]


def _station(station_id):
    station = stations.station_for_device(get_db(), station_id)
    if station is None or not station["active"]:
        g.no_such_station = True  # the error page then offers no way back to it
        abort(404)
    g.phone_station = station
    return station


def _errors(err):
    """Every broken field of a failed form, for the summary at the top and beside each field."""
    return getattr(err, "errors", [err])


def _family(form):
    return [{f: form.get(f"family-{i}-{f}", "") for f in ("relation", "name", "employer", "job", "workplace")}
            for i in range(5)]


def _chosen_category(form):
    """The phone form's 其他需保密的情况 opens its own choices: the category is the one picked there."""
    if form.get("category") == PRIVATE_CHOICE:
        return {**form, "category": form.get("private_category", "")}
    return form


def _too_many(err):
    raise ApiError(429, "rate_limited", "提交太频繁，请稍后再试或到站点现场办理",
                   "Too many submissions; try later or ask at the station", retry_after=err.retry_after)


def _today_at(station):
    """Today's windows in Pu'er time by the app's clock, whether one is open now, who is on duty."""
    instant = now()
    day = local_date(instant)
    spans = windows_on(day, station["windows"], station["closed_dates"])
    return {"date": day, "windows": [(f"{local(a):%H:%M}", f"{local(b):%H:%M}") for a, b in spans],
            "open": any(a <= instant < b for a, b in spans),
            "next": next((f"{local(a):%H:%M}" for a, _ in spans if a > instant), None),
            "on_duty": offices.on_duty_counts(get_db(), [station["id"]])[station["id"]]}


@bp.get("/<int:station_id>")
def station_home(station_id):
    station = _station(station_id)
    return render_template("phone/home.html", station=station, today=_today_at(station))


@bp.route("/<int:station_id>/request", methods=["GET", "POST"])
def request_form(station_id):
    station = _station(station_id)
    options = dict(categories=[c for c in REQUEST_CATEGORIES if c not in SENSITIVE_CATEGORIES],
                   sensitive=[c for c in REQUEST_CATEGORIES if c in SENSITIVE_CATEGORIES], items=REQUEST_ITEMS,
                   private_choice=PRIVATE_CHOICE, unsaid=CATEGORY_UNSAID, consent_text=CONSENT_TEXT.split(" / ", 1),
                   consent_version=CONSENT_VERSION, station=station)
    if request.method == "GET":
        return render_template("phone/request.html", values={}, errors=[], **options)
    form = _chosen_category({**request.form.to_dict(), "family": _family(request.form)})
    try:
        ticket = file_request(station_id, "phone", form, _rate_keys())
    except RuleError as err:
        return render_template("phone/request.html", values=request.form, errors=_errors(err), **options), 400
    except RateLimited as err:
        _too_many(err)
    return render_template("phone/ticket.html", station=station, ticket=ticket)


@bp.route("/<int:station_id>/signup", methods=["GET", "POST"])
def signup_form(station_id):
    station = _station(station_id)
    options = dict(station=station, service_items=SERVICE_ITEMS, employer_types=EMPLOYER_TYPES,
                   consent_text=SIGNUP_CONSENT_TEXT, consent_version=SIGNUP_CONSENT_VERSION)
    if request.method == "GET":
        return render_template("phone/signup.html", values={}, errors=[], **options)
    form = {**request.form.to_dict(), "service_items": request.form.getlist("service_items")}
    values = {**form}
    try:
        sign_up(station_id, form, _rate_keys())
    except RuleError as err:
        return render_template("phone/signup.html", values=values, errors=_errors(err), **options), 400
    except volunteers.DuplicateVolunteer:
        err = RuleError("duplicate", "您已经注册过志愿者，无需重复报名；如需加入本站点请联系站点负责人",
                        "You are already registered; ask the station manager to join this station",
                        field="id_number")
        return render_template("phone/signup.html", values=values, errors=[err], **options), 409
    except RateLimited as err:
        _too_many(err)
    return render_template("phone/signed_up.html", station=station)


@bp.route("/track", methods=["GET", "POST"])
def track_page():
    ticket = (request.values.get("ticket") or "").strip()[:20]
    if request.method == "GET":  # the digits are never put in a URL
        return render_template("phone/track.html", ticket=ticket, found=None, states=REQUEST_STATES)
    try:
        found = track(ticket, request.form.get("last4", ""), _rate_keys())
    except RateLimited as err:
        _too_many(err)
    if found is None:
        return render_template("phone/track.html", ticket=ticket, found=None, not_found=True,
                               states=REQUEST_STATES), 404
    return render_template("phone/track.html", ticket=ticket, found=found, states=REQUEST_STATES,
                           last4=request.form.get("last4", ""))


@bp.post("/track/feedback")
def feedback():
    """服务对象意见和建议 with a rating, from the tracking page, once the request is finished."""
    ticket, last4 = request.form.get("ticket", ""), request.form.get("last4", "")
    try:
        found = track(ticket, last4, _rate_keys())
    except RateLimited as err:
        _too_many(err)
    if found is None or found["state"] not in ("done", "cannot"):
        abort(404)
    try:
        text = clean_text(request.form.get("feedback"), "feedback", 500, multiline=True)
        rating = int(request.form.get("rating", "0"))
        if not 1 <= rating <= 5:
            raise ValueError
    except (RuleError, ValueError):
        return render_template("phone/track.html", ticket=ticket, found=found, states=REQUEST_STATES,
                               last4=last4, feedback_error=True), 400
    with immediate(get_db()):
        store.leave_feedback(get_db(), found["id"], text, rating)
    found.update(feedback=text, rating=rating)
    return render_template("phone/track.html", ticket=ticket, found=found, states=REQUEST_STATES,
                           last4=last4, thanks=True)
