"""The schema: every table and index, applied once each through sqlite-utils' Migrations.

Past 400 lines on purpose: the one ordered registry of migrations (m001 to m024); each is applied
once in this order, and one file keeps that order readable.
"""
from sqlite_utils.migrations import Migrations

migrations = Migrations("leifeng")


def _append_only(table):
    """The SQL of two triggers that refuse any UPDATE or DELETE of a table's rows."""
    return "".join(f"""
    CREATE TRIGGER {table}_append_only_{op[0].lower()} BEFORE {op} ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;""" for op in ("UPDATE", "DELETE")) + "\n    "


@migrations()
def m001_catalogue(db):
    db.executescript("""
    CREATE TABLE counties (
        id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE);
    CREATE TABLE supervising_units (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE station_types (
        code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL,
        services TEXT NOT NULL, windows TEXT NOT NULL, units TEXT NOT NULL, lends TEXT NOT NULL);
    CREATE TABLE stations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        type_code TEXT NOT NULL REFERENCES station_types(code),
        county_id INTEGER NOT NULL REFERENCES counties(id),
        unit_id INTEGER REFERENCES supervising_units(id),
        host_unit TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        services TEXT NOT NULL DEFAULT '[]',
        windows TEXT NOT NULL DEFAULT '{}',
        closed_dates TEXT NOT NULL DEFAULT '[]',
        entrances TEXT NOT NULL DEFAULT '[]',
        lends TEXT NOT NULL DEFAULT '[]',
        rules_text TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL);
    CREATE INDEX stations_county ON stations(county_id);
    CREATE INDEX stations_unit ON stations(unit_id);
    """)


@migrations()
def m002_staff(db):
    db.executescript("""
    CREATE TABLE staff_users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('city','county','unit','station','federation')),
        county_id INTEGER REFERENCES counties(id),
        unit_id INTEGER REFERENCES supervising_units(id),
        station_id INTEGER REFERENCES stations(id),
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        CHECK (role != 'county' OR county_id IS NOT NULL),
        CHECK (role != 'unit' OR unit_id IS NOT NULL),
        CHECK (role != 'station' OR station_id IS NOT NULL));
    CREATE TABLE staff_sessions (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES staff_users(id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        revoked_at TEXT);
    CREATE TABLE rate_hits (key TEXT NOT NULL, at REAL NOT NULL);
    CREATE INDEX rate_hits_key ON rate_hits(key, at);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        object_type TEXT NOT NULL,
        object_id TEXT,
        before TEXT,
        after TEXT,
        why TEXT);""" + _append_only("audit_log"))


@migrations()
def m003_volunteers(db):
    db.executescript("""
    CREATE TABLE volunteers (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        gender TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        id_cipher TEXT NOT NULL,
        id_hash TEXT NOT NULL UNIQUE,
        id_last4 TEXT NOT NULL,
        mobile TEXT NOT NULL,
        profile TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','active','suspended')),
        badge_version INTEGER NOT NULL DEFAULT 1,
        approval_opinion TEXT,
        approved_by TEXT,
        approved_at TEXT,
        registered_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL);
    CREATE TABLE station_members (
        station_id INTEGER NOT NULL REFERENCES stations(id),
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        joined_at TEXT NOT NULL,
        PRIMARY KEY (station_id, volunteer_id));
    CREATE INDEX station_members_volunteer ON station_members(volunteer_id);
    CREATE TABLE reveal_log (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
        object_type TEXT NOT NULL, object_id TEXT NOT NULL, field TEXT NOT NULL, why TEXT NOT NULL);
    """)


