"""Template filters: mask personal data, show instants in Pu'er local time and actors by name on every page."""
import re

from flask import g
from markupsafe import Markup, escape

from server.i18n import current_lang, text
from server.rules.identity import mask_id_number, mask_name, mask_phone
from server.timeutil import local_day_text, local_text

# Actors that are not a person: labelled in the page's language.
ACTOR_LABELS = {"demo": ("演示数据", "demo data"), "phone": ("手机", "phone"), "kiosk": ("自助机", "kiosk"),
                "paper": ("纸质表", "paper form"), "cli": ("命令行", "command line"), "system": ("系统", "system"),
                "test": ("测试", "test")}
DATA = Markup('<span translate="no">%s</span>')


def _display_names():
    if "display_names" not in g:
        from server.db import get_db
        from server.store import staff
        g.display_names = {u["username"].lower(): u["display_name"] for u in staff.list_users(get_db())}
    return g.display_names


def actor_name(actor):
    """Who did something, as people read it: "staff:station1" is the person's display name (else username)."""
    kind, _, who = (actor or "").partition(":")
    if kind == "staff" and who:
        return DATA % _display_names().get(who.lower(), who)
    if kind in ACTOR_LABELS:
        label = text(*ACTOR_LABELS[kind])
        return Markup("%s · ") % label + DATA % who if who and kind == "cli" else label
    return DATA % (actor or "")


# Setting names (LEIFENG_PUBLIC_URL, with any "=value") and web addresses inside a sentence.
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:=[^\s，。；）)]+)?|https?://[^\s，。；）)]+")


def code_spans(sentence):
    """The sentence with setting names and addresses shown as code, marked translate="no"."""
    out, at = Markup(""), 0
    for m in CODE.finditer(sentence):
        out += escape(sentence[at:m.start()]) + Markup('<code translate="no">%s</code>') % m.group()
        at = m.end()
    return out + escape(sentence[at:])


def data_text(value):
    """Data (a name of a station, person, county or unit) shown as it is in either language, marked translate="no"."""
    return DATA % value if value not in (None, "") else ""


def label(value):
    """A value of a closed list (gender, station type, category...) in the page's language; stored in Chinese.

    Values joined by "、" are labelled one by one; a value with no English label is shown as data.
    """
    if value in (None, "") or current_lang() != "en":
        return value or ""
    from server.rules.catalogue import LABELS_EN
    parts = [LABELS_EN.get(v) for v in str(value).split("、")]
    return ", ".join(parts) if all(parts) else data_text(value)


def init_app(app):
    app.jinja_env.filters.update(mask_name=mask_name, mask_phone=mask_phone, mask_id=mask_id_number,
                                 local_time=local_text, local_day=local_day_text, actor=actor_name,
                                 code_spans=code_spans, data=data_text, label=label)
