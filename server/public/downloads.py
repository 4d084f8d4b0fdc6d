"""资料下载: the blank forms and register pages anyone may print, rendered once per version and served as files."""
import hashlib
import os
import re
import tempfile
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, send_from_directory

import printables
from printables import KINDS, fonts
from server.memory import render_file, render_preview

bp = Blueprint("public", __name__, template_folder="templates")
BLANKS = ("registration-form", "request-form", "register")
FORMATS = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}
SINGLE_PAGE = ("registration-form", "request-form")  # SVG holds one page
_BLANK_STATION = {"name": "　" * 12, "services": [], "windows": {}}
MAX_AGE = 24 * 3600
_render_lock = threading.Lock()


def _blank_data(kind):
    return {"station": _BLANK_STATION, "records": [], "blank_pages": 10} if kind == "register" else {}


@lru_cache(maxsize=1)
def renderer_version():
    """A digest of what a blank printable is made from: the renderers' code, the PDF library and the fonts."""
    digest = hashlib.sha256()
    for source in sorted(Path(printables.__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    digest.update(metadata.version("fpdf2").encode() + metadata.version("pillow").encode())
    for bold in (False, True):
        path, index, _real = fonts.find_font(bold)
        stat = os.stat(path)
        digest.update(f"{path}#{index}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(repr([(kind, _blank_data(kind)) for kind in BLANKS]).encode())
    return digest.hexdigest()[:16]


def cached_blank(kind, fmt, preview=False):
    """Path of the rendered blank under instance/printables/, rendered on first use of this version."""
    folder = Path(current_app.instance_path) / "printables"
    name = f"{kind}-{renderer_version()}{'-preview' if preview else ''}.{fmt}"
    target = folder / name
    if target.is_file():
        return target
    with _render_lock:  # eight clients asking at once render it once
        if target.is_file():
            return target
        # in the render process when serving (server/memory.py): the worker's memory stays bounded
        body = render_preview(kind, _blank_data(kind)) if preview else render_file(kind, _blank_data(kind), fmt)
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temp, target)
        stale = re.compile(rf"{re.escape(kind)}-[0-9a-f]{{16}}{'-preview' if preview else ''}\.{fmt}")
        for old in folder.iterdir():  # what an older version of the renderers made
            if old != target and stale.fullmatch(old.name):
                old.unlink(missing_ok=True)
    return target


@bp.get("/favicon.ico")
def favicon():
    """The station mark (a red heart) browsers ask for on every page."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400)


@bp.get("/downloads")
def downloads():
    return render_template("public/downloads.html", kinds=KINDS, blanks=BLANKS, single_page=SINGLE_PAGE)


@bp.get("/downloads/<kind>.<fmt>")
def blank(kind, fmt):
    preview = request.args.get("preview") == "1"
    if kind not in BLANKS or fmt not in FORMATS or (fmt == "svg" and kind not in SINGLE_PAGE) or \
            (preview and fmt != "png"):
        abort(404)
    path = cached_blank(kind, fmt, preview)
    response = send_file(path, mimetype=FORMATS[fmt], as_attachment=not preview,
                         download_name=f"{kind}-blank.{fmt}", conditional=True, etag=True, max_age=MAX_AGE)
    response.cache_control.public = True
    return response