@migrations()
def m004_kiosks_and_shifts(db):
    db.executescript("""
    CREATE TABLE pairing_codes (
        id INTEGER PRIMARY KEY,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        code_hash TEXT NOT NULL UNIQUE,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT);
    CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        token_hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        last_seen_at TEXT,
        revoked_at TEXT);
    CREATE TABLE shifts (
        id INTEGER PRIMARY KEY,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        station_id INTEGER NOT NULL REFERENCES stations(id),
        local_date TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        last_scan_at TEXT NOT NULL,
        credited_minutes INTEGER NOT NULL DEFAULT 0,
        service_item TEXT NOT NULL DEFAULT '站点服务',
        source TEXT NOT NULL DEFAULT 'scan' CHECK (source IN ('scan','manual')),
        state TEXT NOT NULL DEFAULT 'open'
            CHECK (state IN ('open','closed','review','rejected')),
        review_reasons TEXT NOT NULL DEFAULT '[]',
        identity_items TEXT,
        approval TEXT NOT NULL DEFAULT 'pending'
            CHECK (approval IN ('pending','approved','rejected','exported')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (ended_at IS NULL OR ended_at > started_at),
        CHECK ((state = 'open') = (ended_at IS NULL)));
    CREATE UNIQUE INDEX shifts_one_open ON shifts(volunteer_id) WHERE ended_at IS NULL;
    CREATE INDEX shifts_station_day ON shifts(station_id, local_date);
    CREATE INDEX shifts_volunteer_day ON shifts(volunteer_id, local_date);
    CREATE TABLE scan_events (
        id TEXT PRIMARY KEY,
        device_id INTEGER NOT NULL REFERENCES devices(id),
        station_id INTEGER NOT NULL REFERENCES stations(id),
        payload_hash TEXT NOT NULL,
        token TEXT NOT NULL,
        volunteer_id INTEGER REFERENCES volunteers(id),
        client_scanned_at TEXT,
        used_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT,
        shift_id INTEGER REFERENCES shifts(id),
        flags TEXT NOT NULL DEFAULT '[]');
    CREATE INDEX scan_events_station ON scan_events(station_id, used_at);""" + _append_only("scan_events"))


@migrations()
def m005_shift_lookup(db):
    # The engine asks for a volunteer's latest shift on every scan.
    db.execute("CREATE INDEX shifts_volunteer_last ON shifts(volunteer_id, last_scan_at)")


@migrations()
def m006_requests_and_loans(db):
    db.executescript("""
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        ticket TEXT NOT NULL UNIQUE,
        track_hash TEXT NOT NULL,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'phone')),
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN
            ('new','accepted','in_service','done','cannot','duplicate','transferred')),
        name_masked TEXT NOT NULL,
        phone_masked TEXT NOT NULL,
        category TEXT,
        sensitive INTEGER NOT NULL DEFAULT 0,
        service_item TEXT NOT NULL,
        service_time TEXT,
        details_cipher TEXT NOT NULL,
        consent TEXT NOT NULL,
        leader_opinion TEXT,
        volunteer_count INTEGER,
        volunteer_names TEXT,
        service_record TEXT,
        feedback TEXT,
        rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (sensitive IN (0, 1) AND (sensitive = 0 OR category IS NULL)));
    CREATE INDEX requests_station ON requests(station_id, state, created_at);
    CREATE TABLE request_events (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES requests(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT,
        note TEXT,
        public INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX request_events_request ON request_events(request_id, id);
    CREATE TRIGGER request_events_append_only BEFORE UPDATE ON request_events
        BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;
    CREATE TABLE loans (
        id INTEGER PRIMARY KEY,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        item TEXT NOT NULL,
        borrower_masked TEXT NOT NULL,
        phone_masked TEXT NOT NULL,
        borrower_cipher TEXT NOT NULL,
        device_id INTEGER REFERENCES devices(id),
        out_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        returned_at TEXT,
        CHECK (returned_at IS NULL OR returned_at >= out_at));
    CREATE INDEX loans_station_open ON loans(station_id, returned_at);
    """)


