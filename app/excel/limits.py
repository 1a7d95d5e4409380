"""How much of a file is read at all: rows, columns and cells per sheet, counted while the
file streams, before any reader allocates anything.

python-calamine allocates the whole rectangle from A1 to the last cell that holds a value
(``to_python(skip_empty_area=False)``), whatever the sheet's ``<dimension>`` says, and places a
cell without an ``r=`` attribute after the one before it.  So a 5 KB sheet of ``<row
r="1048576">`` followed by cells without ``r=`` asks for gigabytes, and a million short rows
are a million Python lists.  The scanners here follow the cells exactly as the reader will
place them and stop at the first cell past a cap:

* :class:`SheetScan` — an .xlsx worksheet part, fed chunk by chunk to expat;
* :func:`scan_xls` — the BIFF records of an old .xls (OLE2 ``Workbook`` stream);
* :class:`OdsScan` — ``content.xml`` of an .ods (repeated rows and cells expanded as
  the reader expands them);
* :func:`check_csv_shape` — rows and columns of a CSV while it is parsed.

The caps hold a district roster (100,000 members × 15 columns, plus title and header rows)
and refuse what no office sends.  Each refusal names the file, the sheet, the figure found,
the cap and the file's size, and says to split the file.
"""

from __future__ import annotations

import re
import struct
import xml.parsers.expat
from pathlib import Path

from .errors import FileRefused

#: Rows of one sheet (an Excel row number; 100,000 data rows plus titles and headers).
MAX_ROWS = 110_000
#: Columns of one sheet.
MAX_COLS = 1_024
#: Cells of the rectangle A1 … last cell of one sheet (what the reader allocates).  A sheet
#: this size filled with distinct texts peaks at about 450 MB while it is read (2,484,000
#: such cells peaked at 523 MB: bench/bench_import_memory.py).
MAX_CELLS = 2_000_000
#: Cells of the rectangles of all sheets of one workbook together (the sheets taken for the
#: import stay in memory while it is planned): room for a 说明 sheet beside a full one.
MAX_BOOK_CELLS = 2_200_000
#: What one import plans: data rows, and cells with something in them, of the sheets taken
#: for the register.  100,000 rows of 15 filled columns peak at about 450 MB planned and
#: committed (bench/bench_import_memory.py); past this, the file is to be split.
MAX_IMPORT_ROWS = 100_000
MAX_IMPORT_CELLS = 1_500_000
#: Inflated size and count of an .xlsx's shared strings (held whole by the reader).
MAX_SHARED_BYTES = 100 * 1024 * 1024
MAX_SHARED_STRINGS = MAX_CELLS
#: Nesting of XML elements (what Excel, WPS and LibreOffice write is under 20 deep).
MAX_DEPTH = 256


def size_text(path: Path) -> str:
    """The file's size for a message: ``8.6 MB`` / ``512 KB``."""
    try:
        size = path.stat().st_size
    except OSError:
        return "大小未知"
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB" if size >= 1024 else f"{size} 字节"


def too_big(name: str, sheet: str | None, what: str, size: str) -> FileRefused:
    """The refusal of a sheet past a cap; ``what`` says which figure, and the cap."""
    where = f"的工作表「{sheet}」" if sheet else ""
    return FileRefused(
        f"“{name}”{where}范围异常大：{what}（文件 {size}），已拒绝导入，未写入任何数据。"
        f"每个工作表最多 {MAX_ROWS:,} 行、{MAX_COLS:,} 列、{MAX_CELLS:,} 个单元格。"
        "请删除表格以外多余的内容，或按社区、年份拆分成几个文件后分别导入。")


def check_extent(name: str, sheet: str | None, rows: int, cols: int, size: str) -> None:
    """Refuse a sheet whose last cell holding a value is at (``rows``, ``cols``)."""
    if rows > MAX_ROWS:
        raise too_big(name, sheet, f"有数据到第 {rows:,} 行，超过 {MAX_ROWS:,} 行的上限", size)
    if cols > MAX_COLS:
        raise too_big(name, sheet, f"有数据到第 {cols:,} 列，超过 {MAX_COLS:,} 列的上限", size)
    if rows * cols > MAX_CELLS:
        raise too_big(name, sheet, f"{rows:,} 行 × {cols:,} 列，约 {rows * cols:,} 个单元格，"
                                   f"超过 {MAX_CELLS:,} 个的上限", size)


