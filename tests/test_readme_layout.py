"""The README's layout table matches the tree: every package, top-level module and test folder is named
in it, and every path it names exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _layout():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Layout\n"):text.index("\n## ", text.index("## Layout\n") + 1)]


def test_every_part_of_the_tree_is_in_the_layout_table():
    layout = _layout()
    packages = [f"`server/{p.parent.name}/`" for p in ROOT.glob("server/*/__init__.py")]
    modules = [f"`{p.name}`" for p in ROOT.glob("server/*.py")]
    test_dirs = [f"`{p.name}/`" for p in (ROOT / "tests").iterdir()
                 if p.is_dir() and any(p.glob("test_*.py"))]
    assert [name for name in packages + modules + test_dirs if name not in layout] == []


def test_every_path_the_layout_table_names_exists():
    named = re.findall(r"`((?:server|kiosk|printables|static|tests|bench|deploy|scripts)/[\w./-]*)`", _layout())
    assert named, "the table names paths"
    assert [p for p in named if not (ROOT / p).exists()] == []
