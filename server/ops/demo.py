"""The demo city: Pu'er's counties, 26 stations of all 11 types, 80 volunteers, 60 days of shifts.

Deterministic for a given day: the same seed, the same people and the same shifts.
"""
import random
from datetime import date, timedelta

from server.rules.catalogue import STATION_TYPES
from server.db import connect, immediate
from server.rules.identity import make_id_number
from server.rules.windows import credited_minutes, windows_on
from server.rules.station_profile import defaults_for_type
from server.store import staff, stations, volunteers
from server.store.scope import Scope
from server.store.shifts import insert_closed_shift
from server.timeutil import local_date, now

DEMO_PASSWORD = "leifeng-demo"

# county code, type, name, host unit, address, supervising unit(s) (None: county office; a bank has two;
# a county's 政务服务大厅 is its county office's, notice 四.五)
STATIONS = [
    ("530802", "hospital", "普洱市人民医院学雷锋志愿服务点", "普洱市人民医院", "思茅区振兴大道 44 号门诊大厅", "市卫计委"),
    ("530802", "community", "振兴社区学雷锋志愿服务站", "振兴社区居委会", "思茅区振兴大道 12 号", None),
    ("530802", "community", "向阳社区志愿者服务站", "向阳社区居委会", "思茅区向阳路 8 号", None),
    ("530802", "transport", "普洱火车站学雷锋志愿服务点", "普洱火车站", "思茅区普洱站进站大厅", "市交运局"),
    ("530802", "transport", "普洱思茅机场学雷锋志愿服务点", "普洱思茅机场", "思茅区机场候机楼一层", "思茅机场"),
    ("530802", "culture", "普洱市博物馆学雷锋志愿服务点", "普洱市博物馆", "思茅区茶城大道 1 号", "市文旅局"),
    ("530802", "culture", "普洱市科技馆学雷锋志愿服务点", "普洱市科技馆", "思茅区茶苑路 5 号", "市科协"),
    ("530802", "park", "梅子湖公园学雷锋志愿服务点", "梅子湖公园管理处", "思茅区梅子湖公园南门", None),
    ("530802", "government", "普洱市政务服务中心学雷锋志愿服务点", "普洱市政务服务管理局", "思茅区月光路 2 号", "市政务服务管理局"),
    ("530802", "bank", "中国建设银行普洱分行营业部学雷锋志愿服务点", "中国建设银行普洱分行", "思茅区振兴大道 20 号", ("人行普洱市中心支行", "市银保监分局")),
    ("530802", "telecom", "中国移动普洱分公司营业厅学雷锋志愿服务点", "中国移动普洱分公司", "思茅区人民东路 3 号", "中国移动普洱分公司"),
    ("530802", "supermarket", "普洱万达广场学雷锋志愿服务点", "普洱万达广场", "思茅区普洱大道 9 号", "市商务局"),
    ("530802", "scenic", "普洱国家公园学雷锋志愿服务点", "普洱国家公园", "思茅区普洱国家公园游客中心", "市文旅局"),
    ("530802", "hotel", "普洱宾馆学雷锋志愿服务点", "普洱宾馆", "思茅区人民中路 1 号大堂", "市文旅局"),
    ("530821", "hospital", "宁洱县人民医院学雷锋志愿服务点", "宁洱县人民医院", "宁洱镇宁洱大道 6 号", "市卫计委"),
    ("530821", "community", "宁洱镇民主社区学雷锋志愿服务站", "民主社区居委会", "宁洱镇民主路 15 号", None),
    ("530821", "scenic", "那柯里茶马古道景区学雷锋志愿服务点", "那柯里景区", "宁洱县同心镇那柯里村", "市文旅局"),
    ("530822", "scenic", "墨江北回归线标志园学雷锋志愿服务点", "北回归线标志园", "墨江县联珠镇", "市文旅局"),
    ("530822", "transport", "墨江县客运站学雷锋志愿服务点", "墨江县客运站", "墨江县联珠镇客运站候车厅", "市交运局"),
    ("530823", "government", "景东县政务服务中心学雷锋志愿服务点", "景东县政务服务中心", "景东县锦屏镇", None),
    ("530824", "hospital", "景谷县人民医院学雷锋志愿服务点", "景谷县人民医院", "景谷县威远镇", "市卫计委"),
    ("530825", "telecom", "镇沅县中国电信营业厅学雷锋志愿服务点", "中国电信镇沅分公司", "镇沅县恩乐镇", "中国电信普洱分公司"),
    ("530826", "bank", "江城县农业银行营业部学雷锋志愿服务点", "中国农业银行江城支行", "江城县勐烈镇", ("人行普洱市中心支行", "市银保监分局")),
    ("530827", "scenic", "孟连宣抚司署景区学雷锋志愿服务点", "孟连宣抚司署", "孟连县娜允镇", "市文旅局"),
    ("530828", "park", "澜沧县拉祜广场学雷锋志愿服务点", "澜沧县文化馆", "澜沧县勐朗镇", None),
    ("530829", "community", "西盟县勐梭社区学雷锋志愿服务站", "勐梭社区居委会", "西盟县勐梭镇", None),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧阳"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "玉兰", "志强", "海燕", "晓东", "红梅", "国庆"]
ETHNIC = ["汉族", "汉族", "汉族", "哈尼族", "彝族", "拉祜族", "佤族", "傣族"]
POLITICS = ["群众", "中共党员", "共青团员", "群众"]
EDUCATION = ["高中", "大专", "本科", "本科", "研究生", "初中"]
ITEMS = ["助老服务", "助残服务", "文明交通", "医疗卫生", "文明旅游", "邻里互助", "法律宣传", "绿色环保"]

ACCOUNTS = [  # username, display name, role, county code, unit name, station index
    ("city", "市文明办 演示", "city", None, None, None),
    ("simao", "思茅区文明办 演示", "county", "530802", None, None),
    ("ninger", "宁洱县文明办 演示", "county", "530821", None, None),
    ("weijian", "市卫计委 演示", "unit", None, "市卫计委", None),
    ("yinbao", "市银保监分局 演示", "unit", None, "市银保监分局", None),
    ("station1", "人民医院站点负责人", "station", None, None, 0),
    ("station2", "振兴社区站点负责人", "station", None, None, 1),
    ("federation", "市志愿服务联合会 演示", "federation", None, None, None),
]


def _person(rng, i, county_code):
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 58 * 365))
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    id_number = make_id_number(county_code, birth, 100 + i)
    return {
        "name": name, "id_number": id_number, "birth_date": birth.isoformat(),
        "gender": "男" if int(id_number[16]) % 2 else "女",
        "mobile": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        "ethnicity": rng.choice(ETHNIC), "political_status": rng.choice(POLITICS),
        "education": rng.choice(EDUCATION), "employer_type": "其他",
        "service_items": rng.sample(ITEMS, 2),
    }


