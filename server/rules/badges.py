"""Badge QR tokens: signed, versioned, and typed only in A-Z 0-9 . - so any scanner survives."""
import base64
import hashlib
import hmac
import re

from itsdangerous import Signer

from server.rules.errors import RuleError
from server.rules.identity import to_halfwidth

PREFIX = "LF1"
_SHAPE = re.compile(r"^LF1\.([A-Z0-9]{1,12})\.([0-9]{1,6})\.([A-Z2-7]{26})$")
# What a Chinese IME or a non-US layout may type instead of "." and "-".
_SUBSTITUTES = str.maketrans({"。": ".", "．": ".", "｡": ".", "－": "-", "—": "-", "–": "-",
                              "ー": "-", "_": "-", ">": ".", "/": "."})


class BadgeError(RuleError):
    """A scanned code that is not a valid badge of this server."""


def _signature(secret, message, purpose):
    # itsdangerous derives the per-purpose key (its salt), HMAC-SHA256 signs; base32 keeps A-Z2-7.
    key = Signer(secret, salt=f"leifeng.{purpose}", digest_method=hashlib.sha256).derive_key()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def make_badge_token(secret, ref, version, purpose="badge"):
    """The QR payload of a badge: LF1.<REF>.<VERSION>.<SIGNATURE>."""
    message = f"{PREFIX}.{ref}.{int(version)}"
    return f"{message}.{_signature(secret, message, purpose)}"


def normalise_scanned(raw):
    """Undo what scanners and input methods do to a payload: width, case, stray whitespace."""
    s = to_halfwidth(raw or "").translate(_SUBSTITUTES)
    return re.sub(r"\s+", "", s).upper()


def read_badge_token(secret, raw, purpose="badge"):
    """(ref, version) of a genuine token, or BadgeError."""
    token = normalise_scanned(raw)
    m = _SHAPE.match(token)
    if not m:
        raise BadgeError("malformed", "这不是志愿者胸卡二维码", "This is not a volunteer badge code")
    ref, version, sig = m.groups()
    expected = _signature(secret, f"{PREFIX}.{ref}.{version}", purpose)
    if not hmac.compare_digest(expected, sig):
        raise BadgeError("bad_signature", "胸卡二维码校验失败（伪造或损坏）",
                         "Badge code failed verification (forged or damaged)")
    return ref, int(version)
