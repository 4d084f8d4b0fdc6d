"""No module outside the web packages imports a view (STYLE.md, convention 13)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEWS = ("server.api", "server.staff", "server.public", "kiosk.views")  # the modules that are views
# The factory registers the blueprints; the view packages import each other's helpers freely.
WEB = {"server/__init__.py"}
WEB_DIRS = ("server/api/", "server/staff/", "server/public/")


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_no_view_imported_outside_the_web_packages():
    found = []
    for path in sorted([*ROOT.glob("server/**/*.py"), *ROOT.glob("printables/**/*.py")]):
        name = path.relative_to(ROOT).as_posix()
        if name in WEB or name.startswith(WEB_DIRS):
            continue
        found += [f"{name}: {m}" for m in _imports(path) if m.startswith(VIEWS)]
    assert found == []
