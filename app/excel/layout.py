"""Finding the table inside a district worksheet.

District workbooks put a merged title, a 填报单位/填报日期 line and sometimes notes above the
header, use two-level headers (``基本信息`` over ``姓名 性别 …``), merge a 支部 name down its
members, leave blank rows, and end with 合计 / 制表人 / 审核人 lines.  :func:`detect` finds the
header row among the first :data:`SCAN_ROWS` rows by how many cells are known header texts,
and returns the data rows with their true Excel row numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..core.validators import clean_text
from .mapping import norm_header
from .reader import SheetData

SCAN_ROWS = 20
#: A row whose first filled cell starts with one of these is a footer or a note, not data.
FOOTER_WORDS = ("合计", "总计", "小计", "制表人", "制表", "审核人", "审核", "填表人", "填报人",
                "负责人", "填报日期", "制表日期", "备注:", "说明:", "注:", "注：", "备注：",
                "说明：", "签字", "盖章")


@dataclass
class Layout:
    """Where the table is: header rows (1-based Excel numbers), the header text of each
    column, the data rows ``(excel_row, cells)`` and the rows skipped with the reason."""

    sheet: str
    header_top: int
    header_row: int
    headers: list[str]
    score: int
    data: list[tuple[int, list]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: The normalised header text of each column, as mapping compares it.
    match: list[str] = field(default_factory=list)
    #: Texts above the header (title, 填报单位 line), e.g. to know which 支部 a sheet is.
    context: list[str] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not clean_text(value))


def _filled_top(sheet: SheetData, limit: int) -> list[list]:
    """The first ``limit`` rows with every merged range filled with its top-left value."""
    rows = [list(r) for r in sheet.rows[:limit]]
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, c1 + 1):
                if c < len(row) and (r, c) != (r0, c0):
                    row[c] = value
    return rows


def _texts(row: list) -> list[str]:
    return [norm_header(v) if not is_blank(v) else "" for v in row]


def _score(texts: list[str], known: Callable[[str], bool]) -> int:
    seen = set()
    for t in texts:
        if t and known(t):
            seen.add(t)
    return len(seen)


def _combine(top: list[str], sub: list[str], known: Callable[[str], bool]) -> list[str]:
    """Header text per column of a two-level header: the sub-header if there is one (or the
    top+sub text when only that is known), else the (vertically merged) top text."""
    out = []
    for t, s in zip(top, sub):
        if s and s != t:
            out.append(s if known(s) or not known(t + s) else t + s)
        else:
            out.append(t or s)
    return out


def detect(sheet: SheetData, known: Callable[[str], bool], header_row: int | None = None,
           two_level: bool | None = None) -> Layout:
    """The layout of ``sheet``.  ``known(text)`` says whether a normalised header text means a
    column of the register.  ``header_row`` (1-based) forces the header row; ``two_level``
    forces the header to span that row and the one above."""
    top_rows = _filled_top(sheet, SCAN_ROWS + 1)
    width = max((len(r) for r in sheet.rows), default=0)
    texts = [_texts(r) + [""] * (width - len(r)) for r in top_rows]
    best = (0, 0, 0)  # (score, top index, bottom index)
    if header_row is not None:
        i = header_row - 1
        if two_level and i > 0:
            best = (0, i - 1, i)
        else:
            best = (0, i, i)
    else:
        for i in range(min(SCAN_ROWS, len(texts))):
            single = _score(texts[i], known)
            if single > best[0]:
                best = (single, i, i)
            if i + 1 < len(texts):
                pair = _score(_combine(texts[i], texts[i + 1], known), known)
                if pair > best[0] and pair > _score(texts[i + 1], known):
                    best = (pair, i, i + 1)
    score, top, bottom = best
    if top < len(texts) and bottom < len(texts):
        headers = texts[top] if top == bottom else _combine(texts[top], texts[bottom], known)
    else:
        headers = []
    raw_headers = [_raw_header(top_rows, top, bottom, c) for c in range(len(headers))]
    score = _score(headers, known)
    context = []
    for r in sheet.rows[:top]:
        first = next((v for v in r if not is_blank(v)), None)
        if isinstance(first, str):
            context.append(clean_text(first))
    layout = Layout(sheet.name, top + 1, bottom + 1, raw_headers, score, match=headers,
                    context=context)
    _data_rows(sheet, layout, bottom + 1, headers)
    return layout


def _raw_header(rows: list[list], top: int, bottom: int, c: int) -> str:
    """The header text as the user sees it (for the mapping page and messages)."""
    parts = []
    for r in range(top, bottom + 1):
        v = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
        s = clean_text(v) if not is_blank(v) else ""
        if isinstance(v, float) and v.is_integer():
            s = str(int(v))
        if s and s not in parts:
            parts.append(s)
    return "/".join(parts)


_FOOTER_STARTS = frozenset(w[0] for w in FOOTER_WORDS)


def _footer(first: object) -> str | None:
    if not isinstance(first, str) or first.lstrip()[:1] not in _FOOTER_STARTS:
        return None
    s = re.sub(r"\s+", "", clean_text(first))
    for w in FOOTER_WORDS:
        if s.startswith(w):
            return f"表尾/说明行（{s[:12]}）"
    return None


def _blank_fast(value: object) -> bool:
    """:func:`is_blank`, without cleaning ASCII text (where cleaning is only trimming)."""
    if value is None or value == "":
        return True
    if type(value) is not str:
        return False
    return not value.strip() if value.isascii() else not clean_text(value)


def _norm_fast(value: object) -> str:
    """:func:`norm_header` of a data row's first cell (every row is checked for a repeated
    header): numbers and ASCII text without the regular expression."""
    if type(value) is float:
        return str(int(value)) if value.is_integer() else str(value)
    if type(value) is str and value.isascii():
        return "".join(value.split()).replace("*", "").rstrip(":")
    return norm_header(value)


def _reads_as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _data_rows(sheet: SheetData, layout: Layout, start: int, headers: list[str]) -> None:
    rows = sheet.rows
    # Fill vertically merged cells downwards (a 支部 name merged down its members), within
    # the rows that exist; horizontal merges in data rows are notes and stay as they are.
    filled: dict[tuple[int, int], object] = {}
    for (r0, c0), (r1, _c1) in sheet.merged:
        if r1 > r0 and r0 >= start and r0 < len(rows):
            value = rows[r0][c0] if c0 < len(rows[r0]) else ""
            for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
                filled[(r, c0)] = value
    header_set = {h for h in headers if h}
    # A number in the first cell (序号, the usual case) can only repeat a header that reads
    # as a number: without one, the text of the number need not be made on every row.
    numbers_may_repeat = any(_reads_as_number(h) for h in header_set)
    for i in range(start, len(rows)):
        cells = rows[i]
        if filled:
            # A row whose only values come from a merged cell above (a blank line inside a
            # 支部's merged range) is blank: it is not filled, and not counted as data.
            if all(_blank_fast(v) for c, v in enumerate(cells) if (i, c) not in filled):
                continue
            cells = list(cells)
            for c in range(len(cells)):
                if (i, c) in filled and is_blank(cells[c]):
                    cells[c] = filled[(i, c)]
        first = cells[0] if cells and not _blank_fast(cells[0]) else \
            next((v for v in cells if not _blank_fast(v)), None)
        if first is None:
            continue
        reason = _footer(first)
        if reason is None and header_set and (numbers_may_repeat or type(first) is not float) \
                and _norm_fast(first) in header_set:
            same = sum(1 for t in _texts(cells) if t and t in header_set)
            if same >= max(2, len(header_set) // 2):
                reason = "重复的表头行"
        if reason:
            layout.skipped.append((i + 1, reason))
            continue
        layout.data.append((i + 1, cells))