def load_demo(db, today=None, days=60):
    """Fill an empty database with the demo city; returns the printed account list."""
    rng = random.Random(20200305)
    today = today or local_date(now())
    county_ids = {c["code"]: c["id"] for c in stations.counties(db)}
    station_ids = []
    for county, type_code, name, host, address, unit in STATIONS:
        t = STATION_TYPES[type_code]
        entrances = ([{"label": "北门", "direction": "left", "where": "一楼大厅东侧，约 30 米"},
                      {"label": "急诊入口", "direction": "ahead", "where": "沿走廊直行约 50 米"}]
                     if type_code == "hospital" else [])
        station_ids.append(stations.create_station(db, "demo", {
            "name": name, "type_code": type_code, "county_id": county_ids[county],
            "unit_ids": [stations.unit_id_by_name(db, u) for u in ((unit,) if isinstance(unit, str) else unit or ())],
            "host_unit": host, "address": address, "services": t["services"],
            "windows": defaults_for_type(type_code)["windows"],
            "closed_dates": [], "entrances": entrances,
            "lends": [{"item": item, "stock": 5} for item in t["lends"]], "rules_text": None}))
    users = []
    for username, display, role, county, unit, station_index in ACCOUNTS:
        staff.create_user(db, "demo", username, DEMO_PASSWORD, display, role,
                          county_id=county_ids.get(county), unit_id=unit and stations.unit_id_by_name(db, unit),
                          station_id=None if station_index is None else station_ids[station_index])
        users.append((username, display))
    team = {sid: [] for sid in station_ids}
    for i in range(80):
        index = i % len(STATIONS)
        county = STATIONS[index][0]
        status = "suspended" if i in (77, 78) else "pending" if i >= 76 else "active"
        members = [station_ids[index]] + ([station_ids[(index + 1) % len(station_ids)]] if i % 9 == 0 else [])
        vid = volunteers.create_volunteer(db, "demo", _person(rng, i, county), members)
        if status != "pending":
            volunteers.set_status(db, "demo", vid, "active", "同意注册")
        if status == "suspended":
            volunteers.set_status(db, "demo", vid, "suspended")
        if status == "active":
            team[station_ids[index]].append(vid)
    _station_care(db, rng, station_ids, team, today, days)  # first: training comes before service
    _past_shifts(db, rng, station_ids, team, today, days)
    _certify_stars(db)
    _requests(db, station_ids)
    return {"password": DEMO_PASSWORD, "users": users}


