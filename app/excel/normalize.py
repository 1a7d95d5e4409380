"""One cell → the value a field stores, per field kind, reusing ``app.core.validators`` and the
services' coercion, so that a workbook and a form accept exactly the same things.

Excel-specific rules on top:

* a leading apostrophe (Excel's "this is text" mark, sometimes typed) is dropped from codes,
  numbers, dates, choices and references; free text keeps it, as a form does (a name stored
  as ``'0`` is exported as ``'0`` and must come back unchanged);
* an ID number that arrives as a *number* cell is an error, never repaired: Excel keeps 15
  significant digits, so the last ones are already lost;
* a phone number as a number cell is accepted only when it is an exact integer of at most 15
  digits (a mobile fits exactly); a landline whose leading 0 Excel dropped then fails the
  format check and is reported, not guessed;
* a reference stays as the cleaned title text here; :mod:`plan` finds the row it names.

Each normaliser returns the stored Python value (``None`` for blank) or raises
:class:`~app.core.validators.InvalidValue` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from ..core import validators as v
from ..registry import base as k
from ..services.coerce import coerce_value
from .columns import Column, fast_clean

Normaliser = Callable[[object], object]


def _text_of(value: object, keep_quote: bool = False) -> str:
    """Cell → cleaned text: NFKC, trimmed, a leading apostrophe dropped (unless
    ``keep_quote``), ``3.0`` → ``3``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    s = fast_clean(value) if isinstance(value, str) else v.clean_text(value)
    if s.startswith("'") and not keep_quote:
        s = s[1:].lstrip()
    return s


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not v.clean_text(value))




def _fast_id(value: object, today: dt.date) -> str | None:
    """The common case of a clean, valid 18-character ID as text, checked with the same rules
    as :func:`app.core.validators.normalize_id_number` (which handles everything else and
    words the errors); ``today`` is the last possible birth date."""
    if type(value) is not str or len(value) != 18 or not value.isascii() \
            or not value[:17].isdigit() \
            or v.id_check_digit(value[:17]) != value[17]:
        return None
    known = _birth_cache(today)
    ok = known.get(value[6:14])
    if ok is None:
        ok = _birth_ok(value[6:14], today)
        if len(known) < 100_000:  # at most ~46,000 real dates since 1900
            known[value[6:14]] = ok
    return value if ok else None


def _birth_ok(digits: str, today: dt.date) -> bool:
    """Whether ``yyyymmdd`` is a real date from 1900 to ``today`` (many people share one)."""
    try:
        birth = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return 1900 <= birth.year and birth <= today


#: Birth digits already judged, for one "today" at a time: a program left open over midnight
#: (or an import judged as of another day) must not reuse yesterday's answers.
_BIRTH_OK: dict[dt.date, dict[str, bool]] = {}


def _birth_cache(today: dt.date) -> dict[str, bool]:
    known = _BIRTH_OK.get(today)
    if known is None:
        _BIRTH_OK.clear()
        known = _BIRTH_OK[today] = {}
    return known


