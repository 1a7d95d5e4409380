"""Periods the figures are counted for: a year, a quarter, a month or a custom range.

    2026                      the year 2026
    2026Q3                    the third quarter (also 2026q3)
    2026-09                   September 2026
    2026-01-01..2026-06-30    any range of days, both ends included

A period that is still running is counted up to ``today`` (its *effective* end), and the
comparison period is the same days a year earlier, so a year-to-date figure is set beside last
year's same days, not beside the whole of last year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    """A period text that cannot be read; ``str(exc)`` is a Chinese message for the user."""


#: How each way of writing a period looks, for messages.
FORMS = "2026、2026Q3、2026-09、2026-01-01..2026-06-30"


def shift_year(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February becomes the 28th in a common year)."""
    y = day.year + years
    return day.replace(year=y, day=min(day.day, calendar.monthrange(y, day.month)[1]))


@dataclass(frozen=True)
class Period:
    """Days ``start``..``end`` (both included) named ``label`` (e.g. 2026年第三季度)."""

    start: dt.date
    end: dt.date
    label: str
    text: str  # the period as written on the command line (2026Q3)

    def effective(self, today: dt.date) -> "Period":
        """This period up to ``today``: unchanged if it has ended; cut short if running."""
        if self.start > today:
            raise PeriodError(f"所选期间（{self.label}）尚未开始：今天是 {today:%Y-%m-%d}。")
        if self.end <= today:
            return self
        return Period(self.start, today, f"{self.label}（截至{today.month}月{today.day}日）",
                      self.text)

    def previous(self) -> "Period":
        """The same days a year earlier."""
        start, end = shift_year(self.start, -1), shift_year(self.end, -1)
        return Period(start, end, _label(start, end), f"{start:%Y-%m-%d}..{end:%Y-%m-%d}")

    @property
    def months(self) -> float:
        """How many months the period covers, partial months as their share of days."""
        total, day = 0.0, self.start
        while day <= self.end:
            last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            stop = min(last, self.end)
            total += ((stop - day).days + 1) / last.day
            day = stop + dt.timedelta(days=1)
        return total


def _label(start: dt.date, end: dt.date) -> str:
    """A Chinese name for a range: a whole year, quarter or month reads as such."""
    last = end.replace(day=calendar.monthrange(end.year, end.month)[1]) == end
    if start.year == end.year and start.day == 1 and last:
        if start.month == 1 and end.month == 12:
            return f"{start.year}年"
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"{start.year}年第{'一二三四'[start.month // 3]}季度"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def _date(text: str, whole: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"期间“{whole}”中的日期“{text}”不存在或写法不对（应为 YYYY-MM-DD）。") \
            from None


def parse_period(text: str) -> Period:
    """Read a period as written on the command line (see the module docstring)."""
    raw = (text or "").strip()
    s = raw.upper()
    if m := re.fullmatch(r"(\d{4})", s):
        y = int(m[1])
        start, end = dt.date(y, 1, 1), dt.date(y, 12, 31)
    elif m := re.fullmatch(r"(\d{4})Q([1-4])", s):
        y, q = int(m[1]), int(m[2])
        start = dt.date(y, 3 * q - 2, 1)
        end = dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise PeriodError(f"期间“{raw}”的月份应在 1–12 之间。")
        start, end = dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    elif m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", s):
        start, end = _date(m[1], raw), _date(m[2], raw)
        if end < start:
            raise PeriodError(f"期间“{raw}”的结束日期早于开始日期。")
    else:
        raise PeriodError(f"无法识别的期间“{raw}”。可用的写法：{FORMS}。")
    if start.year < 1900:
        raise PeriodError(f"期间“{raw}”太早了。")
    return Period(start, end, _label(start, end), raw)


def year_of(day: dt.date) -> Period:
    return parse_period(str(day.year))


def quarter_of(day: dt.date) -> Period:
    return parse_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def month_of(day: dt.date) -> Period:
    return parse_period(f"{day.year}-{day.month:02d}")


def custom(start: dt.date, end: dt.date) -> Period:
    return parse_period(f"{start:%Y-%m-%d}..{end:%Y-%m-%d}")