def check_import(name: str, size: str, data: list[list[tuple[int, list]]]) -> None:
    """Refuse an import whose sheets hold more data rows or filled cells than
    :data:`MAX_IMPORT_ROWS` / :data:`MAX_IMPORT_CELLS` (``data``: each sheet's data rows)."""
    rows = sum(len(d) for d in data)
    filled = sum(len(c) - c.count("") - c.count(None) for d in data for _r, c in d)
    if rows > MAX_IMPORT_ROWS or filled > MAX_IMPORT_CELLS:
        raise FileRefused(
            f"“{name}”要导入的数据有 {rows:,} 行、{filled:,} 个有内容的单元格，超过一次导入 "
            f"{MAX_IMPORT_ROWS:,} 行、{MAX_IMPORT_CELLS:,} 个单元格的上限（文件 {size}），"
            "已拒绝导入，未写入任何数据。请按社区或按行把表格拆成几个文件，分别导入。")


class BookBudget:
    """The cells of all sheets of one workbook together."""

    def __init__(self, name: str, size: str) -> None:
        self.name, self.size, self.cells = name, size, 0

    def add(self, sheet: str, rows: int, cols: int) -> None:
        self.cells += rows * cols
        if self.cells > MAX_BOOK_CELLS:
            raise FileRefused(
                f"“{self.name}”的各工作表合计约 {self.cells:,} 个单元格（到「{sheet}」为止），"
                f"超过一个文件 {MAX_BOOK_CELLS:,} 个的上限（文件 {self.size}），已拒绝导入，"
                "未写入任何数据。请把工作表拆到几个文件中分别导入。")


def xml_depth(data: bytes) -> int:
    """The deepest nesting of elements in a (small) XML part; 0 when it is not XML (the
    parse after this one says so).  Stops counting past :data:`MAX_DEPTH`."""
    depth = deepest = 0

    def start(_tag, _attrs):
        nonlocal depth, deepest
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                raise _TooDeep

    def end(_tag):
        nonlocal depth
        depth -= 1

    p = xml.parsers.expat.ParserCreate()
    p.StartElementHandler, p.EndElementHandler = start, end
    try:
        p.Parse(data, True)
    except (_TooDeep, xml.parsers.expat.ExpatError):
        pass
    return deepest


class _TooDeep(Exception):
    pass


# -- .xlsx worksheets -------------------------------------------------------------------------

_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,9})$")


def _ref(text: str) -> tuple[int, int] | None:
    """``B7`` → (6, 1), 0-based; None when not a cell reference."""
    m = _REF.match(text)
    if m is None:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


class SheetScan:
    """The exact extent of one .xlsx worksheet part, placing cells as the reader does: a
    ``<row>`` without ``r=`` follows the one before, a ``<c>`` without ``r=`` follows the cell
    before it in its row.  A cell counts when it holds a value (``<v>``, ``<is>`` or
    ``<f>``), as the reader keeps only those.  :meth:`feed` raises :class:`FileRefused` at the
    first cell past a cap, so a hostile part is refused after reading only up to there."""

    def __init__(self, name: str, sheet: str, size: str) -> None:
        self.name, self.sheet, self.size = name, sheet, size
        self.rows = self.cols = 0
        self._row = 0
        self._col = 0
        self._pending: tuple[int, int] | None = None
        p = xml.parsers.expat.ParserCreate()
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        # No DTD reaches here (the caller refuses DOCTYPE/ENTITY first); never fetch one.
        p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser = p

    def _start(self, tag: str, attrs: dict) -> None:
        local = tag.rpartition(":")[2]
        if local == "c":
            pos = _ref(attrs.get("r", "")) if "r" in attrs else None
            if pos is None:
                pos = (self._row, self._col)
            self._pending = pos
            self._col = pos[1] + 1
        elif local == "row":
            r = attrs.get("r")
            if r is not None and r.isdigit():
                self._row = int(r) - 1
            self._col = 0
        elif self._pending is not None and local in ("v", "is", "f"):
            row, col = self._pending
            self._pending = None
            if row + 1 > self.rows or col + 1 > self.cols:
                self.rows, self.cols = max(self.rows, row + 1), max(self.cols, col + 1)
                check_extent(self.name, self.sheet, self.rows, self.cols, self.size)

    def _end(self, tag: str) -> None:
        local = tag.rpartition(":")[2]
        if local == "c":
            self._pending = None
        elif local == "row":
            self._row += 1
            self._col = 0

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self._parser.Parse(chunk, final)
        except xml.parsers.expat.ExpatError:
            raise FileRefused(f"“{self.name}”的工作表「{self.sheet}」不是有效的 XML，文件已损坏。"
                              "请重新获取文件，或在 Excel/WPS 中打开后另存再导入。") from None


