"""Simplified Chinese first, English on request: the `lang` cookie or ?lang=en."""
from flask import flash, request
from markupsafe import Markup, escape

LANGS = ("zh", "en")


def current_lang():
    """zh or en for this request, worked out once (a page of 1,000 rows asks thousands of times)."""
    lang = request.environ.get("leifeng.lang")
    if lang is None:
        lang = request.args.get("lang") or request.cookies.get("lang") or "zh"
        lang = request.environ["leifeng.lang"] = lang if lang in LANGS else "zh"
    return lang


def text(zh, en):
    """Pick the Chinese or English text for the current request."""
    return en if current_lang() == "en" else zh


def flash_t(zh, en, category="ok", **data):
    """Flash a message in both languages; the page shows it in the language it is read in.

    Names and usernames go in `data` ("已停用 {user}", user=...): they are shown as they are, marked
    translate="no", in either language.
    """
    flash({"zh": zh, "en": en, "data": {k: str(v) for k, v in data.items()}}, category)


def flashed_text(message):
    """The text of a flashed message for this request's language (a plain string is shown as it is)."""
    if not isinstance(message, dict):
        return message
    data = {k: Markup('<span translate="no">%s</span>') % v for k, v in message.get("data", {}).items()}
    return _fill(text(message["zh"], message["en"]), data)


def _fill(template, data):
    """The flash text with each {name} replaced by its data, everything else escaped."""
    out, rest = Markup(""), template
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        out += escape(before) + data.get(name, escape("{" + name + "}"))
    return out + escape(rest)


def init_app(app):
    app.jinja_env.globals.update(_t=text, current_lang=current_lang, flashed_text=flashed_text)

    @app.after_request
    def remember_lang(response):
        if request.args.get("lang") in LANGS:
            response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax")
        return response
