"""run.py print: one printable of the city's data written to a PDF, SVG or PNG file."""
import os
import sys

import click

from printables import KINDS
from server.ops.commands import app_and_db, refuse
from server.services import printing
from server.store.scope import Scope

NO_STATION_KINDS = ("registration-form", "request-form", "certificate", "service-card")
SIGN_KINDS = ("station-poster", "name-board", "rules", "services", "direction-sign")  # carry the phones' address
KIND_LIST = "\b\nKIND is one of:\n" + "\n".join(f"  {k:<18} {v[0]}" for k, v in KINDS.items())  # \b: as laid out


@click.command("print", short_help="render a printable to PDF, SVG or PNG (see `print --help` for the kinds)",
               epilog=KIND_LIST)
@click.argument("kind", type=click.Choice(list(KINDS)), metavar="KIND")
@click.option("--station", type=int, metavar="ID", help="station id (see `stations`)")
@click.option("--volunteer", type=int, metavar="ID", help="badge, certificate, service-card, registration-form")
@click.option("--request", type=int, metavar="ID", help="request-form: a citizen's request")
@click.option("--from", "date_from", metavar="DATE", help="register, service-card: first day, YYYY-MM-DD")
@click.option("--to", "date_to", metavar="DATE", help="register, service-card: last day, YYYY-MM-DD")
@click.option("--entrance", type=int, metavar="N", help="direction-sign: entrance N, counted from 1")
@click.option("--size", metavar="A3|A4|WxHmm",
              help="name-board, rules, services: A3, A4 or a sign shop's size such as 1200x400mm")
@click.option("--bleed", type=float, default=0, metavar="MM",
              help="boards, signs, poster: bleed in mm (3 for a sign shop), with crop marks")
@click.option("--format", "fmt", type=click.Choice(printing.FORMATS),
              help="default: from the output's extension (.png, .pdf, .svg), else pdf")
@click.option("-o", "--output", required=True, metavar="PATH",
              help="a PNG of several pages is written as NAME-1.png, NAME-2.png ...")
def print_command(kind, output, fmt, bleed, **asked):
    """render a printable to PDF, SVG or PNG"""
    from server.config import public_url_warning
    with app_and_db() as (app, db):
        try:
            fmt = printing.format_for(output, fmt)
            with app.test_request_context(), app.app_context():
                data, options = printing.printable(db, Scope("city"), kind, **_loaded(db, kind, **asked))
                if kind == "badge-sheet" and not data["badges"]:
                    raise printing.Refusal("没有可打印的在册志愿者", "no active volunteer to print")
                written = printing.write_printable(kind, data, fmt, output, bleed=bleed, **options)
        except printing.Refusal as err:
            return refuse(f"{err.zh} / {err.en}")
    if len(written) > 1:
        print(f"{KINDS[kind][0]}：共 {len(written)} 页，PNG 每页一个文件 / {len(written)} pages, one PNG each:")
        for path in written:
            print(f"  {path}")
    else:
        print(f"{KINDS[kind][0]} → {written[0]} ({os.path.getsize(written[0]) // 1024} KB)")
    warning = public_url_warning(app.config["PUBLIC_URL"])
    if warning and kind in SIGN_KINDS:
        print("\n".join(warning), file=sys.stderr)
    return 0


def _loaded(db, kind, station, volunteer, request, date_from, date_to, entrance, size):
    """What printing.printable takes, loaded from the command's ids; a Refusal names a missing option."""
    from server.store import requests as request_store
    from server.store import stations, volunteers
    city = Scope("city")
    found = {"entrance": entrance, "size": size,
             "period": (date_from, date_to) if date_from and date_to else None,
             "chosen": {volunteer} if volunteer and kind in ("badge", "badge-sheet") else ()}
    found["station"] = stations.get_station(db, city, station) if station else None
    if station and found["station"] is None:
        raise printing.Refusal(f"没有编号为 {station} 的站点", f"no station {station}")
    if kind not in NO_STATION_KINDS and found["station"] is None:
        raise printing.Refusal("请用 --station 指定站点", f"--station ID is required for {kind}")
    found["volunteer"] = volunteers.get_volunteer(db, city, volunteer) if volunteer else None
    if volunteer and found["volunteer"] is None:
        raise printing.Refusal(f"没有编号为 {volunteer} 的志愿者", f"no volunteer {volunteer}")
    if kind == "service-card" and (found["volunteer"] is None or found["period"] is None):
        raise printing.Refusal("请用 --volunteer 指定志愿者，并用 --from 和 --to 指定期间",
                               "--volunteer ID, --from DATE and --to DATE are required for a service card")
    if kind == "certificate" and found["volunteer"] is None:
        raise printing.Refusal("请用 --volunteer 指定志愿者", "--volunteer ID is required for a certificate")
    if kind == "request-form" and request:
        found["request_row"] = request_store.get_request(db, city, request)
        if found["request_row"] is None:
            raise printing.Refusal(f"没有编号为 {request} 的需求", f"no request {request}")
    return found
