"""Refuse hostile or broken workbooks before any parser touches them.

An .xlsx is a zip of XML parts.  Before python-calamine reads a file we check, streaming each
part once:

* it is a zip at all (an old .xls / encrypted workbook is an OLE2 file; a renamed text file is
  neither) and it is complete (a truncated download has no central directory or a bad CRC);
* it is not a macro workbook (.xlsm content type or a ``vbaProject.bin``) renamed to .xlsx;
* zip bomb: the declared uncompressed sizes are capped in total and in compression ratio, and
  the bytes actually inflated are counted while reading, so a lying header does not help;
* XML bomb: no part may carry a DOCTYPE or ENTITY declaration (small parts are parsed with
  defusedxml, large sheet parts are scanned as they stream);
* absurd sheet sizes: the cells that hold a value are scanned for the largest row and column,
  because calamine allocates the whole rectangle (one cell at XFD1048576 would need 500 GB).

Every refusal raises :class:`FileRefused` with a Chinese message naming the file.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from . import limits
from .errors import FileRefused

#: Total bytes the parts of one workbook may inflate to.
MAX_TOTAL_BYTES = 400 * 1024 * 1024
#: A part larger than ``RATIO_FLOOR`` bytes may not be compressed more than this.
MAX_RATIO = 300
RATIO_FLOOR = 8 * 1024 * 1024
#: Largest rectangle of cells (rows × columns) a sheet may span (see :mod:`.limits`).
MAX_CELLS = limits.MAX_CELLS
#: Structure parts up to this size are parsed whole with defusedxml (sheets and shared
#: strings are only scanned: they are large and calamine parses them anyway).
PARSE_LIMIT = 512 * 1024
#: The workbook part and its relationships are read whole: no larger than this.
STRUCTURE_LIMIT = 8 * 1024 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
# A cell element with its reference; group 3 is "/" when the element is empty (<c r="A1"/>),
# i.e. a styled cell without a value, which calamine does not place in its rectangle.
_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"[^>]*?(/?)>')
# The cheap bound reads the usual form (``<row r="…"``, ``<c r="…"`` with ``r`` first, no
# namespace prefix); any other form of a row or cell element sends the part to the exact scan.
_ROW = re.compile(rb'<row r="(\d{1,7})"')
_WIDE3 = re.compile(rb'<c r="[A-Z]{3}\d')
_WIDE = re.compile(rb'<c r="[A-Z]{2}')  # two letters or more


# A row or cell element whose first attribute is not ``r="`` (one scan for both: the same as
# comparing the counts of ``<c `` and ``<c r="``, and of ``<row `` and ``<row r="``).
_OTHER_FIRST = re.compile(rb'<(?:c|row) (?!r=")')
# A namespace prefix on a row or cell element.  Every row holds a ``:`` (``spans="1:15"``),
# so the regular expression (which skips to each ``:``) beats two ``in`` scans.
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
#: Row or cell elements with no attribute at all, which the reader places after the element
#: before them (a 5 KB sheet of those once asked for 13 GB).
_BARE = re.compile(rb"<(?:c|row)/?>")


def _odd(body: bytes) -> bool:
    """Row or cell elements not in the usual form (other attribute first, no attribute, a
    namespace prefix, other whitespace).  Tabs and newlines are only looked for in a chunk
    that holds one at all (one ``memchr`` each): most chunks of a sheet hold none."""
    if _OTHER_FIRST.search(body) is not None or _PREFIXED.search(body) is not None:
        return True
    if _BARE.search(body) is not None:
        return True
    return (b"\t" in body or b"\n" in body or b"\r" in body) and (
        b"<c\t" in body or b"<c\n" in body or b"<row\t" in body or b"<row\n" in body or
        b"<c\r" in body or b"<row\r" in body)


def _greater(n: int) -> str:
    """A regular expression of the decimal numbers greater than ``n`` (no leading zero)."""
    s = str(n)
    k = len(s)
    alts = [r"[1-9]\d{%d,}" % k]
    for i, d in enumerate(s):
        if d != "9":
            rest = k - i - 1
            alts.append(s[:i] + f"[{int(d) + 1}-9]" + (r"\d{%d}" % rest if rest else ""))
    return "(?:" + "|".join(alts) + r")(?!\d)"


def _cell_beyond(max_row: int) -> re.Pattern:
    """A cell whose reference is not 1–3 capitals and a row number without a leading zero,
    or whose row is past ``max_row`` (the highest row element so far): in the usual form a
    cell sits in its row, and one that does not sends the part to the exact count."""
    return re.compile(rb'<c r="(?:(?![A-Z]{1,3}[1-9])|[A-Z]{1,3}' +
                      _greater(max_row).encode() + rb")")


_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml$")


@dataclass
class SafetyReport:
    """What the check saw: sheet extents by part name (rows, columns), total inflated bytes."""

    extents: dict[str, tuple[int, int]] = field(default_factory=dict)
    inflated: int = 0


def col_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def col_letter(number: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    out = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        out = chr(65 + rem) + out
    return out


def check_workbook(path: Path | str) -> SafetyReport:
    """Raise :class:`FileRefused` unless ``path`` is a plain, sane .xlsx workbook."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise FileRefused(f"找不到文件“{path}”。")
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlsb"):
        raise FileRefused(f"“{name}”是启用宏或二进制格式的工作簿，为安全起见不导入。"
                          "请在 Excel/WPS 中“另存为” .xlsx 后再导入。")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE2):
        raise FileRefused(f"“{name}”是旧版 .xls 或设置了打开密码的工作簿，无法直接导入。"
                          "请在 Excel/WPS 中取消密码并“另存为” .xlsx 后再导入。")
    if not head.startswith(b"PK"):
        raise FileRefused(f"“{name}”不是 Excel 工作簿（.xlsx）。如果是 .csv 或 .et 文件，"
                          "请在 Excel/WPS 中打开后“另存为” .xlsx 再导入。")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(f"“{name}”不完整或已损坏（可能是下载或拷贝时中断）。"
                          "请重新获取完整文件后再导入。") from None
    with zf:
        return _check_members(zf, name, limits.size_text(path))


