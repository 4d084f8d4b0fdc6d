"""Volunteers in the staff pages: registration rules, masking, reveal log, approval, scope."""
import re
from datetime import date, timedelta

from server.db import immediate
from server.rules.identity import make_id_number
from tests.conftest import csrf_of, gen_staff, gen_station, gen_volunteer, login

ID = make_id_number("530802", date(1985, 3, 9), 42)


def _register(client, station, **changes):
    form = {"name": "王芳", "id_number": ID, "mobile": "+86 139 0000 1234", "service_items": ["助老服务", "文明交通"],
            "station_ids": [str(station)], "employer_type": "事业单位和国有企业", "approval_opinion": "同意注册",
            "csrf_token": csrf_of(client, "/staff/volunteers/new")}
    form.update(changes)
    return client.post("/staff/volunteers/new", data=form)


def test_register_stores_id_encrypted_and_lists_it_masked(client, db):
    station = gen_station(db)
    login(client, gen_staff(db, "station", station_id=station))
    res = _register(client, station, id_number=" " + ID.lower() + " ")
    assert res.status_code == 302
    row = next(db.query("SELECT * FROM volunteers"))
    assert ID not in str(row) and row["id_last4"] == ID[-4:]
    assert row["mobile"] == "13900001234" and row["status"] == "active"
    page = client.get("/staff/volunteers").get_data(as_text=True)
    assert "139****1234" in page and "**************" + ID[-4:] in page
    assert ID not in page and "13900001234" not in page
    county = client.application.test_client()
    login(county, gen_staff(db, "county", county_id=row_county(db, station)))
    page = county.get("/staff/volunteers").get_data(as_text=True)
    assert "王*" in page and "王芳" not in page  # offices see the name masked


def row_county(db, station):
    return next(db.query("SELECT county_id FROM stations WHERE id = ?", [station]))["county_id"]


def test_a_manager_sees_own_members_names_in_full_and_labelled_boxes(client, db):
    """冯* was unclear on the manager's own roster: their members show in full, others masked."""
    here, there = gen_station(db), gen_station(db)
    mine = gen_volunteer(db, [here], name="冯小刚")
    gen_volunteer(db, [there], name="冯大海")
    shared = gen_volunteer(db, [here, there], name="李四")
    login(client, gen_staff(db, "station", station_id=here))
    listed = client.get("/staff/volunteers").get_data(as_text=True)
    assert "冯小刚" in listed and "李四" in listed and "冯大海" not in listed
    for page in (f"/staff/stations/{here}/roster", f"/staff/stations/{here}/training", f"/staff/stations/{here}/print"):
        html = client.get(page).get_data(as_text=True)
        assert "冯小刚" in html and "冯*" not in html, page
        for vid, name in ((mine, "冯小刚"), (shared, "李四")):  # each box inside the label naming its volunteer
            assert re.search(rf'<label class="check"><input type="checkbox" name="[^"]+" value="{vid}"[^>]*>(?:<span translate="no">)?{name}', html), (page, name)
    other = client.application.test_client()
    login(other, gen_staff(db, "station", station_id=there))
    listed = other.get("/staff/volunteers").get_data(as_text=True)
    assert "冯大海" in listed and "李四" in listed and "冯小刚" not in listed
    assert "**************" in listed and "138" not in listed.replace("138****", "")  # phones stay masked


def test_fullwidth_id_is_normalised(client, db):
    station = gen_station(db)
    login(client, gen_staff(db, "city"))
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in ID)
    assert _register(client, station, id_number=fullwidth).status_code == 302


def test_second_registration_with_same_id_is_refused(client, db):
    station = gen_station(db)
    login(client, gen_staff(db, "city"))
    assert _register(client, station).status_code == 302
    res = _register(client, station, name="另一个人")
    assert res.status_code == 409 and "一人只能注册一次" in res.get_data(as_text=True)
    assert next(db.query("SELECT count(*) AS n FROM volunteers"))["n"] == 1


