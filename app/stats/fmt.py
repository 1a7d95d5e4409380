"""How a figure reads: numbers with their unit, a breakdown's parts, the change on a year
earlier, and the brief's sentences.  The table, the workbook, the screen and the brief all
format through here, so a number reads the same everywhere."""

from __future__ import annotations

import unicodedata

from .catalogue import SENTENCES
from .model import Figure

NONE = "—"


def number(value, digits: int = 0) -> str:
    """12 · 75.0 · —; a float with nothing after the point reads as a whole number unless the
    figure keeps decimals (a percentage, an average)."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if digits == 0 and value.is_integer():
            return str(int(value))
        return f"{value:.{digits or 1}f}"
    return str(value)


def digits_of(fig: Figure) -> int:
    return fig.digits or (1 if fig.unit == "%" else 0)


def with_unit(fig: Figure, value) -> str:
    """75.0% · 12个 · —"""
    text = number(value, digits_of(fig))
    return text if value is None else f"{text}{fig.unit}"


def summable(fig: Figure) -> bool:
    """Whether a breakdown's parts add up to something (rows counted or summed; not
    percentages, nor per-part numbers such as a community's levels)."""
    return fig.rows is not None


def total(value) -> float | int | None:
    """The sum of a breakdown's parts (of the first number of each pair)."""
    if not isinstance(value, dict):
        return value
    out = 0
    for v in value.values():
        out += total(v) if isinstance(v, dict) else (v or 0)
    return out


def parts_text(fig: Figure, value, *, skip_zero: bool = True) -> str:
    """正式党员137名、预备党员13名 (parts with nothing in them are left out)."""
    if not isinstance(value, dict):
        return with_unit(fig, value)
    items = [(k, v) for k, v in value.items() if not (skip_zero and not v)]
    if not items:
        return "无"
    return "、".join(f"{k}{with_unit(fig, v)}" if not isinstance(v, dict)
                    else f"{k}（{'、'.join(f'{a}{number(b)}' for a, b in v.items())}）"
                    for k, v in items)


def change(fig: Figure, value, previous) -> str:
    """+3 · −2 · 持平 · — (only for single numbers with a value a year earlier)."""
    if value is None or previous is None or isinstance(value, dict) or isinstance(previous, dict):
        return NONE
    d = value - previous
    if abs(d) < 1e-9:
        return "持平"
    text = number(abs(d) if isinstance(d, int) else round(abs(d), digits_of(fig) or 1),
                  digits_of(fig))
    return ("+" if d > 0 else "−") + text + ("个百分点" if fig.unit == "%" else "")


def phrase(fig: Figure, value, values: dict[str, object]) -> str:
    """The figure in words for the brief (empty if it has no phrase)."""
    if not fig.phrase:
        return ""
    from .catalogue import BY_KEY
    others = {k: with_unit(BY_KEY[k], v) for k, v in values.items()
              if k in BY_KEY and not isinstance(v, dict) and f"{{{k}}}" in fig.phrase}
    return fig.phrase.format(v=with_unit(fig, value), parts=parts_text(fig, value),
                             total=with_unit(fig, total(value)) if summable(fig) else "",
                             **others)


def sentences(area: str, values: dict[str, object]) -> list[str]:
    """The area's paragraph: each sentence joins its figures' phrases with "，"."""
    from .catalogue import BY_KEY
    out = []
    for keys in SENTENCES[area]:
        bits = [phrase(BY_KEY[k], values.get(k), values) for k in keys]
        bits = [b for b in bits if b]
        if bits:
            out.append("，".join(bits) + "。")
    return out


def width(text: str) -> int:
    """Columns a text takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(0, cols - width(text))
    return gap + text if right else text + gap