def _check_members(zf: zipfile.ZipFile, name: str, size: str) -> SafetyReport:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(f"“{name}”不是 Excel 工作簿（缺少工作簿结构）。请用 Excel/WPS "
                          "另存为 .xlsx 后再导入。")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _macro(name)
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES:
        raise _bomb(name, f"解压后约 {declared // 2**20} MB")
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _bomb(name, f"部件 {i.filename} 压缩比异常（{i.file_size // max(i.compress_size, 1)} 倍）")
    report = SafetyReport()
    sheet_names = _sheet_names(zf, name)
    budget = limits.BookBudget(name, size)
    for info in infos:
        if info.is_dir():
            continue
        report.inflated += _stream_member(zf, info, name, report, sheet_names, size)
        if report.inflated > MAX_TOTAL_BYTES:
            raise _bomb(name, "解压数据量超过上限")
        if info.filename in report.extents:
            budget.add(sheet_names.get(info.filename, info.filename),
                       *report.extents[info.filename])
    ctypes = zf.read("[Content_Types].xml")
    if b"macroEnabled" in ctypes or b"vbaProject" in ctypes:
        raise _macro(name)
    return report


def _macro(name: str) -> FileRefused:
    return FileRefused(f"“{name}”实际是含宏的工作簿（.xlsm 改了扩展名），为安全起见不导入。"
                       "请在 Excel/WPS 中“另存为”不含宏的 .xlsx 后再导入。")


def _bomb(name: str, why: str) -> FileRefused:
    return FileRefused(f"“{name}”疑似恶意构造的压缩文件（{why}），已拒绝导入，未写入任何数据。"
                       "如确为正常工作簿，请在 Excel/WPS 中删除多余内容后另存再试。")