def test_bad_fields_get_messages_and_store_nothing(client, db):
    station = gen_station(db)
    login(client, gen_staff(db, "city"))
    bad_check = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    for changes, text in [({"id_number": bad_check}, "校验位"), ({"mobile": "12345678901"}, "手机号"),
                          ({"birth_date": "1990-01-01"}, "不一致"), ({"email": "a@"}, "邮箱"),
                          ({"postcode": "66500"}, "邮编"), ({"name": "x" * 50}, "过长"),
                          ({"service_items": ["飞行"]}, "服务项目"), ({"station_ids": []}, "站点")]:
        res = _register(client, station, **changes)
        assert res.status_code == 400 and text in res.get_data(as_text=True), changes
    assert next(db.query("SELECT count(*) AS n FROM volunteers"))["n"] == 0


def test_reveal_needs_a_reason_and_is_logged(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    login(client, gen_staff(db, "county", county_id=1))
    page = client.get(f"/staff/volunteers/{vid}").get_data(as_text=True)
    assert "**************" in page
    url = f"/staff/volunteers/{vid}/reveal"
    client.post(url, data={"why": "", "csrf_token": csrf_of(client, f"/staff/volunteers/{vid}")})
    assert list(db.query("SELECT * FROM reveal_log")) == []
    res = client.post(url, data={"why": "核对证件", "csrf_token": csrf_of(client, f"/staff/volunteers/{vid}")})
    assert res.headers["Cache-Control"] == "no-store"
    clear = next(db.query("SELECT id_last4 FROM volunteers"))["id_last4"]
    assert "5308" in res.get_data(as_text=True) and clear in res.get_data(as_text=True)
    log = list(db.query("SELECT actor, field, why FROM reveal_log"))
    assert len(log) == 1 and log[0]["why"] == "核对证件" and log[0]["field"] == "id_number"


def test_other_county_sees_nothing(client, db):
    here = gen_station(db, county_code="530802")
    vid = gen_volunteer(db, [here])
    login(client, gen_staff(db, "county", county_id=2))
    assert client.get(f"/staff/volunteers/{vid}").status_code == 404
    assert f'data-volunteer-id="{vid}"' not in client.get("/staff/volunteers").get_data(as_text=True)
    res = client.post(f"/staff/volunteers/{vid}/reveal", data={"why": "x" * 5, "csrf_token": csrf_of(client, "/staff/volunteers")})
    assert res.status_code == 404 and list(db.query("SELECT * FROM reveal_log")) == []


def test_pending_approved_with_opinion_then_suspended(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station], status="pending")
    login(client, gen_staff(db, "federation"))
    url = f"/staff/volunteers/{vid}/status"
    client.post(url, data={"status": "active", "csrf_token": csrf_of(client, f"/staff/volunteers/{vid}")})
    assert next(db.query("SELECT status FROM volunteers"))["status"] == "pending"
    client.post(url, data={"status": "active", "approval_opinion": "同意",
                           "csrf_token": csrf_of(client, f"/staff/volunteers/{vid}")})
    row = next(db.query("SELECT status, approval_opinion, approved_by FROM volunteers"))
    assert row["status"] == "active" and row["approval_opinion"] == "同意" and row["approved_by"].startswith("staff:")
    client.post(url, data={"status": "suspended", "csrf_token": csrf_of(client, f"/staff/volunteers/{vid}")})
    assert next(db.query("SELECT status FROM volunteers"))["status"] == "suspended"


def test_minor_is_marked(client, db):
    station = gen_station(db)
    gen_volunteer(db, [station], birth=date(2012, 6, 1))
    login(client, gen_staff(db, "city"))
    assert "未成年" in client.get("/staff/volunteers").get_data(as_text=True)


def test_edit_keeps_id_and_audits_without_phone(client, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    login(client, gen_staff(db, "station", station_id=station))
    form = {"name": "张三丰", "mobile": "13700001111", "service_items": ["助老服务"], "station_ids": [str(station)],
            "csrf_token": csrf_of(client, f"/staff/volunteers/{vid}/edit")}
    assert client.post(f"/staff/volunteers/{vid}/edit", data=form).status_code == 302
    row = next(db.query("SELECT name, mobile FROM volunteers"))
    assert row == {"name": "张三丰", "mobile": "13700001111"}
    audit = next(db.query("SELECT before, after FROM audit_log WHERE action = 'update' AND object_type = 'volunteer'"))
    assert "13700001111" not in audit["after"] and "张三丰" in audit["after"]


# GB 11643: 17 weighted digits, the check character is the weighted sum mod 11 mapped through this.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECKS = "10X98765432"


def _weighted(digits, start):
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS[start:])) % 11


