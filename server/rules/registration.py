"""Check a volunteer registration (普洱市个人志愿者注册登记表); plain functions, no Flask."""
from datetime import date

from server.rules.catalogue import EMPLOYER_TYPES, SERVICE_ITEMS
from server.rules.errors import RuleError, gather
from server.rules.identity import (birth_date_from_id, check_birth_date_matches, clean_text,
                                   gender_from_id, normalise_email, normalise_id_number,
                                   normalise_mobile, normalise_postcode)

# The sign-up's own consent (not the help request's): what is collected and why, and that approved
# hours go to the national system. A new wording gets a new version; the version is stored.
SIGNUP_CONSENT_VERSION = "signup-2026-11-v1"
SIGNUP_CONSENT_TEXT = (
    "您填写的姓名、身份证号、手机号、性别、出生日期、志愿服务项目和选填信息，用于志愿者注册与审核、排班、制作志愿者胸卡和记录服务时长。"
    "身份证号加密保存，页面和打印件上遮挡显示，工作人员须说明原因才能查看完整号码，每次查看都有记录。"
    "经审核的服务时长将连同您的姓名和身份证号报送全国志愿服务信息系统，用于记录服务时长和出具志愿服务记录证明。"
    "您可以不同意，但将无法注册为志愿者。",
    "Your name, ID number, mobile, gender, birth date, service items and any optional details are used to "
    "register and approve you, plan shifts, make your volunteer badge and record your service hours. Your ID "
    "number is encrypted and shown masked on screens and paper; staff see it in full only for a stated reason, "
    "and every view is logged. Approved hours are reported, with your name and ID number, to the national "
    "volunteer service system (全国志愿服务信息系统), to record them and issue service certificates. You may "
    "decline, but then you cannot be registered as a volunteer.")

# field: (Chinese label, English label, max length)
TEXT_FIELDS = {
    "position_title": ("职务/职称", "Title", 30), "political_status": ("政治面貌", "Political status", 20),
    "ethnicity": ("民族", "Ethnicity", 20), "education": ("学历", "Education", 20),
    "school": ("毕业学校", "School", 60), "major": ("专业", "Major", 40),
    "employer": ("工作（学习）单位", "Employer or school", 60), "job": ("职务", "Position", 30),
    "address": ("通讯地址", "Postal address", 120), "qq": ("QQ号", "QQ", 15),
    "office_phone": ("办公电话", "Office phone", 20), "org": ("注册机构", "Registering organisation", 60),
}


def _identity(form, today):
    """ID number, birth date and gender, checked against each other."""
    id_number = normalise_id_number(form.get("id_number"), today)
    if form.get("birth_date"):
        try:
            given = date.fromisoformat(str(form["birth_date"]))
        except ValueError:
            raise RuleError("birth_date_invalid", "出生日期格式应为 1990-05-17",
                            "Birth date must look like 1990-05-17", field="birth_date") from None
        check_birth_date_matches(id_number, given)
    gender = form.get("gender") or gender_from_id(id_number)
    if gender not in ("男", "女"):
        raise RuleError("gender_invalid", "性别应为男或女", "Gender must be 男 or 女", field="gender")
    return {"id_number": id_number, "birth_date": birth_date_from_id(id_number).isoformat(),
            "gender": gender}


def _employer_type(form):
    employer_type = form.get("employer_type") or ""
    if employer_type and employer_type not in EMPLOYER_TYPES:
        raise RuleError("employer_type_invalid", "请选择工作单位性质", "Choose an employer type",
                        field="employer_type")
    return employer_type


def _service_items(form, require_all):
    items = form.get("service_items") or []
    if isinstance(items, str):
        items = [items]
    if any(item not in SERVICE_ITEMS for item in items) or len(items) > len(SERVICE_ITEMS):
        raise RuleError("service_items_invalid", "志愿服务项目不在列表中", "Unknown service item",
                        field="service_items")
    if require_all and not items:
        raise RuleError("required", "请至少选择一项志愿服务项目", "Choose at least one service item",
                        field="service_items")
    return list(dict.fromkeys(items))


def _name(form):
    name = clean_text(form.get("name"), "name", 20)
    if not name:
        raise RuleError("required", "请填写姓名", "Name is required", field="name")
    return name


def clean_registration(form, require_all=True, keep_identity=None, today=None):
    """A checked registration dict, or FormErrors naming every broken field; nothing is half-kept.

    today is the station-local day by the app clock (timeutil.today()), for the birth-date check."""
    checks = [("name", lambda: _name(form)), ("mobile", lambda: normalise_mobile(form.get("mobile")))]
    # An edit keeps the registered ID number, birth date and gender as they are.
    checks.append(("identity", (lambda: keep_identity) if keep_identity else (lambda: _identity(form, today))))
    checks += [(field, lambda field=field, limit=limit: clean_text(form.get(field), field, limit))
               for field, (_zh, _en, limit) in TEXT_FIELDS.items()]
    checks += [("resume", lambda: clean_text(form.get("resume"), "resume", 1000, multiline=True)),
               ("email", lambda: normalise_email(form["email"]) if form.get("email") else None),
               ("postcode", lambda: normalise_postcode(form["postcode"]) if form.get("postcode") else None),
               ("employer_type", lambda: _employer_type(form)),
               ("service_items", lambda: _service_items(form, require_all))]
    values = gather(checks)
    person = {"name": values.pop("name"), "mobile": values.pop("mobile"), **values.pop("identity")}
    for optional in ("email", "postcode"):
        if values[optional] is None:
            values.pop(optional)
    person.update(values)
    return person


def check_signup_consent(form):
    """Sign-up consent is its own (what is collected, hours to the national system); never assumed."""
    if str(form.get("consent", "")).lower() not in ("1", "true", "on", "yes"):
        raise RuleError("consent_required", "请阅读并同意志愿者报名个人信息说明",
                        "Please read and agree to how your sign-up data is used", field="consent")
