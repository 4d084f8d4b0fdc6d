"""Who may do what is one table (server/store/scope.py PERMISSIONS): views, socket handlers and
templates ask it by action and never name a role themselves (STYLE.md, convention 13)."""
import ast
import re
from pathlib import Path

from server.store.scope import PERMISSIONS, ROLES

ROOT = Path(__file__).resolve().parents[1]
VIEW_GLOBS = ("server/staff/**/*.py", "server/api/**/*.py", "server/public/**/*.py", "server/live.py",
              "kiosk/**/*.py")
TEMPLATE_GLOBS = ("server/**/templates/**/*.html", "server/templates/**/*.html", "kiosk/templates/**/*.html")
ASKS = {"may", "roles_that_may"}  # scope.may("x"), roles_that_may("x")
TEMPLATE_ASK = re.compile(r"""\bmay\(\s*['"]([a-z_]+)['"]\s*\)""")
TEMPLATE_ROLE = re.compile(r"""current_user(\.role\b|\[['"]role['"]\])""")  # role_label is a label, not a rule


def _files(globs):
    return sorted({p for g in globs for p in ROOT.glob(g) if "__pycache__" not in p.parts})


def _is_role(node):
    return isinstance(node, ast.Constant) and node.value in ROLES


def _names_role(node):
    """x.role or x["role"]: the role itself, asked for outside the permission table."""
    return (isinstance(node, ast.Attribute) and node.attr == "role") or (
        isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "role")


def _lists_roles(node):
    """A module-level NAME = ("city", "county"): a role tuple (a loop over filter keys is not one)."""
    value = getattr(node, "value", None)
    return isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(value, (ast.Tuple, ast.List, ast.Set)) \
        and value.elts and all(_is_role(e) for e in value.elts)


def _role_rules(source, name):
    """Where a view module compares a role or writes a list of roles, in line order."""
    tree = ast.parse(source)
    for node in sorted(ast.walk(tree), key=lambda n: getattr(n, "lineno", 0)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Compare) and any(_names_role(n) for n in [node.left, *node.comparators]):
            yield f"{where} compares a role"
        elif node in tree.body and _lists_roles(node):
            yield f"{where} lists roles"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "staff_only" and any(
                _is_role(a) for a in node.args):
            yield f"{where} names a role in staff_only"


def _asked_actions(path):
    if path.suffix == ".html":
        yield from TEMPLATE_ASK.findall(path.read_text(encoding="utf-8"))
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in ASKS:
                yield node.args[0].value


def test_no_view_module_names_or_compares_roles():
    found = [rule for path in _files(VIEW_GLOBS)
             for rule in _role_rules(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())]
    assert found == []


def test_no_template_compares_roles():
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in _files(TEMPLATE_GLOBS)
             for m in TEMPLATE_ROLE.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_every_action_asked_for_is_in_the_table():
    asked = {(p.relative_to(ROOT).as_posix(), a) for p in _files(VIEW_GLOBS + TEMPLATE_GLOBS)
             for a in _asked_actions(p)}
    assert {a for _p, a in asked} >= {"manage_kiosks", "inspect_stations", "edit_station_identity"}
    assert sorted((p, a) for p, a in asked if a not in PERMISSIONS) == []


def test_the_table_names_only_known_roles():
    assert all(roles and set(roles) <= set(ROLES) for roles in PERMISSIONS.values())


def test_the_checks_catch_what_they_look_for():
    source = ('EDITORS = ("city", "county")\n'
              'if current_user.role == "station": pass\n'
              'if scope["role"] in EDITORS: pass\n'
              '@staff_only("city")\ndef v(): pass\n'
              'FILTERS = ("county", "station", "month")\n'
              'for key in ("county", "station"): pass\n')
    rules = [r.split(" ", 1)[1] for r in _role_rules(source, "bad_views.py")]
    assert rules == ["lists roles", "compares a role", "compares a role", "names a role in staff_only"]
    assert TEMPLATE_ROLE.search("{% if current_user.role in ('city', 'county') %}")
    assert not TEMPLATE_ROLE.search("{{ _t(*current_user.role_label) }} {% if values.role == r %}")