def _shown(text, id_number, birth):
    """What a masked view gives away: the last four (or nothing) and the birth dates it leaves open."""
    last4 = id_number[-4:] if re.search(r"\*{4,}" + re.escape(id_number[-4:]), text) else None
    full = (birth.isoformat(), f"{birth:%Y%m%d}", f"{birth:%Y年%m月%d日}", f"{birth.year}年{birth.month}月{birth.day}日",
            f"{birth:%Y/%m/%d}", f"{birth:%Y.%m.%d}")
    if any(f in text for f in full):
        dates = [birth]
    else:  # the year, an age or nothing: at least the days of the birth year stay open
        first = date(birth.year, 1, 1)
        dates = [first + timedelta(days=n) for n in range((date(birth.year + 1, 1, 1) - first).days)]
    return last4, dates


def _candidates(last4, dates, regions, gender):
    """How many ID numbers agree with what a view shows and pass the check (the attacker's list)."""
    seqs = [last4[:3]] if last4 else [f"{n:03d}" for n in range(1000) if (n % 2 == 1) == (gender == "男")]
    count = 0
    for region in regions:
        r = _weighted(region, 0)
        for day in dates:
            d = (r + _weighted(f"{day:%Y%m%d}", 6)) % 11
            for seq in seqs:
                if last4 is None or _CHECKS[(d + _weighted(seq, 14)) % 11] == last4[3]:
                    count += 1
    return count


def test_no_masked_view_lets_a_demo_id_number_be_rebuilt(app, db, client):
    """Every place that shows a demo volunteer masked: the reconstruction finds more than one candidate."""
    import json
    from datetime import date as _date

    from server.ops.demo import DEMO_PASSWORD, load_demo
    from server.services.printing import registration_data
    from server.store import stations, volunteers
    from server.store.scope import Scope
    from server.public.volunteer import link_for
    with app.app_context(), immediate(db):
        load_demo(db, today=_date(2026, 11, 29))
    regions = sorted({c["code"] for c in stations.counties(db)})
    login(client, "city", DEMO_PASSWORD)
    listed = client.get("/staff/volunteers").get_data(as_text=True)
    rows = {int(m.group(1)): m.group(2) for m in re.finditer(r'data-volunteer-id="(\d+)">(.*?)</tr>', listed, re.S)}
    people = volunteers.list_volunteers(db, Scope("city"))
    assert len(people) == 80 and set(rows) == {p["id"] for p in people}
    checked = 0
    for person in people:
        with app.app_context():
            clear = volunteers.reveal_id_number(db, "test", person["id"], "reconstruction test")
        full = volunteers.get_volunteer(db, Scope("city"), person["id"])
        with app.test_request_context():
            token = link_for(full).rsplit("/", 1)[1]
        views = {
            "staff page": client.get(f"/staff/volunteers/{person['id']}").get_data(as_text=True),
            "staff list": rows[person["id"]],
            "registration form": json.dumps(registration_data(full), ensure_ascii=False),
            "own page": client.get(f"/v/{token}").get_data(as_text=True),
        }
        birth = _date.fromisoformat(full["birth_date"])
        assert clear[:6] in regions and clear[6:14] == f"{birth:%Y%m%d}"
        for where, text in views.items():
            assert clear not in text, where
            last4, dates = _shown(text, clear, birth)
            assert _candidates(last4, dates, regions, full["gender"]) > 1, (where, person["ref"])
            # Even knowing the county, more than one remains.
            assert _candidates(last4, dates, [clear[:6]], full["gender"]) > 1, (where, person["ref"])
            checked += 1
    assert checked == 80 * 4