@migrations()
def m007_offices(db):
    db.executescript("""
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        kind TEXT NOT NULL,
        local_date TEXT NOT NULL,
        ref TEXT NOT NULL DEFAULT '',
        level TEXT NOT NULL DEFAULT 'warning' CHECK (level IN ('warning', 'alert')),
        message TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        cleared_at TEXT,
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        note TEXT,
        UNIQUE (station_id, kind, local_date, ref));
    CREATE INDEX alerts_open ON alerts(station_id, acknowledged_at);
    CREATE TABLE inspections (
        id INTEGER PRIMARY KEY,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        visited_on TEXT NOT NULL,
        inspectors TEXT NOT NULL,
        checks TEXT NOT NULL,
        findings TEXT NOT NULL DEFAULT '',
        deadline TEXT,
        rectified_at TEXT,
        rectified_by TEXT,
        rectified_note TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL);
    CREATE INDEX inspections_station ON inspections(station_id, visited_on);
    CREATE TABLE inspection_photos (
        id INTEGER PRIMARY KEY,
        inspection_id INTEGER NOT NULL REFERENCES inspections(id),
        mime TEXT NOT NULL,
        data BLOB NOT NULL);
    CREATE TABLE trainings (
        id INTEGER PRIMARY KEY,
        station_id INTEGER REFERENCES stations(id),
        held_on TEXT NOT NULL,
        topic TEXT NOT NULL,
        trainer TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL);
    CREATE TABLE training_attendees (
        training_id INTEGER NOT NULL REFERENCES trainings(id),
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        PRIMARY KEY (training_id, volunteer_id));
    CREATE INDEX training_attendees_volunteer ON training_attendees(volunteer_id);
    CREATE TABLE roster (
        station_id INTEGER NOT NULL REFERENCES stations(id),
        local_date TEXT NOT NULL,
        window_index INTEGER NOT NULL,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        PRIMARY KEY (station_id, local_date, window_index, volunteer_id));
    CREATE TABLE supplies (
        id INTEGER PRIMARY KEY,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        item TEXT NOT NULL,
        category TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        expires_on TEXT,
        updated_at TEXT NOT NULL);
    CREATE TABLE supply_checks (
        id INTEGER PRIMARY KEY,
        station_id INTEGER NOT NULL REFERENCES stations(id),
        checked_by TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '');
    """)


@migrations()
def m008_hours(db):
    db.executescript("""
    ALTER TABLE shifts ADD COLUMN entered_by TEXT;
    ALTER TABLE shifts ADD COLUMN approved_by TEXT;
    ALTER TABLE shifts ADD COLUMN approved_at TEXT;
    ALTER TABLE shifts ADD COLUMN export_batch INTEGER;
    ALTER TABLE shifts ADD COLUMN review_note TEXT;
    CREATE INDEX shifts_approval ON shifts(approval, local_date);
    CREATE INDEX shifts_state ON shifts(state, station_id);
    CREATE TABLE export_batches (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        scope TEXT NOT NULL,
        date_from TEXT NOT NULL,
        date_to TEXT NOT NULL,
        rows INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'records' CHECK (kind IN ('records', 'corrections')));
    CREATE TABLE shift_corrections (
        id INTEGER PRIMARY KEY,
        shift_id INTEGER NOT NULL REFERENCES shifts(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        why TEXT NOT NULL,
        export_batch INTEGER REFERENCES export_batches(id));
    CREATE TABLE star_certifications (
        id INTEGER PRIMARY KEY,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
        certified_by TEXT NOT NULL,
        certified_at TEXT NOT NULL,
        UNIQUE (volunteer_id, level));
    CREATE TABLE rewards (
        id INTEGER PRIMARY KEY,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        what TEXT NOT NULL,
        given_on TEXT NOT NULL,
        given_by TEXT NOT NULL);
    """)