# -- .xls (BIFF) ------------------------------------------------------------------------------

#: BIFF records of cells that hold a value, with the offset of their last column
#: (None: one cell at the record's column).  MULRK ends with its last column.
_VALUE_RECORDS = {0x0203: None, 0x027E: None, 0x00FD: None, 0x0204: None, 0x00D6: None,
                  0x0205: None, 0x0006: None, 0x00BD: -2}
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085


def scan_xls(path: Path, data: bytes | None = None) -> dict[int, tuple[int, int]]:
    """Stream offset of each worksheet's BOF → (rows, columns) of its cells holding a
    value, read from the ``Workbook`` stream record by record (no cell is decoded).
    Raises :class:`FileRefused` past a cap.  Empty when the file is not a plain BIFF file
    (encrypted or broken: the reader refuses it with its own message)."""
    import xlrd.compdoc
    name, size = path.name, size_text(path)
    try:
        mem = data if data is not None else path.read_bytes()
        cd = xlrd.compdoc.CompDoc(mem, logfile=_Null())
        stream = None
        for qname in ("Workbook", "Book"):
            try:
                stream = cd.get_named_stream(qname)
            except Exception:  # noqa: BLE001 - xlrd raises several types
                stream = None
            if stream:
                break
    except Exception:  # noqa: BLE001 - a broken container: calamine words the refusal
        return {}
    if not stream:
        return {}
    names: dict[int, str] = {}
    out: dict[int, tuple[int, int]] = {}
    budget = BookBudget(name, size)
    pos, end = 0, len(stream)
    sheet_at, rows, cols = None, 0, 0
    unpack = struct.unpack_from
    while pos + 4 <= end:
        code, length = unpack("<HH", stream, pos)
        body = pos + 4
        if code == _BOUNDSHEET and length >= 8:
            names[unpack("<I", stream, body)[0]] = _boundsheet_name(stream, body, length)
        elif code == _BOF:
            kind = unpack("<H", stream, body + 2)[0] if length >= 4 else 0
            sheet_at, rows, cols = (pos, 0, 0) if kind == 0x0010 else (None, 0, 0)
        elif code == _EOF and sheet_at is not None:
            out[sheet_at] = (rows, cols)
            budget.add(names.get(sheet_at, "?"), rows, cols)
            sheet_at = None
        elif sheet_at is not None and code in _VALUE_RECORDS and length >= 4:
            row, col = unpack("<HH", stream, body)
            last = _VALUE_RECORDS[code]
            if last is not None and length >= 6:
                col = unpack("<H", stream, body + length + last)[0]
            if row + 1 > rows or col + 1 > cols:
                rows, cols = max(rows, row + 1), max(cols, col + 1)
                check_extent(name, names.get(sheet_at, "?"), rows, cols, size)
        pos = body + length
    return out


def _boundsheet_name(stream: bytes, body: int, length: int) -> str:
    """The sheet name of a BOUNDSHEET record (BIFF8 short unicode string)."""
    try:
        cch, flag = stream[body + 6], stream[body + 7]
        raw = stream[body + 8: body + length]
        if flag & 1:
            return raw[:cch * 2].decode("utf-16-le", "replace")
        return raw[:cch].decode("latin-1")
    except IndexError:
        return "?"


class _Null:
    def write(self, *_a) -> None:
        pass


# -- .xlsb (BIFF12) ---------------------------------------------------------------------------

#: BIFF12 records of cells holding a value (BrtCellRk … BrtFmlaError); BrtRowHdr is 0.
_XLSB_VALUES = frozenset(range(2, 12))


