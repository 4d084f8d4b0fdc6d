"""Check a volunteer registration (普洱市个人志愿者注册登记表); plain functions, no Flask."""
from datetime import date

from server.catalogue import EMPLOYER_TYPES, SERVICE_ITEMS
from server.rules.errors import RuleError
from server.rules.identity import (birth_date_from_id, check_birth_date_matches, clean_text,
                                   gender_from_id, normalise_email, normalise_id_number,
                                   normalise_mobile, normalise_postcode)

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


def clean_registration(form, require_all=True, keep_identity=None, today=None):
    """A checked registration dict, or RuleError naming the field; nothing is half-kept.

    today is the station-local day by the app clock (timeutil.today()), for the birth-date check."""
    name = clean_text(form.get("name"), "name", 20)
    if not name:
        raise RuleError("required", "请填写姓名", "Name is required", field="name")
    if keep_identity:
        # An edit keeps the registered ID number, birth date and gender as they are.
        person = {"name": name, "mobile": normalise_mobile(form.get("mobile")), **keep_identity}
    else:
        person = {"name": name, "mobile": normalise_mobile(form.get("mobile")),
                  **_identity(form, today)}
    for field, (_zh, _en, limit) in TEXT_FIELDS.items():
        person[field] = clean_text(form.get(field), field, limit)
    person["resume"] = clean_text(form.get("resume"), "resume", 1000, multiline=True)
    if form.get("email"):
        person["email"] = normalise_email(form["email"])
    if form.get("postcode"):
        person["postcode"] = normalise_postcode(form["postcode"])
    employer_type = form.get("employer_type") or ""
    if employer_type and employer_type not in EMPLOYER_TYPES:
        raise RuleError("employer_type_invalid", "请选择工作单位性质", "Choose an employer type",
                        field="employer_type")
    person["employer_type"] = employer_type
    items = form.get("service_items") or []
    if isinstance(items, str):
        items = [items]
    if any(item not in SERVICE_ITEMS for item in items) or len(items) > len(SERVICE_ITEMS):
        raise RuleError("service_items_invalid", "志愿服务项目不在列表中", "Unknown service item",
                        field="service_items")
    if require_all and not items:
        raise RuleError("required", "请至少选择一项志愿服务项目", "Choose at least one service item",
                        field="service_items")
    person["service_items"] = list(dict.fromkeys(items))
    return person