@migrations()
def m009_hours_extra(db):
    # Running totals of closed shifts per station-day and per volunteer-month, kept by triggers,
    # so a report on a year of a whole city (1.5 million shifts) reads thousands of rows, not
    # millions, and the scan engine needs no change.
    add = """INSERT INTO station_days (local_date, station_id, records, minutes, approved_minutes)
        SELECT {r}.local_date, {r}.station_id, {sign}, {sign} * {r}.credited_minutes,
               {sign} * (CASE WHEN {r}.approval IN ('approved', 'exported') THEN {r}.credited_minutes ELSE 0 END)
        WHERE {r}.state = 'closed'
        ON CONFLICT (local_date, station_id) DO UPDATE SET records = records + excluded.records,
            minutes = minutes + excluded.minutes, approved_minutes = approved_minutes + excluded.approved_minutes;
    INSERT INTO volunteer_months (month, volunteer_id, station_id, records, minutes, approved_minutes)
        SELECT substr({r}.local_date, 1, 7), {r}.volunteer_id, {r}.station_id, {sign}, {sign} * {r}.credited_minutes,
               {sign} * (CASE WHEN {r}.approval IN ('approved', 'exported') THEN {r}.credited_minutes ELSE 0 END)
        WHERE {r}.state = 'closed'
        ON CONFLICT (month, volunteer_id, station_id) DO UPDATE SET records = records + excluded.records,
            minutes = minutes + excluded.minutes, approved_minutes = approved_minutes + excluded.approved_minutes;"""
    db.executescript(f"""
    CREATE TABLE station_days (
        local_date TEXT NOT NULL, station_id INTEGER NOT NULL, records INTEGER NOT NULL,
        minutes INTEGER NOT NULL, approved_minutes INTEGER NOT NULL,
        PRIMARY KEY (local_date, station_id)) WITHOUT ROWID;
    CREATE TABLE volunteer_months (
        month TEXT NOT NULL, volunteer_id INTEGER NOT NULL, station_id INTEGER NOT NULL,
        records INTEGER NOT NULL, minutes INTEGER NOT NULL, approved_minutes INTEGER NOT NULL,
        PRIMARY KEY (month, volunteer_id, station_id)) WITHOUT ROWID;
    CREATE TRIGGER shifts_totals_i AFTER INSERT ON shifts BEGIN {add.format(r="NEW", sign="1")} END;
    CREATE TRIGGER shifts_totals_u AFTER UPDATE OF state, approval, credited_minutes, station_id,
        local_date, volunteer_id ON shifts BEGIN
        {add.format(r="OLD", sign="-1")} {add.format(r="NEW", sign="1")} END;
    CREATE TRIGGER shifts_totals_d AFTER DELETE ON shifts BEGIN {add.format(r="OLD", sign="-1")} END;
    INSERT INTO station_days SELECT local_date, station_id, count(*), sum(credited_minutes),
        sum(CASE WHEN approval IN ('approved', 'exported') THEN credited_minutes ELSE 0 END)
        FROM shifts WHERE state = 'closed' GROUP BY local_date, station_id;
    INSERT INTO volunteer_months SELECT substr(local_date, 1, 7), volunteer_id, station_id, count(*),
        sum(credited_minutes), sum(CASE WHEN approval IN ('approved', 'exported') THEN credited_minutes ELSE 0 END)
        FROM shifts WHERE state = 'closed' GROUP BY 1, 2, 3;
    """)


# The services every type had before they followed the notice's wording (catalogue, issue 15).
_OLD_EXTRA_SERVICES = {
    "hospital": ["挂号就医就诊等咨询", "免费提供饮用水", "轮椅借用"], "bank": ["转账汇款等咨询", "免费提供饮用水", "雨伞借用"],
    "community": ["社保、计生、低保等咨询服务"], "transport": ["车票购换、寄存物品咨询"],
    "culture": ["市民参观引导、讲解咨询"], "scenic": ["游客购票、游览咨询", "雨伞借用", "轮椅借用"],
    "government": ["工商、公安、税务等业务咨询", "免费提供饮用水"], "telecom": ["网络宽带、手机业务咨询", "免费提供饮用水"],
    "supermarket": ["购物、物品寄存等咨询"], "park": ["义务指路", "提供急救用品", "摩托车及电动车打气", "提供旅游、购物咨询"],
    "hotel": ["义务引路", "物品寄存", "雨伞提供"],
}


@migrations()
def m010_notice_services(db):
    # A station still on its type's old default list takes the notice's list; one it adjusted keeps it.
    import json

    from server.rules.catalogue import STATION_TYPES
    common = ["各种知识宣传", "接收志愿者报名注册", "服务对象需求信息采集"]
    for row in list(db.query("SELECT id, type_code, services FROM stations")):
        extra = _OLD_EXTRA_SERVICES.get(row["type_code"])
        if extra is not None and json.loads(row["services"]) == extra + common:
            db.execute("UPDATE stations SET services = ? WHERE id = ?",
                       [json.dumps(STATION_TYPES[row["type_code"]]["services"], ensure_ascii=False,
                                   separators=(",", ":")), row["id"]])



