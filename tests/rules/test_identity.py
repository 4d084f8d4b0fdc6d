"""GB 11643 ID numbers, mobiles, e-mail, postcodes, masks and free text."""
from datetime import date

import pytest
from hypothesis import given, strategies as st

from server.rules import identity
from server.rules.errors import RuleError
from server.rules.identity import (
    age_on, birth_date_from_id, check_birth_date_matches, check_char, clean_text, gender_from_id,
    is_minor, make_id_number, mask_id_number, mask_name, mask_phone, normalise_email,
    normalise_id_number, normalise_mobile, normalise_postcode, to_halfwidth)

FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def _code(fn, *args):
    with pytest.raises(RuleError) as info:
        fn(*args)
    return info.value.code


def _hand_check(first17):
    """ISO 7064 MOD 11-2 written out from DOMAIN.md, independent of the module's tables."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(d) * w for d, w in zip(first17, weights))
    return {0: "1", 1: "0", 2: "X", 3: "9", 4: "8", 5: "7", 6: "6", 7: "5", 8: "4", 9: "3",
            10: "2"}[s % 11]


# --- ID numbers -----------------------------------------------------------------------------

def test_public_examples_are_valid():
    # the examples printed in GB 11643-1999
    assert normalise_id_number("11010519491231002X") == "11010519491231002X"
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"
    # the 1880 example has a right check digit but a birth year before 1900, refused as a date
    assert _code(normalise_id_number, "440524188001010014") == "id_number_birthdate"


def test_public_example_birth_and_gender():
    assert birth_date_from_id("11010519491231002X") == date(1949, 12, 31)
    assert gender_from_id("11010519491231002X") == "女"   # 002: even
    assert gender_from_id("440524188001010014") == "男"   # 001: odd


def test_check_char_hand_worked():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167, 167 % 11 = 2 -> X
    assert check_char("11010519491231002") == "X"
    assert _hand_check("11010519491231002") == "X"
    # 4*7+4*9+0*10+5*5+2*8+4*4+1*2+8*1+8*6+0*3+0*7+1*9+0*10+1*5+0*8+0*4+1*2 = 195, 195 % 11 = 8 -> 4
    assert check_char("44052418800101001") == "4"
    assert check_char("53080219900517001") == _hand_check("53080219900517001")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
       st.integers(0, 999), st.sampled_from(["530802", "530821", "110105", "440524"]))
def test_make_id_number_is_valid(birth, seq, region):
    id18 = make_id_number(region, birth, seq)
    assert len(id18) == 18
    assert id18[17] == _hand_check(id18[:17])
    assert normalise_id_number(id18) == id18
    assert birth_date_from_id(id18) == birth
    assert gender_from_id(id18) == ("男" if seq % 2 else "女")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2010, 12, 31)), st.integers(0, 999))
def test_every_wrong_check_char_refused(birth, seq):
    id18 = make_id_number("530802", birth, seq)
    for c in "0123456789X":
        if c != id18[17]:
            assert _code(normalise_id_number, id18[:17] + c) == "id_number_checksum"


def test_single_digit_typo_refused():
    id18 = make_id_number("530802", date(1990, 5, 17), 1)
    typo = id18[:3] + str((int(id18[3]) + 1) % 10) + id18[4:]
    assert _code(normalise_id_number, typo) == "id_number_checksum"


def test_full_width_and_lower_case_x_normalised():
    assert normalise_id_number("11010519491231002x") == "11010519491231002X"
    assert normalise_id_number("11010519491231002X".translate(FULLWIDTH)) == "11010519491231002X"
    assert normalise_id_number("11010519491231002x".translate(FULLWIDTH)) == "11010519491231002X"
    assert normalise_id_number(" 110105 19491231 002x\u3000") == "11010519491231002X"


@pytest.mark.parametrize("raw", ["", None, "1101051949123100", "110105194912310021X",
                                 "1101051949123100XX", "X10105194912310021", "11010519491231002Y",
                                 "11010519491231002-", "１１０１０５"])
def test_malformed_refused(raw):
    assert _code(normalise_id_number, raw) == "id_number_invalid"


def _with_birth(yyyymmdd, seq="001"):
    first17 = f"530802{yyyymmdd}{seq}"
    return first17 + _hand_check(first17)


def test_feb_29_of_non_leap_year_refused():
    assert _code(normalise_id_number, _with_birth("20230229")) == "id_number_birthdate"
    assert _code(normalise_id_number, _with_birth("19000229")) == "id_number_birthdate"  # not leap
    assert normalise_id_number(_with_birth("20000229")) == _with_birth("20000229")     # leap
    assert normalise_id_number(_with_birth("19960229")) == _with_birth("19960229")


@pytest.mark.parametrize("yyyymmdd", ["19901301", "19900001", "19900431", "19900500", "18991231",
                                      "99991231"])
def test_impossible_birth_dates_refused(yyyymmdd):
    assert _code(normalise_id_number, _with_birth(yyyymmdd)) == "id_number_birthdate"


def test_birth_date_in_the_future_refused():
    future = date.today().replace(year=date.today().year + 1, month=1, day=1)
    assert _code(normalise_id_number, _with_birth(f"{future:%Y%m%d}")) == "id_number_birthdate"


def test_birth_date_mismatch():
    id18 = make_id_number("530802", date(1990, 5, 17), 7)
    check_birth_date_matches(id18, date(1990, 5, 17))       # no error
    check_birth_date_matches(id18, None)                     # nothing to compare
    with pytest.raises(RuleError) as info:
        check_birth_date_matches(id18, date(1990, 5, 18))
    assert info.value.code == "birth_date_mismatch"
    assert info.value.field == "birth_date"


def test_id_errors_name_their_field():
    with pytest.raises(RuleError) as info:
        normalise_id_number("11010519491231002Y")
    assert info.value.field == "id_number"
    assert info.value.zh and info.value.en


def test_minors():
    id18 = make_id_number("530802", date(2008, 6, 15), 3)
    assert is_minor(id18, date(2026, 6, 14))
    assert not is_minor(id18, date(2026, 6, 15))        # 18th birthday
    assert age_on(date(2008, 6, 15), date(2026, 6, 14)) == 17
    assert age_on(date(2008, 6, 15), date(2026, 6, 15)) == 18
    # under-14s need a guardian (PIPL art. 31)
    assert age_on(date(2012, 3, 1), date(2026, 2, 28)) == 13
    assert age_on(date(2012, 3, 1), date(2026, 3, 1)) == 14


def test_leap_day_birthday_age():
    born = date(2008, 2, 29)
    assert age_on(born, date(2026, 2, 28)) == 17
    assert age_on(born, date(2026, 3, 1)) == 18
    assert is_minor(make_id_number("530802", born, 5), date(2026, 2, 28))
    assert not is_minor(make_id_number("530802", born, 5), date(2026, 3, 1))


# --- mobiles, e-mail, postcodes -------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "13812345678", "+8613812345678", "+86 138 1234 5678", "86 13812345678", "008613812345678",
    "138-1234-5678", "(138) 1234 5678", "１３８１２３４５６７８", "＋８６ １３８１２３４５６７８",
    "138\u30001234\u30005678", " 13812345678 ",
])
def test_mobile_forms_accepted(raw):
    assert normalise_mobile(raw) == "13812345678"


@pytest.mark.parametrize("second", "3456789")
def test_mobile_second_digits_3_to_9(second):
    assert normalise_mobile(f"1{second}812345678") == f"1{second}812345678"


@pytest.mark.parametrize("raw", ["12345678901", "11812345678", "10812345678", "23812345678",
                                 "1381234567", "138123456789", "", None, "1381234567a",
                                 "+85213812345678", "+8612345678901", "8612345678901"])
def test_mobile_refused(raw):
    assert _code(normalise_mobile, raw) == "mobile_invalid"


def test_email():
    assert normalise_email(" Li.Lei@Example.COM ") == "Li.Lei@example.com"
    assert normalise_email("ｌｉ＠ｑｑ．ｃｏｍ") == "li@qq.com"
    for bad in ["", None, "a@b", "a b@c.com", "@c.com", "a@@c.com", "a@c..com", "a@" + "x" * 250 + ".cn"]:
        assert _code(normalise_email, bad) == "email_invalid"


def test_postcode():
    assert normalise_postcode("665000") == "665000"
    assert normalise_postcode(" ６６５０００ ") == "665000"
    for bad in ["66500", "6650000", "66500a", "", None]:
        assert _code(normalise_postcode, bad) == "postcode_invalid"


def test_to_halfwidth():
    assert to_halfwidth("ＡＢｃ１２３！\u3000") == "ABc123! "
    assert to_halfwidth("张三。") == "张三。"


# --- masks (GB/T 35273 §7.2) ----------------------------------------------------------------

def test_masks():
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张**"
    assert mask_name("欧阳娜娜") == "欧***"           # only the first character, even for 欧阳
    assert mask_name("张") == "*"
    assert mask_name("") == "" and mask_name(None) == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
    assert mask_id_number("11010519491231002X") == "*" * 14 + "002X"
    assert mask_id_number("11010519491231002X") == "**************002X"
    assert mask_id_number("") == ""


@given(st.text(min_size=2, max_size=10))
def test_name_mask_hides_given_name(name):
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert masked[-1] == "*"
    assert masked[0] == name[0]


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_phone_mask_shows_seven_digits_at_most(phone):
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]
    assert len(masked) == 11 and masked[3:7] == "****"


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2010, 1, 1)), st.integers(0, 999))
def test_id_mask_keeps_only_last_four(birth, seq):
    id18 = make_id_number("530802", birth, seq)
    masked = mask_id_number(id18)
    assert masked == "*" * 14 + id18[-4:]
    assert id18[:14] not in masked


# --- free text ------------------------------------------------------------------------------

def test_clean_text():
    assert clean_text("  张三 ", "name", 20) == "张三"
    assert clean_text(None, "name", 20) == ""
    assert clean_text("a\r\nb", "note", 20, multiline=True) == "a\nb"
    assert clean_text("x" * 20, "name", 20) == "x" * 20
    assert _code(clean_text, "x" * 21, "name", 20) == "too_long"
    assert _code(clean_text, "a\nb", "name", 20) == "control_chars"
    for bad in ["a\x00b", "a\x07b", "a\u200bb", "a\u202eb", "a\ufeffb", "a\x7fb"]:
        assert _code(clean_text, bad, "name", 20) == "control_chars"
        assert _code(clean_text, bad, "note", 20, True) == "control_chars"


def test_clean_text_error_names_field():
    with pytest.raises(RuleError) as info:
        clean_text("x" * 5, "address", 4)
    assert info.value.field == "address"


def test_weights_are_the_standard_ones():
    assert identity.WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    assert all(2 ** (17 - i) % 11 == w for i, w in enumerate(identity.WEIGHTS))


# --- non-ASCII digits -----------------------------------------------------------------------
# Python's \d matches every Unicode decimal digit (Arabic-Indic, Devanagari, ...). A normaliser
# must hand back ASCII (or refuse): otherwise one ID number has two spellings, two keyed hashes
# (the duplicate-registration check is bypassed) and a non-ASCII id_last4 / mobile in exports.
ARABIC_INDIC = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")


def _ascii_or_refused(fn, raw):
    try:
        out = fn(raw)
    except RuleError:
        return True
    return out.isascii()


def test_id_number_non_ascii_digits_refused():
    assert _ascii_or_refused(normalise_id_number, "11010519491231002X".translate(ARABIC_INDIC))
    assert _code(normalise_id_number, "11010519491231002X".translate(ARABIC_INDIC)) == "id_number_invalid"


def test_mobile_non_ascii_digits_refused():
    assert _ascii_or_refused(normalise_mobile, "13" + "812345678".translate(ARABIC_INDIC))
    assert _code(normalise_mobile, "13812345678".translate(ARABIC_INDIC)) == "mobile_invalid"


def test_postcode_non_ascii_digits_refused():
    assert _ascii_or_refused(normalise_postcode, "665000".translate(ARABIC_INDIC))


@given(st.text(max_size=30))
def test_normalisers_return_ascii_or_refuse(raw):
    for fn in (normalise_id_number, normalise_mobile, normalise_postcode, normalise_email):
        assert _ascii_or_refused(fn, raw)


# --- what else a hostile or careless paste holds ----------------------------------------------

@pytest.mark.parametrize("bad", ["a\x85b", "a\x9bb", "a\u2066b", "a\u2069b", "a\u2060b",
                                 "a\ud800b", "a\udfffb", "a\uffffb", "a\rb"])
def test_clean_text_refuses_more_controls(bad):
    assert _code(clean_text, bad, "note", 20) == "control_chars"
    assert _code(clean_text, bad, "note", 20, True) == "control_chars"


def test_clean_text_tab_only_in_multiline():
    assert _code(clean_text, "张\t三", "name", 20) == "control_chars"
    assert clean_text("第一行\n\t第二行", "resume", 40, multiline=True) == "第一行\n\t第二行"


def test_clean_text_keeps_chinese_and_punctuation():
    text = "思茅区振兴社区（3 号楼）·李四，电话：0879-2123456！"
    assert clean_text(text, "address", 120) == text


@pytest.mark.parametrize("raw", ["+0086 13812345678", "08613812345678", "886 13812345678",
                                 "+8813812345678"])
def test_mobile_only_real_country_prefixes(raw):
    assert _code(normalise_mobile, raw) == "mobile_invalid"


def test_mobile_error_names_field():
    with pytest.raises(RuleError) as info:
        normalise_mobile("12345")
    assert info.value.field == "mobile" and "手机号" in info.value.zh


@pytest.mark.parametrize("bad", ["李雷@qq.com", "a@qq.中国", ".a@qq.com", "a.@qq.com",
                                 "a@-qq.com", "a@qq-.com", "a@qq.c0m", "x" * 65 + "@qq.com",
                                 "a\x00@qq.com", "a@qq.com\nBcc: b@qq.com", "a@q q.com"])
def test_email_refused(bad):
    assert _code(normalise_email, bad) == "email_invalid"


def test_email_accepted():
    assert normalise_email("wang_wei+vol@Pe-Wenming.GOV.CN") == "wang_wei+vol@pe-wenming.gov.cn"
    assert normalise_email("x" * 64 + "@qq.com") == "x" * 64 + "@qq.com"


def test_rule_error_str_is_bilingual():
    err = RuleError("c", "中文", "English", field="f")
    assert str(err) == "中文 / English"
    assert isinstance(err, ValueError)
    assert (err.code, err.field) == ("c", "f")
    assert RuleError("c", "中", "en").field is None


def test_masks_of_odd_input():
    assert mask_phone(None) == ""
    assert mask_phone("2123456") == "***3456"
    assert mask_id_number(None) == ""
    assert mask_name("李") == "*"


def test_born_today_in_puer_is_valid():
    from datetime import datetime
    from zoneinfo import ZoneInfo
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    id18 = make_id_number("530802", today, 1)
    assert normalise_id_number(id18) == id18
    assert is_minor(id18, today)


# --- region codes (GB/T 2260) -----------------------------------------------------------------

@pytest.mark.parametrize("region", ["000000", "999999", "530899", "100000", "123456"])
def test_unknown_region_code_refused(region):
    id18 = make_id_number(region, date(1990, 5, 17), 1)
    with pytest.raises(RuleError) as info:
        normalise_id_number(id18)
    assert info.value.code == "id_number_region" and info.value.field == "id_number"
    assert "地区代码" in info.value.zh and "region code" in info.value.en


def test_code_created_after_the_birth_accepted():
    """思茅区 got 530802 in 2003; someone born there in 1960 carries it. stdnum refuses, we do not."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError
    older = make_id_number("530802", date(1960, 3, 9), 11)
    with pytest.raises(ValidationError):
        ric.validate(older)
    assert normalise_id_number(older) == older
    # a code since retired (崇文区, merged in 2010) still belongs to the people who hold it
    retired = make_id_number("110103", date(1995, 1, 2), 5)
    assert normalise_id_number(retired) == retired


