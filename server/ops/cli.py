"""The commands of run.py: serve, init, demo, pair, stations, volunteers, and later ones."""
import argparse
import getpass
import json
import os
import sys

from server import create_app
from server.db import connect, immediate
from server.rules.identity import mask_name, mask_phone

COMMANDS = {}


def command(name, help_text):
    def register(fn):
        COMMANDS[name] = (fn, help_text)
        return fn
    return register


def _db(app):
    return connect(app.config["DATABASE"])


DEMO_REFUSAL = (
    "拒绝启动：数据库中有仍使用公开演示密码的演示账号（{users}），而服务器绑定在非本机地址 {host}，任何人都能用它们登录。\n"
    "正式使用：换一个新的空数据库（设置 LEIFENG_DATABASE=新文件路径，或移走 {database}），"
    "运行 python run.py init 创建第一个市文明办账号，再启动。\n"
    "只在本机试用：HOST=127.0.0.1。确实要在网络上演示：设置 LEIFENG_DEMO=true。\n"
    "Refusing to start: the database holds demo accounts ({users}) with the public demo password, and the server"
    " is bound to {host}, not to this machine only, so anyone could sign in with them.\n"
    "For real use: point LEIFENG_DATABASE at a new, empty file (or move {database} away), run"
    " `python run.py init` to make the first city-office account, then start again.\n"
    "To try it on this machine only: HOST=127.0.0.1. To demonstrate on a network on purpose: LEIFENG_DEMO=true.")


def _owner_only(database):
    """Files made before the umask (an older install) are narrowed to the owner too."""
    for path in (database, database + "-wal", database + "-shm"):
        try:
            os.chmod(path, 0o600)
        except OSError:
            pass  # not there (no WAL yet) or not ours: nothing to narrow


@command("serve", "serve the kiosk, phone pages and staff pages (default)")
def cmd_serve(args):
    from server.config import bound_address, is_loopback, public_url_warning
    from server.ops.demo import load_demo_if_empty, open_demo_accounts
    from server.ops.jobs import start_jobs
    from server.ops.serving import prepare_metrics, refusal, serve
    from server.store import staff

    host, port = bound_address()
    prepare_metrics()  # before any metric exists, so every worker adds to the same figures
    app = create_app()
    refused = refusal(app.config)
    if refused:
        print("\n".join(refused), file=sys.stderr)
        return 2
    local_only = is_loopback(host)
    demo = app.config["DEMO"] if app.config.get("DEMO") in (True, False) else None  # None: decide by address
    accounts = None
    if demo or (demo is None and local_only):
        with app.app_context():
            accounts = load_demo_if_empty(app)
    db = _db(app)
    try:
        has_users = staff.count_users(db)
        exposed = [] if local_only or demo else open_demo_accounts(db)
    finally:
        db.close()
    if exposed:
        print(DEMO_REFUSAL.format(host=host, database=app.config["DATABASE"], users=", ".join(exposed)),
              file=sys.stderr)
        return 2
    _owner_only(app.config["DATABASE"])
    base = f"http://{host}:{port}"
    print(f"学雷锋志愿服务站点 — serving on {base}")
    print(f"  kiosk 站点自助机:        {base}/kiosk/")
    print(f"  staff 工作人员登录:      {base}/staff/login")
    print(f"  phones 市民手机（二维码）: {app.config['PUBLIC_URL'].rstrip('/')}/s/<站点编号 station id>")
    if accounts:
        print(f"  demo accounts 演示账号 (password 密码 {accounts['password']}):")
        for username, label in accounts["users"]:
            print(f"    {username:<14} {label}")
        print("  pair a kiosk 配对自助机: python run.py pair --station 1")
        if not local_only:
            print("警告：演示账号的密码是公开的，任何能访问本服务器的人都能登录。 / Warning: the demo accounts'"
                  " password is public; anyone who can reach this server can sign in.", file=sys.stderr)
    elif not has_users:
        print("  还没有任何账号：运行 python run.py init 创建第一个市文明办账号。"
              " / No accounts yet: run `python run.py init` to make the first city-office account.")
    warning = public_url_warning(app.config["PUBLIC_URL"])
    if warning:
        print("\n".join(warning), file=sys.stderr)
    sys.stdout.flush()

    def factory():
        worker_app = create_app()
        start_jobs(worker_app)
        return worker_app
    serve(factory, host, port, workers=int(app.config["WORKERS"]))


