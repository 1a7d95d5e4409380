"""Which kind of workbook a file is, the safety checks for the kinds other than .xlsx, the
CSV reader, and hidden columns and rows.

Offices receive .xlsx, old .xls (and WPS .et, the same OLE2 container), .xlsb, .ods and CSV
exported from other systems.  python-calamine reads all the workbook kinds; a CSV is read here,
every cell as text, so an 18-digit ID keeps its digits.  The kind is decided by the file's
bytes, not its name: a renamed file is read as what it is.

Safety, for every kind: a size cap on the file; for zip containers (.xlsx is checked in
:mod:`app.excel.safety`; .xlsb, .ods here) the declared and the actually inflated sizes, the
compression ratio, macros, and DTD/ENTITY declarations in XML parts; for OLE2 files the size
cap and calamine's own refusal of a broken or encrypted file.  Rows, columns and cells of
every kind are counted before the reader opens the file (:mod:`app.excel.limits`), and a
folder, FIFO, device or unreadable file is refused with a message of its own.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import zipfile
import zlib
from pathlib import Path

from . import limits
from .errors import FileRefused
from .safety import (MAX_RATIO, MAX_TOTAL_BYTES, RATIO_FLOOR, SafetyReport, _bomb, _macro,
                     check_workbook)

XLSX, XLSB, ODS, XLS, CSV = "xlsx", "xlsb", "ods", "xls", "csv"
#: Largest file of any kind read at all (a district roster of 100,000 rows is ~10 MB).
MAX_FILE_BYTES = 100 * 1024 * 1024
#: Largest CSV/text file (read whole into memory as text).
MAX_TEXT_BYTES = 50 * 1024 * 1024
#: Largest ``content.xml`` of an .ods (its layout is read from it whole).
MAX_ODS_CONTENT = 100 * 1024 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_CHUNK = 1 << 20


def sniff(path: Path) -> str:
    """The kind of ``path`` from its bytes (and, for text, its name)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE2):
        return XLS
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names and b"spreadsheet" in zf.read("mimetype")[:200]:
                    return ODS
                if "xl/workbook.bin" in names:
                    return XLSB
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        return XLSX  # the .xlsx check words every other zip's refusal
    return CSV


def check_file(path: Path) -> tuple[str, SafetyReport]:
    """Refuse what must not be read; returns the kind and what the check saw."""
    name = path.name
    mode = _mode(path)
    if stat.S_ISDIR(mode):
        raise FileRefused(f"“{path}”是一个文件夹，不是工作簿。请选择其中的 Excel/CSV 文件。")
    if stat.S_ISFIFO(mode):
        raise FileRefused(f"“{path}”是一个命名管道（FIFO），不是保存在磁盘上的文件，不能导入。"
                          "请选择 Excel/CSV 文件本身。")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise FileRefused(f"“{path}”是一个设备（如 /dev/zero），不是文件，不能导入。"
                          "请选择 Excel/CSV 文件本身。")
    if stat.S_ISSOCK(mode):
        raise FileRefused(f"“{path}”是一个套接字，不是文件，不能导入。请选择 Excel/CSV 文件本身。")
    if not stat.S_ISREG(mode):
        raise FileRefused(f"“{path}”不是普通文件，不能导入。请选择 Excel/CSV 文件本身。")
    try:
        with path.open("rb"):
            pass
    except PermissionError:
        raise _no_permission(path) from None
    except OSError as exc:
        raise FileRefused(f"无法打开“{path}”（{exc.strerror or type(exc).__name__}）。"
                          "请确认文件在本机磁盘上，复制到“文档”文件夹后再导入。") from None
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(f"“{name}”是空文件（0 字节），里面没有数据。")
    if size > MAX_FILE_BYTES:
        raise FileRefused(f"“{name}”有 {size / 2**20:.0f} MB，超过可导入的上限 "
                          f"{MAX_FILE_BYTES // 2**20} MB。请按社区或年份拆分后分别导入。")
    try:
        kind = sniff(path)
    except PermissionError:
        raise _no_permission(path) from None
    if path.suffix.lower() in (".xlsm", ".xltm"):
        raise _macro(name)
    if kind == XLSX:
        return kind, check_workbook(path)
    if kind in (XLSB, ODS):
        return kind, _check_zip(path, kind)
    if kind == XLS:
        return kind, _check_xls(path)
    if kind == CSV and size > MAX_TEXT_BYTES:
        raise FileRefused(f"“{name}”有 {size / 2**20:.0f} MB，超过文本文件的上限 "
                          f"{MAX_TEXT_BYTES // 2**20} MB。请拆分后分别导入。")
    return kind, SafetyReport()