def test_demo_and_fixture_region_codes_exist():
    from server.rules.catalogue import COUNTIES
    from server.ops.demo import STATIONS
    for code in {c for c, _ in COUNTIES} | {s[0] for s in STATIONS}:
        assert identity.region_ever_existed(code), code


def test_region_rule_against_stdnum_over_20000_numbers():
    """Agree with python-stdnum's cn.ric everywhere, except its birth-date rule for region codes.

    The oracle for "the code ever existed" asks stdnum itself whether the code was valid in any
    year from 1949 to today; we must accept exactly those codes, whatever the birth date.
    """
    import random
    from functools import lru_cache

    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    def stdnum_ok(id18):
        try:
            ric.validate(id18)
            return True
        except (ValidationError, KeyError):  # stdnum 2.2 raises KeyError for a province without county
            return False

    @lru_cache(maxsize=None)
    def ever_valid(code):
        return any(stdnum_ok(make_id_number(code, date(year, 6, 1), 1)) for year in range(1949, 2027))

    rng = random.Random(11_17)
    listed = set()
    while len(listed) < 300:
        code = f"{rng.randrange(11, 66):02d}{rng.randrange(0, 40):02d}{rng.randrange(0, 90):02d}"
        if identity.region_ever_existed(code):
            listed.add(code)
    pool = sorted(listed) + [f"{rng.randrange(0, 1_000_000):06d}" for _ in range(300)]
    stdnum_refused_we_accept = 0
    for _ in range(20_000):
        code = rng.choice(pool)
        id18 = make_id_number(code, date(1949, 1, 1) + (date(2020, 1, 1) - date(1949, 1, 1)) * rng.random(),
                              rng.randrange(1000))
        try:
            normalise_id_number(id18)
            ours = True
        except RuleError as err:
            assert err.code == "id_number_region", (id18, err.code)
            ours = False
        theirs = stdnum_ok(id18)
        assert ours == ever_valid(code), id18
        if theirs:
            assert ours, id18
        elif ours:
            stdnum_refused_we_accept += 1
    assert stdnum_refused_we_accept > 100  # the birth-date cases were really exercised


@pytest.mark.parametrize("value", [5, 10 ** 30, True, ["x"], {"a": 1}, 1.5])
@pytest.mark.parametrize("fn,field", [(normalise_id_number, "id_number"), (normalise_mobile, "mobile"),
                                      (normalise_email, "email"), (normalise_postcode, "postcode"),
                                      (lambda v: clean_text(v, "reason", 50), "reason")])
def test_non_text_values_are_refused_by_name(fn, field, value):
    """JSON callers can send any type: a number or a list is a clear error on its field, not a crash."""
    with pytest.raises(RuleError) as info:
        fn(value)
    assert info.value.code == "bad_type" and info.value.field == field


@pytest.mark.parametrize("fn,field", [(normalise_id_number, "id_number"), (normalise_mobile, "mobile"),
                                      (lambda v: clean_text(v, "name", 50), "name")])
def test_lone_surrogates_are_refused_by_name(fn, field):
    with pytest.raises(RuleError) as info:
        fn("13800\ud800138000")
    assert info.value.field == field
