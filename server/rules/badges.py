"""Badge QR tokens: signed, versioned, and typed only in A-Z 0-9 . - so any scanner survives."""
import base64
import functools
import hashlib
import hmac
import json
import re
from pathlib import Path

from itsdangerous import Signer

from server.rules.errors import RuleError
from server.rules.identity import to_halfwidth

PREFIX = "LF1"
REF_SHAPE = re.compile(r"[A-Z0-9]{1,12}")
MAX_VERSION = 999_999
_SHAPE = re.compile(r"LF1\.([A-Z0-9]{1,12})\.([0-9]{1,6})\.([A-Z2-7]{26})")
# What a Chinese IME, a Japanese one or a non-US layout may type instead of "." and "-" (">" and
# "/" are where a US-layout scanner lands "." under another layout or a stuck Shift). One table,
# shared with the kiosk's scanner.js, which is served the same file (see its "about").
FOLDING_FILE = Path(__file__).with_name("scan_folding.json")
FOLDING = json.loads(FOLDING_FILE.read_text(encoding="utf-8"))["fold"]
_SUBSTITUTES = str.maketrans(FOLDING)


class BadgeError(RuleError):
    """A scanned code that is not a valid badge of this server."""


@functools.lru_cache(maxsize=8)
def _key(secret, purpose):
    # Derived once per secret and purpose, not on every scan.
    return Signer(secret, salt=f"leifeng.{purpose}", digest_method=hashlib.sha256).derive_key()


def _signature(secret, message, purpose):
    # Key: itsdangerous derives it from the server secret with the purpose as its salt
    # (Signer.derive_key, django-concat, SHA-256), so a token made for another purpose never
    # verifies here. Signature: plain HMAC-SHA256 of the message with that key, cut to 128 bits
    # and base32-encoded without padding (26 characters of A-Z2-7, the QR alphanumeric set).
    digest = hmac.new(_key(secret, purpose), message.encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def make_badge_token(secret, ref, version, purpose="badge"):
    """The QR payload of a badge: LF1.<REF>.<VERSION>.<SIGNATURE>."""
    # Refuse what could not be read back (a lower-case ref is upper-cased by the reader).
    if not isinstance(ref, str) or not REF_SHAPE.fullmatch(ref):
        raise ValueError(f"badge ref must be 1-12 of A-Z 0-9, got {ref!r}")
    if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version <= MAX_VERSION:
        raise ValueError(f"badge version must be an int 0..{MAX_VERSION}, got {version!r}")
    message = f"{PREFIX}.{ref}.{version}"
    return f"{message}.{_signature(secret, message, purpose)}"


def normalise_scanned(raw):
    """Undo what scanners and input methods do to a payload: width, case, stray whitespace."""
    s = to_halfwidth(raw or "").translate(_SUBSTITUTES)
    return re.sub(r"\s+", "", s).upper()


def read_badge_token(secret, raw, purpose="badge"):
    """(ref, version) of a genuine token, or BadgeError."""
    token = normalise_scanned(raw) if isinstance(raw, str) or raw is None else ""
    m = _SHAPE.fullmatch(token)
    if not m:
        raise BadgeError("malformed", "这不是志愿者胸卡二维码", "This is not a volunteer badge code")
    ref, version, sig = m.groups()
    # Sign the text as scanned: "03" is not "3", so a padded version never verifies.
    expected = _signature(secret, f"{PREFIX}.{ref}.{version}", purpose)
    if not hmac.compare_digest(expected, sig):
        raise BadgeError("bad_signature", "胸卡二维码校验失败（伪造或损坏）",
                         "Badge code failed verification (forged or damaged)")
    return ref, int(version)
