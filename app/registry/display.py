"""How a value looks to a person: the same text in a table cell, an Excel cell (for text
columns) and a printed roster."""

from __future__ import annotations

import datetime as dt

from ..core.validators import mask_id_number
from . import base as k
from .base import Field, Lookup, Register


def column_kind(reg: Register, column: Field | Lookup) -> str:
    """The field kind behind a column (a lookup takes the kind of the field it shows)."""
    if isinstance(column, Field):
        return column.kind
    from . import get
    return get(reg.field(column.via).ref).field(column.field).kind


def format_value(kind: str, value: object) -> str:
    if value is None:
        return ""
    if kind == k.BOOL:
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) \
            else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if kind == k.FLOAT and isinstance(value, float):
        return f"{value:g}"
    return str(value)


def cell_text(reg: Register, column: Field | Lookup, row: dict, mask_ids: bool = False) -> str:
    """What a table, an Excel cell or a roster shows for ``column`` of ``row``."""
    if isinstance(column, Field) and column.kind == k.REF:
        return row.get(f"{column.key}__title") or ""
    kind = column_kind(reg, column)
    value = row.get(column.key)
    if kind == k.ID_NUMBER and mask_ids:
        return mask_id_number(value)
    return format_value(kind, value)
