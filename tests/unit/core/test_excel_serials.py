"""Excel serial dates (1900 date system) against answers worked by hand and against openpyxl's
independent conversion.

Hand-worked anchors (serial 61 is 1900-03-01, after Excel's fictitious 1900-02-29):
  2000-01-01: from 1900-03-01 to 2000-03-01 is 100 × 365 + 25 leap days (1904 … 2000) =
              36525 days, and 2000-01-01 is 31 + 29 = 60 days before 2000-03-01:
              61 + 36525 − 60 = 36526.
  2019-07-01: 2019-01-01 is 36526 + 19 × 365 + 5 leap days (2000, 04, 08, 12, 16) = 43466;
              plus 31 + 28 + 31 + 30 + 31 + 30 = 181 days: 43647.
  2024-02-29: 2024-01-01 is 43466 + 5 × 365 + 1 (2020) = 45292; plus 31 + 28 = 59: 45351.
A fraction is the time of day: .75 is 18:00, .5 is noon, 86399/86400 is 23:59:59.
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.utils.datetime import from_excel

from app.core import validators as v

HAND = [
    (1, dt.date(1900, 1, 1)),       # Excel's day 1
    (59, dt.date(1900, 2, 28)),
    (61, dt.date(1900, 3, 1)),      # after the fictitious 1900-02-29
    (36526, dt.date(2000, 1, 1)),
    (43647, dt.date(2019, 7, 1)),
    (45292, dt.date(2024, 1, 1)),
    (45351, dt.date(2024, 2, 29)),
    (45352, dt.date(2024, 3, 1)),
]


@pytest.mark.parametrize("serial, day", HAND)
def test_whole_serials_worked_by_hand(serial, day):
    assert v.parse_date(serial) == day
    assert v.parse_date(float(serial)) == day
    if serial >= 10000:  # a five-digit serial that arrived as text
        assert v.parse_date(str(serial)) == day


@pytest.mark.parametrize("fraction, clock", [(0.25, dt.time(6)), (0.5, dt.time(12)),
                                             (0.75, dt.time(18)),
                                             (86399 / 86400, dt.time(23, 59, 59))])
def test_a_time_of_day_never_moves_the_date(fraction, clock):
    for serial, day in HAND[3:]:
        assert v.parse_date(serial + fraction) == day, (serial, fraction)
        assert v.parse_date(f"{serial + fraction!r}") == day, (serial, fraction)
        assert v.parse_datetime(serial + fraction) == dt.datetime.combine(day, clock)


def test_the_1900_leap_year_quirk():
    with pytest.raises(v.InvalidValue, match="1900-02-29"):
        v.parse_date(60)
    with pytest.raises(v.InvalidValue, match="1900-02-29"):
        v.parse_date(60.75)
    assert v.parse_date(59.75) == dt.date(1900, 2, 28)


@pytest.mark.parametrize("serial", [0, 0.5, -1, 2958466, 10 ** 7])
def test_serials_out_of_range_are_refused(serial):
    with pytest.raises(v.InvalidValue, match="超出范围"):
        v.parse_date(serial)


def test_serials_agree_with_openpyxl():
    for serial in [*range(1, 60), *range(61, 80000, 97), 2958465]:
        for frac in (0, 0.75, 0.999):
            assert v.parse_date(serial + frac) == from_excel(serial + frac).date(), serial