@command("init", "create an empty city and its first city-office account")
def cmd_init(args):
    from server.store import staff
    app = create_app({"DEMO": False})
    db = _db(app)
    if staff.count_users(db):
        from server.ops.demo import open_demo_accounts
        if open_demo_accounts(db):
            print(f"{app.config['DATABASE']} 是演示数据库（演示账号使用公开密码），不能用于正式工作。"
                  "请用一个新的数据库文件：LEIFENG_DATABASE=新文件路径 python run.py init\n"
                  f"{app.config['DATABASE']} holds the demo city (demo accounts with the public password)."
                  " Start real work in a new file: LEIFENG_DATABASE=/path/to/new.sqlite3 python run.py init",
                  file=sys.stderr)
            return 2
        print("已有账号，无需初始化 / Accounts exist already; nothing to do.")
        return 0
    username = args.username or input("用户名 / username: ").strip()
    password = args.password or getpass.getpass("密码 / password (≥ 10): ")
    if len(username) < 3:
        print("用户名至少 3 位 / a username needs at least 3 characters", file=sys.stderr)
        return 2
    from server.rules.errors import RuleError
    from server.rules.passwords import check_password
    try:
        check_password(password, username)  # the same rules as every staff password
    except RuleError as e:
        print(f"{e.zh} / {e.en}", file=sys.stderr)
        return 2
    with app.app_context(), immediate(db):
        staff.create_user(db, "cli:init", username, password, "市文明办", "city")
    print(f"已创建市文明办账号 / City-office account created: {username}")
    return 0


@command("pair", "print a one-time pairing code for a station's kiosk")
def cmd_pair(args):
    from server.store import devices, stations
    app = create_app()
    db = _db(app)
    with app.app_context():
        station = stations.station_for_device(db, args.station)
        if station is None:
            print(f"没有编号为 {args.station} 的站点 / No station {args.station}", file=sys.stderr)
            return 2
        with immediate(db):
            code = devices.new_pairing_code(db, "cli:pair", args.station,
                                            app.config["PAIRING_CODE_MINUTES"])
    minutes = app.config["PAIRING_CODE_MINUTES"]
    if args.json:
        print(json.dumps({"station_id": args.station, "code": code, "minutes": minutes}))
    else:
        print(f"{station['name']}\n配对码 / pairing code: {code}  ({minutes} 分钟内有效 / valid {minutes} min)")
    return 0


@command("stations", "list stations with their ids")
def cmd_stations(args):
    from server.store import stations
    from server.store.scope import Scope
    app = create_app()
    with app.app_context():
        rows = stations.list_stations(_db(app), Scope("city"))
    if args.json:
        print(json.dumps([{k: r[k] for k in ("id", "name", "type_code", "county")} for r in rows],
                         ensure_ascii=False))
    else:
        for r in rows:
            print(f"{r['id']:>5}  {r['type_name']:<8} {r['county']:<10} {r['name']}")
    return 0


@command("volunteers", "list a station's volunteers (names and numbers masked)")
def cmd_volunteers(args):
    from server.store import volunteers
    from server.store.scope import Scope
    app = create_app()
    with app.app_context():
        rows = volunteers.list_volunteers(_db(app), Scope("city"), station_id=args.station)
    out = [{"id": r["id"], "ref": r["ref"], "name": mask_name(r["name"]),
            "mobile": mask_phone(r["mobile"]), "id_number": "**************" + r["id_last4"],
            "status": r["status"]} for r in rows]
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for r in out:
            print(f"{r['id']:>6}  {r['ref']}  {r['name']:<6} {r['mobile']}  {r['id_number']}  {r['status']}")
    return 0


