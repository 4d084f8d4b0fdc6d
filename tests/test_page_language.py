"""One language per page: no English in a Chinese staff page's interface text, no Han in an English one.

The rule for what is data, not interface: text inside an element marked `translate="no"` (names of
stations and people, usernames, codes a person typed: shown as they are in either language), and text
inside an element whose `lang` differs from the page's (the language switch names the other language).
Scripts, styles and form values are not read; placeholders, titles, aria-labels and alt texts are.
"""
import re
from html.parser import HTMLParser

import pytest

from server.db import immediate
from server.ops.demo import DEMO_PASSWORD, load_demo
from server.store import one
from tests.conftest import csrf_of, gen_kiosk, login, page_paths, route_examples

ROLES = ("city", "simao", "weijian", "station1", "federation")  # city, county, unit, station, federation
NOT_PAGES = {"staff.print_station", "staff.print_badge", "staff.print_registration", "staff.print_request",
             "staff.print_service_card", "staff.hours_template", "staff.inspection_photo", "staff.volunteer_photo"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
WORD = re.compile(r"[A-Za-z]{2,}")
# Names of formats and devices that Chinese interfaces write in Latin letters.
LATIN_IN_CHINESE = {"PDF", "PNG", "JPEG", "WebP", "SVG", "Excel", "xlsx", "CSV", "QR", "ID", "USB", "QQ", "mm"}
READ_ATTRS = ("placeholder", "title", "aria-label", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class InterfaceText(HTMLParser):
    """Collects the interface text of a page: what is not script, style, data or another language."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang, self.stack, self.parts = None, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = (attrs.get("lang") or "zh")[:2]
            return
        skip = (tag in ("script", "style", "template") or attrs.get("translate") == "no"
                or ("lang" in attrs and attrs["lang"][:2] != self.page_lang))
        hidden = bool(self.stack and self.stack[-1])
        if not (hidden or skip):
            self.parts += [attrs[a] for a in READ_ATTRS if attrs.get(a)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append(hidden or skip)

    def handle_endtag(self, tag):
        if tag not in VOID and tag != "html" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(data.strip())


def interface_text(html):
    parser = InterfaceText()
    parser.feed(html)
    return parser.page_lang, parser.parts


def wrong_language(html, lang):
    """The pieces of interface text written in the other language."""
    page_lang, parts = interface_text(html)
    assert page_lang == lang, f"the page says lang={page_lang}"
    if lang == "zh":
        return [p for p in parts if set(WORD.findall(p)) - LATIN_IN_CHINESE]
    return [p for p in parts if HAN.search(p)]


def test_the_rule_reads_what_it_promises():
    page = ('<html lang="en"><body><script>var a="中文"</script><p title="标题">Hello <b translate="no">张三'
            '</b></p><a lang="zh">中文</a><input type="submit" value="保存"><input name="x" value="李四"></body></html>')
    assert wrong_language(page, "en") == ["标题", "保存"]
    page = '<html lang="zh-CN"><p>已保存 / Saved</p><p>导出 PDF</p><td translate="no">station1</td></html>'
    assert wrong_language(page, "zh") == ["已保存 / Saved"]


@pytest.fixture
def demo(app, db, client):
    with app.app_context(), immediate(db):
        load_demo(db)
    gen_kiosk(client, db, 1)  # a paired kiosk, so the kiosk list has a row
    return db


def staff_pages(app, db):
    return page_paths(app, route_examples(db), skip=NOT_PAGES, prefix="staff.")


def _signed_in(app, user, lang):
    client = app.test_client()
    client.set_cookie("lang", lang)
    assert login(client, user, DEMO_PASSWORD).status_code == 302
    return client


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_staff_page_speaks_one_language(app, demo, lang):
    pages, leaks = 0, {}
    for user in ROLES:
        staff = _signed_in(app, user, lang)
        for path in staff_pages(app, demo):
            res = staff.get(path)
            if res.status_code != 200 or res.mimetype != "text/html":
                continue
            pages += 1
            found = wrong_language(res.get_data(as_text=True), lang)
            if found:
                leaks[f"{user} {path}"] = found[:6]
    assert pages > 100
    assert not leaks, "\n".join(f"{where}: {found}" for where, found in leaks.items())


def _flashes(client, path, data, lang):
    """POST as a person would, follow the redirect; the flashes shown and those in the other language."""
    data = {**data, "csrf_token": csrf_of(client, "/staff/login")}
    res = client.post(path, data=data, follow_redirects=True)
    assert res.status_code in (200, 401), (path, res.status_code)
    flashes = re.findall(r'<p class="flash (?:ok|error)" role="status">(.*?)</p>', res.get_data(as_text=True), re.S)
    assert flashes, (path, "no flash")
    html_lang = "en" if lang == "en" else "zh-CN"
    return flashes, [f for f in flashes if wrong_language(f'<html lang="{html_lang}"><p>{f}</p></html>', lang)]


EXPECTED_FLASHES = {
    "zh": ["查看完整身份证号须说明原因", "该自助机已停用", "查看个人信息须说明原因", "已停用 <span translate=\"no\">station2</span>"],
    "en": ["Give a reason to see the full ID number", "Kiosk revoked", "Give a reason to see personal details",
           "<span translate=\"no\">station2</span> disabled"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_flashes_speak_the_page_language(app, demo, lang):
    city = _signed_in(app, "city", lang)
    device = one(demo, "SELECT id FROM devices WHERE revoked_at IS NULL ORDER BY id")["id"]
    station2 = one(demo, "SELECT id FROM staff_users WHERE username = 'station2'")["id"]
    shown = []
    for path, data in [
        ("/staff/volunteers/1/reveal", {"why": ""}),  # refused: a reason is required
        (f"/staff/stations/1/kiosks/{device}/revoke", {}),
        ("/staff/requests/1/reveal", {"why": ""}),
        (f"/staff/users/{station2}/disable", {}),  # a username is data inside the message
    ]:
        flashes, leaks = _flashes(city, path, data, lang)
        assert not leaks, (path, leaks)
        shown += flashes
    for words in EXPECTED_FLASHES[lang]:
        assert any(words in f for f in shown), (words, shown)
    stranger = app.test_client()
    stranger.set_cookie("lang", lang)
    flashes, leaks = _flashes(stranger, "/staff/login", {"username": "city", "password": "wrong"}, lang)
    assert flashes and not leaks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_categories_are_labelled_and_names_marked(app, lang):
    """A closed-list value shows in the page's language (stored in Chinese); a name shows as it is, marked as data."""
    from server.filters import data_text, label
    with app.test_request_context(f"/?lang={lang}"):
        assert label("男") == {"zh": "男", "en": "Male"}[lang]
        assert label("文明交通、助残服务") == {"zh": "文明交通、助残服务", "en": "Civilised traffic, Help for the disabled"}[lang]
        assert str(label("新的类别")) == {"zh": "新的类别", "en": '<span translate="no">新的类别</span>'}[lang]
        assert str(data_text("思茅区")) == '<span translate="no">思茅区</span>'


@pytest.mark.parametrize("lang, kiosk", [("zh", "自助机"), ("en", "kiosk")])
def test_actors_show_as_people_read_them(app, demo, lang, kiosk):
    """Histories name a person by display name (no "staff:" prefix); a kiosk or the demo by a label."""
    from server.filters import actor_name
    with app.test_request_context(f"/?lang={lang}"):
        assert actor_name("staff:station1") == '<span translate="no">人民医院站点负责人</span>'
        assert actor_name("staff:gone") == '<span translate="no">gone</span>'
        assert actor_name("kiosk") == kiosk
        assert actor_name("demo") == {"zh": "演示数据", "en": "demo data"}[lang]
    page = _signed_in(app, "city", lang).get("/staff/requests/1").get_data(as_text=True)
    assert "staff:" not in page and "· demo ·" not in page
