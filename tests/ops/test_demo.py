"""The demo city: every type, valid people, plausible shifts, deterministic."""
from datetime import date

import pytest

from server.rules.catalogue import STATION_TYPES
from server.db import connect, immediate
from server.ops.demo import load_demo
from server.rules import naming
from server.rules.identity import normalise_id_number
from server.store import stations, volunteers
from server.store.scope import Scope

TODAY = date(2026, 11, 29)


@pytest.fixture
def demo(app, db):
    with app.app_context(), immediate(db):
        accounts = load_demo(db, today=TODAY)
    return accounts


def test_demo_covers_every_type_and_county(app, db, demo):
    rows = stations.list_stations(db, Scope("city"))
    assert len(rows) >= 24
    assert {r["type_code"] for r in rows} == set(STATION_TYPES)
    assert len({r["county_id"] for r in rows}) == 10
    for r in rows:
        naming.check_station_name(r["name"], r["type_code"])


def test_demo_volunteers_have_valid_ids(app, db, demo):
    rows = list(db.query("SELECT id FROM volunteers"))
    assert len(rows) == 80
    with app.app_context():
        for r in rows:
            clear = volunteers.reveal_id_number(db, "test", r["id"], "demo check")
            assert normalise_id_number(clear) == clear and clear.startswith("5308")
    assert {r["status"] for r in db.query("SELECT status FROM volunteers")} == {"active", "pending", "suspended"}


def test_demo_shifts_cover_sixty_days_before_today(app, db, demo):
    first, last = next(db.query("SELECT min(local_date) AS a, max(local_date) AS b FROM shifts")).values()
    assert first == "2026-09-30" and last == "2026-11-28"
    bad = next(db.query("SELECT count(*) AS n FROM shifts WHERE ended_at <= started_at OR credited_minutes < 0"))
    assert bad["n"] == 0
    approvals = {r["approval"] for r in db.query("SELECT DISTINCT approval FROM shifts")}
    assert approvals == {"approved", "pending"}
    # Some station-days fall under the five-hour minimum, as real ones do.
    short = next(db.query("""SELECT count(*) AS n FROM (SELECT station_id, local_date, sum(credited_minutes) AS m
        FROM shifts GROUP BY 1, 2 HAVING m < 300)"""))["n"]
    assert short > 0


def test_demo_accounts_cover_every_role(demo, db):
    roles = {r["role"] for r in db.query("SELECT role FROM staff_users")}
    assert roles == {"city", "county", "unit", "station", "federation"}
    assert demo["password"] == "leifeng-demo"


def test_demo_is_deterministic(app, tmp_path, demo, db):
    other = connect(tmp_path / "again.sqlite3")
    from server.schema import migrate
    from server.store.stations import load_catalogue
    migrate(other)
    with immediate(other):
        load_catalogue(other)
    with app.app_context(), immediate(other):
        load_demo(other, today=TODAY)
    query = "SELECT volunteer_id, station_id, started_at, ended_at, credited_minutes FROM shifts ORDER BY id"
    assert list(other.query(query)) == list(db.query(query))
    names = "SELECT name, mobile, birth_date FROM volunteers ORDER BY id"
    assert list(other.query(names)) == list(db.query(names))


def test_demo_city_is_running_its_stations(app, db, demo):
    counts = {t: next(db.query(f"SELECT count(*) AS n FROM {t}"))["n"]
              for t in ("trainings", "inspections", "supplies", "rewards", "roster", "requests", "star_certifications")}
    assert all(counts.values()), counts
    untrained = next(db.query("SELECT count(*) AS n FROM volunteers v WHERE status = 'active' AND NOT EXISTS"
                              " (SELECT 1 FROM training_attendees a WHERE a.volunteer_id = v.id)"))["n"]
    assert 0 < untrained < 30  # most are trained, some are flagged
    assert next(db.query("SELECT count(*) AS n FROM requests WHERE sensitive = 1"))["n"] == 1


def test_demo_flags_only_the_shifts_of_volunteers_never_trained(db, demo):
    """Notice 三: the demo trains its teams before their history; the newest of each team is not trained."""
    one = lambda sql: next(db.query(sql))["n"]
    flagged = one("SELECT count(*) AS n FROM shifts WHERE review_reasons LIKE '%untrained%'")
    total = one("SELECT count(*) AS n FROM shifts")
    assert 0 < flagged < total / 2
    assert one("SELECT count(*) AS n FROM shifts sh WHERE review_reasons LIKE '%untrained%' AND EXISTS"
               " (SELECT 1 FROM training_attendees a WHERE a.volunteer_id = sh.volunteer_id)") == 0
    assert one("SELECT count(*) AS n FROM shifts sh WHERE review_reasons NOT LIKE '%untrained%' AND NOT EXISTS"
               " (SELECT 1 FROM training_attendees a WHERE a.volunteer_id = sh.volunteer_id)") == 0
    assert 0 < one("SELECT count(*) AS n FROM shifts WHERE state = 'review'") < flagged
