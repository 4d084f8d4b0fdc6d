"""Seeing personal data in full: only with a posted reason, in one write transaction, logged by the store."""
from flask import request
from flask_login import current_user

from server.db import get_db, immediate
from server.i18n import flash_t

REASON_MIN, REASON_MAX = 2, 100


def posted_reason():
    """The reason posted as "why", trimmed to 100 characters; None when it is too short to count."""
    why = (request.form.get("why") or "").strip()[:REASON_MAX]
    return why if len(why) >= REASON_MIN else None


def reveal(store_reveal, object_id, why):
    """What store_reveal(db, actor, object_id, why) shows in full; the store writes the reveal log."""
    db = get_db()
    with immediate(db):
        return store_reveal(db, current_user.actor, object_id, why)


def reveal_with_reason(store_reveal, object_id, ask_zh, ask_en):
    """What store_reveal shows in full for the reason posted; None, with ask flashed, without one."""
    why = posted_reason()
    if why is None:
        flash_t(ask_zh, ask_en, "error")
        return None
    return reveal(store_reveal, object_id, why)
