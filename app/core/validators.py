"""Validators and normalisers shared by services, forms and the Excel import.

Every function here is pure (no database, no Qt).  Error messages are Chinese sentences that
say what is wrong and what to do; callers prefix them with the field, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# GB 11643-1999 / ISO 7064 MOD 11-2
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


class InvalidValue(ValueError):
    """A value that cannot be accepted; ``str(exc)`` is the Chinese message."""


# Full-width digits and Latin letters → ASCII; U+3000 and NBSP → a plain space.  Chinese
# full-width punctuation （，：；！？） is left alone: it is correct Chinese text.
_LIGHT = {**{cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
             for cp in range(r[0], r[1] + 1)},
          0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20, **_ZERO_WIDTH}


def clean_text(value: object) -> str:
    """Text as typed, tidied: full-width digits and letters → half-width, spaces incl. U+3000
    and NBSP trimmed, zero-width characters dropped.  Chinese punctuation is kept.  Returns ''
    for None."""
    if value is None:
        return ""
    return str(value).translate(_LIGHT).strip()


def halfwidth(value: object) -> str:
    """Everything full-width → half-width (NFKC), trimmed, zero-width dropped: for codes,
    numbers, dates and header matching, where （ and ( or － and - mean the same."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value).translate(_ZERO_WIDTH)).strip()


def id_check_digit(first17: str) -> str:
    """The check character for the first 17 ASCII digits of an ID number (GB 11643).

    The weights are 2**17 … 2**1 modulo 11, and 13 ≡ 2 (mod 11): so the weighted sum of the
    17 digits is ≡ 2 × (those digits read in base 13), which ``int`` computes in C — fast
    enough for a 50,000-row import.  (Only for ASCII digits, which callers check first:
    ``int`` would also take a–c and underscores.)"""
    return _ID_CHECK[2 * int(first17, 13) % 11]


assert all(w == pow(13, 17 - i, 11) for i, w in enumerate(_ID_WEIGHTS))


def id15_to_18(id15: str) -> str:
    """The 18-digit form of an old 15-digit number (century 19 inserted, check digit added)."""
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + id_check_digit(first17)


def normalize_id_number(value: object, today: dt.date | None = None) -> str:
    """Normalise an ID number as typed (spaces, full-width digits, lowercase x) and validate it.

    Returns the 18-character ID with an upper-case X.  Raises :class:`InvalidValue`.
    Never repairs: a wrong check digit or a 15-digit number is an error, not a guess.
    ``today`` (default: the system date) is the last possible birth date.
    """
    if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool):
        raise InvalidValue(
            "身份证号被存成了数字，后几位可能已丢失；请把该列设为文本格式后重新录入完整号码")
    s = halfwidth(value).replace(" ", "").lstrip("'")
    s = s.upper()
    if not s:
        raise InvalidValue("身份证号为空")
    if re.fullmatch(r"\d{15}", s):
        raise InvalidValue(
            f"这是 15 位旧身份证号，请改为 18 位（按规则应为 {id15_to_18(s)}，请与本人证件核对）")
    if not re.fullmatch(r"\d{17}[\dX]", s):
        if re.fullmatch(r"\d+(\.\d+)?E\+?\d+", s):
            raise InvalidValue("身份证号变成了科学计数法，数字已丢失；请设为文本格式后重新录入")
        raise InvalidValue(f"身份证号应为 18 位数字（最后一位可为 X），现为 {len(s)} 位：{s}")
    try:
        birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise InvalidValue(f"身份证号中的出生日期 {s[6:14]} 不是有效日期") from None
    if birth.year < 1900 or birth > (today or dt.date.today()):
        raise InvalidValue(f"身份证号中的出生日期 {birth:%Y-%m-%d} 不合理")
    expected = id_check_digit(s[:17])
    if s[17] != expected:
        raise InvalidValue(f"身份证号校验位不正确（最后一位应为 {expected}），请核对号码")
    return s