def scan_xlsb_sheet(fh, name: str, sheet: str, size: str) -> tuple[int, int]:
    """(rows, columns) of the cells holding a value of one .xlsb worksheet part, read
    record by record from the stream ``fh`` (a row header sets the row; each cell record
    starts with its column).  Raises :class:`FileRefused` past a cap."""
    buf = b""
    pos = 0
    row = rows = cols = 0
    done = False
    while True:
        if not done and len(buf) - pos < 1 << 16:
            chunk = fh.read(1 << 20)
            done = not chunk
            buf = buf[pos:] + chunk
            pos = 0
        start = pos
        rec = _varint(buf, pos, 2)
        if rec is None:
            break
        kind, pos = rec
        length = _varint(buf, pos, 4)
        if length is None:
            break
        length, pos = length
        if pos + length > len(buf):
            if done:
                break
            pos = start  # the record continues in the next chunk
            if length > 1 << 26:  # a record longer than 64 MB is no cell or row
                raise FileRefused(f"“{name}”的工作表「{sheet}」已损坏（记录长度异常）。"
                                  "请重新获取文件，或另存为 .xlsx 后再导入。")
            chunk = fh.read(max(1 << 20, length))
            done = not chunk
            buf = buf[pos:] + chunk
            pos = 0
            continue
        if kind == 0 and length >= 4:
            row = struct.unpack_from("<I", buf, pos)[0]
        elif kind in _XLSB_VALUES and length >= 4:
            col = struct.unpack_from("<I", buf, pos)[0]
            if row + 1 > rows or col + 1 > cols:
                rows, cols = max(rows, row + 1), max(cols, col + 1)
                check_extent(name, sheet, rows, cols, size)
        pos += length
    return rows, cols


def _varint(buf: bytes, pos: int, most: int) -> tuple[int, int] | None:
    """A BIFF12 record type (``most`` 2) or size (4): 7 bits a byte, high bit = more."""
    value = shift = 0
    for i in range(most):
        if pos + i >= len(buf):
            return None
        byte = buf[pos + i]
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos + i + 1
    return value, pos + most


# -- .ods -------------------------------------------------------------------------------------

class OdsScan:
    """The extent of each table of an .ods ``content.xml``, fed chunk by chunk.  A row or
    cell repeated ``n`` times counts ``n`` times when it holds a value (a value type, or text);
    empty repeats (LibreOffice ends every sheet with a million empty rows) only move on."""

    def __init__(self, name: str, size: str) -> None:
        self.name, self.size = name, size
        self.extents: dict[str, tuple[int, int]] = {}
        self.budget = BookBudget(name, size)
        self._table: str | None = None
        self._row = 0           # 0-based row of the current row element
        self._row_repeat = 1
        self._col = 0
        self._row_cols = 0      # columns of the current row that hold values
        self._cell: tuple[int, int] | None = None  # (col, repeat) of an open cell
        self._cell_value = False
        self.rows = self.cols = 0
        p = xml.parsers.expat.ParserCreate()
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser = p

    @staticmethod
    def _int(attrs: dict, key: str) -> int:
        try:
            return max(1, int(attrs.get(key, "1")))
        except ValueError:
            return 1

    def _start(self, tag: str, attrs: dict) -> None:
        if tag == "table:table":
            self._table = attrs.get("table:name", f"Sheet{len(self.extents) + 1}")
            self._row, self.rows, self.cols = 0, 0, 0
        elif tag == "table:table-row":
            self._row_repeat = self._int(attrs, "table:number-rows-repeated")
            self._col, self._row_cols = 0, 0
        elif tag in ("table:table-cell", "table:covered-table-cell"):
            self._cell = (self._col, self._int(attrs, "table:number-columns-repeated"))
            self._cell_value = "office:value-type" in attrs
        elif self._cell is not None and tag.startswith("text:"):
            self._cell_value = True

    def _end(self, tag: str) -> None:
        if tag in ("table:table-cell", "table:covered-table-cell") and self._cell:
            col, repeat = self._cell
            self._cell = None
            self._col = col + repeat
            if self._cell_value:
                self._row_cols = self._col
        elif tag == "table:table-row":
            if self._row_cols:
                self.rows = self._row + self._row_repeat
                self.cols = max(self.cols, self._row_cols)
                check_extent(self.name, self._table, self.rows, self.cols, self.size)
            self._row += self._row_repeat
        elif tag == "table:table" and self._table is not None:
            self.extents[self._table] = (self.rows, self.cols)
            self.budget.add(self._table, self.rows, self.cols)
            self._table = None

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self._parser.Parse(chunk, final)
        except xml.parsers.expat.ExpatError:
            raise FileRefused(f"“{self.name}”的内容（content.xml）不是有效的 XML，文件已损坏。"
                              "请重新获取文件，或另存为 .xlsx 后再导入。") from None


# -- CSV --------------------------------------------------------------------------------------

def check_csv_shape(name: str, rows: int, cols: int, size: str) -> None:
    """Refuse a CSV past the caps (called as rows are parsed, so it stops early)."""
    check_extent(name, None, rows, cols, size)