def _station_care(db, rng, station_ids, team, today, days):
    """Training, inspections, supplies, rewards and next weeks' roster, as a running city has."""
    from datetime import datetime, time

    from server.rules.windows import STATION_TZ
    from server.store import station_care
    stamp = datetime.combine(today, time(9), STATION_TZ)
    for n, sid in enumerate(station_ids):
        people = team[sid]
        if people[:-1]:  # the newest volunteer of each team has not been trained yet
            station_care.add_training(db, "demo", sid, (today - timedelta(days=days + 10 + n)).isoformat(),
                                      "站点服务规范与文明礼仪", "市志愿服务联合会讲师", people[:-1], stamp)
        if n % 3 != 2:
            checks = {k: "met" for k in ("identity", "name", "office", "team", "training", "content", "records",
                                         "rules", "inspection", "stars")}
            deadline = None
            if n % 4 == 1:
                checks["office"] = "partly"
                deadline = (today + timedelta(days=10 - n)).isoformat()
            station_care.add_inspection(db, "demo", sid, {
                "visited_on": (today - timedelta(days=15 + 3 * n)).isoformat(), "inspectors": "市文明办督查组",
                "checks": checks, "findings": "办公桌椅需补充" if deadline else "", "deadline": deadline}, [], stamp)
        station_care.save_supply(db, "demo", sid, "饮用水（桶装）", "饮用水", 6, None, stamp)
        if n % 2 == 0:
            station_care.save_supply(db, "demo", sid, "创可贴", "药品", 40,
                                     (today + timedelta(days=5 + 4 * n)).isoformat(), stamp)
        if people and n % 4 == 0:
            db.execute("INSERT INTO rewards (volunteer_id, what, given_on, given_by) VALUES (?, ?, ?, ?)",
                       [people[0], "优秀志愿者表彰", (today - timedelta(days=30)).isoformat(), "demo"])
        monday = today - timedelta(days=today.weekday())
        station = stations.station_for_device(db, sid)
        for week in (0, 7):
            plan = {}
            for d in range(7):
                day = monday + timedelta(days=week + d)
                for i, _span in enumerate(windows_on(day, station["windows"], station["closed_dates"])):
                    rotation = people[(d + i) % max(len(people), 1):] + people[:(d + i) % max(len(people), 1)]
                    plan[(day.isoformat(), i)] = rotation[: 2 if (d + i + n) % 5 else 1]
            station_care.set_roster_week(db, "demo", sid, monday + timedelta(days=week), plan)


