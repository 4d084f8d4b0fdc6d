"""Staff passwords: what is refused, and the one-time passwords offices hand out."""
import re
import secrets
from functools import cache
from pathlib import Path

from server.rules.errors import RuleError

MIN_LENGTH = 10
MAX_LENGTH = 200
_LIST = Path(__file__).with_name("common_passwords.txt")
# A password that only walks along one of these rows (either way) is guessed at once.
_ROWS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm",
         "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp")
_TRAILING = re.compile(r"[0-9!@#$%^&*().,_+=\-]+$")
# One-time passwords: no 0/O, 1/l/I, so they can be read out over the phone.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@cache
def common_passwords():
    """The refused list, lower-cased (server/rules/common_passwords.txt)."""
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _walks_a_row(text):
    return any(text in row * 2 or text in (row * 2)[::-1] for row in _ROWS)


def is_guessable(password):
    """Whether the password is on the list, a listed word with digits or symbols after it, a walk
    along a keyboard row or counting, or built from fewer than four different characters."""
    low = password.lower()
    listed = common_passwords()
    base = _TRAILING.sub("", low)
    return (low in listed or (len(base) >= 4 and base in listed) or len(set(low)) < 4
            or _walks_a_row(low))


def check_password(password, username):
    """Raise RuleError (field "password") when a new staff password breaks a rule."""
    def refuse(code, zh, en):
        raise RuleError(code, zh, en, field="password")
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        refuse("password_short", f"密码至少 {MIN_LENGTH} 个字符", f"A password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        refuse("password_long", f"密码最多 {MAX_LENGTH} 个字符", f"A password has at most {MAX_LENGTH} characters")
    low, name = password.lower(), (username or "").lower()
    if name and (low == name or low == name[::-1] or _TRAILING.sub("", low) == name):
        refuse("password_username", "密码不能是用户名", "The password must not be the username")
    if is_guessable(password):
        refuse("password_common", "这是常见密码或键盘顺序，很容易被猜到，请换一个",
               "This is a common password or keyboard pattern, easily guessed; choose another")


def one_time_password():
    """A random password of 12 characters in three groups (about 69 bits), e.g. "K7pm-3Hq9-Tw2x"."""
    while True:
        text = "-".join("".join(secrets.choice(_OTP_ALPHABET) for _ in range(4)) for _ in range(3))
        if not is_guessable(text):
            return text
