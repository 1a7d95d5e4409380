"""Validators: ID numbers (GB 11643), phones, dates, booleans, text cleaning."""

import datetime as dt

import pytest

from app.core import validators as v

GOOD = "11010519491231002X"


@pytest.mark.parametrize("raw", [GOOD, "11010519491231002x", " 110105 19491231 002X ",
                                 "１１０１０５１９４９１２３１００２Ｘ", "\u200b11010519491231002X\u3000",
                                 "'11010519491231002X"])
def test_id_number_accepts_spellings_of_a_valid_number(raw):
    assert v.normalize_id_number(raw) == GOOD


def test_id_number_check_digit_computed_per_gb11643():
    assert v.id_check_digit("11010519491231002") == "X"
    assert v.id_check_digit("44052418800101001") == "4"


@pytest.mark.parametrize("raw, fragment", [
    ("110105194912310021", "校验位不正确（最后一位应为 X）"),
    ("11010519491331002X", "不是有效日期"),
    ("1101051949123100", "应为 18 位"),
    ("110105491231002", "15 位旧身份证号"),
    ("ABCDEFGHIJKLMNOPQR", "应为 18 位"),
    ("1.10105194912310E+17", "科学计数法"),
    ("", "为空"),
])
def test_id_number_rejections_say_why(raw, fragment):
    with pytest.raises(v.InvalidValue, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        v.normalize_id_number(raw)


def test_id_number_from_a_number_cell_is_an_error_not_a_repair():
    with pytest.raises(v.InvalidValue, match="存成了数字"):
        v.normalize_id_number(110105194912310020)
    with pytest.raises(v.InvalidValue, match="存成了数字"):
        v.normalize_id_number(1.1010519491231e17)


def test_fifteen_digit_message_offers_the_18_digit_form_without_using_it():
    with pytest.raises(v.InvalidValue) as exc:
        v.normalize_id_number("110105491231002")
    assert v.id15_to_18("110105491231002") in str(exc.value)
    assert len(v.id15_to_18("110105491231002")) == 18


def test_birth_date_and_gender_from_id():
    assert v.id_birth_date(GOOD) == dt.date(1949, 12, 31)
    assert v.id_gender(GOOD) == "女"      # 17th digit 2 is even
    assert v.id_gender("110105194912310037") == "男"


def test_mask_keeps_region_and_last_four():
    assert v.mask_id_number(GOOD) == "110105********002X"
    assert v.mask_id_number(None) == ""


@pytest.mark.parametrize("raw, out", [("13812345678", "13812345678"),
                                      ("+86 138 1234 5678", "13812345678"),
                                      ("010-66123456", "010-66123456"),
                                      ("0571-8765432-801", "0571-8765432-801"),
                                      ("66123456", "66123456")])
def test_phone_accepts(raw, out):
    assert v.normalize_phone(raw) == out


@pytest.mark.parametrize("raw", ["1381234567", "12345", "abc", "23812345678901"])
def test_phone_rejects(raw):
    with pytest.raises(v.InvalidValue):
        v.normalize_phone(raw)


@pytest.mark.parametrize("raw", ["2019-07-01", "2019-7-1", "2019/7/1", "2019.07.01",
                                 "2019年7月1日", "20190701", "２０１９年７月１日",
                                 dt.date(2019, 7, 1), dt.datetime(2019, 7, 1, 10, 0), 43647,
                                 43647.0, "43647", "2019-07-01 00:00:00"])
def test_every_date_form(raw):
    assert v.parse_date(raw) == dt.date(2019, 7, 1)


def test_month_only_dates_are_the_first():
    assert v.parse_date("2019.07") == dt.date(2019, 7, 1)
    assert v.parse_date("2019年7月") == dt.date(2019, 7, 1)


@pytest.mark.parametrize("raw", ["07/01/2019", "1/7/19", "19-7-1", "2019-02-30", "明天"])
def test_ambiguous_or_impossible_dates_rejected(raw):
    with pytest.raises(v.InvalidValue):
        v.parse_date(raw)


def test_blank_date_is_none():
    assert v.parse_date("  ") is None and v.parse_date(None) is None


def test_datetime_keeps_time():
    assert v.parse_datetime("2024-03-05 14:30") == dt.datetime(2024, 3, 5, 14, 30)


@pytest.mark.parametrize("raw, out", [("是", True), ("否", False), ("√", True), ("无", False),
                                      (1, True), (None, None), ("", None)])
def test_bool(raw, out):
    assert v.parse_bool(raw) is out


def test_clean_text_trims_every_kind_of_space():
    assert v.clean_text("\u3000 张三\u00a0\u200b ") == "张三"


def test_age_on():
    assert v.age_on(dt.date(2000, 3, 1), dt.date(2026, 2, 28)) == 25
    assert v.age_on(dt.date(2000, 3, 1), dt.date(2026, 3, 1)) == 26


def test_clean_text_keeps_chinese_punctuation_but_halfwidths_digits_and_letters():
    assert v.clean_text("观摩交流：加装电梯（一）， 好！") == "观摩交流：加装电梯（一）， 好！"
    assert v.clean_text("ＡＢ１２\u3000") == "AB12"
    assert v.halfwidth("面积（㎡）：") == "面积(m2):"


@pytest.mark.parametrize("raw, day", [("2000/1/10 0:00", dt.date(2000, 1, 10)),
                                      ("2019-7-12 10:30", dt.date(2019, 7, 12)),
                                      ("2019年7月1日14:30", dt.date(2019, 7, 1)),
                                      ("20190711T08:00:00", dt.date(2019, 7, 11))])
def test_a_time_after_the_day_is_not_read_as_part_of_it(raw, day):
    # Found by the property tests: spaces were dropped before the time was, so the hour's
    # digits ran into the day ("2000/1/10 0:00" read as 1 January).
    assert v.parse_date(raw) == day
    assert v.parse_datetime(raw).date() == day
