"""The two paper forms: every field and option printed, ticks where filled, blanks stay blank."""
import pytest

from printables import render_pages
from printables.canvas import DARK_RED
from printables.forms import (CATEGORIES, EMPLOYER_TYPES, REQUEST_ITEMS, SERVICE_ITEMS, registration_form,
                              request_form)
from tests.printables.samples import texts

REGISTRATION_LABELS = ["注册机构", "日期", "姓　名", "职务/职称", "政治面貌", "性　别", "出生日期", "民　族", "身份证号",
                       "学　历", "毕业学校", "专　业", "工作（学习）", "职　务", "工作单位性质", "通讯地址", "邮　编",
                       "电子邮箱", "移动电话", "QQ号", "办公电话", "个人简历", "志愿服务项目", "审批机构意见", "签章（签字）"]
REQUEST_LABELS = ["日期", "服务对象类别", "服务对象情况", "姓　名", "性　别", "年　龄", "职　业", "现（原）工作", "联系方式",
                  "宅电", "手机", "现居住地址", "家庭主要成员", "称　谓", "工作单位", "工作地点", "申请原因", "申请服务项目",
                  "服务时间", "服务志愿者人数", "服务地点", "项目服务队长意见", "志愿者服务情况", "服务对象意见和建议", "签名"]


def _printed(page):
    return [t["text"] for t in texts(page)]


def _ticked(page, options):
    """The options whose box holds the check mark's red, found by their labels drawn in order."""
    placed = texts(page)
    names = [t["text"] for t in placed]
    start = next(i for i in range(len(names)) if names[i:i + len(options)] == list(options))
    ticked = []
    for option, t in zip(options, placed[start:start + len(options)]):
        x0, y0, _x1, y1 = (int(v) for v in t["box"])
        colours = page.crop((x0 - 70, y0, x0, y1)).getcolors(1 << 16)
        if any(colour == DARK_RED for _count, colour in colours):
            ticked.append(option)
    return ticked


def test_option_lists_match_the_server_catalogue():
    catalogue = pytest.importorskip("server.rules.catalogue")
    assert EMPLOYER_TYPES == catalogue.EMPLOYER_TYPES and SERVICE_ITEMS == catalogue.SERVICE_ITEMS
    assert CATEGORIES == catalogue.REQUEST_CATEGORIES and REQUEST_ITEMS == catalogue.REQUEST_ITEMS


def test_blank_registration_form_has_every_field_and_no_tick():
    page = render_pages("registration-form", {})[0]
    printed = " ".join(_printed(page))
    for label in REGISTRATION_LABELS + EMPLOYER_TYPES + SERVICE_ITEMS:
        assert label in printed, label
    assert _ticked(page, EMPLOYER_TYPES) == _ticked(page, SERVICE_ITEMS) == []


def test_filled_registration_form_prints_values_and_ticks_choices():
    volunteer = {"name": "张三", "gender": "男", "birth_date": "1990-05-01", "id_number": "5308**********1234",
                 "mobile": "138****1234", "employer_type": "事业单位和国有企业", "service_items": ["助老服务", "医疗卫生"],
                 "resume": "2012 年毕业于云南大学。" * 12, "org": "普洱市志愿服务联合会", "date": "2026-11-02",
                 "民族": "哈尼族"}  # the form's own field name works as a key too
    page = registration_form({"volunteer": volunteer})[0].image
    printed = _printed(page)
    for value in ("张三", "5308**********1234", "哈尼族", "注册机构：普洱市志愿服务联合会", "日期：2026-11-02"):
        assert value in printed, value
    assert _ticked(page, EMPLOYER_TYPES) == ["事业单位和国有企业"]
    assert _ticked(page, SERVICE_ITEMS) == ["医疗卫生", "助老服务"]
    assert all(t["fits"] for t in texts(page))


def test_blank_request_form_has_every_field_and_no_tick():
    page = render_pages("request-form", {})[0]
    printed = " ".join(_printed(page))
    for label in REQUEST_LABELS + CATEGORIES + REQUEST_ITEMS:
        assert label in printed, label
    assert _ticked(page, CATEGORIES) == _ticked(page, REQUEST_ITEMS) == []


def test_filled_request_form_prints_five_family_rows_at_most_and_ticks_one_item():
    family = [{"relation": f"亲属{i}", "name": "李*", "employer": "昆明某公司", "job": "职员", "workplace": "昆明"}
              for i in range(7)]
    request = {"name": "李*", "category": "空巢老人", "service_item": "助老", "age": 78, "family": family,
               "mobile": "139****0000", "reason": "独居，行动不便，需要定期上门陪伴和代购生活用品。", "date": "2026-11-03"}
    page = request_form({"request": request})[0].image
    printed = _printed(page)
    assert [f"亲属{i}" in printed for i in range(7)] == [True] * 5 + [False] * 2
    assert "78" in printed and "手机：139****0000" in printed and "日期：2026-11-03" in printed
    assert _ticked(page, CATEGORIES) == ["空巢老人"]
    assert _ticked(page, REQUEST_ITEMS) == ["助老"]
