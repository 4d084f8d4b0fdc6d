"""Nightly backups with rotation, and restoring one: plain functions the CLI wraps."""
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

from server.db import backup

NAME = re.compile(r"^leifeng-(\d{4}-\d{2}-\d{2})\.sqlite3$")


class Refusal(Exception):
    """A restore that must not happen, with the reason in Chinese and English."""

    def __init__(self, zh, en):
        super().__init__(en)
        self.zh, self.en = zh, en


def dated_backup(database, folder, today):
    """Write folder/leifeng-YYYY-MM-DD.sqlite3 for today (a second run that day replaces it)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"leifeng-{today.isoformat()}.sqlite3"
    partial = folder / f".leifeng-{today.isoformat()}.{os.getpid()}.partial"
    partial.unlink(missing_ok=True)
    backup(database, partial)
    os.replace(partial, target)
    return target


def to_remove(names, keep_daily=14, keep_monthly=12):
    """Which dated backups rotation deletes: all but the newest keep_daily days and the newest
    backup of each of the newest keep_monthly months."""
    days = sorted((date.fromisoformat(m.group(1)), n) for n in names if (m := NAME.match(n)))
    keep = {n for _d, n in days[-keep_daily:]} if keep_daily else set()
    newest_of_month = {}
    for day, name in days:
        newest_of_month[(day.year, day.month)] = name
    keep |= {newest_of_month[m] for m in sorted(newest_of_month)[-keep_monthly:]} if keep_monthly else set()
    return [n for _d, n in days if n not in keep]


def rotate(folder, keep_daily=14, keep_monthly=12):
    removed = to_remove(os.listdir(folder), keep_daily, keep_monthly)
    for name in removed:
        (Path(folder) / name).unlink()
    return removed


def run_hook(hook, path):
    """Hand the new backup to the hook (e.g. a script that copies it off this host)."""
    if not hook:
        return None
    if not os.access(hook, os.X_OK):
        return f"没有可执行的钩子 {hook}，备份只在本机 / no executable hook at {hook}; the backup stays on this host only"
    done = subprocess.run([hook, str(path)], capture_output=True, text=True, timeout=3600)
    if done.returncode:
        raise RuntimeError(f"备份钩子失败 / backup hook failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return f"钩子已运行 / hook ran: {hook} {path}"


def running_servers(database, window_seconds):
    """Serving processes on this database seen within the window (on this host: only live pids)."""
    if not Path(database).exists():
        return []
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'server_processes'").fetchone()
        rows = conn.execute("SELECT id, host, pid, seen_at FROM server_processes WHERE seen_at >= ?",
                            [time.time() - window_seconds]).fetchall() if has else []
    finally:
        conn.close()
    here, alive = socket.gethostname(), []
    for pid_id, host, pid, _seen in rows:
        if host == here:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            except PermissionError:
                pass
        alive.append(pid_id)
    return alive


def check_backup(source, known):
    """Integrity and migrations of a backup file: (applied, pending) or Refusal."""
    if not Path(source).is_file():
        raise Refusal(f"找不到备份文件 {source}", f"no backup file at {source}")
    try:
        conn = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'leifeng' ORDER BY applied_at")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise Refusal(f"{source} 不是本系统的数据库备份（{err}）", f"{source} is not a backup of this system ({err})")
    if verdict != "ok":
        raise Refusal(f"备份文件损坏（integrity_check: {verdict}），未恢复", f"the backup is damaged (integrity_check:"
                      f" {verdict}); nothing restored")
    unknown = [m for m in applied if m not in known]
    if unknown:
        raise Refusal(f"备份来自更新的版本（迁移 {', '.join(unknown)} 本版本没有），请先升级程序",
                      f"the backup comes from a newer version (migrations {', '.join(unknown)} unknown here);"
                      " upgrade the program first")
    return applied, [m for m in known if m not in applied]


def restore(database, source, known, window_seconds, stamp=None):
    """Put source in place of database after the checks; returns what was done, line by line."""
    running = running_servers(database, window_seconds)
    if running:
        raise Refusal(f"拒绝恢复：有服务器正在使用这个数据库（{', '.join(running)}）。请先停止服务"
                      "（systemctl stop leifeng），再恢复。",
                      f"Refusing to restore: a server is running on this database ({', '.join(running)})."
                      " Stop it first (systemctl stop leifeng), then restore.")
    applied, pending = check_backup(source, known)
    database = Path(database)
    stamp = stamp or datetime.now().strftime("%Y%m%dT%H%M%S")
    done = [f"备份检查通过 / backup checked: integrity ok, {len(applied)} migrations"]
    aside = None
    if database.exists():
        conn = sqlite3.connect(str(database), timeout=10)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL's last writes into the file
        finally:
            conn.close()
        aside = database.with_name(f"{database.name}.before-restore-{stamp}")
        os.replace(database, aside)
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        done.append(f"原数据库已移到 / the current database was kept aside as: {aside}")
    partial = database.with_name(f".{database.name}.restoring")
    shutil.copyfile(source, partial)
    os.chmod(partial, 0o600)
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, database)
    done.append(f"已从 {source} 恢复到 {database} / restored {source} into {database}")
    if pending:
        done.append(f"下次启动时将运行迁移 / migrations to run at the next start: {', '.join(pending)}")
    return done, aside
