"""Turning a :class:`~.spec.RosterSpec` into pages of draw operations.

The layout is done once, in points on an A4 sheet with the origin at the top-left, and the
result (:class:`Document`) is drawn unchanged by the PDF writer (:mod:`.pdf`) and the Qt
renderer (``app/ui/print_preview.py``), so preview, paper and PDF agree.

Steps: pick the font size and orientation the columns fit (:mod:`.columns`), wrap every cell,
paginate (title and header row on every page, one section per page run when grouped, a row
taller than a page split across pages), then a second pass writes 第 X 页 共 Y 页 once the
page count is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .columns import CELL_PAD, TableGeometry, choose_geometry
from .fonts import Metrics, metrics as default_metrics
from .spec import RosterSpec, chinese_date

MM = 72.0 / 25.4
A4 = (595.2756, 841.8898)  # portrait width, height in points
MARGIN = 15 * MM
LEADING = 1.3             # line height as a multiple of the font size
V_PAD = 2.2               # points above and below a cell's text
TITLE_SIZE = 16.0         # 三号
SMALL_SIZE = 10.5         # 五号: scope line, info block, footer
NOTE_SIZE = 9.0           # 小五: the footnote
GRID = 0.5
BORDER = 1.0


@dataclass(frozen=True)
class Text:
    """Text drawn with its baseline at ``y``, starting at ``x`` (alignment already applied)."""
    x: float
    y: float
    text: str
    size: float
    bold: bool = False


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = GRID


@dataclass(frozen=True)
class Rect:
    """A filled rectangle (no outline); ``gray`` 0 = black, 1 = white."""
    x: float
    y: float
    w: float
    h: float
    gray: float = 0.88


Op = Text | Line | Rect


@dataclass
class Page:
    ops: list[Op] = field(default_factory=list)
    section: int = 0      # index of the spec section the page belongs to
    rows: int = 0         # data rows started on this page

    def texts(self) -> list[str]:
        return [op.text for op in self.ops if isinstance(op, Text)]


@dataclass
class Document:
    width: float
    height: float
    orientation: str
    body_size: float
    column_widths: list[float]
    pages: list[Page]
    #: Characters the bundled font has no glyph for (rare 生僻字 outside GBK): they would
    #: print as an empty box, so callers warn the user to check and write them in by hand.
    missing: str = ""

    @property
    def page_count(self) -> int:
        return len(self.pages)


def layout(spec: RosterSpec, orientation: str | None = None,
           fm: Metrics | None = None) -> Document:
    """Paginate ``spec``; ``orientation`` overrides the spec's (e.g. chosen in a print dialog)."""
    fm = fm or default_metrics()
    geo = choose_geometry(spec, orientation or spec.orientation, fm, MARGIN)
    return _Paginator(spec, geo, fm).run()