def _mode(path: Path) -> int:
    """``st_mode`` of ``path`` (following links), or a refusal that says why there is none."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        raise FileRefused(f"找不到文件“{path}”。请确认文件名和位置。") from None
    except PermissionError:
        raise _no_permission(path) from None
    except OSError as exc:
        raise FileRefused(f"无法访问“{path}”（{exc.strerror or type(exc).__name__}）。"
                          "请确认文件在本机磁盘上，复制到“文档”文件夹后再导入。") from None


def _no_permission(path: Path) -> FileRefused:
    return FileRefused(f"没有权限读取“{path}”。请确认文件没有被其他程序独占、本账户可以读取它，"
                       "或复制到“文档”文件夹后再导入。")


def _check_xls(path: Path) -> SafetyReport:
    """Cells of each sheet of an old .xls counted from its BIFF records (capped)."""
    report = SafetyReport()
    for offset, extent in limits.scan_xls(path).items():
        report.extents[str(offset)] = extent
    return report


def _check_zip(path: Path, kind: str) -> SafetyReport:
    """Zip-bomb, macro and XML-entity checks for an .xlsb or .ods container."""
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(f"“{name}”不完整或已损坏（可能是下载或拷贝时中断）。"
                          "请重新获取完整文件后再导入。") from None
    report = SafetyReport()
    size = limits.size_text(path)
    budget = limits.BookBudget(name, size)
    with zf:
        infos = zf.infolist()
        if any(i.filename.lower().endswith(("vbaproject.bin", ".bas")) or
               i.filename.lower().startswith("basic/") for i in infos):
            raise _macro(name)
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise _bomb(name, "解压后的数据量超过上限")
        for info in infos:
            if info.file_size > RATIO_FLOOR and \
                    info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _bomb(name, f"部件 {info.filename} 压缩比异常")
            if info.is_dir():
                continue
            xml = info.filename.lower().endswith(".xml") or kind == XLSB and \
                info.filename.lower().endswith(".rels")
            # The cells of an .ods are counted as they stream, as the reader will place them.
            scan = limits.OdsScan(name, size) if kind == ODS and \
                info.filename == "content.xml" else None
            if kind == XLSB and re.match(r"xl/worksheets/[^/]+\.bin$", info.filename):
                try:
                    with zf.open(info) as fh:
                        extent = limits.scan_xlsb_sheet(fh, name, info.filename, size)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                    raise FileRefused(f"“{name}”不完整或已损坏（可能是下载或拷贝时中断）。"
                                      "请重新获取完整文件后再导入。") from None
                report.extents[info.filename] = extent
                budget.add(info.filename, *extent)
            if scan is not None and info.file_size > MAX_ODS_CONTENT:
                raise _bomb(name, f"内容部件解压后约 {info.file_size // 2**20} MB，超过 "
                                  f"{MAX_ODS_CONTENT // 2**20} MB 的上限")
            try:
                with zf.open(info) as fh:
                    tail = b""
                    part = 0
                    while True:
                        chunk = fh.read(_CHUNK)
                        if not chunk:
                            break
                        report.inflated += len(chunk)
                        part += len(chunk)
                        if report.inflated > MAX_TOTAL_BYTES:
                            raise _bomb(name, "解压数据量超过上限")
                        if xml and _DTD.search(tail + chunk):
                            raise FileRefused(f"“{name}”含有 XML 实体声明（可能是“XML 炸弹”），"
                                              "已拒绝导入。")
                        tail = chunk[-16:]
                        if scan is not None:
                            if part > MAX_ODS_CONTENT:
                                raise _bomb(name, f"内容部件解压后超过 "
                                                  f"{MAX_ODS_CONTENT // 2**20} MB 的上限")
                            scan.feed(chunk)
                    if scan is not None:
                        scan.feed(b"", final=True)
                        report.extents.update(scan.extents)
            except (zipfile.BadZipFile, zlib.error, EOFError):
                raise FileRefused(f"“{name}”不完整或已损坏（可能是下载或拷贝时中断）。"
                                  "请重新获取完整文件后再导入。") from None
    return report


# -- CSV -------------------------------------------------------------------------------------

def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: a BOM decides (UTF-8, UTF-16);
    else strict UTF-8; else GB18030 (a superset of GBK/GB2312, what Chinese Excel and WPS
    write)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a BOM
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc, errors="strict"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    line = _utf8_line(data)
    if line:
        raise FileRefused(f"“{name}”的编码混杂：第 {line} 行是 UTF-8，其他行不是（可能是几个文件"
                          "拼接而成）。请在 Excel/WPS 中分别打开各部分，另存为同一个 .xlsx 后再导入。")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise FileRefused(f"“{name}”不是可识别编码的文本文件（既不是 UTF-8 也不是 GBK）。"
                          "请在 Excel/WPS 中打开后另存为 .xlsx 再导入。") from None


def _binary(sample: str) -> bool:
    """Text with more than 1 % control characters (other than tab and line ends) is some
    binary file decoded as text (a program or image named .csv, read as UTF-16)."""
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n" or
                   "\x7f" <= ch < "\xa0" or "\ud800" <= ch <= "\udfff")
    return controls * 100 > len(sample)


def _utf8_line(data: bytes) -> int:
    """In text that is not UTF-8 as a whole, the first line that is UTF-8 with Chinese in
    it (GBK text almost never is): 1-based, or 0 when there is none."""
    for i, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if sum(1 for ch in decoded if "\u4e00" <= ch <= "\u9fff") >= 2:
            return i
    return 0


def read_csv(path: Path) -> tuple[list[list[str]], str, str]:
    """Rows of a CSV/TXT file, every cell text; with the encoding and the delimiter found.
    Rows, columns and cells are capped as they are parsed (:mod:`.limits`)."""
    data = path.read_bytes()
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or \
        data[:200].count(b"\x00") > 20
    if b"\x00" in data and not utf16:
        if b"\x00" in data[:4096]:
            raise FileRefused(f"“{path.name}”不是工作簿，也不是文本文件。请选择 .xlsx、.xls、.ods "
                              "或 .csv 文件。")
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise FileRefused(f"“{path.name}”第 {line} 行含有空字符（NUL），不是正常的文本文件，"
                          "可能已损坏。请在 Excel/WPS 中打开确认后另存为 .xlsx 再导入。")
    text, encoding = decode_text(data, path.name)
    del data
    if _binary(text[:4096]):
        raise FileRefused(f"“{path.name}”不是工作簿，也不是文本文件（含有大量控制字符）。"
                          "请选择 .xlsx、.xls、.ods 或 .csv 文件。")
    sample = text[:20000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|，").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", "\t", ";", "|", "，")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    size = limits.size_text(path)
    rows: list[list[str]] = []
    width = 0
    try:
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(r)
            if len(r) > width:
                width = len(r)
            if len(rows) > limits.MAX_ROWS or width > limits.MAX_COLS or \
                    len(rows) * width > limits.MAX_CELLS:
                limits.check_csv_shape(path.name, len(rows), width, size)
    except csv.Error as exc:
        raise FileRefused(f"“{path.name}”第 {len(rows) + 1} 行不是有效的 CSV（{exc}）。"
                          "请在 Excel/WPS 中打开确认后另存为 .xlsx 再导入。") from None
    for r in rows:
        r.extend([""] * (width - len(r)))
    return rows, encoding, delimiter


# -- hidden columns and rows ------------------------------------------------------------------

_XLSX_COL = re.compile(rb'<(?:\w+:)?col\b([^>]*)/?>')
_XLSX_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"'
                              rb'|<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_ATTR = re.compile(rb'([\w:-]+)="([^"]*)"')


def xlsx_hidden(path: Path, part: str) -> tuple[set[int], set[int]]:
    """0-based hidden columns and rows of one worksheet part of an .xlsx, read as the part
    streams (a sheet part may inflate to hundreds of MB: it is never held whole)."""
    cols: set[int] = set()
    rows: set[int] = set()
    head = bytearray()
    in_head = True
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            if in_head:  # the <cols> before <sheetData>, from the raw chunks
                head += chunk
                at = head.find(b"<sheetData")
                if at >= 0:
                    del head[at:]
                in_head = at < 0 and len(head) < 65536
            data = tail + chunk
            cut = data.rfind(b"<")
            body, tail = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
            for m in _XLSX_HIDDEN_ROW.finditer(body):
                rows.add(int(m.group(1) or m.group(2)) - 1)
    for m in _XLSX_COL.finditer(bytes(head)):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get(b"hidden") in (b"1", b"true"):
            lo, hi = int(attrs.get(b"min", b"1")), int(attrs.get(b"max", b"1"))
            cols.update(range(lo - 1, min(hi, 16384)))
    return cols, rows


_ODS_TABLE = re.compile(rb'<table:table\b[^>]*?table:name="([^"]*)"')
_ODS_COL = re.compile(rb'<table:table-column\b([^>]*)/?>')
_ODS_ROW = re.compile(rb'<table:table-row\b([^>]*)>')


def xls_hidden(path: Path) -> dict[str, tuple[set[int], set[int], list]]:
    """Sheet name → hidden columns and rows of an old .xls (BIFF COLINFO/ROW records, read
    with xlrd; calamine does not report them).  Empty when xlrd cannot read the file."""
    try:
        import xlrd
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:  # an encrypted or unusual BIFF file: read as if nothing were hidden
        return {}
    out = {}
    try:
        for i, name in enumerate(book.sheet_names()):
            sh = book.sheet_by_index(i)
            cols = {c for c, info in sh.colinfo_map.items() if info.hidden}
            rows = {r for r, info in sh.rowinfo_map.items() if info.hidden}
            out[name] = (cols, rows, [])
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return out


_ODS_TAG = re.compile(rb'<table:(table-row|table-cell|covered-table-cell|table-column)\b([^>]*)>')


def ods_layout(path: Path) -> dict[str, tuple[set[int], set[int], list]]:
    """Sheet name → 0-based hidden (or filtered) columns, hidden rows, and merged ranges
    ((r0, c0), (r1, c1)) of an .ods (calamine does not report merges for this format)."""
    with zipfile.ZipFile(path) as zf:
        data = zf.read("content.xml")
    out: dict[str, tuple[set[int], set[int], list]] = {}
    starts = [(m.start(), m.group(1).decode("utf-8", "replace"))
              for m in _ODS_TABLE.finditer(data)]
    for i, (start, sheet) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
        cols: set[int] = set()
        rows: set[int] = set()
        merged: list = []
        col_at, r, c, row_repeat = 0, -1, 0, 1
        for m in _ODS_TAG.finditer(data, start, end):
            tag = m.group(1)
            attrs = dict(_ATTR.findall(m.group(2).replace(b"table:", b"")))
            hidden = attrs.get(b"visibility") in (b"collapse", b"collapsed", b"filter")
            if tag == b"table-column":
                n = min(int(attrs.get(b"number-columns-repeated", b"1")), 16384)
                if hidden:
                    cols.update(range(col_at, col_at + n))
                col_at += n
            elif tag == b"table-row":
                r += row_repeat
                row_repeat = min(int(attrs.get(b"number-rows-repeated", b"1")), 1_048_576)
                c = 0
                if hidden and row_repeat < 100_000:
                    rows.update(range(r, r + row_repeat))
            else:
                n = min(int(attrs.get(b"number-columns-repeated", b"1")), 16384)
                rs = int(attrs.get(b"number-rows-spanned", b"1"))
                cs = int(attrs.get(b"number-columns-spanned", b"1"))
                if tag == b"table-cell" and (rs > 1 or cs > 1) and r >= 0:
                    merged.append(((r, c), (r + rs - 1, c + cs - 1)))
                c += n
        out[sheet] = (cols, rows, merged)
    return out
