"""Column widths, font size and orientation: fitting a roster's columns onto A4.

Each column has a *natural* width (its longest cell, capped at the declared width for columns
that may wrap) and a *minimum* (a wrapping column may shrink to two characters or half its
header; a date or ID number never breaks, so its minimum is its longest cell).  The largest
font size whose natural widths fit wins, portrait before landscape; failing that, wrapping
columns are narrowed in proportion to their slack.  Spare width is shared out so the table
spans the page, like a form laid out by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fonts import Metrics
from .spec import Column, RosterSpec

#: Font sizes tried, largest first: 五号, 小五, 六号 (what offices use for tables).
SIZES = (10.5, 9.0, 7.5)
#: Horizontal padding inside a cell, each side, in points.
CELL_PAD = 3.0
A4_SHORT, A4_LONG = 595.2756, 841.8898

SERIAL = Column("序号", 3, "center", wrap=False)


@dataclass(frozen=True)
class TableGeometry:
    orientation: str
    size: float
    columns: tuple[Column, ...]     # including 序号 when numbered
    labels: tuple[str, ...]
    widths: tuple[float, ...]


def _all_columns(spec: RosterSpec) -> tuple[Column, ...]:
    return (SERIAL, *spec.columns) if spec.numbered else tuple(spec.columns)


def _cells(spec: RosterSpec, j: int) -> list[str]:
    """The texts of column ``j`` (of ``spec.columns``) over every section."""
    return [row[j] for sec in spec.sections for row in sec.rows]


#: A run that should not be broken: a case number, a code, an English word, a number.
_TOKEN = re.compile(r"[!-~]+")
#: Longer runs (URLs, pasted junk) may break rather than widen the column without limit.
_TOKEN_MAX = 20


def _measure(texts, fm: Metrics) -> tuple[float, float]:
    """Longest line and longest unbreakable Latin/digit run of ``texts``, at 1 pt."""
    best = token = 0.0
    seen: set[str] = set()
    for t in texts:
        if t in seen:  # rosters repeat values (性别, 党员类别, 支部): measure each once
            continue
        seen.add(t)
        for line in t.split("\n"):
            w = fm.width(line, 1.0)
            if w > best:
                best = w
        for run in _TOKEN.findall(t):
            if len(run) <= _TOKEN_MAX:
                token = max(token, fm.width(run, 1.0))
    return best, token


def header_floor(label: str, fm: Metrics, size: float) -> float:
    """Narrowest a header may get: two characters never break, longer ones over two lines."""
    if len(label) <= 2:
        return fm.width(label, size)
    return fm.width(label[: (len(label) + 1) // 2], size)


Extents = tuple[list[float], list[float], list[float]]


def _content_widths(spec: RosterSpec, fm: Metrics) -> list[tuple[float, float]]:
    """Longest line and longest unbreakable run of every column at 1 pt (widths scale with
    the size)."""
    out = []
    offset = 1 if spec.numbered else 0
    for j, _ in enumerate(_all_columns(spec)):
        if spec.numbered and j == 0:
            count = max((len(s.rows) for s in spec.sections), default=0)
            texts = [str(max(count, 1))]
        else:
            texts = _cells(spec, j - offset)
        out.append(_measure(texts, fm))
    return out


def _extents(spec: RosterSpec, fm: Metrics, size: float,
             content1: list[tuple[float, float]]) -> Extents:
    """Full (longest cell on one line), natural (wrapped at the declared width) and minimum
    width of every column at ``size``, padding included."""
    fulls: list[float] = []
    nats: list[float] = []
    mins: list[float] = []
    for col, (c1, t1) in zip(_all_columns(spec), content1):
        content, token = c1 * size, t1 * size
        label = col.label
        header_full = fm.width(label, size)
        header_half = header_floor(label, fm, size)
        if col.wrap:
            cap = max(col.width * size, header_half, token)
            nat = min(max(content, header_full), cap)
            low = min(nat, max(4 * size, header_half, token))
        else:
            nat = max(content, header_full)
            low = max(content, header_half)
        full = max(content, header_full)
        if col.min_width:
            full = max(full, col.min_width * size)
            nat = max(nat, col.min_width * size)
            low = max(low, col.min_width * size)
        fulls.append(full + 2 * CELL_PAD)
        nats.append(nat + 2 * CELL_PAD)
        mins.append(low + 2 * CELL_PAD)
    return fulls, nats, mins


def _fit(ext: Extents, avail: float) -> list[float]:
    """Widths summing to ``avail``: every cell on one line if possible, else the declared
    widths plus whatever is left for the longest cells, else wrapping columns narrowed in
    proportion to how far they can shrink."""
    fulls, nats, mins = ext
    total = sum(fulls)
    if total <= avail:
        extra = avail - total
        return [f + extra * f / total for f in fulls]
    total = sum(nats)
    if total <= avail:
        extra = avail - total
        want = sum(f - n for f, n in zip(fulls, nats))
        return [n + extra * (f - n) / want for f, n in zip(fulls, nats)]
    slack = total - sum(mins)
    need = total - avail
    return [n - (n - m) * need / slack if slack else m for n, m in zip(nats, mins)]


def usable_width(orientation: str, margin: float) -> float:
    return (A4_SHORT if orientation == "portrait" else A4_LONG) - 2 * margin


def choose_geometry(spec: RosterSpec, orientation: str, fm: Metrics,
                    margin: float) -> TableGeometry:
    """Font size, orientation and widths for ``spec``; ``orientation`` may be ``auto``."""
    orients = ("portrait", "landscape") if orientation == "auto" else (orientation,)
    cols = _all_columns(spec)
    labels = tuple(c.label for c in cols)
    content1 = _content_widths(spec, fm)
    extents = {size: _extents(spec, fm, size, content1) for size in SIZES}
    # Columns at their declared widths in 五号 or 小五, then narrowed further (more wrapping)
    # at those sizes, then 六号 (the last resort: small print is hard on the eyes of the
    # people who read these lists).
    for size, fit in ((SIZES[0], 1), (SIZES[1], 1), (SIZES[0], 2), (SIZES[1], 2),
                      (SIZES[2], 1), (SIZES[2], 2)):
        for o in orients:
            avail = usable_width(o, margin)
            if sum(extents[size][fit]) <= avail:
                return TableGeometry(o, size, cols, labels, tuple(_fit(extents[size], avail)))
    # 3. too many columns even so: smallest size, every column may break (nothing cut off)
    size = SIZES[-1]
    o = orients[-1]
    fulls, nats, _ = extents[size]
    floor = [2 * size + 2 * CELL_PAD] * len(nats)
    wrapped = tuple(Column(c.label, c.width, c.align, True, c.min_width) for c in cols)
    return TableGeometry(o, size, wrapped, labels,
                         tuple(_fit((fulls, nats, floor), usable_width(o, margin))))