class _Paginator:
    def __init__(self, spec: RosterSpec, geo: TableGeometry, fm: Metrics) -> None:
        self.spec, self.geo, self.fm = spec, geo, fm
        self.size = geo.size
        self.line_h = geo.size * LEADING
        self.min_row = max(spec.min_row_mm * MM, self.line_h + 2 * V_PAD)
        self.page_w, self.page_h = (A4 if geo.orientation == "portrait" else A4[::-1])
        self.left = MARGIN
        self.right = self.page_w - MARGIN
        self.table_w = sum(geo.widths)
        self.sign = "　　".join(f"{label}：{name or '＿＿＿＿＿＿'}"
                              for label, name in spec.footer)
        self.sign += f"　　打印日期：{chinese_date(spec.printed_on)}"
        # The note (e.g. 身份证号已隐去) sits right of the signatures, or on its own line.
        room = self.right - self.left - fm.width(self.sign, SMALL_SIZE) - 12
        self.note_own_line = bool(spec.note) and fm.width(spec.note, NOTE_SIZE) > room
        footer_lines = 3 if self.note_own_line else 2
        self.footer_top = self.page_h - MARGIN - footer_lines * SMALL_SIZE * LEADING - 4
        self.pages: list[Page] = []
        self.page: Page | None = None
        self.y = 0.0
        self.block_top = 0.0

    # -- driving ---------------------------------------------------------------------------
    def run(self) -> Document:
        header = self._header_lines = self._wrap_row(self.geo.labels, header=True)
        for s_index, sec in enumerate(self.spec.sections):
            rows = [self._numbered(sec_row, i) for i, sec_row in enumerate(sec.rows)]
            rows += [self._numbered([""] * len(self.spec.columns), None)
                     for _ in range(sec.blank_rows)]
            if not rows:
                rows = [[""] * len(self.geo.labels)]
                rows[0][1 if self.spec.numbered else 0] = "（无记录）"
            first = self.page is None or sec.new_page
            if first:
                self._new_page(s_index, sec.heading, first_of_section=True, header=header)
            else:
                self._continue_section(s_index, sec.heading, header)
            for r_index, row in enumerate(rows):
                self._place_row(self._wrap_row(row), s_index, sec.heading, header,
                                counts=r_index < len(sec.rows))
            self._close_block()
        self._finish_pages()
        used = set()
        for page in self.pages:
            used.update(*(op.text for op in page.ops if isinstance(op, Text)))
        missing = "".join(sorted(ch for ch in used if not self.fm.has_glyph(ch)))
        return Document(self.page_w, self.page_h, self.geo.orientation, self.size,
                        list(self.geo.widths), self.pages, missing)

    def _numbered(self, row: list[str], index: int | None) -> list[str]:
        if not self.spec.numbered:
            return list(row)
        return ["" if index is None else str(index + 1), *row]

    # -- rows ------------------------------------------------------------------------------
    def _wrap_row(self, cells: list[str], header: bool = False) -> list[list[str]]:
        out = []
        for text, w, col in zip(cells, self.geo.widths, self.geo.columns):
            inner = w - 2 * CELL_PAD
            if header:
                out.append(self.fm.wrap_balanced(text, inner, self.size))
            elif col.wrap:
                out.append(self.fm.wrap(text, inner, self.size))
            else:
                out.append(text.split("\n"))
        return out

    def _row_height(self, lines: list[list[str]], header: bool = False) -> float:
        n = max(len(c) for c in lines)
        h = n * self.line_h + 2 * V_PAD
        return h if header else max(h, self.min_row)

    def _place_row(self, lines: list[list[str]], s_index: int, heading: str,
                   header: list[list[str]], counts: bool) -> None:
        if counts:
            self.page.rows += 1  # the page where a row starts counts it
        while True:
            h = self._row_height(lines)
            if self.y + h <= self.footer_top:
                self._draw_row(lines, h)
                return
            room_lines = int((self.footer_top - self.y - 2 * V_PAD) // self.line_h)
            fresh = self._fresh_capacity()
            if h <= fresh or room_lines < 1:
                self._close_block()
                self._new_page(s_index, heading, first_of_section=False, header=header)
                if counts:
                    # The row moved: count it on the page it actually starts on.
                    self.pages[-2].rows -= 1
                    self.page.rows += 1
                    counts = False
                continue
            # A row taller than a whole page: print what fits, continue on the next page.
            head = [c[:room_lines] for c in lines]
            lines = [c[room_lines:] or [""] for c in lines]
            self._draw_row(head, self.footer_top - self.y)
            counts = False
            self._close_block()
            self._new_page(s_index, heading, first_of_section=False, header=header)

    def _fresh_capacity(self) -> float:
        """Height left for rows on a continuation page (title, heading and header taken)."""
        spec = self.spec
        top = MARGIN + self._title_height()
        if any(sec.heading for sec in spec.sections):
            top += SMALL_SIZE * LEADING + 2
        top += self._row_height(self._header_lines, True)
        return self.footer_top - top

    def _draw_row(self, lines: list[list[str]], h: float, header: bool = False) -> None:
        ops = self.page.ops
        if header:
            ops.append(Rect(self.left, self.y, self.table_w, h))
        x = self.left
        asc = self.fm.ascent * self.size
        for cell, w, col in zip(lines, self.geo.widths, self.geo.columns):
            block = len(cell) * self.line_h
            y0 = self.y + (h - block) / 2  # centre the text vertically in the row
            align = "center" if header else col.align
            for k, text in enumerate(cell):
                if not text:
                    continue
                base = y0 + k * self.line_h + (self.line_h - self.size) / 2 + asc
                tw = self.fm.width(text, self.size)
                if align == "center":
                    tx = x + (w - tw) / 2
                elif align == "right":
                    tx = x + w - CELL_PAD - tw
                else:
                    tx = x + CELL_PAD
                ops.append(Text(tx, base, text, self.size, bold=header))
            x += w
        self.y += h
        ops.append(Line(self.left, self.y, self.right_of_table, self.y))

    @property
    def right_of_table(self) -> float:
        return self.left + self.table_w

    def _close_block(self) -> None:
        """Vertical rules and the outer border of the table block on the current page."""
        if self.page is None or self.y <= self.block_top:
            return
        ops = self.page.ops
        x = self.left
        for w in self.geo.widths[:-1]:
            x += w
            ops.append(Line(x, self.block_top, x, self.y))
        top, bottom, l, r = self.block_top, self.y, self.left, self.right_of_table
        ops += [Line(l, top, r, top, BORDER), Line(l, bottom, r, bottom, BORDER),
                Line(l, top, l, bottom, BORDER), Line(r, top, r, bottom, BORDER)]
        self.block_top = self.y

    # -- page furniture --------------------------------------------------------------------
    def _new_page(self, s_index: int, heading: str, first_of_section: bool,
                  header: list[list[str]], continued: bool | None = None) -> None:
        """A fresh page: title, the info block on a section's first page, the heading
        (marked 续 when ``continued``, by default on every page but the section's first)."""
        self.page = Page(section=s_index)
        self.pages.append(self.page)
        self.y = MARGIN
        self._title_block()
        if first_of_section:
            self._info_block()
        self._heading(heading, continued=not first_of_section if continued is None
                      else continued)
        self._header_row(header)

    def _continue_section(self, s_index: int, heading: str, header: list[list[str]]) -> None:
        """A section that follows on the same page (e.g. 列席 under the expected members)."""
        need = 2 * self.line_h + self._row_height(header, True) + self.min_row + 8
        if self.y + need > self.footer_top:
            # Nothing of this section was printed yet: its heading is not 续 (continued).
            self._new_page(s_index, heading, first_of_section=False, header=header,
                           continued=False)
            return
        self.y += 8
        self._heading(heading, continued=False)
        self._header_row(header)

    def _title_lines(self) -> tuple[list[str], list[str]]:
        """The title (centred, wrapped if longer than the page) and the scope line (wrapped
        left of the date)."""
        if not hasattr(self, "_titles"):
            fm, width = self.fm, self.right - self.left
            title = fm.wrap_balanced(self.spec.full_title, width, TITLE_SIZE)
            as_of = fm.width(self.spec.as_of, SMALL_SIZE) + 12 if self.spec.as_of else 0
            scope = fm.wrap(self.spec.scope, width - as_of, SMALL_SIZE) \
                if self.spec.scope else ([""] if self.spec.as_of else [])
            self._titles = (title, scope)
        return self._titles

    def _title_height(self) -> float:
        title, scope = self._title_lines()
        return len(title) * TITLE_SIZE * LEADING + len(scope) * SMALL_SIZE * LEADING + 8

    def _title_block(self) -> None:
        spec, fm, ops = self.spec, self.fm, self.page.ops
        title, scope = self._title_lines()
        for line in title:
            self.y += TITLE_SIZE * LEADING
            tw = fm.width(line, TITLE_SIZE)
            ops.append(Text((self.page_w - tw) / 2, self.y - TITLE_SIZE * 0.3, line,
                            TITLE_SIZE, bold=True))
        self.y += 4
        for i, line in enumerate(scope):
            self.y += SMALL_SIZE * LEADING
            base = self.y - SMALL_SIZE * 0.3
            if line:
                ops.append(Text(self.left, base, line, SMALL_SIZE))
            if i == 0 and spec.as_of:
                aw = fm.width(spec.as_of, SMALL_SIZE)
                ops.append(Text(self.right - aw, base, spec.as_of, SMALL_SIZE))
        self.y += 4

    def _info_block(self) -> None:
        """Label：value pairs, two to a line when both are short."""
        fm, ops = self.fm, self.page.ops
        width = self.right - self.left
        half = width / 2
        items = [f"{label}：{value}" for label, value in self.spec.info]
        i = 0
        while i < len(items):
            pair_fits = (i + 1 < len(items)
                         and fm.width(items[i], SMALL_SIZE) < half - 8
                         and fm.width(items[i + 1], SMALL_SIZE) < half - 8)
            if pair_fits:
                self.y += SMALL_SIZE * LEADING
                ops.append(Text(self.left, self.y - SMALL_SIZE * 0.3, items[i], SMALL_SIZE))
                ops.append(Text(self.left + half, self.y - SMALL_SIZE * 0.3, items[i + 1],
                                SMALL_SIZE))
                i += 2
                continue
            for text in fm.wrap(items[i], width, SMALL_SIZE):
                self.y += SMALL_SIZE * LEADING
                ops.append(Text(self.left, self.y - SMALL_SIZE * 0.3, text, SMALL_SIZE))
            i += 1
        if items:
            self.y += 4

    def _heading(self, heading: str, continued: bool) -> None:
        if not heading:
            return
        if continued:
            text = heading[:-1] + "，续）" if heading.endswith("）") else heading + "（续）"
        else:
            text = heading
        self.y += SMALL_SIZE * LEADING
        self.page.ops.append(Text(self.left, self.y - SMALL_SIZE * 0.3, text, SMALL_SIZE,
                                  bold=True))
        self.y += 2

    def _header_row(self, header: list[list[str]]) -> None:
        self.block_top = self.y
        self._draw_row(header, self._row_height(header, True), header=True)

    def _finish_pages(self) -> None:
        """Second pass: footer with signatures, print date and 第 X 页 共 Y 页."""
        total = len(self.pages)
        spec, fm = self.spec, self.fm
        base1 = self.page_h - MARGIN - SMALL_SIZE * LEADING - 2
        base2 = self.page_h - MARGIN - 2
        base0 = base1 - SMALL_SIZE * LEADING if self.note_own_line else base1
        for n, page in enumerate(self.pages, start=1):
            page.ops.append(Text(self.left, base1, self.sign, SMALL_SIZE))
            if spec.note:
                nw = fm.width(spec.note, NOTE_SIZE)
                page.ops.append(Text(self.right - nw, base0, spec.note, NOTE_SIZE))
            number = f"第 {n} 页 共 {total} 页"
            page.ops.append(Text((self.page_w - fm.width(number, SMALL_SIZE)) / 2, base2,
                                 number, SMALL_SIZE))