@migrations()
def m011_service_time(db):
    # The station's service time per day (the five-hour rule, server/rules/service_time.py) is a
    # union of intervals inside windows, which SQL cannot compute: a shift change clears the
    # station-day's figure and the storage layer recomputes what is cleared when it is read.
    stale = """UPDATE station_days SET service_minutes = NULL
        WHERE local_date = {r}.local_date AND station_id = {r}.station_id;"""
    db.executescript(f"""
    ALTER TABLE station_days ADD COLUMN service_minutes INTEGER;
    CREATE TRIGGER shifts_service_i AFTER INSERT ON shifts BEGIN {stale.format(r="NEW")} END;
    CREATE TRIGGER shifts_service_u AFTER UPDATE OF state, started_at, ended_at, credited_minutes, station_id,
        local_date ON shifts BEGIN {stale.format(r="OLD")} {stale.format(r="NEW")} END;
    CREATE TRIGGER shifts_service_d AFTER DELETE ON shifts BEGIN {stale.format(r="OLD")} END;
    CREATE INDEX station_days_stale ON station_days(local_date) WHERE service_minutes IS NULL;
    """)



@migrations()
def m012_service_card(db):
    # Which records were written into the volunteer's 《普洱市志愿服务证》 (guide 二.4), when and by whom.
    db.executescript("""
    ALTER TABLE shifts ADD COLUMN card_recorded_at TEXT;
    ALTER TABLE shifts ADD COLUMN card_recorded_by TEXT;
    """)


@migrations()
def m013_staff_accounts(db):
    # A one-time password must be changed at the first sign-in; offices see each account's last
    # sign-in; the city office's audit page filters both logs by person, object and day.
    db.executescript("""
    ALTER TABLE staff_users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE staff_users ADD COLUMN last_sign_in_at TEXT;
    ALTER TABLE staff_users ADD COLUMN password_changed_at TEXT;
    CREATE INDEX audit_log_at ON audit_log(at);
    CREATE INDEX audit_log_actor ON audit_log(actor, at);
    CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
    CREATE INDEX reveal_log_at ON reveal_log(at);
    CREATE INDEX reveal_log_actor ON reveal_log(actor, at);
    """)


@migrations()
def m014_job_lease(db):
    # Several server processes share one database: the background jobs run in the one holding
    # the lease (times are Unix seconds), and each process says it is alive in server_processes.
    db.executescript("""
    CREATE TABLE job_lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL,
                            renewed_at REAL NOT NULL, ran_at REAL, ran_by TEXT);
    CREATE TABLE server_processes (id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL,
                                   started_at REAL NOT NULL, seen_at REAL NOT NULL);
    """)


@migrations()
def m015_working_days(db):
    # Each station serves on its type's days (notice 二): the day rule goes into its windows
    # (server/rules/windows.py). A working-day station still on its type's default windows keeps
    # them Monday to Friday; one whose adjusted windows open a weekend day keeps every day.
    import json

    from server.rules.catalogue import STATION_TYPES, weekly_windows
    for row in list(db.query("SELECT id, type_code, windows FROM stations")):
        windows = json.loads(row["windows"] or "{}")
        t = STATION_TYPES.get(row["type_code"])
        if "days" in windows or t is None:
            continue
        rule = t["days"]
        if rule == "workdays":
            if {k: v for k, v in windows.items() if k in "0123456"} == weekly_windows(t["windows"]):
                windows["5"], windows["6"] = [], []
            elif windows.get("5") or windows.get("6"):
                rule = "everyday"
        windows["days"] = rule
        db.execute("UPDATE stations SET windows = ? WHERE id = ?",
                   [json.dumps(windows, ensure_ascii=False, separators=(",", ":")), row["id"]])
    db.execute("UPDATE station_days SET service_minutes = NULL")


