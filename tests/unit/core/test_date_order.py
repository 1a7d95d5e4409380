"""Date-order checks (结案日期 before 受理日期, 转正 before 入党 …) read off a calendar by hand:
a date written with its month only (MonthDate, 1998年7月) is only "certainly before" a date of
a later month, never one of its own month; a date-time is compared by its day."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.validators import MonthDate, is_before

D, T, M = dt.date, dt.datetime, MonthDate


@pytest.mark.parametrize("a, b, before", [
    (D(2026, 3, 1), D(2026, 3, 2), True),
    (D(2026, 3, 2), D(2026, 3, 2), False),            # the same day is not before
    (D(2026, 3, 3), D(2026, 3, 2), False),
    (D(2025, 12, 31), D(2026, 1, 1), True),
    # date-times count by their day: 23:00 on the 1st is not before 08:00 that day
    (T(2026, 3, 1, 23, 0), D(2026, 3, 1), False),
    (D(2026, 3, 1), T(2026, 3, 1, 8, 0), False),
    (T(2026, 3, 1, 23, 0), T(2026, 3, 2, 1, 0), True),
    (T(2026, 3, 2, 23, 0), D(2026, 3, 1), False),
    # 2026年3月 (stored as the 1st) may be any day of March
    (M(2026, 3, 1), D(2026, 3, 20), False),
    (D(2026, 3, 20), M(2026, 3, 1), False),
    (M(2026, 3, 1), M(2026, 3, 1), False),
    (M(2026, 2, 1), D(2026, 3, 1), True),
    (D(2026, 2, 28), M(2026, 3, 1), True),
    (M(2026, 3, 1), D(2026, 2, 28), False),
    (M(2025, 12, 1), M(2026, 1, 1), True),
    (T(2026, 3, 31, 12, 0), M(2026, 3, 1), False),    # a date-time in that month: not before
    (M(2026, 3, 1), T(2026, 4, 1, 0, 30), True),
])
def test_before_only_when_certainly_before(a, b, before):
    assert is_before(a, b) is before