def _requests(db, station_ids):
    """A few citizens' requests at the first stations, in different states."""
    from server.rules.demand import clean_request
    from server.store import requests
    samples = [
        ({"name": "杨奶奶", "mobile": "13988120001", "category": "空巢老人", "service_item": "助老",
          "reason": "独居，腿脚不便，希望每周有人帮忙买菜", "age": "78"}, "accepted"),
        ({"name": "李明", "mobile": "13988120002", "category": "残疾人", "service_item": "助残",
          "reason": "需要轮椅陪同去医院复查", "age": "45"}, "done"),
        ({"name": "小王", "home_phone": "0879-2120003", "category": "留守儿童", "service_item": "志愿家教",
          "reason": "周末数学辅导", "age": "11", "guardian_name": "王父"}, None),
        ({"name": "赵某", "mobile": "13988120004", "category": "社区矫正", "service_item": "法律维权",
          "reason": "咨询就业相关法律问题"}, None),
    ]
    for i, (form, state) in enumerate(samples):
        public, details, needs = clean_request(form)
        guardian = form.get("guardian_name") if needs["guardian"] else None
        request_id, _ticket = requests.create_request(db, station_ids[i % 2], "phone", public, details, guardian)
        if state:
            requests.change_state(db, "demo", request_id, "accepted", "已安排志愿者联系", True)
            if state == "done":
                requests.change_state(db, "demo", request_id, "in_service", "志愿者已上门", True)
                requests.change_state(db, "demo", request_id, "done", "已陪同复查完毕", True)


def _certify_stars(db):
    """The federation has certified the demo's volunteers up to the level their hours earned."""
    from server.store import recognition
    from server.rules.stars import star_level
    for row in list(db.query("SELECT id FROM volunteers WHERE status = 'active'")):
        earned = star_level(recognition.approved_minutes(db, row["id"]) / 60)
        if earned:
            recognition.certify(db, "demo:federation", row["id"], earned)


def _past_shifts(db, rng, station_ids, team, today, days):
    """History as the engine would have left it: shifts with no training before them carry 未培训;
    the last three days' are still in the station's review queue, older ones were looked at."""
    from server.rules.training import untrained_flag
    from server.store.shifts import first_trained_on
    first_trained = {}
    for sid in station_ids:
        profile = stations.station_for_device(db, sid)
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            if rng.random() < 0.05:
                continue  # a day with no records: the five-hour rule will flag it
            for start, end in windows_on(day, profile["windows"], profile["closed_dates"]):
                people = team[sid][:]
                rng.shuffle(people)
                for vid in people[: 1 if rng.random() < 0.1 else 2]:
                    s = start + timedelta(minutes=rng.randrange(-5, 12))
                    e = end + timedelta(minutes=rng.randrange(-15, 6))
                    minutes = credited_minutes(s, e, profile["windows"], profile["closed_dates"])
                    approval = "approved" if back > 14 and rng.random() < 0.9 else "pending"
                    if vid not in first_trained:
                        first_trained[vid] = first_trained_on(db, vid)
                    flag = untrained_flag(first_trained[vid], day)
                    state = "review" if flag and approval == "pending" and back <= 3 else "closed"
                    insert_closed_shift(db, vid, sid, s, e, minutes, approval, reasons=[flag] if flag else [],
                                        state=state)


def open_demo_accounts(db):
    """Demo usernames that still sign in with the public demo password."""
    return [a[0] for a in ACCOUNTS if staff.check_login(db, a[0], DEMO_PASSWORD)]


def load_demo_if_empty(app):
    """Load the demo city on the first start; returns the demo accounts either way."""
    db = connect(app.config["DATABASE"])
    try:
        with immediate(db):
            if not staff.count_users(db) and not stations.list_stations(db, Scope("city")):
                load_demo(db)
    finally:
        db.close()
    return {"password": DEMO_PASSWORD, "users": [(a[0], a[1]) for a in ACCOUNTS]}
