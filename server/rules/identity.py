"""Personal identifiers: ID numbers (GB 11643), mobiles, e-mail, postcodes, and their masks."""
import re
from datetime import date

from server.rules.errors import RuleError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")


def to_halfwidth(s):
    """Full-width ASCII and the ideographic space, as an IME types them, to plain ASCII."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else
                   " " if c == "\u3000" else c for c in s)


def check_char(first17):
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def _id_error(code, zh, en):
    return RuleError(code, zh, en, field="id_number")


def normalise_id_number(raw):
    """A valid 18-character ID number, upper-case X, or RuleError."""
    s = re.sub(r"\s+", "", to_halfwidth(raw or "")).upper()
    if not re.fullmatch(r"\d{17}[\dX]", s):
        raise _id_error("id_number_invalid", "身份证号应为 18 位（17 位数字加一位数字或 X）",
                        "ID number must be 17 digits and a digit or X")
    if check_char(s[:17]) != s[17]:
        raise _id_error("id_number_checksum", "身份证号校验位不正确，请核对",
                        "ID number check character is wrong; please check it")
    try:
        birth = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1900 or birth > date.today():
        raise _id_error("id_number_birthdate", "身份证号中的出生日期不存在",
                        "ID number holds an impossible birth date")
    return s


def birth_date_from_id(id18):
    return date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def gender_from_id(id18):
    return "男" if int(id18[16]) % 2 else "女"


def check_birth_date_matches(id18, birth):
    if birth and birth != birth_date_from_id(id18):
        raise RuleError("birth_date_mismatch", "出生日期与身份证号不一致",
                        "Birth date does not match the ID number", field="birth_date")


def age_on(birth, on):
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def is_minor(id18, on):
    return age_on(birth_date_from_id(id18), on) < 18


def make_id_number(region6, birth, seq3):
    """A synthetic but valid ID number, for demo data and tests."""
    first17 = f"{region6}{birth:%Y%m%d}{seq3 % 1000:03d}"
    return first17 + check_char(first17)


def normalise_mobile(raw):
    """A mainland mobile as 11 digits; accepts +86, spaces, dashes and full-width digits."""
    s = re.sub(r"[\s\-()（）]", "", to_halfwidth(raw or ""))
    s = re.sub(r"^(\+?0{0,2}86)(?=1\d{10}$)", "", s)
    if not re.fullmatch(r"1[3-9]\d{9}", s):
        raise RuleError("mobile_invalid", "手机号应为 11 位，以 1 开头，第二位为 3-9",
                        "Mobile must be 11 digits starting 1, then 3-9", field="mobile")
    return s


def normalise_email(raw):
    s = to_halfwidth(raw or "").strip()
    if len(s) > 254 or not re.fullmatch(r"[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", s):
        raise RuleError("email_invalid", "电子邮箱格式不正确", "E-mail address is not valid", field="email")
    local, domain = s.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalise_postcode(raw):
    s = re.sub(r"\s+", "", to_halfwidth(raw or ""))
    if not re.fullmatch(r"\d{6}", s):
        raise RuleError("postcode_invalid", "邮编应为 6 位数字", "Postcode must be 6 digits",
                        field="postcode")
    return s


def clean_text(raw, field, max_len, multiline=False):
    """Trimmed text without control characters and within its length, or RuleError."""
    s = (raw or "").replace("\r\n", "\n").strip()
    probe = s.replace("\n", "") if multiline else s
    if _CONTROL.search(probe) or (not multiline and "\n" in s):
        raise RuleError("control_chars", "内容含有不允许的控制字符", "Text holds control characters",
                        field=field)
    if len(s) > max_len:
        raise RuleError("too_long", f"内容过长（最多 {max_len} 字）",
                        f"Too long (at most {max_len} characters)", field=field)
    return s


def mask_id_number(id18):
    return "*" * 14 + id18[-4:] if id18 else ""


def mask_name(name):
    if not name:
        return ""
    surname = 2 if len(name) >= 4 else 1
    return name[:surname] + "*" * (len(name) - surname) if len(name) > 1 else "*"


def mask_phone(phone):
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "*" * max(len(phone) - 4, 0) + phone[-4:]
