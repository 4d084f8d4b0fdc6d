"""Browsers are told the rules on every route: CSP without inline scripts, no framing, no
sniffing, and no-store where personal data may be (issue 12.10)."""
import re

from server import CSP
from tests.conftest import gen_kiosk, gen_request, gen_shift, gen_staff, gen_station, gen_volunteer, login

PRIVATE = ("/staff/", "/s/", "/v/", "/api/")


def _directives(policy):
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_the_policy_allows_no_inline_or_eval_script():
    csp = _directives(CSP)
    assert csp["script-src"] == ["'self'"] and csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]


def _urls(app, ids):
    """Every rule of the app with its arguments filled from real rows."""
    sample = {"station_id": ids["station"], "volunteer_id": ids["volunteer"], "request_id": ids["request"],
              "shift_id": ids["shift"], "device_id": 1, "alert_id": 1, "inspection_id": 1, "photo_id": 1,
              "loan_id": 1, "kind": "rules", "fmt": "png", "token": "x", "filename": "app.css"}
    for rule in app.url_map.iter_rules():
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(r"<(?:[a-z]+:)?%s>" % arg, str(sample.get(arg, 1)), url)
        if rule.endpoint == "static":
            url = "/static/css/app.css"
        elif rule.endpoint == "kiosk.static":
            url = "/kiosk-static/kiosk.css"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_every_route_sends_the_security_headers(app, db):
    station = gen_station(db)
    volunteer = gen_volunteer(db, [station])
    ids = {"station": station, "volunteer": volunteer, "request": gen_request(app, db, station),
           "shift": gen_shift(db, volunteer, station)}
    kiosk = gen_kiosk(app.test_client(), db, station)
    staff, anonymous = app.test_client(), app.test_client()
    login(staff, gen_staff(db, "city"))
    seen = set()
    for endpoint, method, url in _urls(app, ids):
        if endpoint == "staff.logout":
            continue  # asked last, it would end the session the other routes use
        for who, client in (("staff", staff), ("anonymous", anonymous)):
            res = client.open(url, method=method, headers=kiosk if url.startswith("/api/") else {},
                              **({"json": {}} if url.startswith("/api/") and method == "POST" else {}))
            where = (endpoint, method, who, res.status_code)
            assert res.headers.get("Content-Security-Policy") == CSP, where
            assert res.headers.get("X-Frame-Options") == "DENY", where
            assert res.headers.get("X-Content-Type-Options") == "nosniff", where
            if url.startswith(PRIVATE):
                assert res.headers.get("Cache-Control") == "no-store", where
            seen.add(endpoint)
    assert seen | {"staff.logout"} == set(app.view_functions)


def test_no_template_carries_an_inline_script_or_handler():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    found = []
    for path in [*root.glob("server/**/*.html"), *root.glob("kiosk/**/*.html")]:
        text = path.read_text()
        for m in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            if "src=" not in m["attrs"] and 'type="application/json"' not in m["attrs"]:
                found.append(f"{path.name}: inline <script>")
        found += [f"{path.name}: {h}" for h in re.findall(r"\son[a-z]+=\"", text)]
        found += [f"{path.name}: javascript: URL" for _ in re.findall(r"javascript:", text)]
    assert found == []
