"""Turning what a user typed (or a cell held) into the value a field stores.

Each function returns the stored Python value or raises :class:`InvalidValue` with a Chinese
message; the caller adds the field label.
"""

from __future__ import annotations

import datetime as dt
import re

from ..core import validators as v
from ..registry import base as k
from ..registry.base import Field


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and v.clean_text(value) == "") or (
        isinstance(value, (list, tuple, set)) and not value)


def coerce_value(f: Field, value: object, today: dt.date | None = None) -> object:
    """The stored value for ``value`` typed into field ``f`` (None for blank).  ``today``
    (default: the system date) bounds an ID number's birth date."""
    if is_blank(value):
        return None
    kind = f.kind
    if kind in (k.TEXT, k.LONGTEXT, k.STEP):
        s = v.clean_text(value) if kind != k.LONGTEXT else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            s = str(int(value))
        limit = f.max_length or (200 if kind == k.TEXT else None)
        if limit and len(s) > limit:
            raise v.InvalidValue(f"不能超过 {limit} 个字（现有 {len(s)} 个）")
        return s
    if kind == k.INT:
        if isinstance(value, bool):
            raise v.InvalidValue("应为整数")
        if isinstance(value, float):
            if not value.is_integer():
                raise v.InvalidValue(f"应为整数，现为 {value}")
            return int(value)
        if isinstance(value, int):
            return value
        s = v.halfwidth(value).replace(",", "")  # 1，200 and １２．５ are numbers too
        if not re.fullmatch(r"-?\d+", s):
            raise v.InvalidValue(f"应为整数，现为“{s}”")
        return int(s)
    if kind == k.FLOAT:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        s = v.halfwidth(value).replace(",", "")  # 1，200 and １２．５ are numbers too
        try:
            return float(s)
        except ValueError:
            raise v.InvalidValue(f"应为数字，现为“{s}”") from None
    if kind == k.BOOL:
        return v.parse_bool(value)
    if kind == k.DATE:
        return v.parse_date(value)
    if kind == k.DATETIME:
        return v.parse_datetime(value)
    if kind == k.CHOICE:
        s = v.clean_text(value)
        choice = f.resolve_choice(s)
        if choice is None:
            raise v.InvalidValue(f"“{s}”不是可选值；可选：{'、'.join(f.choices)}")
        return choice
    if kind == k.MULTI:
        items = value if isinstance(value, (list, tuple, set)) else re.split(
            r"[、,，;；/\s]+", v.clean_text(value))
        out = []
        for item in items:
            s = v.clean_text(item)
            if not s:
                continue
            choice = f.resolve_choice(s)
            if choice is None:
                raise v.InvalidValue(f"“{s}”不是可选值；可选：{'、'.join(f.choices)}")
            if choice not in out:
                out.append(choice)
        # Keep the declared order so the same set always stores the same text.
        return k.MULTI_SEP.join(c for c in f.choices if c in out) or None
    if kind == k.ID_NUMBER:
        return v.normalize_id_number(value, today)
    if kind == k.PHONE:
        return v.normalize_phone(value)
    if kind == k.REF:
        if isinstance(value, bool):
            raise v.InvalidValue("应为记录编号")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        s = v.clean_text(value)
        if s.isdigit():
            return int(s)
        raise v.InvalidValue(f"应选择一条记录（编号），现为“{s}”")
    raise ValueError(kind)
