"""The staff menu: grouped by task, each link shown by the permission table, every shown link opens."""
import re

import pytest

from server.store import stations
from tests.conftest import gen_staff, gen_station, login

GROUPS = {  # role: the groups it sees, in order
    "city": ["stations", "volunteers", "hours", "requests", "reports", "admin"],
    "county": ["stations", "volunteers", "hours", "requests", "reports", "admin"],
    "unit": ["stations", "volunteers", "requests", "reports"],
    "station": ["stations", "volunteers", "hours", "requests", "reports"],
    "federation": ["stations", "volunteers", "hours", "reports"],
}


@pytest.mark.parametrize("role", GROUPS)
def test_menu_groups_by_role_and_every_link_opens(app, db, role):
    station = gen_station(db, "hospital", unit="市卫计委")
    scope = {"county": {"county_id": next(c["id"] for c in stations.counties(db) if c["code"] == "530802")},
             "unit": {"unit_id": stations.unit_id_by_name(db, "市卫计委")},
             "station": {"station_id": station}}.get(role, {})
    client = app.test_client()
    login(client, gen_staff(db, role, **scope))
    page = client.get("/staff/dashboard").get_data(as_text=True)
    assert re.findall(r'data-testid="menu-(\w+)" role="group"', page) == GROUPS[role]
    menu = page.split('data-testid="menu"')[1].split("</details>")[0]
    links = re.findall(r'<a href="([^"]+)" data-testid="(nav-[\w-]+)"', menu)
    assert links
    for href, testid in links:
        assert client.get(href).status_code == 200, (role, testid)
    testids = {t for _h, t in links}
    # The station's review and the federation's approval have distinct names, never 时长审核.
    assert "时长审核" not in menu
    assert ("nav-review" in testids) is (role in ("city", "county", "station"))
    assert ("nav-approval" in testids) is (role in ("city", "federation"))
    assert ("nav-requests" in testids) is (role != "federation")
    assert ("nav-users" in testids) is (role in ("city", "county"))
    if "nav-review" in testids:
        assert "时长核实" in menu
    if "nav-approval" in testids:
        assert "时长审批" in menu