@command("print", "render a printable to PNG or PDF (see `print --help` for the kinds)")
def cmd_print(args):
    from printables import KINDS
    from server.services import printing
    from server.config import public_url_warning
    app = create_app()
    db = _db(app)
    try:
        fmt = printing.format_for(args.output, args.format)
        with app.test_request_context(), app.app_context():
            data, options = _print_data(db, args)
            written = printing.write_printable(args.kind, data, fmt, args.output, bleed=args.bleed, **options)
    except printing.Refusal as err:
        print(f"{err.zh} / {err.en}", file=sys.stderr)
        return 2
    if len(written) > 1:
        print(f"{KINDS[args.kind][0]}：共 {len(written)} 页，PNG 每页一个文件 / {len(written)} pages, one PNG each:")
        for path in written:
            print(f"  {path}")
    else:
        print(f"{KINDS[args.kind][0]} → {written[0]} ({os.path.getsize(written[0]) // 1024} KB)")
    warning = public_url_warning(app.config["PUBLIC_URL"])
    if warning and args.kind in ("station-poster", "name-board", "rules", "services", "direction-sign"):
        print("\n".join(warning), file=sys.stderr)
    return 0


def _print_data(db, args):
    """The plain data and options of a printable, from the command's options (printing.Refusal if unfit)."""
    from server.services import printing
    from server.store import requests as request_store
    from server.store import stations, volunteers
    from server.store.scope import Scope
    city, kind = Scope("city"), args.kind
    station = stations.get_station(db, city, args.station) if args.station else None
    if args.station and station is None:
        raise printing.Refusal(f"没有编号为 {args.station} 的站点", f"no station {args.station}")
    if kind not in ("registration-form", "request-form", "certificate", "service-card") and station is None:
        raise printing.Refusal("请用 --station 指定站点", f"--station ID is required for {kind}")
    volunteer = volunteers.get_volunteer(db, city, args.volunteer) if args.volunteer else None
    if args.volunteer and volunteer is None:
        raise printing.Refusal(f"没有编号为 {args.volunteer} 的志愿者", f"no volunteer {args.volunteer}")
    options = {}
    if kind in printing.STATION_KINDS:
        if kind in ("name-board", "rules", "services") and args.size:
            options["size"] = printing.size_option(args.size)
        if kind == "direction-sign":
            options["entrance"] = printing.entrance_index(station, args.entrance)
        return {"station": printing.station_data(station)}, options
    if kind in ("badge", "badge-sheet"):
        team = volunteers.list_volunteers(db, city, station["id"], "active")
        team = [v for v in team if not args.volunteer or v["id"] == args.volunteer]
        if not team:
            raise printing.Refusal("没有可打印的在册志愿者", "no active volunteer to print")
        badges = [printing.badge_data(db, v, station["name"]) for v in team]
        return ({"badge": badges[0]} if kind == "badge" else {"badges": badges}), options
    if kind == "register":
        if args.date_from and args.date_to:
            return printing.register_data(db, station, args.date_from, args.date_to), options
        return {"station": printing.station_data(station), "records": [], "blank_pages": 1}, options
    if kind == "service-card":
        if volunteer is None or not (args.date_from and args.date_to):
            raise printing.Refusal("请用 --volunteer 指定志愿者，并用 --from 和 --to 指定期间",
                                   "--volunteer ID, --from DATE and --to DATE are required for a service card")
        from server.store import service_cards
        rows = service_cards.card_records(db, city, volunteer["id"], args.date_from, args.date_to)
        return printing.service_card_data(volunteer, rows, args.date_from, args.date_to), options
    if kind == "certificate":
        if volunteer is None:
            raise printing.Refusal("请用 --volunteer 指定志愿者", "--volunteer ID is required for a certificate")
        return printing.certificate_data(db, volunteer), options
    if kind == "registration-form":
        return (printing.registration_data(volunteer) if volunteer else {}), options
    row = request_store.get_request(db, city, args.request) if args.request else None
    if args.request and row is None:
        raise printing.Refusal(f"没有编号为 {args.request} 的需求", f"no request {args.request}")
    return (printing.request_data(row) if row else {}), options


@command("backup", "write an online, consistent copy of the database (VACUUM INTO), safe under load")
def cmd_backup(args):
    from server.ops import backups
    from server.db import backup
    from server.timeutil import local_date, now
    app = create_app({"DEMO": False})
    try:
        if args.dir:  # nightly: a dated file, rotation, then the hook
            target = backups.dated_backup(app.config["DATABASE"], args.dir, local_date(now()))
            removed = backups.rotate(args.dir, args.keep_daily, args.keep_monthly)
        else:
            target, removed = backup(app.config["DATABASE"], args.output), []
        print(f"备份完成 / backup written: {target}")
        if removed:
            print(f"轮换删除 / rotated out: {', '.join(removed)}")
        note = backups.run_hook(args.hook, target)
        if note:
            print(note)
    except (FileExistsError, RuntimeError, OSError) as err:
        print(err, file=sys.stderr)
        return 2
    return 0


