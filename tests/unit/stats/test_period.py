"""Periods of the figures, with answers read off a calendar by hand: which days a period
covers, what it is called, where a running period stops, the same days a year earlier, and how
many months it spans (for per-month rates)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.stats.period import (Period, PeriodError, custom, month_of, parse_period, quarter_of,
                              shift_year, year_of)

D = dt.date


@pytest.mark.parametrize("text, start, end, label", [
    ("2026", D(2026, 1, 1), D(2026, 12, 31), "2026年"),
    ("2026Q1", D(2026, 1, 1), D(2026, 3, 31), "2026年第一季度"),
    ("2026q2", D(2026, 4, 1), D(2026, 6, 30), "2026年第二季度"),
    ("2026Q3", D(2026, 7, 1), D(2026, 9, 30), "2026年第三季度"),
    (" 2026Q4 ", D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度"),
    ("2026-02", D(2026, 2, 1), D(2026, 2, 28), "2026年2月"),
    ("2028-02", D(2028, 2, 1), D(2028, 2, 29), "2028年2月"),       # a leap year
    ("2026-9", D(2026, 9, 1), D(2026, 9, 30), "2026年9月"),
    ("2026-12", D(2026, 12, 1), D(2026, 12, 31), "2026年12月"),
    ("1900", D(1900, 1, 1), D(1900, 12, 31), "1900年"),
    # a range that is a whole year, quarter or month is called so
    ("2026-01-01..2026-12-31", D(2026, 1, 1), D(2026, 12, 31), "2026年"),
    ("2026-04-01..2026-06-30", D(2026, 4, 1), D(2026, 6, 30), "2026年第二季度"),
    ("2026-10-01..2026-12-31", D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度"),
    ("2026-03-01..2026-03-31", D(2026, 3, 1), D(2026, 3, 31), "2026年3月"),
    # and any other range by its days
    ("2026-01-01..2026-06-30", D(2026, 1, 1), D(2026, 6, 30), "2026年1月1日至2026年6月30日"),
    ("2026-03-01..2026-05-31", D(2026, 3, 1), D(2026, 5, 31), "2026年3月1日至2026年5月31日"),
    ("2026-02-01..2026-04-30", D(2026, 2, 1), D(2026, 4, 30), "2026年2月1日至2026年4月30日"),
    ("2026-03-02..2026-03-31", D(2026, 3, 2), D(2026, 3, 31), "2026年3月2日至2026年3月31日"),
    ("2026-03-01..2026-03-30", D(2026, 3, 1), D(2026, 3, 30), "2026年3月1日至2026年3月30日"),
    ("2026-04-01..2026-07-31", D(2026, 4, 1), D(2026, 7, 31), "2026年4月1日至2026年7月31日"),
    ("2025-12-01..2026-01-31", D(2025, 12, 1), D(2026, 1, 31),
     "2025年12月1日至2026年1月31日"),
    ("2025-01-01..2026-12-31", D(2025, 1, 1), D(2026, 12, 31),
     "2025年1月1日至2026年12月31日"),
    ("2026-05-20..2026-05-20", D(2026, 5, 20), D(2026, 5, 20), "2026年5月20日至2026年5月20日"),
])
def test_a_period_covers_the_days_its_name_says(text, start, end, label):
    p = parse_period(text)
    assert (p.start, p.end, p.label, p.text) == (start, end, label, text.strip())


@pytest.mark.parametrize("text, words", [
    ("2026-13", "月份应在 1–12 之间"),
    ("2026-0", "月份应在 1–12 之间"),
    ("2026-02-30..2026-03-31",
     "期间“2026-02-30..2026-03-31”中的日期“2026-02-30”不存在或写法不对（应为 YYYY-MM-DD）。"),
    ("2026-03-01..2026-02-31",
     "期间“2026-03-01..2026-02-31”中的日期“2026-02-31”不存在或写法不对（应为 YYYY-MM-DD）。"),
    ("2026-03-02..2026-03-01", "结束日期早于开始日期"),
    ("1899", "太早了"),
    ("1899-12-01..1900-01-31", "太早了"),
    ("2026Q5", "无法识别的期间“2026Q5”"),
    ("本季度", "2026、2026Q3、2026-09、2026-01-01..2026-06-30"),
    ("", "无法识别的期间“”"),
])
def test_a_period_that_cannot_be_read_is_refused_in_words(text, words):
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert words in str(err.value)


def test_no_text_at_all_is_refused_too():
    with pytest.raises(PeriodError):
        parse_period(None)


def test_a_running_period_is_counted_up_to_today():
    q3 = parse_period("2026Q3")
    assert q3.effective(D(2026, 10, 1)) is q3
    assert q3.effective(D(2026, 9, 30)) is q3                    # ended today
    cut = q3.effective(D(2026, 9, 5))
    assert (cut.start, cut.end, cut.label, cut.text) == \
        (D(2026, 7, 1), D(2026, 9, 5), "2026年第三季度（截至9月5日）", "2026Q3")
    first = q3.effective(D(2026, 7, 1))                          # its first day
    assert (first.start, first.end) == (D(2026, 7, 1), D(2026, 7, 1))
    with pytest.raises(PeriodError) as err:
        q3.effective(D(2026, 6, 30))
    assert str(err.value) == "所选期间（2026年第三季度）尚未开始：今天是 2026-06-30。"


def test_the_comparison_is_the_same_days_a_year_earlier():
    prev = parse_period("2026Q3").previous()
    assert (prev.start, prev.end, prev.label, prev.text) == \
        (D(2025, 7, 1), D(2025, 9, 30), "2025年第三季度", "2025-07-01..2025-09-30")
    prev = parse_period("2026Q3").effective(D(2026, 9, 5)).previous()
    assert (prev.start, prev.end, prev.label) == \
        (D(2025, 7, 1), D(2025, 9, 5), "2025年7月1日至2025年9月5日")
    prev = parse_period("2028-02").previous()                    # 29 days, then 28
    assert (prev.start, prev.end, prev.label) == (D(2027, 2, 1), D(2027, 2, 28), "2027年2月")


@pytest.mark.parametrize("day, years, expected", [
    (D(2028, 2, 29), -1, D(2027, 2, 28)),
    (D(2024, 2, 29), 4, D(2028, 2, 29)),
    (D(2026, 12, 31), -1, D(2025, 12, 31)),
    (D(2026, 3, 1), -2, D(2024, 3, 1)),
])
def test_shifting_by_whole_years(day, years, expected):
    assert shift_year(day, years) == expected


@pytest.mark.parametrize("text, months", [
    ("2026", 12.0),
    ("2026Q3", 3.0),
    ("2028-02", 1.0),
    ("2026-01-15..2026-02-14", 17 / 31 + 14 / 28),   # 15–31 Jan, 1–14 Feb
    ("2028-02-01..2028-02-14", 14 / 29),
    ("2026-06-30..2026-06-30", 1 / 30),
    ("2025-12-31..2026-01-01", 1 / 31 + 1 / 31),
    ("2026-07-01..2026-09-05", 2 + 5 / 30),
])
def test_months_count_part_months_by_their_share_of_days(text, months):
    assert parse_period(text).months == pytest.approx(months, abs=1e-12)


@pytest.mark.parametrize("day, year, quarter, month", [
    (D(2026, 1, 1), "2026年", "2026年第一季度", "2026年1月"),
    (D(2026, 3, 31), "2026年", "2026年第一季度", "2026年3月"),
    (D(2026, 4, 1), "2026年", "2026年第二季度", "2026年4月"),
    (D(2026, 9, 30), "2026年", "2026年第三季度", "2026年9月"),
    (D(2026, 10, 1), "2026年", "2026年第四季度", "2026年10月"),
    (D(2026, 12, 31), "2026年", "2026年第四季度", "2026年12月"),
])
def test_the_year_quarter_and_month_of_a_day(day, year, quarter, month):
    assert year_of(day).label == year
    q = quarter_of(day)
    assert q.label == quarter and q.start <= day <= q.end
    m = month_of(day)
    assert m.label == month and (m.start.day, m.end.month) == (1, day.month)


def test_a_custom_range_reads_back_as_written():
    p = custom(D(2026, 1, 5), D(2026, 2, 5))
    assert p == Period(D(2026, 1, 5), D(2026, 2, 5), "2026年1月5日至2026年2月5日",
                       "2026-01-05..2026-02-05")
