"""Every time a person reads is Pu'er local time, "2026-11-30 21:51", never UTC; stored instants stay UTC."""
from datetime import datetime, timezone

import pytest

from server.db import immediate
from server.ops.demo import DEMO_PASSWORD, load_demo
from server.store import one
from server.timeutil import local_day_text, local_text
from tests.conftest import csrf_of, gen_kiosk, login, page_paths, route_examples

KNOWN = datetime(2026, 11, 30, 13, 51, 7, tzinfo=timezone.utc)  # 21:51 in Pu'er
LOCAL, UTC_TEXT = "2026-11-30 21:51", "2026-11-30 13:51"
NOT_PAGES = {"static", "kiosk.static", "kiosk.service_worker", "public.blank", "staff.print_station",
             "staff.print_badge", "staff.print_registration", "staff.print_request", "staff.hours_template",
             "staff.inspection_photo", "volunteer_page.certificate", "api.kiosk_loans", "api.station",
             "health.healthz"}


def test_local_text_is_pu_er_wall_clock():
    assert local_text(KNOWN) == LOCAL
    assert local_text("2026-11-30T13:51:07.000000+00:00") == LOCAL
    assert local_text("2026-11-30T16:30:00") == "2026-12-01 00:30"  # a bare stamp is UTC
    assert local_day_text("2026-11-30T16:30:00+00:00") == "2026-12-01"
    assert local_text(None) == "" and local_day_text("") == ""


@pytest.fixture
def demo_at_known(app, db, clock):
    """The demo city loaded with the clock at KNOWN, so every stamp the demo makes is that instant."""
    clock.instant = KNOWN
    with app.app_context(), immediate(db):
        load_demo(db)
    return db


def _pages(app, db, token):
    return page_paths(app, route_examples(db, token=token), skip=NOT_PAGES)


def test_every_staff_and_phone_page_shows_local_time(app, db, demo_at_known, client):
    from server.public.volunteer import link_for
    from server.store import volunteers
    gen_kiosk(client, db, 1)  # paired "now": the kiosk list shows when
    with app.test_request_context():
        token = link_for(volunteers.volunteer_by_ref(db, volunteers.ref_for(1))).rsplit("/", 1)[1]
    seen = {}
    for user in ("city", "federation", "station1"):
        staff = app.test_client()
        assert login(staff, user, DEMO_PASSWORD).status_code == 302
        for path in _pages(app, db, token):
            res = staff.get(path)
            if res.status_code == 200 and res.mimetype == "text/html":
                seen[f"{user} {path}"] = res.get_data(as_text=True)
    ticket = one(db, "SELECT ticket, phone_masked FROM requests r WHERE EXISTS (SELECT 1 FROM request_events e"
                     " WHERE e.request_id = r.id AND e.public = 1) ORDER BY id")
    seen["track"] = client.post("/s/track", data={"ticket": ticket["ticket"], "last4": ticket["phone_masked"][-4:],
                                                  "csrf_token": csrf_of(client, "/s/track")}).get_data(as_text=True)
    assert len(seen) > 40
    for where, html in seen.items():
        assert "UTC" not in html, where
        assert UTC_TEXT not in html, where
    for where in ("city /staff/requests", "city /staff/requests/1", "track", "city /staff/stations/1/kiosks"):
        assert LOCAL in seen[where], where