@command("restore", "put a backup in place of the database (the server stopped; the current file kept aside)")
def cmd_restore(args):
    from server.ops import backups
    from server.schema import migrations
    app = create_app({"DEMO": False})
    known = [m.name for m in migrations._migrations]
    try:
        done, _aside = backups.restore(app.config["DATABASE"], args.source, known,
                                       max(app.config["JOB_LEASE_SECONDS"], 60))
    except backups.Refusal as err:
        print(f"{err.zh}\n{err.en}", file=sys.stderr)
        return 2
    print("\n".join(done))
    return 0


@command("kiosk", "open the kiosk page full-screen in Chromium on this station PC")
def cmd_kiosk(args):
    from kiosk.launcher import launch
    port = os.environ.get("PORT", "5000")
    url = args.url or f"http://127.0.0.1:{port}/kiosk/"
    return launch(url, args.profile, args.dry_run, camera=not args.no_camera, printing=args.printing)


def _progress(items, label):
    """Items passed through, with a progress bar on stderr (a month of a whole city is 100,000 rows)."""
    import click
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True, show_percent=True) as bar:
        yield from bar


@command("export", "export approved records for the national system (XLSX or CSV) and mark them exported")
def cmd_export(args):
    from datetime import date

    from server.services.export import CORRECTION_FIELDS, columns_from, to_csv, to_xlsx, write_private
    from server.store import exports, stations
    from server.store.scope import Scope
    app = create_app({"DEMO": False})
    db = _db(app)
    scope, actor = Scope("city"), "cli:export"

    def render(rows, corrections):
        columns = columns_from(app.config.get("EXPORT_COLUMNS")) + (CORRECTION_FIELDS if corrections else [])
        rows = _progress(rows, f"写入 {len(rows):,} 条 / writing")
        return to_csv(columns, rows) if args.output.endswith(".csv") else to_xlsx(columns, rows)

    print("读取并解密记录… / reading records…", file=sys.stderr, flush=True)

    try:
        if args.batch is not None:  # a past batch again, from the records that carry its number
            with app.app_context(), immediate(db):
                batch = exports.batch(db, scope, actor, args.batch)
                if batch is None:
                    print(f"没有导出批次 {args.batch} / no export batch {args.batch}", file=sys.stderr)
                    return 2
                rows = exports.batch_rows(db, actor, scope, batch)
                write_private(args.output, render(rows, batch["kind"] == "corrections"))
            print(f"批次 {args.batch}：{len(rows)} 条 → {args.output} / batch {args.batch}: {len(rows)} rows")
            return 0
        if not (args.date_from and args.date_to):
            print("请给出 --from 和 --to，或 --batch / give --from and --to, or --batch", file=sys.stderr)
            return 2
        county_id = None
        if args.county:
            county_id = next((c["id"] for c in stations.counties(db) if args.county in (c["code"], c["name"])), None)
            if county_id is None:
                print(f"没有县（区）{args.county} / no county {args.county}", file=sys.stderr)
                return 2
        try:
            day_from, day_to = (date.fromisoformat(d).isoformat() for d in (args.date_from, args.date_to))
        except ValueError:
            print("日期格式应为 YYYY-MM-DD / dates must be YYYY-MM-DD", file=sys.stderr)
            return 2
        run = exports.export_corrections if args.corrections else exports.export_records
        # The file is written (temporary name, then renamed) before the batch is recorded and its
        # records marked, in one transaction: a file that cannot be written marks nothing.
        with app.app_context(), immediate(db):
            batch_id, rows = run(db, actor, scope, day_from, day_to, county_id,
                                 write=lambda rows: write_private(args.output, render(rows, args.corrections)))
    except OSError as e:
        print(f"无法写入 {args.output}（{e.strerror or e}），没有记录被标记为已导出 / cannot write {args.output}"
              f" ({e.strerror or e}); nothing was marked exported", file=sys.stderr)
        return 2
    if batch_id is None:
        print("没有可导出的记录 / nothing to export")
        return 0
    print(f"批次 {batch_id}：{len(rows)} 条 → {args.output} / batch {batch_id}: {len(rows)} rows")
    return 0