@migrations()
def m016_station_units(db):
    # A station may have several supervising units (a bank: 人行普洱市中心支行 and 市银保监分局);
    # units are data the city office manages, with the station types they usually supervise.
    # No unit means the county office (县（区）文明办), which was also a pseudo-unit row.
    db.executescript("""
    CREATE TABLE station_units (
        station_id INTEGER NOT NULL REFERENCES stations(id),
        unit_id INTEGER NOT NULL REFERENCES supervising_units(id),
        PRIMARY KEY (station_id, unit_id)) WITHOUT ROWID;
    CREATE INDEX station_units_unit ON station_units(unit_id, station_id);
    ALTER TABLE supervising_units ADD COLUMN types TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE supervising_units ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE stations ADD COLUMN closed_at TEXT;
    ALTER TABLE stations ADD COLUMN closed_why TEXT;
    INSERT INTO station_units (station_id, unit_id)
        SELECT s.id, s.unit_id FROM stations s JOIN supervising_units u ON u.id = s.unit_id
        WHERE u.name != '县（区）文明办';
    UPDATE stations SET unit_id = NULL
        WHERE unit_id IN (SELECT id FROM supervising_units WHERE name = '县（区）文明办');
    UPDATE supervising_units SET active = 0 WHERE name = '县（区）文明办';
    """)
    import json

    from server.rules.catalogue import UNIT_TYPES
    for name, types in UNIT_TYPES.items():
        db.execute("UPDATE supervising_units SET types = ? WHERE name = ?", [json.dumps(types), name])


@migrations()
def m017_volunteer_photos(db):
    # A volunteer's badge photo, encrypted at rest like ID numbers (Fernet over the JPEG's base64),
    # in its own table so volunteer lists never read the pictures. Never part of a badge's QR.
    db.executescript("""
    CREATE TABLE volunteer_photos (volunteer_id INTEGER PRIMARY KEY REFERENCES volunteers(id),
                                   photo_cipher TEXT NOT NULL, source TEXT NOT NULL,
                                   updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);
    """)


@migrations()
def m018_station_answer_promise(db):
    # What a citizen's receipt says about when the station will answer a request (per station).
    db.execute("ALTER TABLE stations ADD COLUMN answer_promise TEXT NOT NULL DEFAULT '工作日 2 天内联系您'")


@migrations()
def m019_hours_queue(db):
    # The approval list at city scale (1.5 million shifts): a page is a walk along shifts_queue in
    # its own order (approval, day, start, station, id), and its count and hours are read from the
    # index alone (state, credited_minutes). The station's review list and its count read a small
    # partial index of the records waiting for a person.
    db.executescript("""
    CREATE INDEX shifts_queue ON shifts(approval, local_date, started_at, station_id, id, state, credited_minutes);
    CREATE INDEX shifts_to_review ON shifts(local_date, started_at, station_id)
        WHERE state = 'review' OR (source = 'manual' AND approval = 'pending' AND state = 'closed');
    """)


@migrations()
def m020_station_months(db):
    # Running totals per station-month, kept from station_days by triggers (which m009 and m011
    # keep from shifts), so a year's report reads 12,000 rows for a city of 1,000 stations, not
    # 365,000. service and full_days count only station-days whose service time is known; reports
    # recompute the cleared ones first (server/store/reports.py). shifts_to_export: the dashboard's
    # "to export" count for any scope without reading the table.
    add = """INSERT INTO station_months (month, station_id, records, minutes, approved_minutes, service, full_days)
        VALUES (substr({r}.local_date, 1, 7), {r}.station_id, {sign} * {r}.records, {sign} * {r}.minutes,
                {sign} * {r}.approved_minutes, {sign} * coalesce({r}.service_minutes, 0),
                {sign} * coalesce({r}.service_minutes >= 300, 0))
        ON CONFLICT (month, station_id) DO UPDATE SET records = records + excluded.records,
            minutes = minutes + excluded.minutes, approved_minutes = approved_minutes + excluded.approved_minutes,
            service = service + excluded.service, full_days = full_days + excluded.full_days;"""
    db.executescript(f"""
    CREATE TABLE station_months (
        month TEXT NOT NULL, station_id INTEGER NOT NULL, records INTEGER NOT NULL, minutes INTEGER NOT NULL,
        approved_minutes INTEGER NOT NULL, service INTEGER NOT NULL, full_days INTEGER NOT NULL,
        PRIMARY KEY (month, station_id)) WITHOUT ROWID;
    CREATE TRIGGER station_days_months_i AFTER INSERT ON station_days BEGIN {add.format(r="NEW", sign="1")} END;
    CREATE TRIGGER station_days_months_u AFTER UPDATE ON station_days BEGIN
        {add.format(r="OLD", sign="-1")} {add.format(r="NEW", sign="1")} END;
    CREATE TRIGGER station_days_months_d AFTER DELETE ON station_days BEGIN {add.format(r="OLD", sign="-1")} END;
    INSERT INTO station_months SELECT substr(local_date, 1, 7), station_id, sum(records), sum(minutes),
        sum(approved_minutes), sum(coalesce(service_minutes, 0)), sum(coalesce(service_minutes >= 300, 0))
        FROM station_days GROUP BY 1, 2;
    CREATE INDEX shifts_to_export ON shifts(station_id) WHERE approval = 'approved';
    """)


