"""Simplified Chinese first, English on request: the `lang` cookie or ?lang=en."""
from flask import request

LANGS = ("zh", "en")


def current_lang():
    lang = request.args.get("lang") or request.cookies.get("lang") or "zh"
    return lang if lang in LANGS else "zh"


def text(zh, en):
    """Pick the Chinese or English text for the current request."""
    return en if current_lang() == "en" else zh


def init_app(app):
    app.jinja_env.globals.update(_t=text, current_lang=current_lang)

    @app.after_request
    def remember_lang(response):
        if request.args.get("lang") in LANGS:
            response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax")
        return response