@command("demo", "generate a synthetic city into a separate database (--scale city-year: about 1.5 million shifts)")
def cmd_demo(args):
    from server.ops.demo_scale import generate
    output = args.output or os.path.join(create_app({"DEMO": False}).instance_path, f"{args.scale}.sqlite3")
    return generate(output, args.scale, days=args.days)


@command("users", "staff accounts: add (prints a one-time password), list, disable, enable, reset")
def cmd_users(args):
    from server.rules.errors import RuleError
    from server.services import accounts
    from server.store import staff
    from server.timeutil import local_text
    app = create_app()
    db = _db(app)
    scope, actor = accounts.city_scope(), f"cli:{getpass.getuser()}"
    with app.app_context():
        if args.action == "list":
            rows = [{"id": r["id"], "username": r["username"], "display_name": r["display_name"], "role": r["role"],
                     "scope": r["station"] or r["unit"] or r["county"] or "", "active": bool(r["active"]),
                     "must_change_password": bool(r["must_change_password"]),
                     "last_sign_in": local_text(r["last_sign_in_at"])} for r in staff.list_users(db)]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False))
            for r in rows if not args.json else ():
                state = "停用 disabled" if not r["active"] else "待改密码 must change" if r["must_change_password"] else "正常 active"
                print(f"{r['id']:>5}  {r['username']:<16} {r['role']:<10} {state:<20} {r['last_sign_in'] or '-':<16}  {r['scope']}")
            return 0
        try:
            if args.action == "add":
                return _users_add(db, scope, actor, args)
            user = staff.user_by_username(db, args.username)
            if user is None:
                print(f"没有用户 {args.username} / No user {args.username}", file=sys.stderr)
                return 2
            if args.action == "reset":
                _user, password = accounts.reset_password(db, scope, actor, None, user["id"])
                print(f"{user['username']} 的一次性密码 / one-time password: {password}\n"
                      "首次登录时必须修改；原有登录已结束。 / It must be changed at the first sign-in; existing sign-ins ended.")
            else:
                accounts.set_enabled(db, scope, actor, None, user["id"], args.action == "enable")
                print(f"{'已启用 / enabled' if args.action == 'enable' else '已停用，登录已结束 / disabled, signed out'}: {user['username']}")
        except RuleError as err:
            for e in getattr(err, "errors", [err]):
                print(f"{e.zh} / {e.en}", file=sys.stderr)
            return 2
    return 0


def _users_add(db, scope, actor, args):
    from server.services import accounts
    from server.store import stations
    form = {"username": args.username, "role": args.role, "display_name": args.name or "",
            "station_id": args.station}
    if args.county:
        county = next((c for c in stations.counties(db) if args.county in (c["code"], c["name"])), None)
        form["county_id"] = county and county["id"]
    if args.unit:
        unit = next((u for u in stations.units(db) if args.unit in (str(u["id"]), u["name"])), None)
        form["unit_id"] = unit and unit["id"]
    _user_id, password = accounts.create_account(db, scope, actor, form)
    print(f"已创建 / created: {args.username}\n一次性密码 / one-time password: {password}\n"
          "只显示这一次，首次登录时必须修改。 / Shown only now; it must be changed at the first sign-in.")
    return 0


