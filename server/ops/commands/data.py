"""run.py backup, restore, export and demo: copies of the database, records out of it, a synthetic city."""
import os
import sys

import click

from server import create_app
from server.ops.commands import app_and_db, refuse


@click.command("backup")
@click.option("-o", "--output", metavar="PATH", help="a new file; it must not exist")
@click.option("--dir", "folder", metavar="DIR", help="nightly: DIR/leifeng-YYYY-MM-DD.sqlite3, then rotation")
@click.option("--keep-daily", type=int, default=14, help="with --dir: newest days kept (14)")
@click.option("--keep-monthly", type=int, default=12, help="with --dir: months whose newest is kept (12)")
@click.option("--hook", help="an executable run with the new file's path, e.g. to copy it off this host")
def backup(output, folder, keep_daily, keep_monthly, hook):
    """write an online, consistent copy of the database (VACUUM INTO), safe under load"""
    from server.db import backup as copy_database
    from server.ops import backups
    from server.timeutil import local_date, now
    if bool(output) == bool(folder):
        raise click.UsageError("give one of -o/--output and --dir")
    app = create_app({"DEMO": False})
    try:
        if folder:  # nightly: a dated file, rotation, then the hook
            target = backups.dated_backup(app.config["DATABASE"], folder, local_date(now()))
            removed = backups.rotate(folder, keep_daily, keep_monthly)
        else:
            target, removed = copy_database(app.config["DATABASE"], output), []
        print(f"备份完成 / backup written: {target}")
        if removed:
            print(f"轮换删除 / rotated out: {', '.join(removed)}")
        note = backups.run_hook(hook, target)
        if note:
            print(note)
    except (FileExistsError, RuntimeError, OSError) as err:
        return refuse(str(err))
    return 0


@click.command("restore")
@click.option("--from", "source", required=True, metavar="BACKUP", help="the backup file")
def restore(source):
    """put a backup in place of the database (the server stopped; the current file kept aside)"""
    from server.ops import backups
    from server.schema import migrations
    app = create_app({"DEMO": False})
    known = [m.name for m in migrations._migrations]
    try:
        done, _aside = backups.restore(app.config["DATABASE"], source, known,
                                       max(app.config["JOB_LEASE_SECONDS"], 60))
    except backups.Refusal as err:
        return refuse(f"{err.zh}\n{err.en}")
    print("\n".join(done))
    return 0


def _progress(items, label):
    """Items passed through, with a progress bar on stderr (a month of a whole city is 100,000 rows)."""
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True, show_percent=True) as bar:
        yield from bar


@click.command("export")
@click.option("--from", "date_from", help="first service date, YYYY-MM-DD")
@click.option("--to", "date_to", help="last service date, YYYY-MM-DD")
@click.option("--county", help="county code or name (default: the whole city)")
@click.option("--corrections", is_flag=True, help="export pending corrections instead")
@click.option("--batch", type=int, help="write a past batch again by its number (marks nothing)")
@click.option("-o", "--output", required=True, metavar="FILE", help="file.xlsx or file.csv")
def export(date_from, date_to, county, corrections, batch, output):
    """export approved records for the national system (XLSX or CSV) and mark them exported"""
    from datetime import date

    from server.db import immediate
    from server.services.export import CORRECTION_FIELDS, columns_from, to_csv, to_xlsx, write_private
    from server.store import exports, stations
    from server.store.scope import Scope
    scope, actor = Scope("city"), "cli:export"

    def render(rows, with_corrections):
        columns = columns_from(app.config.get("EXPORT_COLUMNS")) + (CORRECTION_FIELDS if with_corrections else [])
        rows = _progress(rows, f"写入 {len(rows):,} 条 / writing")
        return to_csv(columns, rows) if output.endswith(".csv") else to_xlsx(columns, rows)

    with app_and_db({"DEMO": False}) as (app, db):
        print("读取并解密记录… / reading records…", file=sys.stderr, flush=True)
        try:
            if batch is not None:  # a past batch again, from the records that carry its number
                with app.app_context(), immediate(db):
                    found = exports.batch(db, scope, actor, batch)
                    if found is None:
                        return refuse(f"没有导出批次 {batch} / no export batch {batch}")
                    rows = exports.batch_rows(db, actor, scope, found)
                    write_private(output, render(rows, found["kind"] == "corrections"))
                print(f"批次 {batch}：{len(rows)} 条 → {output} / batch {batch}: {len(rows)} rows")
                return 0
            if not (date_from and date_to):
                return refuse("请给出 --from 和 --to，或 --batch / give --from and --to, or --batch")
            county_id = None
            if county:
                county_id = next((c["id"] for c in stations.counties(db) if county in (c["code"], c["name"])), None)
                if county_id is None:
                    return refuse(f"没有县（区）{county} / no county {county}")
            try:
                day_from, day_to = (date.fromisoformat(d).isoformat() for d in (date_from, date_to))
            except ValueError:
                return refuse("日期格式应为 YYYY-MM-DD / dates must be YYYY-MM-DD")
            run = exports.export_corrections if corrections else exports.export_records
            # The file is written (temporary name, then renamed) before the batch is recorded and its
            # records marked, in one transaction: a file that cannot be written marks nothing.
            with app.app_context(), immediate(db):
                batch_id, rows = run(db, actor, scope, day_from, day_to, county_id,
                                     write=lambda rows: write_private(output, render(rows, corrections)))
        except OSError as e:
            return refuse(f"无法写入 {output}（{e.strerror or e}），没有记录被标记为已导出 / cannot write {output}"
                          f" ({e.strerror or e}); nothing was marked exported")
    if batch_id is None:
        print("没有可导出的记录 / nothing to export")
        return 0
    print(f"批次 {batch_id}：{len(rows)} 条 → {output} / batch {batch_id}: {len(rows)} rows")
    return 0


@click.command("demo")
@click.option("--scale", type=click.Choice(["city", "city-year"]), default="city-year")
@click.option("--days", type=int, default=365, help="days of shifts for city-year")
@click.option("-o", "--output", metavar="PATH", help="a new database file (default instance/<scale>.sqlite3)")
def demo(scale, days, output):
    """generate a synthetic city into a separate database (--scale city-year: about 1.5 million shifts)"""
    from server.ops.demo_scale import generate
    output = output or os.path.join(create_app({"DEMO": False}).instance_path, f"{scale}.sqlite3")
    return generate(output, scale, days=days)