@migrations()
def m021_totals_skip_exports(db):
    # Marking 100,000 approved records exported changes no running total (approved_minutes counts
    # both), yet m009's update trigger re-added every one of them to station_days and
    # volunteer_months: the same trigger, now only when a total can change.
    old = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'shifts_totals_u'").fetchone()[0]
    counted = "(CASE WHEN {r}.approval IN ('approved', 'exported') THEN 1 ELSE 0 END)"
    when = (" ON shifts WHEN OLD.state IS NOT NEW.state OR OLD.credited_minutes IS NOT NEW.credited_minutes"
            " OR OLD.station_id IS NOT NEW.station_id OR OLD.local_date IS NOT NEW.local_date"
            f" OR OLD.volunteer_id IS NOT NEW.volunteer_id OR {counted.format(r='OLD')} != {counted.format(r='NEW')}"
            " BEGIN")
    assert " ON shifts BEGIN" in old, "m009's trigger text changed"
    db.execute("DROP TRIGGER shifts_totals_u")
    db.execute(old.replace(" ON shifts BEGIN", when, 1))


@migrations()
def m022_shift_counts(db):
    # How many records each station has in each approval and state, kept by triggers: the
    # dashboards' counts (to review, to approve, to export) read a few thousand rows at most, not
    # an index of 1.5 million entries.
    add = """INSERT INTO shift_counts (station_id, approval, state, n) VALUES ({r}.station_id, {r}.approval, {r}.state, {sign})
        ON CONFLICT (station_id, approval, state) DO UPDATE SET n = n + excluded.n;"""
    db.executescript(f"""
    CREATE TABLE shift_counts (station_id INTEGER NOT NULL, approval TEXT NOT NULL, state TEXT NOT NULL,
        n INTEGER NOT NULL, PRIMARY KEY (station_id, approval, state)) WITHOUT ROWID;
    CREATE TRIGGER shifts_counts_i AFTER INSERT ON shifts BEGIN {add.format(r="NEW", sign="1")} END;
    CREATE TRIGGER shifts_counts_u AFTER UPDATE OF approval, state, station_id ON shifts
        WHEN OLD.approval IS NOT NEW.approval OR OLD.state IS NOT NEW.state OR OLD.station_id IS NOT NEW.station_id
        BEGIN {add.format(r="OLD", sign="-1")} {add.format(r="NEW", sign="1")} END;
    CREATE TRIGGER shifts_counts_d AFTER DELETE ON shifts BEGIN {add.format(r="OLD", sign="-1")} END;
    INSERT INTO shift_counts SELECT station_id, approval, state, count(*) FROM shifts GROUP BY 1, 2, 3;
    """)


@migrations()
def m023_export_batch_index(db):
    # A past batch downloaded again reads its records by export_batch: without an index, every shift.
    db.execute("CREATE INDEX shifts_export_batch ON shifts(export_batch) WHERE export_batch IS NOT NULL")


@migrations()
def m024_scan_read_back(db):
    # What a kiosk is told after each scan: the station's on-duty list reads only the open shifts
    # (not the station's whole history), the volunteer's approved total only their approved
    # records, from the index alone. Both stay small for a scan's writes: the first holds open
    # shifts only, and a shift is opened and closed while pending, outside the second.
    db.executescript("""
    CREATE INDEX shifts_on_duty ON shifts(station_id, started_at) WHERE ended_at IS NULL;
    CREATE INDEX shifts_volunteer_approved ON shifts(volunteer_id, credited_minutes)
        WHERE approval IN ('approved', 'exported');
    """)


def migrate(db):
    """Apply every migration not yet applied; running it twice changes nothing."""
    migrations.apply(db)