def parser():
    p = argparse.ArgumentParser(prog="run.py", description="学雷锋志愿服务站点 kiosk and QR check-in server")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_fn, help_text) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if name == "init":
            sp.add_argument("--username")
            sp.add_argument("--password", help="prefer the prompt; this shows in shell history")
        if name in ("pair", "volunteers"):
            sp.add_argument("--station", type=int, required=True, help="station id (see `stations`)")
        if name in ("pair", "stations", "volunteers"):
            sp.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "kiosk":
            sp.add_argument("--url", help="the kiosk page (default http://127.0.0.1:$PORT/kiosk/)")
            sp.add_argument("--profile", help="browser profile folder; keeps the pairing across reboots")
            sp.add_argument("--no-camera", action="store_true", help="do not grant the camera")
            sp.add_argument("--printing", action="store_true",
                            help="print receipts silently on the default (58/80 mm) printer")
            sp.add_argument("--dry-run", action="store_true", help="print the command instead of running it")
        if name == "backup":
            where = sp.add_mutually_exclusive_group(required=True)
            where.add_argument("-o", "--output", help="a new file; it must not exist")
            where.add_argument("--dir", help="nightly: DIR/leifeng-YYYY-MM-DD.sqlite3, then rotation")
            sp.add_argument("--keep-daily", type=int, default=14, help="with --dir: newest days kept (14)")
            sp.add_argument("--keep-monthly", type=int, default=12, help="with --dir: months whose newest is kept (12)")
            sp.add_argument("--hook", help="an executable run with the new file's path, e.g. to copy it off this host")
        if name == "restore":
            sp.add_argument("--from", dest="source", required=True, metavar="BACKUP", help="the backup file")
        if name == "export":
            sp.add_argument("--from", dest="date_from", help="first service date, YYYY-MM-DD")
            sp.add_argument("--to", dest="date_to", help="last service date, YYYY-MM-DD")
            sp.add_argument("--county", help="county code or name (default: the whole city)")
            sp.add_argument("--corrections", action="store_true", help="export pending corrections instead")
            sp.add_argument("--batch", type=int, help="write a past batch again by its number (marks nothing)")
            sp.add_argument("-o", "--output", required=True, help="file.xlsx or file.csv")
        if name == "demo":
            sp.add_argument("--scale", choices=["city", "city-year"], default="city-year")
            sp.add_argument("--days", type=int, default=365, help="days of shifts for city-year")
            sp.add_argument("-o", "--output", help="a new database file (default instance/<scale>.sqlite3)")
        if name == "print":
            from printables import KINDS
            from server.services import printing
            sp.add_argument("kind", choices=list(KINDS), metavar="KIND",
                            help="one of: " + ", ".join(f"{k} ({v[0]})" for k, v in KINDS.items()))
            sp.add_argument("--station", type=int)
            sp.add_argument("--volunteer", type=int)
            sp.add_argument("--request", type=int)
            sp.add_argument("--from", dest="date_from")
            sp.add_argument("--to", dest="date_to")
            sp.add_argument("--entrance", type=int, metavar="N", help="direction-sign: entrance N, counted from 1")
            sp.add_argument("--size", metavar="A3|A4|WxHmm",
                            help="name-board, rules, services: A3, A4 or a sign shop's size such as 1200x400mm")
            sp.add_argument("--bleed", type=float, default=0, metavar="MM",
                            help="boards, signs, poster: bleed in mm (3 for a sign shop), with crop marks")
            sp.add_argument("--format", choices=printing.FORMATS,
                            help="default: from the output's extension (.png, .pdf, .svg), else pdf")
            sp.add_argument("-o", "--output", required=True,
                            help="a PNG of several pages is written as NAME-1.png, NAME-2.png ...")
        if name == "users":
            actions = sp.add_subparsers(dest="action", metavar="ACTION", required=True)
            add = actions.add_parser("add", help="create an account and print its one-time password")
            add.add_argument("username")
            add.add_argument("--role", required=True, choices=["city", "county", "unit", "station", "federation"])
            add.add_argument("--county", metavar="CODE", help="--role county: county code (530802) or name")
            add.add_argument("--unit", metavar="ID", help="--role unit: supervising unit id or name")
            add.add_argument("--station", type=int, metavar="ID", help="--role station: station id (see `stations`)")
            add.add_argument("--name", help="display name (default: role and scope)")
            actions.add_parser("list", help="every account, its state and last sign-in").add_argument(
                "--json", action="store_true", help="machine-readable output")
            for verb, text in (("disable", "disable an account; its sign-ins end"), ("enable", "enable it again"),
                               ("reset", "a new one-time password, to be changed at the first sign-in")):
                actions.add_parser(verb, help=text).add_argument("username")
    return p


def main(argv):
    os.umask(0o077)  # the database, its WAL, backups and exports hold personal data: owner only
    args = parser().parse_args(argv)
    fn = COMMANDS[args.command or "serve"][0]
    if args.command is None:
        args = parser().parse_args(["serve"])
    return fn(args) or 0
