"""A raw cell as the wizard shows it: the sheet preview, the column samples, a row to correct."""

from __future__ import annotations

from ...excel.layout import is_blank


def cell_text(value: object) -> str:
    """A raw cell as the preview shows it: ``3.0`` → ``3``, dates as yyyy-mm-dd."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)
