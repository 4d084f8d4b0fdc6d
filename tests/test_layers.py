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


# The check-in engine's and the alert evaluator's decisions: services compose them with the store.
DECISIONS = ("server.rules.shifts", "server.rules.alerts", "server.rules.badges")


def test_the_store_makes_no_check_in_or_alert_decision():
    found = []
    for path in sorted(ROOT.glob("server/store/**/*.py")):
        name = path.relative_to(ROOT).as_posix()
        found += [f"{name}: {m}" for m in _imports(path) if m.startswith(DECISIONS)]
        found += [f"{name}: server.rules.{a.name}" for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                  if isinstance(node, ast.ImportFrom) and node.module == "server.rules"
                  for a in node.names if f"server.rules.{a.name}" in DECISIONS]
    assert found == []