def _sheet_names(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Worksheet part name → sheet name, read with defusedxml (refuses DTDs and entities)."""
    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        # Read whole below: a structure part is a few KB (a thousand sheets stay under 1 MB).
        if part in zf.namelist() and zf.getinfo(part).file_size > STRUCTURE_LIMIT:
            raise _bomb(name, f"部件 {part} 解压后约 {zf.getinfo(part).file_size // 2**20} MB，"
                              "远超正常大小")
    try:
        data = zf.read("xl/workbook.xml")
        rels_data = zf.read("xl/_rels/workbook.xml.rels") \
            if "xl/_rels/workbook.xml.rels" in zf.namelist() else None
        for part, body in (("xl/workbook.xml", data), ("xl/_rels/workbook.xml.rels", rels_data)):
            if body is not None and _DTD.search(body):  # before any parser sees it
                raise DefusedXmlException()
            if body is not None and limits.xml_depth(body) > limits.MAX_DEPTH:
                raise FileRefused(f"“{name}”的部件 {part} 嵌套层数异常（超过 {limits.MAX_DEPTH} "
                                  "层），疑似恶意构造的文件，已拒绝导入，未写入任何数据。"
                                  "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
        wb = SafeET.fromstring(data, forbid_dtd=True)
        rels = SafeET.fromstring(rels_data, forbid_dtd=True) if rels_data is not None else None
    except DefusedXmlException:
        raise FileRefused(f"“{name}”含有 XML 实体声明（可能是“XML 炸弹”），已拒绝导入。") from None
    except (SafeET.ParseError, zipfile.BadZipFile, OSError, EOFError):
        raise FileRefused(f"“{name}”已损坏（工作簿结构无法读取）。请重新获取文件。") from None
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels:
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id", "")] = target
    out: dict[str, str] = {}
    for el in wb.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                out[targets[rid]] = el.get("name", "")
    return out


def _value_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str,
                  size: str) -> tuple[int, int]:
    """The largest row and column of the cells that hold a value (the rectangle calamine
    will allocate) of a part in the usual form; styled empty cells (``<c r="A9" s="1"/>``)
    do not count.  Refuses at the first chunk past a cap."""
    max_row = max_col = 0
    cols: set[bytes] = set()
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            data = tail + chunk
            cut = data.rfind(b"<")
            body, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
            for col, row, empty in _CELL.findall(body):
                if not empty:
                    cols.add(col)
                    r = int(row)
                    if r > max_row:
                        max_row = r
            max_col = max((col_number(c.decode()) for c in cols), default=0)
            limits.check_extent(name, sheet, max_row, max_col, size)
    return max_row, max_col


def _exact_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str,
                  size: str) -> tuple[int, int]:
    """The extent of a part in any form, each cell placed as the reader places it."""
    scan = limits.SheetScan(name, sheet, size)
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            scan.feed(chunk, final=not chunk)
            if not chunk:
                break
    return scan.rows, scan.cols


def _stream_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                   report: SafetyReport, sheet_names: dict[str, str], size: str) -> int:
    """Inflate one part with a byte cap; scan XML for DTDs and sheets for their extent."""
    is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
    is_sheet = bool(_SHEET_PART.match(info.filename))
    is_shared = info.filename.lower().endswith("sharedstrings.xml")
    cap = MAX_TOTAL_BYTES - report.inflated
    total = 0
    strings = 0
    max_row = 0
    width = 26  # an upper bound of the columns: 1, 2 or 3 letters
    tail = b""
    small = bytearray() if is_xml and not is_sheet and info.file_size <= PARSE_LIMIT and \
        not is_shared else None
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > cap:
                    raise _bomb(name, f"部件 {info.filename} 解压后超过上限")
                if small is not None:
                    small += chunk
                if not is_xml:
                    continue
                data = tail + chunk
                if _DTD.search(data):
                    raise FileRefused(f"“{name}”含有 DOCTYPE/实体声明（可能是“XML 炸弹”），"
                                      "已拒绝导入，未写入任何数据。")
                if is_sheet:
                    # Keep the unfinished element at the end for the next chunk.
                    cut = data.rfind(b"<")
                    body, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
                    rows = _ROW.findall(body)
                    if rows:
                        max_row = max(max_row, max(map(int, rows)))
                    if max_row >= 0 and ((not rows and b"<c" in body) or _odd(body) or
                                         _cell_beyond(max_row).search(body)):
                        max_row = -1  # an unusual form: count exactly below
                    # Three letters imply two: one scan when there are only one-letter
                    # columns (the usual table), a second only after two letters are seen.
                    if width < 16384 and (width == 702 or _WIDE.search(body)):
                        width = 16384 if _WIDE3.search(body) else 702
                else:
                    tail = data[-16:]
                    if is_shared:
                        strings += chunk.count(b"<si>") + chunk.count(b"<si ")
                        if total > limits.MAX_SHARED_BYTES or \
                                strings > limits.MAX_SHARED_STRINGS:
                            raise FileRefused(
                                f"“{name}”的共享文字部件过大（已超过 "
                                f"{limits.MAX_SHARED_BYTES // 2**20} MB 或 "
                                f"{limits.MAX_SHARED_STRINGS:,} 条；文件 {size}），已拒绝导入，"
                                "未写入任何数据。请按社区或年份拆分成几个文件后分别导入。")
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error):
        raise FileRefused(f"“{name}”不完整或已损坏（部件 {info.filename} 无法解压，"
                          "可能是下载或拷贝时中断）。请重新获取完整文件后再导入。") from None
    if small is not None:
        if limits.xml_depth(bytes(small)) > limits.MAX_DEPTH:
            raise FileRefused(f"“{name}”的部件 {info.filename} 嵌套层数异常（超过 "
                              f"{limits.MAX_DEPTH} 层），疑似恶意构造的文件，已拒绝导入，"
                              "未写入任何数据。请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
        try:
            SafeET.fromstring(bytes(small), forbid_dtd=True)
        except DefusedXmlException:
            raise FileRefused(f"“{name}”含有 DOCTYPE/实体声明（可能是“XML 炸弹”），"
                              "已拒绝导入。") from None
        except SafeET.ParseError:
            raise FileRefused(f"“{name}”的部件 {info.filename} 不是有效的 XML，文件已损坏。"
                              "请重新获取文件。") from None
    if is_sheet:
        sheet = sheet_names.get(info.filename, info.filename)
        # Cheap bound first: in the usual form no cell is below the highest row element
        # (checked above), so that row times the widest column letters bounds the sheet.
        # Only a sheet that could be past a cap is counted cell by cell.
        try:
            if max_row < 0:
                max_row, max_col = _exact_extent(zf, info, name, sheet, size)
            elif max_row > limits.MAX_ROWS or max_row * width > limits.MAX_CELLS or \
                    width > limits.MAX_COLS:
                max_row, max_col = _value_extent(zf, info, name, sheet, size)
            else:
                max_col = width
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error):
            raise FileRefused(f"“{name}”不完整或已损坏（部件 {info.filename} 无法解压）。"
                              "请重新获取完整文件后再导入。") from None
        limits.check_extent(name, sheet, max_row, max_col, size)
        report.extents[info.filename] = (max_row, max_col)
    return total
