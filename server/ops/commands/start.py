"""run.py serve and init: start serving, or begin a real city with its first account."""
import getpass
import os
import sys

import click

from server.ops.commands import app_and_db, database, refuse

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


@click.command("serve")
def serve():
    """serve the kiosk, phone pages and staff pages (default)"""
    from server import create_app
    from server.config import bound_address, is_loopback, public_url_warning
    from server.ops.demo import load_demo_if_empty, open_demo_accounts
    from server.ops.jobs import start_jobs
    from server.ops.serving import prepare_metrics, prepare_writer, refusal, serve as serve_with_gunicorn
    from server.store import staff

    host, port = bound_address()
    prepare_metrics()  # before any metric exists, so every worker adds to the same figures
    app = create_app()
    refused = refusal(app.config)
    if refused:
        return refuse("\n".join(refused))
    local_only = is_loopback(host)
    demo = app.config["DEMO"] if app.config.get("DEMO") in (True, False) else None  # None: decide by address
    accounts = None
    if demo or (demo is None and local_only):
        with app.app_context():
            accounts = load_demo_if_empty(app)
    with database(app) as db:
        has_users = staff.count_users(db)
        exposed = [] if local_only or demo else open_demo_accounts(db)
    if exposed:
        return refuse(DEMO_REFUSAL.format(host=host, database=app.config["DATABASE"], users=", ".join(exposed)))
    _owner_only(app.config["DATABASE"])
    _say_where(app, host, port, accounts, local_only, has_users)
    warning = public_url_warning(app.config["PUBLIC_URL"])
    if warning:
        print("\n".join(warning), file=sys.stderr)
    sys.stdout.flush()

    prepare_writer(int(app.config["WORKERS"]))  # before the workers read their settings

    def factory():
        worker_app = create_app()
        start_jobs(worker_app)
        return worker_app
    serve_with_gunicorn(factory, host, port, workers=int(app.config["WORKERS"]))
    return 0


def _say_where(app, host, port, accounts, local_only, has_users):
    """The addresses to open, and the demo accounts or the first step without any account."""
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


@click.command("init")
@click.option("--username")
@click.option("--password", help="prefer the prompt; this shows in shell history")
def init(username, password):
    """create an empty city and its first city-office account"""
    from server.db import immediate
    from server.ops.demo import open_demo_accounts
    from server.rules.errors import RuleError
    from server.rules.passwords import check_password
    from server.store import staff
    with app_and_db({"DEMO": False}) as (app, db):
        if staff.count_users(db):
            if open_demo_accounts(db):
                return refuse(
                    f"{app.config['DATABASE']} 是演示数据库（演示账号使用公开密码），不能用于正式工作。"
                    "请用一个新的数据库文件：LEIFENG_DATABASE=新文件路径 python run.py init\n"
                    f"{app.config['DATABASE']} holds the demo city (demo accounts with the public password)."
                    " Start real work in a new file: LEIFENG_DATABASE=/path/to/new.sqlite3 python run.py init")
            print("已有账号，无需初始化 / Accounts exist already; nothing to do.")
            return 0
        username = username or input("用户名 / username: ").strip()
        password = password or getpass.getpass("密码 / password (≥ 10): ")
        if len(username) < 3:
            return refuse("用户名至少 3 位 / a username needs at least 3 characters")
        try:
            check_password(password, username)  # the same rules as every staff password
        except RuleError as e:
            return refuse(f"{e.zh} / {e.en}")
        with app.app_context(), immediate(db):
            staff.create_user(db, "cli:init", username, password, "市文明办", "city")
    print(f"已创建市文明办账号 / City-office account created: {username}")
    return 0
