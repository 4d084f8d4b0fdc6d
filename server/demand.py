"""Check a service-demand request (普洱市志愿者服务对象需求采集表) and its consent; no Flask here."""
import re

from server.catalogue import REQUEST_CATEGORIES, REQUEST_FLOW, REQUEST_ITEMS, SENSITIVE_CATEGORIES
from server.rules.errors import RuleError
from server.rules.identity import clean_text, normalise_mobile, to_halfwidth

FAMILY_FIELDS = ("relation", "name", "employer", "job", "workplace")
# The states in the order a handler meets them: the first one allowed is the natural next step;
# the final negative ones come last and need a note and a confirmation.
STATE_ORDER = ("accepted", "in_service", "done", "transferred", "cannot", "duplicate")
FINAL_NEGATIVE = ("cannot", "duplicate")


def next_states(state):
    """The states a request may move to from `state`, in workflow order."""
    return [s for s in STATE_ORDER if s in REQUEST_FLOW[state]]


def _need(value, field, zh, en):
    if not value:
        raise RuleError("required", zh, en, field=field)
    return value


def _age(raw):
    text = to_halfwidth(str(raw or "")).strip()
    if not text:
        return None
    if not text.isdigit() or not 0 <= int(text) <= 120:
        raise RuleError("age_invalid", "年龄应为 0 到 120 的整数", "Age must be a whole number 0-120",
                        field="age")
    return int(text)


def _home_phone(raw):
    text = re.sub(r"[\s\-()（）]", "", to_halfwidth(raw or ""))
    if text and not re.fullmatch(r"0?\d{7,12}", text):
        raise RuleError("home_phone_invalid", "宅电应为 7 到 12 位数字（可含区号）",
                        "Home phone must be 7-12 digits", field="home_phone")
    return text


def clean_family(rows):
    """Up to five family member rows; empty rows are dropped."""
    out = []
    for row in (rows or [])[:5]:
        cleaned = {f: clean_text(str((row or {}).get(f) or ""), "family", 40) for f in FAMILY_FIELDS}
        if any(cleaned.values()):
            out.append(cleaned)
    return out


def clean_request(form):
    """(public, details, consent needs): what lists may show, what is encrypted, what consent."""
    name = _need(clean_text(form.get("name"), "name", 20), "name", "请填写姓名", "Name is required")
    mobile = normalise_mobile(form["mobile"]) if form.get("mobile") else ""
    home_phone = _home_phone(form.get("home_phone"))
    _need(mobile or home_phone, "mobile", "请至少留一个联系电话", "Give at least one phone number")
    category = form.get("category") or ""
    if category not in REQUEST_CATEGORIES:
        raise RuleError("category_invalid", "请选择服务对象类别", "Choose who the service is for",
                        field="category")
    item = form.get("service_item") or ""
    if item not in REQUEST_ITEMS:
        raise RuleError("item_invalid", "请选择申请服务项目", "Choose the service you need",
                        field="service_item")
    reason = _need(clean_text(form.get("reason"), "reason", 500, multiline=True), "reason",
                   "请填写申请原因", "Say why you ask for help")
    age = _age(form.get("age"))
    gender = form.get("gender") or ""
    if gender not in ("", "男", "女"):
        raise RuleError("gender_invalid", "性别应为男或女", "Gender must be 男 or 女", field="gender")
    health = str(form.get("health_details", "")).lower() in ("1", "true", "on", "yes")
    details = {
        "name": name, "mobile": mobile, "home_phone": home_phone, "gender": gender, "age": age,
        "category": category, "reason": reason, "health_details": health,
        "occupation": clean_text(form.get("occupation"), "occupation", 30),
        "employer": clean_text(form.get("employer"), "employer", 60),
        "job": clean_text(form.get("job"), "job", 30),
        "address": clean_text(form.get("address"), "address", 120),
        "family": clean_family(form.get("family")),
        "service_place": clean_text(form.get("service_place"), "service_place", 60),
    }
    service_time = clean_text(form.get("service_time"), "service_time", 40)
    sensitive = category in SENSITIVE_CATEGORIES or health
    public = {"category": None if sensitive else category, "sensitive": sensitive,
              "service_item": item, "service_time": service_time or None}
    return public, details, {"sensitive": sensitive, "guardian": age is not None and age < 14}


def check_consent(needs, form):
    """Refuse unless each consent the request needs was given (never assumed)."""
    def given(key):
        return str(form.get(key, "")).lower() in ("1", "true", "on", "yes")
    if not given("consent"):
        raise RuleError("consent_required", "请阅读并同意个人信息使用说明", "Please read and agree to how your data is used",
                        field="consent")
    if needs["sensitive"] and not given("consent_sensitive"):
        raise RuleError("sensitive_consent_required", "涉及敏感个人信息，须单独同意",
                        "Sensitive personal information needs its own consent", field="consent_sensitive")
    if needs["guardian"]:
        guardian = clean_text(form.get("guardian_name"), "guardian_name", 20)
        if not guardian or not given("consent_guardian"):
            raise RuleError("guardian_required", "未满 14 周岁，须由监护人填写姓名并同意",
                            "Under 14: a guardian must give their name and consent", field="guardian_name")
        return guardian
    return None
