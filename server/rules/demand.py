"""Check a service-demand request (普洱市志愿者服务对象需求采集表) and its consent; no Flask here."""
import re

from server.rules.catalogue import REQUEST_CATEGORIES, REQUEST_FLOW, REQUEST_ITEMS, SENSITIVE_CATEGORIES
from server.rules.errors import FormErrors, RuleError, gather
from server.rules.identity import clean_text, normalise_mobile, to_halfwidth

FAMILY_FIELDS = ("relation", "name", "employer", "job", "workplace")
# The states in the order a handler meets them: the first one allowed is the natural next step;
# the final negative ones come last and need a note and a confirmation.
# A citizen may decline to name their category (服务对象类别): 不便说明 is kept as said, never guessed.
CATEGORY_UNSAID = "不便说明"
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
    rows = rows or []
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, (dict, type(None))) for r in rows):
        raise RuleError("family_invalid", "家庭成员信息格式不正确", "Family members must be a list of rows",
                        field="family")
    for row in rows[:5]:
        cleaned = {f: clean_text(str((row or {}).get(f) or ""), "family", 40) for f in FAMILY_FIELDS}
        if any(cleaned.values()):
            out.append(cleaned)
    return out


def _category(form):
    category = form.get("category") or ""
    if category not in REQUEST_CATEGORIES and category != CATEGORY_UNSAID:
        raise RuleError("category_invalid", "请选择服务对象类别", "Choose who the service is for",
                        field="category")
    return category


def _item(form):
    item = form.get("service_item") or ""
    if item not in REQUEST_ITEMS:
        raise RuleError("item_invalid", "请选择申请服务项目", "Choose the service you need",
                        field="service_item")
    return item


def _gender(form):
    gender = form.get("gender") or ""
    if gender not in ("", "男", "女"):
        raise RuleError("gender_invalid", "性别应为男或女", "Gender must be 男 or 女", field="gender")
    return gender


def _phones(form):
    mobile = normalise_mobile(form["mobile"]) if form.get("mobile") else ""
    home_phone = _home_phone(form.get("home_phone"))
    _need(mobile or home_phone, "mobile", "请至少留一个联系电话", "Give at least one phone number")
    return mobile, home_phone


def _given(form, key):
    return str(form.get(key, "")).lower() in ("1", "true", "on", "yes")


def clean_request(form):
    """(public, details, consent needs): what lists may show, what is encrypted, what consent.
    Raises FormErrors naming every field that breaks a rule."""
    text = lambda f, n, multiline=False: (f, lambda: clean_text(form.get(f), f, n, multiline=multiline))
    v = gather([
        ("name", lambda: _need(clean_text(form.get("name"), "name", 20), "name", "请填写姓名", "Name is required")),
        ("phones", lambda: _phones(form)),
        ("category", lambda: _category(form)),
        ("service_item", lambda: _item(form)),
        ("reason", lambda: _need(clean_text(form.get("reason"), "reason", 500, multiline=True), "reason",
                                 "请填写申请原因", "Say why you ask for help")),
        ("age", lambda: _age(form.get("age"))),
        ("gender", lambda: _gender(form)),
        text("occupation", 30), text("employer", 60), text("job", 30), text("address", 120),
        ("family", lambda: clean_family(form.get("family"))),
        text("service_place", 60), text("service_time", 40),
    ])
    health = _given(form, "health_details")
    (mobile, home_phone), category, age = v["phones"], v["category"], v["age"]
    details = {
        "name": v["name"], "mobile": mobile, "home_phone": home_phone, "gender": v["gender"], "age": age,
        "category": category, "reason": v["reason"], "health_details": health,
        "occupation": v["occupation"], "employer": v["employer"], "job": v["job"], "address": v["address"],
        "family": v["family"], "service_place": v["service_place"],
    }
    sensitive = category in SENSITIVE_CATEGORIES or health
    public = {"category": None if sensitive else category, "sensitive": sensitive,
              "service_item": v["service_item"], "service_time": v["service_time"] or None}
    return public, details, {"sensitive": sensitive, "guardian": age is not None and age < 14}


def consent_needs(form):
    """The consents a form asks for, read from its raw values (to name them even when other
    fields are wrong)."""
    try:
        age = _age(form.get("age"))
    except RuleError:
        age = None
    return {"sensitive": form.get("category") in SENSITIVE_CATEGORIES or _given(form, "health_details"),
            "guardian": age is not None and age < 14}


def _consent(form):
    if not _given(form, "consent"):
        raise RuleError("consent_required", "请阅读并同意个人信息使用说明", "Please read and agree to how your data is used",
                        field="consent")


def _sensitive_consent(form, needs):
    if needs["sensitive"] and not _given(form, "consent_sensitive"):
        raise RuleError("sensitive_consent_required", "涉及敏感个人信息，须单独同意",
                        "Sensitive personal information needs its own consent", field="consent_sensitive")


def _guardian(form, needs):
    if not needs["guardian"]:
        return None
    guardian = clean_text(form.get("guardian_name"), "guardian_name", 20)
    if not guardian or not _given(form, "consent_guardian"):
        raise RuleError("guardian_required", "未满 14 周岁，须由监护人填写姓名并同意",
                        "Under 14: a guardian must give their name and consent", field="guardian_name")
    return guardian


def check_consent(needs, form):
    """Refuse unless each consent the request needs was given (never assumed); the guardian's name."""
    return gather([("consent", lambda: _consent(form)),
                   ("sensitive", lambda: _sensitive_consent(form, needs)),
                   ("guardian", lambda: _guardian(form, needs))])["guardian"]


def check_request(form):
    """clean_request and check_consent together, naming every broken field of both."""
    errors = []
    try:
        public, details, needs = clean_request(form)
    except FormErrors as err:
        errors, needs = err.errors, consent_needs(form)
    try:
        guardian = check_consent(needs, form)
    except FormErrors as err:
        errors += err.errors
    if errors:
        raise FormErrors(errors)
    return public, details, guardian
