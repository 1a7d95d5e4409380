"""One cell → the stored value, per field kind, with the answer written out by hand for each
case (Excel's number cells, apostrophes, full-width text, times where a date belongs …)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.excel.columns import column_by_key
from app.excel.normalize import Bad, normalise_column

TODAY = dt.date(2026, 11, 25)


def one(register: str, key: str, cell, today=TODAY):
    """The stored value of one cell, or ``("bad", message)``."""
    [value], any_bad = normalise_column(column_by_key(register)[key], [cell], today)
    assert any_bad == isinstance(value, Bad)
    return ("bad", value.message) if isinstance(value, Bad) else value


@pytest.mark.parametrize("cell, out", [
    ("张三", "张三"), ("  张三\u3000", "张三"), ("ＡＢ１２", "AB12"), (3.0, "3"), (2.5, "2.5"),
    ("'0", "'0"),                # free text keeps an apostrophe, as a form does
    ("\u200b", None), ("", None), (None, None)])
def test_text(cell, out):
    assert one("people", "name", cell) == out


def test_text_longer_than_allowed():
    assert one("people", "name", "长" * 40) == "长" * 40
    assert one("people", "name", "长" * 41) == ("bad", "不能超过 40 个字（现有 41 个）")


@pytest.mark.parametrize("cell, out", [("第一行\n第二行 ", "第一行\n第二行"), (12.0, "12"),
                                       ("'备注", "'备注"), ("  ", None), (None, None)])
def test_longtext_keeps_lines(cell, out):
    assert one("people", "note", cell) == out


@pytest.mark.parametrize("cell, out", [
    ("11010519491231002X", "11010519491231002X"), ("11010519491231002x", "11010519491231002X"),
    ("'11010519491231002X", "11010519491231002X"), (" 110105 19491231 002X", "11010519491231002X"),
    ("  ", None)])
def test_id_number(cell, out):
    assert one("people", "id_number", cell) == out


@pytest.mark.parametrize("cell", [110105194912310020, 1.1010519491231e17])
def test_id_number_as_a_number_cell_is_refused(cell):
    assert one("people", "id_number", cell)[1].startswith("身份证号被存成了数字")


def test_id_number_born_after_the_day_judged_on():
    born = "11010520261126001"  # born 2026-11-26, check character by stdnum: 0
    from tests.data.ids import check_char
    idn = born + check_char(born)
    assert one("people", "id_number", idn, today=dt.date(2026, 11, 26)) == idn
    assert one("people", "id_number", idn)[1] == "身份证号中的出生日期 2026-11-26 不合理"
    assert one("people", "id_number", "11010518991231001" + check_char("11010518991231001"))[1] \
        == "身份证号中的出生日期 1899-12-31 不合理"
    assert one("people", "id_number", "110105" + "19490230" + "0020")[1] == \
        "身份证号中的出生日期 19490230 不是有效日期"


@pytest.mark.parametrize("cell, out", [
    ("13812345678", "13812345678"), (13812345678.0, "13812345678"), (62345678.0, "62345678"),
    ("010-62345678", "010-62345678"), ("'13812345678", "13812345678"), (" ", None)])
def test_phone(cell, out):
    assert one("people", "phone", cell) == out


@pytest.mark.parametrize("cell, message", [
    (138.5, "电话号码被存成了带小数的数字，请把该列设为文本格式后重填"),
    (1e16, "电话号码被存成了数字，位数太多，请把该列设为文本格式后重填"),
    ("12812345678", "电话号码格式不对：12812345678（手机 11 位，座机如 010-12345678）"),
    (1381234567.0, "手机号应为 11 位，现为 10 位：1381234567")])
def test_phone_refused(cell, message):
    assert one("people", "phone", cell) == ("bad", message)


@pytest.mark.parametrize("cell, out", [
    (dt.date(2019, 7, 1), dt.date(2019, 7, 1)), (dt.datetime(2019, 7, 1, 18), dt.date(2019, 7, 1)),
    ("2019-07-01", dt.date(2019, 7, 1)), ("2019/07/01", dt.date(2019, 7, 1)),
    ("2019.07.01", dt.date(2019, 7, 1)), ("2019-7-1", dt.date(2019, 7, 1)),
    ("2019-12-31", dt.date(2019, 12, 31)), ("1998/10/15", dt.date(1998, 10, 15)),
    ("'2019-07-01", dt.date(2019, 7, 1)), (43647.75, dt.date(2019, 7, 1)),
    ("２０１９－０７－０１", dt.date(2019, 7, 1)), ("  ", None)])
def test_date(cell, out):
    assert one("people", "birth_date", cell) == out


@pytest.mark.parametrize("cell, message", [
    ("2019-02-30", "日期 2019-02-30 不存在（月或日超出范围）"),
    ("2019/13/01", "日期 2019/13/01 不存在（月或日超出范围）"),
    ("2019x07x01", "无法识别的日期：2019x07x01（请写成 2019-07-01 这样的格式）"),
    (dt.time(8, 30), "这是一个时间，不是日期"),
    (dt.timedelta(hours=3), "这是一段时长，不是日期")])
def test_date_refused(cell, message):
    assert one("people", "birth_date", cell) == ("bad", message)


@pytest.mark.parametrize("cell, out", [
    ("2024-03-05 14:30", dt.datetime(2024, 3, 5, 14, 30)),
    (dt.datetime(2024, 3, 5, 14, 30), dt.datetime(2024, 3, 5, 14, 30)),
    (45356.75, dt.datetime(2024, 3, 5, 18, 0)), ("'2024-03-05", dt.datetime(2024, 3, 5))])
def test_datetime(cell, out):
    assert one("party_meetings", "held_at", cell) == out


@pytest.mark.parametrize("cell", [dt.time(14, 30), dt.timedelta(hours=1)])
def test_datetime_without_a_day_is_refused(cell):
    assert one("party_meetings", "held_at", cell) == ("bad", "只有时间没有日期，请填写完整的日期和时间")


@pytest.mark.parametrize("cell, out", [("城市社区", "城市社区"), (" 城市社区 ", "城市社区"),
                                       ("'城市社区", "城市社区"), ("", None)])
def test_choice(cell, out):
    assert one("communities", "community_type", cell) == out


def test_choice_not_offered_lists_the_choices():
    assert one("communities", "community_type", "农村社区") == \
        ("bad", "“农村社区”不是可选值；可选：城市社区、村改居社区")


@pytest.mark.parametrize("register, key, cell, out", [
    ("communities", "households_total", "1,200", 1200), ("communities", "households_total", 12.0, 12),
    ("communities", "households_total", "'35", 35), ("venues", "area_m2", "１２．５", 12.5),
    ("compounds", "has_property", "是", True), ("compounds", "has_property", " 否 ", False),
    ("compounds", "has_property", "", None),
    ("people", "tags", "老年人、残疾人", "老年人、残疾人"), ("people", "tags", "残疾人,老年人", "老年人、残疾人")])
def test_other_kinds_go_through_the_services_coercion(register, key, cell, out):
    assert one(register, key, cell) == out


def test_record_keys():
    key = "0f6b7a62-3c3d-4b8e-9a8f-2f5f1c0e9d11"
    assert one("people", "uuid", key.upper()) == key
    assert one("people", "uuid", " " + key + " ") == key
    assert one("people", "uuid", "") is None
    assert one("people", "uuid", "abc") == ("bad", "系统编号“abc”已被改动，无法识别。请恢复原值，或清空该格按新记录导入")


def test_references_stay_text_for_the_plan_to_find():
    assert one("communities", "street_id", " 和平街道 ") == "和平街道"
    assert one("communities", "street_id", "'和平街道") == "和平街道"
    assert one("communities", "street_id", 3.0) == "3"


def test_a_column_mixing_true_and_one_keeps_them_apart():
    col = column_by_key("compounds")["has_property"]
    values, bad = normalise_column(col, [True, 1.0, "否", 0, None, ""], TODAY)
    assert values == [True, True, False, False, None, None] and not bad
    col = column_by_key("compounds")["buildings_total"]
    values, bad = normalise_column(col, [1.0, True, 2], TODAY)
    assert values[0] == 1 and values[2] == 2 and bad == isinstance(values[1], Bad)


@pytest.mark.parametrize("cell, message", [
    (1.0, "手机号应为 11 位，现为 1 位：1"), (0.0, "电话号码格式不对：0（手机 11 位，座机如 010-12345678）"),
    (1e15, "电话号码被存成了数字，位数太多，请把该列设为文本格式后重填"),
    (999999999999999.0, "电话号码格式不对：999999999999999（手机 11 位，座机如 010-12345678）")])
def test_phone_number_cells_at_the_edges(cell, message):
    assert one("people", "phone", cell) == ("bad", message)


def test_text_without_a_declared_length_stops_at_200():
    assert one("communities", "name", "长" * 200) == "长" * 200
    assert one("communities", "name", "长" * 201) == ("bad", "不能超过 200 个字（现有 201 个）")


def test_a_reference_has_no_length_limit_here():
    # The plan looks the title up; a long one is simply not found there.
    assert one("communities", "street_id", "长" * 250) == "长" * 250


def test_an_apostrophe_mark_and_the_space_after_it_go():
    assert one("communities", "community_type", "' 城市社区") == "城市社区"
    assert one("communities", "street_id", "'  和平街道") == "和平街道"


def test_a_changed_record_key_is_quoted_to_forty_characters():
    junk = "x" * 50
    assert one("people", "uuid", junk) == (
        "bad", f"系统编号“{'x' * 40}”已被改动，无法识别。请恢复原值，或清空该格按新记录导入")


def test_an_integer_column_takes_numbers_but_not_true():
    # True == 1 == 1.0 as dict keys: whichever comes first, they must be judged apart.
    for cells in ([1, True], [1.0, True], [True, 1], [True, 1.0], [1, 1.0, True]):
        values, bad = normalise_column(column_by_key("compounds")["buildings_total"], cells,
                                       TODAY)
        shown = [("bad", x.message) if isinstance(x, Bad) else x for x in values]
        assert shown == [("bad", "应为整数") if c is True else 1 for c in cells], cells
        assert bad


def test_a_fraction_in_an_integer_column_is_named_as_typed():
    assert one("compounds", "buildings_total", 12.7) == ("bad", "应为整数，现为 12.7")
    assert one("compounds", "buildings_total", "12.7") == ("bad", "应为整数，现为“12.7”")


def test_an_id_number_with_full_width_digits_and_an_ascii_x_is_stored_in_ascii():
    fw = "１１０１０５１９４９１２３１００２" + "X"       # 17 full-width digits, then X
    assert len(fw) == 18
    assert one("people", "id_number", fw) == "11010519491231002X"
