"""The notice's naming rule: ×××社区学雷锋志愿服务站 / ×××社区志愿者服务站, else ×××学雷锋志愿服务点."""
import pytest
from hypothesis import given, strategies as st

from server.rules.catalogue import STATION_TYPES
from server.rules.errors import RuleError
from server.rules.naming import check_station_name

OTHER_TYPES = sorted(set(STATION_TYPES) - {"community"})


def _code(name, type_code):
    with pytest.raises(RuleError) as info:
        check_station_name(name, type_code)
    assert info.value.field == "name"
    return info.value.code


@pytest.mark.parametrize("name", ["振兴社区学雷锋志愿服务站", "振兴社区志愿者服务站",
                                  " 振兴社区学雷锋志愿服务站 ", "思茅区振兴街道振兴社区学雷锋志愿服务站"])
def test_community_ok(name):
    check_station_name(name, "community")


@pytest.mark.parametrize("name", ["振兴社区学雷锋志愿服务点", "振兴学雷锋志愿服务点",
                                  "社区学雷锋志愿服务站", "社区志愿者服务站", "振兴社区",
                                  "振兴社区学雷锋志愿服务站。", "振兴社区学雷锋志愿服务站（筹）"])
def test_community_refused(name):
    assert _code(name, "community") == "name_rule"


@pytest.mark.parametrize("type_code", OTHER_TYPES)
def test_other_types_ok(type_code):
    check_station_name("普洱市人民医院学雷锋志愿服务点", type_code)


@pytest.mark.parametrize("type_code", OTHER_TYPES)
@pytest.mark.parametrize("name", ["学雷锋志愿服务点", "普洱市人民医院学雷锋志愿服务站",
                                  "振兴社区学雷锋志愿服务站", "振兴社区志愿者服务站", "普洱市人民医院"])
def test_other_types_refused(type_code, name):
    assert _code(name, type_code) == "name_rule"


def test_length_limit():
    suffix = "学雷锋志愿服务点"
    ok40 = "普" * (40 - len(suffix)) + suffix
    assert len(ok40) == 40
    check_station_name(ok40, "bank")
    assert _code("普" + ok40, "bank") == "name_length"          # 41 characters
    c_suffix = "社区学雷锋志愿服务站"
    assert _code("振" * (41 - len(c_suffix)) + c_suffix, "community") == "name_length"
    check_station_name("振" * (40 - len(c_suffix)) + c_suffix, "community")


@pytest.mark.parametrize("name", ["", "   ", None])
def test_empty_refused(name):
    assert _code(name, "community") == "name_length"
    assert _code(name, "hospital") == "name_length"


@given(st.text(min_size=1, max_size=20).filter(lambda s: s.strip() == s and s.strip()),
       st.sampled_from(OTHER_TYPES))
def test_any_prefix_with_the_other_suffix(prefix, type_code):
    name = prefix + "学雷锋志愿服务点"
    if len(name) <= 40:
        check_station_name(name, type_code)
        with pytest.raises(RuleError):
            check_station_name(name, "community")


def test_refusal_is_bilingual_and_names_the_suffix():
    with pytest.raises(RuleError) as info:
        check_station_name("振兴社区", "community")
    assert "社区学雷锋志愿服务站" in info.value.zh and "社区学雷锋志愿服务站" in info.value.en
    with pytest.raises(RuleError) as info:
        check_station_name("普洱市人民医院", "hospital")
    assert "学雷锋志愿服务点" in str(info.value)