def _normaliser(col: Column, today: dt.date | None = None) -> Normaliser:
    """The normaliser of one column; ``today`` (default: the system date, read now) is the
    last possible birth date of an ID number."""
    today = today or dt.date.today()
    kind = col.kind
    target = col.target

    if col.is_uuid:
        return _uuid
    if kind in (k.TEXT, k.STEP, k.REF):
        limit = (target.max_length or 200) if target is not None and kind == k.TEXT else None
        keep_quote = kind == k.TEXT

        def text(value: object) -> str | None:
            s = _text_of(value, keep_quote) if value != "" else ""
            if not s:
                return None
            if limit and len(s) > limit:
                raise v.InvalidValue(f"不能超过 {limit} 个字（现有 {len(s)} 个）")
            return s
        return text
    if kind == k.LONGTEXT:
        def longtext(value: object) -> str | None:
            if _blank(value):
                return None
            s = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            return s.strip()
        return longtext
    if kind == k.ID_NUMBER:
        def id_number(value: object) -> str | None:
            fast = _fast_id(value, today)
            if fast is not None:
                return fast
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return v.normalize_id_number(value)  # raises: a number cell lost digits
            if _blank(value):
                return None
            return v.normalize_id_number(value, today)
        return id_number
    if kind == k.PHONE:
        def phone(value: object) -> str | None:
            if type(value) is str and len(value) == 11 and value.isascii() and \
                    value.isdigit() and value[0] == "1" and value[1] in "3456789":
                return value  # a clean mobile number: what normalize_phone would return
            if isinstance(value, float) and value.is_integer() and 0 <= value < 1e15:
                value = str(int(value))
            elif isinstance(value, float) and value.is_integer():
                raise v.InvalidValue("电话号码被存成了数字，位数太多，请把该列设为文本格式后重填")
            elif isinstance(value, float):
                raise v.InvalidValue("电话号码被存成了带小数的数字，请把该列设为文本格式后重填")
            if _blank(value):
                return None
            return v.normalize_phone(_text_of(value))
        return phone
    if kind == k.DATE:
        def date(value: object) -> dt.date | None:
            if type(value) is dt.date:
                return value
            if type(value) is str and len(value) == 10 and value.isascii() and \
                    value[4] in "-/." and value[7] in "-/." and value[:4].isdigit() and \
                    value[5:7].isdigit() and value[8:].isdigit():
                try:  # 2019-07-01, 2019.07.01, 2019/07/01: as parse_date reads them
                    return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
                except ValueError:
                    pass  # parse_date words the error
            if isinstance(value, dt.time):
                raise v.InvalidValue("这是一个时间，不是日期")
            if isinstance(value, dt.timedelta):
                raise v.InvalidValue("这是一段时长，不是日期")
            if isinstance(value, str):
                value = _text_of(value)
            return v.parse_date(value if value != "" else None)
        return date
    if kind == k.DATETIME:
        def datetime(value: object) -> dt.datetime | None:
            if isinstance(value, (dt.time, dt.timedelta)):
                raise v.InvalidValue("只有时间没有日期，请填写完整的日期和时间")
            if isinstance(value, str):
                value = _text_of(value)
            return v.parse_datetime(value if value != "" else None)
        return datetime
    if target is None:  # a lookup of a non-person register: read-only text
        return lambda value: _text_of(value) or None

    if kind == k.CHOICE:
        allowed = frozenset(target.choices)

        def choice(value: object) -> object:
            s = _text_of(value) if not isinstance(value, bool) else value
            if s in allowed:
                return s
            return None if s == "" else coerce_value(target, s, today)  # raises: choices
        return choice

    def other(value: object) -> object:
        if _blank(value):
            return None
        if isinstance(value, str):
            value = _text_of(value)
        return coerce_value(target, value, today)
    return other


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(value: object) -> str | None:
    s = _text_of(value) if value != "" else ""
    if not s:
        return None
    s = s.lower()
    if not _UUID.fullmatch(s):
        raise v.InvalidValue(f"系统编号“{s[:40]}”已被改动，无法识别。请恢复原值，"
                             "或清空该格按新记录导入")
    return s


class Bad:
    """A cell that could not be normalised; ``message`` is the Chinese reason."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def normalise_column(col: Column, cells: list, today: dt.date | None = None
                     ) -> tuple[list, bool]:
    """Every cell of one column at once → ``(values, any_bad)``: the stored value per cell
    (``None`` for blank) or a :class:`Bad`.

    Each distinct cell value is normalised once (a column of 50,000 rows holds a handful of
    性别, 党员类别 or 支部 values and a few thousand dates), then the results are looked up
    in C (``map``).  Keys are the values themselves unless the column mixes booleans with
    numbers (``True == 1 == 1.0``): then they include the type, so that ``True`` and ``1.0`` never share a result."""
    fn = _normaliser(col, today)
    distinct = dict.fromkeys(cells)
    # The types of the distinct values tell whether the column may mix booleans with
    # numbers: a boolean hidden behind an equal number (or the reverse) leaves a bool, int
    # or float among them, and only then are all the cells' types looked at.
    types = set(map(type, distinct))
    if bool in types or int in types or float in types:
        types = set(map(type, cells))
    typed = bool in types and (int in types or float in types)
    keys = list(zip(map(type, cells), cells)) if typed else cells
    results: dict = {}
    any_bad = False
    for key in (dict.fromkeys(keys) if typed else distinct):
        cell = key[1] if typed else key
        if cell == "" or cell is None:
            results[key] = None
            continue
        try:
            results[key] = fn(cell)
        except v.InvalidValue as exc:
            results[key] = Bad(str(exc))
            any_bad = True
    return list(map(results.__getitem__, keys)), any_bad
