"""One name for one thing: approved hours are 已审核时长 on every screen and paper."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ("server", "kiosk", "printables", "static/js", "static/css")
# The other names approved hours once had on some pages (the kiosk, the volunteer's page, the stars list).
OTHER_NAMES = ("已认定时长", "经审核服务时长", "经审核时长", "认定时长")


def _sources():
    for place in PLACES:
        for path in (ROOT / place).rglob("*"):
            if path.suffix in (".py", ".html", ".js", ".css") and "vendor" not in path.parts:
                yield path


def test_approved_hours_have_one_name_everywhere():
    found = [f"{p.relative_to(ROOT)}: {name}" for p in _sources() for name in OTHER_NAMES
             if name in p.read_text(encoding="utf-8")]
    assert found == []


def test_the_one_name_is_the_one_the_kiosk_and_volunteer_page_show():
    assert '"已审核时长"' in (ROOT / "kiosk/static/js/i18n.js").read_text(encoding="utf-8")
    assert "'已审核时长'" in (ROOT / "server/public/templates/public/volunteer_page.html").read_text(encoding="utf-8")
