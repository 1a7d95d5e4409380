"""What each refusal says, and the edges of each rule (found by mutation testing: these
lines could change without any test noticing).  A clerk fixes a cell from the message alone,
so the message is part of the behaviour."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import validators as v


def refused(fn, value) -> str:
    with pytest.raises(v.InvalidValue) as exc:
        fn(value)
    assert str(exc.value), "a refusal always says why"
    return str(exc.value)


def test_blank_text_is_the_empty_string():
    assert v.clean_text(None) == "" and v.halfwidth(None) == ""


@pytest.mark.parametrize("raw, message", [
    (110105194912310020, "身份证号被存成了数字，后几位可能已丢失；请把该列设为文本格式后重新录入完整号码"),
    ("   ", "身份证号为空"),
    ("1.10105E+17", "身份证号变成了科学计数法，数字已丢失；请设为文本格式后重新录入"),
    ("11010519491331002X", "身份证号中的出生日期 19491331 不是有效日期"),
    ("X11010519491231002X", "身份证号应为 18 位数字（最后一位可为 X），现为 19 位：X11010519491231002X"),
])
def test_id_number_messages(raw, message):
    assert refused(v.normalize_id_number, raw) == message


@pytest.mark.parametrize("raw, masked", [
    ("110105194912310020", "110105********0020"), ("1234567890", "**********"),
    ("12345678901", "123456*8901"), ("", ""), ("123", "***")])
def test_mask_keeps_six_and_four_only_when_something_is_hidden(raw, masked):
    assert v.mask_id_number(raw) == masked


@pytest.mark.parametrize("raw, message", [
    (13812345678.0, "电话号码被存成了数字，请把该列设为文本格式"),
    ("  ", "电话号码为空"),
    ("1381234567", "手机号应为 11 位，现为 10 位：1381234567"),
    ("1abc", "电话号码格式不对：1abc（手机 11 位，座机如 010-12345678）"),
    ("010-1234", "电话号码格式不对：010-1234（手机 11 位，座机如 010-12345678）"),
])
def test_phone_messages(raw, message):
    assert refused(v.normalize_phone, raw) == message


def test_a_long_dash_in_a_phone_is_a_hyphen():
    assert v.normalize_phone("010—62345678") == "010-62345678"


@pytest.mark.parametrize("raw, message", [
    (True, "不是日期"),
    ("2019-02-30", "日期 2019-02-30 不存在（月或日超出范围）"),
    ("明天", "无法识别的日期：明天（请写成 2019-07-01 这样的格式）"),
    (60, "日期数值 60 在 Excel 中是不存在的 1900-02-29，请核对"),
    (0, "日期数值 0 超出范围"),
])
def test_date_messages(raw, message):
    assert refused(v.parse_date, raw) == message


def test_datetime_from_values():
    assert v.parse_datetime(dt.datetime(2024, 3, 5, 14, 30, 5, 999)) == \
        dt.datetime(2024, 3, 5, 14, 30, 5)
    assert v.parse_datetime(dt.date(2024, 3, 5)) == dt.datetime(2024, 3, 5)
    assert v.parse_datetime("2024-03-05") == dt.datetime(2024, 3, 5)
    assert v.parse_datetime("2024-03-05 14:30:15") == dt.datetime(2024, 3, 5, 14, 30, 15)
    assert v.parse_datetime(None) is None and v.parse_datetime("") is None


@pytest.mark.parametrize("clock", ["23:59:59", "00:00:00", "23:00", "0:59"])
def test_the_last_moment_of_a_day_is_a_time(clock):
    h, m, *s = map(int, clock.split(":"))
    assert v.parse_datetime(f"2024-03-05 {clock}") == dt.datetime(2024, 3, 5, h, m, *s)


@pytest.mark.parametrize("clock", ["24:00", "23:60", "23:59:60", "24:60:60", "12:00:61"])
def test_times_that_do_not_exist_are_refused(clock):
    assert refused(v.parse_datetime, f"2024-03-05 {clock}") == f"时间 {clock} 不存在"


@pytest.mark.parametrize("raw, out", [(0, False), (1, True), (0.0, False), (1.0, True),
                                      (True, True), (False, False)])
def test_bool_from_numbers(raw, out):
    assert v.parse_bool(raw) is out


@pytest.mark.parametrize("raw", [2, -1, 0.5, "可能"])
def test_other_numbers_and_words_are_not_yes_or_no(raw):
    assert refused(v.parse_bool, raw) == f"应填“是”或“否”，现为：{raw}"


def test_eleven_digits_from_12_are_not_called_the_wrong_length():
    # It has 11 digits; it is simply no mobile number (mobiles start 13…19).
    assert refused(v.normalize_phone, "12812345678") == \
        "电话号码格式不对：12812345678（手机 11 位，座机如 010-12345678）"
