"""Personal identifiers: ID numbers (GB 11643), mobiles, e-mail, postcodes, and their masks."""
import re
from datetime import date, datetime

from stdnum import numdb

from server.rules.errors import RuleError
from server.rules.windows import STATION_TZ

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Patterns spell out [0-9]: Python's \d also matches Arabic-Indic and other Unicode digits, which
# would give one ID number a second spelling (and a second keyed hash for the duplicate check).
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_POSTCODE = re.compile(r"[0-9]{6}")
_REGION = re.compile(r"[1-9][0-9]{5}")
# Local part: the dot-atom of RFC 5322, ASCII only; domain: LDH labels and an alphabetic TLD.
_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
# C0/C1 controls (tab and newline are judged separately), zero-width and bidi overrides and
# isolates (they reorder what staff read), BOM, lone surrogates (SQLite cannot store them) and
# the two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                      "\ufeff\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(raw, field):
    """The value as text ("" for nothing); RuleError naming the field for a number, list or object
    (JSON callers can send any type) and for text that is not valid Unicode (a lone surrogate)."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise RuleError("bad_type", "此处应填写文字", "This field must be text", field=field)
    if _SURROGATE.search(raw):
        raise RuleError("control_chars", "内容含有无法识别的字符", "Text holds characters that are not valid Unicode",
                        field=field)
    return raw


def to_halfwidth(s):
    """Full-width ASCII and the ideographic space, as an IME types them, to plain ASCII."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else
                   " " if c == "\u3000" else c for c in s)


def check_char(first17):
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def _id_error(code, zh, en):
    return RuleError(code, zh, en, field="id_number")


def normalise_id_number(raw, today=None):
    """A valid 18-character ID number, upper-case X, or RuleError; today is the station-local day."""
    s = re.sub(r"\s+", "", to_halfwidth(_text(raw, "id_number"))).upper()
    if not _ID_SHAPE.fullmatch(s):
        raise _id_error("id_number_invalid", "身份证号应为 18 位（17 位数字加一位数字或 X）",
                        "ID number must be 17 digits and a digit or X")
    if check_char(s[:17]) != s[17]:
        raise _id_error("id_number_checksum", "身份证号校验位不正确，请核对",
                        "ID number check character is wrong; please check it")
    if not region_ever_existed(s[:6]):
        raise _id_error("id_number_region", "身份证号前 6 位（地区代码）不是有效的行政区划代码，请核对",
                        "The first six digits of the ID number are not a real region code; please check them")
    try:
        birth = birth_date_from_id(s)
    except ValueError:
        birth = None
    # "Today" is the station's day: a baby born this morning in Pu'er is still yesterday in UTC.
    if birth is None or birth.year < 1900 or birth > (today or datetime.now(STATION_TZ).date()):
        raise _id_error("id_number_birthdate", "身份证号中的出生日期不存在",
                        "ID number holds an impossible birth date")
    return s


def region_ever_existed(code6):
    """True when the GB/T 2260 division list has ever held this six-digit code.

    The list is the one python-stdnum ships (stdnum/cn/loc.dat). Unlike stdnum's own check, the
    code need not have existed on the birth date: people keep the number they were given, and a
    number can carry a code created after its holder's birth (a person born in 1960 in 思茅区 may
    hold 530802, a code of 2003), so that rule would turn away older volunteers.
    """
    if not _REGION.fullmatch(code6 or ""):
        return False
    parts = numdb.get("cn/loc").info(code6)
    return len(parts) == 2 and "county" in parts[1][1]


def birth_date_from_id(id18):
    """The birth date held in digits 7-14 (ValueError if it is not a real date)."""
    return date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def gender_from_id(id18):
    """男 when the 17th digit is odd, else 女."""
    return "男" if int(id18[16]) % 2 else "女"


def check_birth_date_matches(id18, birth):
    """RuleError on the birth_date field when a given birth date contradicts the ID number."""
    if birth and birth != birth_date_from_id(id18):
        raise RuleError("birth_date_mismatch", "出生日期与身份证号不一致",
                        "Birth date does not match the ID number", field="birth_date")


def age_on(birth, on):
    """Completed years on a day (a 29 February birthday comes of age on 1 March)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def is_minor(id18, on):
    """Under 18 on that day."""
    return age_on(birth_date_from_id(id18), on) < 18


def make_id_number(region6, birth, seq3):
    """A synthetic but valid ID number, for demo data and tests."""
    first17 = f"{region6}{birth:%Y%m%d}{seq3 % 1000:03d}"
    return first17 + check_char(first17)


def normalise_mobile(raw):
    """A mainland mobile as 11 digits; accepts +86, spaces, dashes and full-width digits."""
    s = re.sub(r"[\s\-()（）]", "", to_halfwidth(_text(raw, "mobile")))
    # Strip a country code only when eleven digits follow, so "86..." numbers are never eaten.
    s = re.sub(r"^(\+86|0086|86)(?=1[0-9]{10}$)", "", s)
    if not _MOBILE.fullmatch(s):
        raise RuleError("mobile_invalid", "手机号应为 11 位，以 1 开头，第二位为 3-9",
                        "Mobile must be 11 digits starting 1, then 3-9", field="mobile")
    return s


def normalise_email(raw):
    """A plain ASCII address with its domain in lower case, or RuleError."""
    s = to_halfwidth(_text(raw, "email")).strip()
    local = s.rsplit("@", 1)[0]
    if len(s) > 254 or len(local) > 64 or not _EMAIL.fullmatch(s):
        raise RuleError("email_invalid", "电子邮箱格式不正确", "E-mail address is not valid", field="email")
    domain = s.rsplit("@", 1)[1]
    return f"{local}@{domain.lower()}"


def normalise_postcode(raw):
    """Six ASCII digits, or RuleError."""
    s = re.sub(r"\s+", "", to_halfwidth(_text(raw, "postcode")))
    if not _POSTCODE.fullmatch(s):
        raise RuleError("postcode_invalid", "邮编应为 6 位数字", "Postcode must be 6 digits",
                        field="postcode")
    return s


def clean_text(raw, field, max_len, multiline=False):
    """Trimmed text without control characters and within its length, or RuleError."""
    s = _text(raw, field).replace("\r\n", "\n").strip()
    # Multi-line fields (a resume, a note) keep newlines and tabs pasted from a document;
    # a single-line field has no use for either, and they would break the printed forms.
    probe = s.replace("\n", "").replace("\t", "") if multiline else s
    if _CONTROL.search(probe) or (not multiline and ("\n" in s or "\t" in s)):
        raise RuleError("control_chars", "内容含有不允许的控制字符", "Text holds control characters",
                        field=field)
    if len(s) > max_len:
        raise RuleError("too_long", f"内容过长（最多 {max_len} 字）",
                        f"Too long (at most {max_len} characters)", field=field)
    return s


def mask_id_number(id18):
    """Fourteen stars and the last four characters (GB/T 35273 §7.2)."""
    return "*" * 14 + id18[-4:] if id18 else ""


def mask_name(name):
    """The first character only: 张三 -> 张*, 欧阳娜娜 -> 欧***, a single character -> *."""
    # Only the first character is kept even for a possible compound surname: guessing 欧阳
    # from 欧阳娜娜 would reveal a given-name character for anyone whose surname is one character.
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def mask_phone(phone):
    """138****5678: the first three and last four digits of a mobile."""
    if not phone:
        return ""
    if len(phone) >= 11:
        return phone[:3] + "****" + phone[-4:]
    # A short number (a landline extension): hide all but the last four.
    return "*" * max(len(phone) - 4, 0) + phone[-4:]
