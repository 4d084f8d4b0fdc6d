"""The volunteer's own page: a signed link that expires, refuses tampering, and shows approved hours."""
from datetime import date, datetime, timedelta, timezone

from server.rules.badges import make_badge_token
from server.rules.links import make_link_token
from tests.conftest import SECRET, csrf_of, gen_shift, gen_staff, gen_station, gen_volunteer, login

T0 = datetime(2024, 6, 1, 2, tzinfo=timezone.utc)


def _link(client, db, vid, station):
    login(client, gen_staff(db, "station", station_id=station))
    page = client.get(f"/staff/volunteers/{vid}/link").get_data(as_text=True)
    url = page.split('data-testid="volunteer-link"')[0].rsplit('value="', 1)[1].split('"')[0]
    return "/v/" + url.split("/v/", 1)[1]


def _setup(db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station], name="赵六")
    gen_shift(db, vid, station, day=date(2024, 5, 6), start="08:00", end="11:30", approval="approved")
    gen_shift(db, vid, station, day=date(2024, 5, 7), start="08:00", end="10:00")  # pending
    return station, vid


def test_link_shows_own_records_and_approved_hours_only(client, db, clock):
    clock.instant = T0
    station, vid = _setup(db)
    path = _link(client, db, vid, station)
    visitor = client.application.test_client()
    res = visitor.get(path)
    page = res.get_data(as_text=True)
    assert res.status_code == 200 and "赵六" in page and res.headers["Cache-Control"] == "no-store"
    assert "3.5 小时" in page and "2024-05-07" in page and "未定级" in page
    assert "138" not in page  # no mobile, no ID number
    assert next(db.query("SELECT count(*) AS n FROM audit_log WHERE action = 'volunteer_link'"))["n"] == 1


def test_certificate_is_a_pdf(client, db, clock):
    clock.instant = T0
    station, vid = _setup(db)
    res = client.application.test_client().get(_link(client, db, vid, station) + "/certificate.pdf")
    assert res.status_code == 200 and res.mimetype == "application/pdf" and res.data.startswith(b"%PDF")


def test_link_expires_after_ninety_days(client, db, clock):
    clock.instant = T0
    station, vid = _setup(db)
    path = _link(client, db, vid, station)
    visitor = client.application.test_client()
    clock.instant = T0 + timedelta(days=89, hours=23)
    assert visitor.get(path).status_code == 200
    clock.instant = T0 + timedelta(days=90, seconds=1)
    res = visitor.get(path)
    page = res.get_data(as_text=True)
    assert res.status_code == 410 and "已过期" in page and "expired" in page
    assert visitor.get(path + "/certificate.pdf").status_code == 410


def test_tampered_foreign_and_retired_links_are_refused(client, db, clock):
    clock.instant = T0
    station, vid = _setup(db)
    path = _link(client, db, vid, station)
    visitor = client.application.test_client()
    token = path[3:]
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (flipped, "not-a-token", make_badge_token(SECRET, f"V{vid:06d}", 1),
                make_link_token("another-secret", f"V{vid:06d}", 1, T0.timestamp())):
        res = visitor.get(f"/v/{bad}")
        assert res.status_code == 404 and "链接无效" in res.get_data(as_text=True) and "not valid" in res.get_data(as_text=True)
    other = make_link_token(SECRET, f"V{vid:06d}", 1, T0.timestamp())
    assert visitor.get(f"/v/{other}").status_code == 200
    client.post(f"/staff/volunteers/{vid}/reissue", data={"csrf_token": csrf_of(client, f"/staff/volunteers/{vid}")})
    assert visitor.get(path).status_code == 404  # a reissued badge retires the old links


def test_trainings_show_when_recorded(client, db, clock):
    clock.instant = T0
    station, vid = _setup(db)
    with db.conn:
        cur = db.conn.execute("INSERT INTO trainings (station_id, held_on, topic, trainer, created_by, created_at)"
                              " VALUES (?, '2024-04-02', '急救知识培训', '李医生', 'test', 'x')", [station])
        db.conn.execute("INSERT INTO training_attendees (training_id, volunteer_id) VALUES (?, ?)", [cur.lastrowid, vid])
    page = client.application.test_client().get(_link(client, db, vid, station)).get_data(as_text=True)
    assert "急救知识培训" in page


def test_staff_outside_scope_get_no_link(client, db):
    station, vid = _setup(db)
    login(client, gen_staff(db, "station", station_id=gen_station(db)))
    assert client.get(f"/staff/volunteers/{vid}/link").status_code == 404