def id_birth_date(id_number: str) -> dt.date:
    """Birth date encoded in a valid 18-digit ID number."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_gender(id_number: str) -> str:
    """'男' or '女' from the 17th digit of a valid ID number."""
    return "男" if int(id_number[16]) % 2 else "女"


def mask_id_number(id_number: str | None) -> str:
    """``110105199001010023`` → ``110105********0023``: keep region and the last four."""
    if not id_number:
        return ""
    s = str(id_number)
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,5})?")


def normalize_phone(value: object) -> str:
    """A mobile (11 digits from 13…19) or a landline (区号-号码[-分机]).  Spaces and full-width
    characters are removed; a leading +86 is dropped."""
    if isinstance(value, float):
        raise InvalidValue("电话号码被存成了数字，请把该列设为文本格式")
    s = halfwidth(value).replace(" ", "").replace("—", "-")
    if s.startswith("+86"):
        s = s[3:]
    if not s:
        raise InvalidValue("电话号码为空")
    if _MOBILE.fullmatch(s) or _LANDLINE.fullmatch(s):
        return s
    if s.isdigit() and s.startswith("1") and len(s) != 11:
        raise InvalidValue(f"手机号应为 11 位，现为 {len(s)} 位：{s}")
    raise InvalidValue(f"电话号码格式不对：{s}（手机 11 位，座机如 010-12345678）")


_DATE_PATTERNS = (
    # (regex, has day)
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"), True),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"), True),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), True),
    (re.compile(r"(\d{4})[-/.](\d{1,2})"), False),
    (re.compile(r"(\d{4})年(\d{1,2})月"), False),
)

EXCEL_EPOCH = dt.date(1899, 12, 30)
#: A time after a date: after a space or T, or straight after 日/号 (2019年7月1日14:30).
_TIME_OF_DAY = re.compile(r"(?:[T\s]+|(?<=[日号]))\d{1,2}:\d{2}(?::\d{2})?$")


def excel_serial_date(value: float) -> dt.date:
    """The day of an Excel serial number (1900 date system).  The fraction is a time of day,
    so it is cut off, never rounded: 43647.75 is 2019-07-01 18:00, still 1 July.

    Excel counts 1900 as a leap year (Lotus 1-2-3's bug): serial 60 is a 29 February 1900
    that never was, and serials 1–59 are one day later than a plain count from 1899-12-30
    gives (serial 1 is 1900-01-01)."""
    day = int(value)
    if not 1 <= value < 2958466:
        raise InvalidValue(f"日期数值 {value} 超出范围")
    if day == 60:
        raise InvalidValue("日期数值 60 在 Excel 中是不存在的 1900-02-29，请核对")
    return EXCEL_EPOCH + dt.timedelta(days=day + (day < 60))


class MonthDate(dt.date):
    """A date written with its month only (``1998年7月``, ``1998.07``): stored as the 1st of
    the month, but known to be month-only, so that it is never silently taken for the 1st —
    a birth date takes the ID number's day, other fields carry a warning, and date-order
    checks do not fire on a value that could be right (see :func:`is_before`)."""

    __slots__ = ()

    def __repr__(self) -> str:  # as a plain date: stored rows compare and hash alike
        return f"datetime.date({self.year}, {self.month}, {self.day})"


def is_month_only(value: object) -> bool:
    return isinstance(value, MonthDate)


def is_before(a: dt.date, b: dt.date) -> bool:
    """Whether ``a`` is certainly before ``b``: a month-only date is compared by month."""
    if isinstance(a, dt.datetime):
        a = a.date()
    if isinstance(b, dt.datetime):
        b = b.date()
    if is_month_only(a) or is_month_only(b):
        return (a.year, a.month) < (b.year, b.month)
    return a < b


def parse_date(value: object) -> dt.date | None:
    """A date from a date/datetime, an Excel serial number, or text in one of the forms offices
    use: ``2019-07-01`` ``2019/7/1`` ``2019.07.01`` ``2019年7月1日`` ``20190701`` and the
    month-only ``2019.07`` / ``2019年7月`` (a :class:`MonthDate`: the 1st, known to be
    month-only).  Returns None for blank.
    Ambiguous forms such as ``07/01/2019`` or ``19-7-1`` are refused."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise InvalidValue("不是日期")
    if isinstance(value, (int, float)):
        return excel_serial_date(value)
    # A time of day goes first, while the space or T before it still separates it from the
    # day: "2000/1/10 0:00" is 10 January, not "2000/1/1" + "00:00".
    s = _TIME_OF_DAY.sub("", halfwidth(value)).replace(" ", "")
    if not s:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", s):  # a serial that arrived as text
        return excel_serial_date(float(s))
    for rx, has_day in _DATE_PATTERNS:
        m = rx.fullmatch(s)
        if not m:
            continue
        y, mo = int(m.group(1)), int(m.group(2))
        d = int(m.group(3)) if has_day else 1
        try:
            return dt.date(y, mo, d) if has_day else MonthDate(y, mo, d)
        except ValueError:
            raise InvalidValue(f"日期 {s} 不存在（月或日超出范围）") from None
    raise InvalidValue(f"无法识别的日期：{s}（请写成 2019-07-01 这样的格式）")


def parse_datetime(value: object) -> dt.datetime | None:
    """Like :func:`parse_date` but keeps a time of day (``2024-03-05 14:30``)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = parse_date(int(value))
        frac = float(value) - int(value)
        return dt.datetime(day.year, day.month, day.day) + dt.timedelta(
            seconds=round(frac * 86400))
    s = halfwidth(value)
    if not s:
        return None
    m = re.search(r"(\d{1,2}):(\d{2})(?::(\d{2}))?$", s)
    day = parse_date(s)
    if day is None:
        return None
    if m:
        h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h > 23 or mi > 59 or se > 59:
            raise InvalidValue(f"时间 {m.group(0)} 不存在")
        return dt.datetime(day.year, day.month, day.day, h, mi, se)
    return dt.datetime(day.year, day.month, day.day)


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "已"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "未", "没有"}


def parse_bool(value: object) -> bool | None:
    """是/否 and their usual spellings; None for blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    s = clean_text(value).lower()
    if not s:
        return None
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise InvalidValue(f"应填“是”或“否”，现为：{s}")


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
