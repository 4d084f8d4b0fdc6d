"""The eleven station types of the city notice (DOMAIN.md, guide part 4)."""
import pytest

from server.rules import catalogue
from server.rules.catalogue import (
    BANK_WINDOWS, COMMON_SERVICES, COUNTIES, STANDARD_WINDOWS, STATION_TYPES, SUPERVISING_UNITS,
    weekly_windows)
from server.rules.naming import check_station_name
from server.rules.windows import parse_windows

EXPECTED = {
    "hospital": "医院", "bank": "银行", "community": "社区", "transport": "车站、机场",
    "culture": "公共文化场所", "scenic": "景区景点", "government": "政务服务中心",
    "telecom": "电信、移动营业厅", "supermarket": "超市、商场", "park": "公园广场", "hotel": "宾馆酒店",
}


def test_eleven_types():
    assert len(STATION_TYPES) == 11
    assert {code: t["name"] for code, t in STATION_TYPES.items()} == EXPECTED
    for code, t in STATION_TYPES.items():
        assert t["code"] == code
        assert t["name_en"]


def test_windows():
    assert BANK_WINDOWS == [["09:00", "11:30"], ["14:30", "17:00"]]
    assert STANDARD_WINDOWS == [["08:00", "11:30"], ["14:30", "17:30"]]
    assert STATION_TYPES["bank"]["windows"] == [["09:00", "11:30"], ["14:30", "17:00"]]
    for code, t in STATION_TYPES.items():
        if code != "bank":
            assert t["windows"] == [["08:00", "11:30"], ["14:30", "17:30"]], code


def test_common_services_in_every_type():
    assert COMMON_SERVICES == ["各种知识宣传", "接收志愿者报名注册", "服务对象需求信息采集"]
    for code, t in STATION_TYPES.items():
        for service in COMMON_SERVICES:
            assert service in t["services"], (code, service)
        assert len(t["services"]) > len(COMMON_SERVICES), code      # each type adds its own
        assert len(set(t["services"])) == len(t["services"]), code


@pytest.mark.parametrize("code,service", [
    ("hospital", "挂号就医就诊等咨询"), ("bank", "转账汇款等咨询"), ("bank", "雨伞借用"),
    ("community", "社保、计生、低保等咨询服务"), ("transport", "车票购换、寄存物品咨询"),
    ("culture", "市民参观引导、讲解咨询"), ("scenic", "游客购票、游览咨询"),
    ("government", "工商、公安、税务等业务咨询"), ("telecom", "网络宽带、手机业务咨询"),
    ("supermarket", "购物、物品寄存等咨询"), ("park", "义务指路、提供急救用品、摩托车及电动车打气等"),
    ("hotel", "义务引路"),
])
def test_extra_services(code, service):
    assert service in STATION_TYPES[code]["services"]


@pytest.mark.parametrize("code,units", [
    ("hospital", ["市卫计委"]), ("bank", ["人行普洱市中心支行", "市银保监分局"]),
    ("community", ["县（区）文明办"]), ("transport", ["市交运局", "思茅机场"]),
    ("culture", ["市文旅局", "市科协"]), ("scenic", ["市文旅局"]),
    ("government", ["市政务服务管理局"]), ("telecom", ["中国电信普洱分公司", "中国移动普洱分公司"]),
    ("supermarket", ["市商务局"]), ("hotel", ["市文旅局"]),
])
def test_supervising_units(code, units):
    assert STATION_TYPES[code]["units"] == units


def test_units_known():
    for t in STATION_TYPES.values():
        assert set(t["units"]) <= set(SUPERVISING_UNITS)
    assert len(set(SUPERVISING_UNITS)) == len(SUPERVISING_UNITS)


def test_counties():
    assert len(COUNTIES) == 10
    names = dict(COUNTIES)
    assert names["530802"] == "思茅区"
    assert "澜沧拉祜族自治县" in names.values()
    assert "西盟佤族自治县" in names.values()
    assert len(set(names.values())) == 10


def test_weekly_windows_valid_and_independent():
    w = weekly_windows(STANDARD_WINDOWS)
    assert set(w) == {str(d) for d in range(7)}
    assert parse_windows(w) == w
    assert parse_windows(weekly_windows(BANK_WINDOWS))["3"] == BANK_WINDOWS
    w["0"][0][0] = "07:00"                   # a copy: the catalogue is never mutated
    assert STANDARD_WINDOWS[0][0] == "08:00"
    assert w["1"][0][0] == "08:00"


def test_catalogue_names_fit_the_naming_rule():
    for code in STATION_TYPES:
        suffix = "社区学雷锋志愿服务站" if code == "community" else "学雷锋志愿服务点"
        check_station_name("思茅" + suffix, code)


def test_directions():
    assert catalogue.DIRECTIONS["left"] == "左转"


NOTICE_LISTS = {  # guide 四, item by item, in the notice's words and order
    "hospital": ["各种知识宣传", "挂号就医就诊等咨询", "免费提供饮用水、轮椅等便民服务", "接收志愿者报名注册", "服务对象需求信息采集"],
    "bank": ["各种知识宣传", "转账汇款等咨询", "免费提供饮用水", "雨伞借用", "接收志愿者报名注册", "服务对象需求信息采集"],
    "community": ["各种知识宣传", "社保、计生、低保等咨询服务", "接收志愿者报名注册", "服务对象需求信息采集"],
    "transport": ["各种知识宣传", "车票购换、寄存物品咨询", "接收志愿者报名注册", "服务对象需求信息采集"],
    "culture": ["各种知识宣传", "市民参观引导、讲解咨询", "接收志愿者报名注册", "服务对象需求信息采集"],
    "scenic": ["各种知识宣传", "游客购票、游览咨询", "雨伞、轮椅借用", "接收志愿者报名注册", "服务对象需求信息采集"],
    "government": ["各种知识宣传", "工商、公安、税务等业务咨询", "免费提供饮用水", "接收志愿者报名注册", "服务对象需求信息采集"],
    "telecom": ["各种知识宣传", "网络宽带、手机业务咨询", "免费提供饮用水", "接收志愿者报名注册", "服务对象需求信息采集"],
    "supermarket": ["各种知识宣传", "购物、物品寄存等咨询", "接收志愿者报名注册", "服务对象需求信息采集"],
    "park": ["各种知识宣传", "义务指路、提供急救用品、摩托车及电动车打气等", "提供旅游、购物咨询等服务", "接收志愿者报名注册",
             "服务对象需求信息采集"],
    "hotel": ["各种知识宣传", "义务引路", "物品寄存、雨伞提供等服务", "接收志愿者报名注册", "服务对象需求信息采集"],
}


@pytest.mark.parametrize("code", sorted(NOTICE_LISTS))
def test_service_list_is_the_notices(code):
    services = STATION_TYPES[code]["services"]
    assert services == NOTICE_LISTS[code]
    assert services[0] == "各种知识宣传" and services[-2:] == ["接收志愿者报名注册", "服务对象需求信息采集"]
