"""run.py stations, volunteers, pair and kiosk: a station's list, its people, and its kiosk PC."""
import json
import os

import click

from server.ops.commands import app_and_db, json_option, refuse, show

station_option = click.option("--station", type=int, required=True, help="station id (see `stations`)")


@click.command("pair")
@station_option
@json_option
def pair(station, as_json):
    """print a one-time pairing code for a station's kiosk"""
    from server.db import immediate
    from server.store import devices, stations
    with app_and_db() as (app, db), app.app_context():
        found = stations.station_for_device(db, station)
        if found is None:
            return refuse(f"没有编号为 {station} 的站点 / No station {station}")
        minutes = app.config["PAIRING_CODE_MINUTES"]
        with immediate(db):
            code = devices.new_pairing_code(db, "cli:pair", station, minutes)
    if as_json:
        print(json.dumps({"station_id": station, "code": code, "minutes": minutes}))
    else:
        print(f"{found['name']}\n配对码 / pairing code: {code}  ({minutes} 分钟内有效 / valid {minutes} min)")
    return 0


@click.command("stations")
@json_option
def stations_list(as_json):
    """list stations with their ids"""
    from server.store import stations
    from server.store.scope import Scope
    with app_and_db() as (app, db), app.app_context():
        rows = stations.list_stations(db, Scope("city"))
    return show(rows, as_json, lambda r: f"{r['id']:>5}  {r['type_name']:<8} {r['county']:<10} {r['name']}",
                keys=("id", "name", "type_code", "county"))


@click.command("volunteers")
@station_option
@json_option
def volunteers_list(station, as_json):
    """list a station's volunteers (names and numbers masked)"""
    from server.rules.identity import mask_name, mask_phone
    from server.store import volunteers
    from server.store.scope import Scope
    with app_and_db() as (app, db), app.app_context():
        rows = volunteers.list_volunteers(db, Scope("city"), station_id=station)
    masked = [{"id": r["id"], "ref": r["ref"], "name": mask_name(r["name"]), "mobile": mask_phone(r["mobile"]),
               "id_number": "**************" + r["id_last4"], "status": r["status"]} for r in rows]
    return show(masked, as_json,
                lambda r: f"{r['id']:>6}  {r['ref']}  {r['name']:<6} {r['mobile']}  {r['id_number']}  {r['status']}")


@click.command("kiosk")
@click.option("--url", help="the kiosk page (default http://127.0.0.1:$PORT/kiosk/)")
@click.option("--profile", help="browser profile folder; keeps the pairing across reboots")
@click.option("--no-camera", is_flag=True, help="do not grant the camera")
@click.option("--printing", is_flag=True, help="print receipts silently on the default (58/80 mm) printer")
@click.option("--dry-run", is_flag=True, help="print the command instead of running it")
def kiosk(url, profile, no_camera, printing, dry_run):
    """open the kiosk page full-screen in Chromium on this station PC"""
    from kiosk.launcher import launch
    url = url or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}/kiosk/"
    return launch(url, profile, dry_run, camera=not no_camera, printing=printing)
