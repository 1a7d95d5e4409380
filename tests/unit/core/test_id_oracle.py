"""ID numbers checked against answers from outside the application: numbers worked by hand
for every check character, and python-stdnum's GB 11643 implementation."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric

from app.core import validators as v
from tests.data.ids import HAND_WORKED, STANDARD_EXAMPLE, check_char, make_id

CHECK_CHARS = "0123456789X"


def test_the_hand_worked_table_covers_every_check_character():
    assert sorted(HAND_WORKED) == sorted(CHECK_CHARS)
    assert all(idn.endswith(c) for c, idn in HAND_WORKED.items())


@pytest.mark.parametrize("char", list(CHECK_CHARS))
def test_a_real_number_ending_in_each_check_character_is_accepted(char):
    idn = HAND_WORKED[char]
    assert ric.is_valid(idn)                     # the outside implementation agrees
    assert v.normalize_id_number(idn) == idn
    assert v.normalize_id_number(idn.lower()) == idn
    assert v.id_check_digit(idn[:17]) == char


@pytest.mark.parametrize("char", list(CHECK_CHARS))
def test_every_other_check_character_is_refused(char):
    idn = HAND_WORKED[char]
    for wrong in CHECK_CHARS.replace(char, ""):
        with pytest.raises(v.InvalidValue, match=f"最后一位应为 {char}"):
            v.normalize_id_number(idn[:17] + wrong)


def test_the_example_printed_in_the_standard():
    assert v.normalize_id_number(STANDARD_EXAMPLE) == STANDARD_EXAMPLE
    assert ric.is_valid(STANDARD_EXAMPLE)
    assert v.id_birth_date(STANDARD_EXAMPLE) == dt.date(1949, 12, 31)


def test_check_character_agrees_with_stdnum_over_many_numbers():
    # Every 17-digit prefix in a deterministic sweep: regions, dates and sequences vary.
    for n in range(4000):
        first17 = f"{110101 + n * 37 % 549899:06d}{1900 + n % 120}{n % 12 + 1:02d}" \
                  f"{n % 28 + 1:02d}{n * 7 % 1000:03d}"
        assert v.id_check_digit(first17) == check_char(first17), first17


@pytest.mark.parametrize("today", [dt.date(2025, 6, 1), dt.date(2028, 2, 29),
                                   dt.date.today()])
def test_future_birth_dates_are_refused_and_today_is_not(today):
    born_today = make_id(f"{today:%Y%m%d}", 12)
    assert v.normalize_id_number(born_today, today) == born_today
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(v.InvalidValue, match="出生日期 .* 不合理"):
        v.normalize_id_number(make_id(f"{tomorrow:%Y%m%d}", 12), today)
    with pytest.raises(v.InvalidValue, match="不合理"):
        v.normalize_id_number(make_id("18991231", 12), today)
    assert v.normalize_id_number(make_id("19000101", 12), today) == make_id("19000101", 12)


def test_without_a_day_given_the_system_date_is_today():
    today = dt.date.today()
    assert v.normalize_id_number(make_id(f"{today:%Y%m%d}", 12))
    with pytest.raises(v.InvalidValue, match="不合理"):
        v.normalize_id_number(make_id(f"{today + dt.timedelta(days=1):%Y%m%d}", 12))
