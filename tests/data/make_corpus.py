"""Generate the Excel test corpus: district layouts, every ID-number and date form, and
hostile files.  Files are generated into a folder (tests use a tmp dir), never committed, so
the corpus always matches the code that reads it.

    python tests/data/make_corpus.py OUT_DIR      # writes every file, for a look in WPS/Excel

Each ``make_*`` function writes one file and returns its path; the docstring says what a
correct import must do with it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.styles import Alignment

try:
    from tests.data.ids import make_id, with_wrong_check
except ModuleNotFoundError:  # run as a script: this folder is on sys.path
    from ids import make_id, with_wrong_check


def valid_id(birth: str = "19900101", seq: str = "002") -> str:
    """A valid 18-character ID number for ``birth`` (yyyymmdd) and sequence ``seq``."""
    return make_id(birth, seq)


def bad_check(idn: str) -> str:
    """The same number with a wrong check character."""
    return with_wrong_check(idn)


def make_district_roster(path: Path, org_a: str, org_b: str) -> Path:
    """A messy district 党员花名册: merged title, 填报单位 line, two-level header (基本信息 /
    党员信息 over the field names, 序号 and 所在支部 merged down both header rows), the 支部
    merged down its members, a blank row, a note row, 合计 and 制表人/审核人 footers, and the
    sheet ``<dimension>`` left at A1 as WPS sometimes writes it.

    Data rows (Excel row → expected):
      5  good (ID with lowercase x and spaces)          → new
      6  good (ID typed with full-width digits)          → new
      7  ID stored as a number cell                      → invalid, column E
      8  bad check digit                                 → invalid, column E
      9  (blank row)                                     → not a data row
      10 good, 入党日期 as text 2019.07.01               → new (支部 merged over rows 10-12)
      11 入党日期 ``07/01/2019`` (ambiguous)              → invalid, column I
      12 good, 姓名 ``=HYPERLINK("x")`` stays text        → new
      13 合计 … / 14 制表人 … 审核人 …                     → skipped footers
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws["A1"] = "某某街道党员花名册（2026年）"
    ws.merge_cells("A1:L1")
    ws["A2"] = "填报单位：某某社区党委          填报日期：2026年11月"
    ws.merge_cells("A2:L2")
    ws["A3"], ws["B3"], ws["H3"] = "序号", "基本信息", "党员信息"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:F3")
    ws.merge_cells("H3:L3")
    ws["G3"] = "所在支部"
    ws.merge_cells("G3:G4")
    for col, text in zip("BCDEF", ("姓名", "性别", "出生年月", "身份证号码", "联系电话")):
        ws[f"{col}4"] = text
    for col, text in zip("HIJKL", ("党员类别", "入党时间", "转正时间", "工作单位及职务", "备注")):
        ws[f"{col}4"] = text
    x_id = valid_id("19850312", "123")
    while not x_id.endswith("X"):
        x_id = valid_id("19850312", f"{int(x_id[14:17]) + 1:03d}")
    fw_id = valid_id("19700101", "051")
    num_id = valid_id("19800808", "021")
    rows = [
        (5, [1, "王小明", "男", "1985.03", " " + x_id[:6] + " " + x_id[6:-1] + x_id[-1].lower(),
             "13800138000", None, "正式党员", "2010-07-01", "2011-07-01", "某某公司", ""]),
        (6, [2, "李芳", "女", "1970年1月", fw_id.translate(str.maketrans("0123456789",
                                                                       "０１２３４５６７８９")),
             "010-62345678", None, "正式党员", dt.date(1995, 6, 1), "1996-06-01", "", ""]),
        (7, [3, "赵强", "男", "1980-08-08", float(num_id[:15] + "000"), "13900139000", None,
             "正式党员", "20000701", "", "", ""]),
        (8, [4, "钱多", "男", "1990-01-01", bad_check(valid_id()), "", None, "正式党员",
             "2015年7月1日", "", "", ""]),
        (10, [5, "孙丽", "女", "1992/3/4", valid_id("19920304", "042"), "", None, "预备党员",
              "2019.07.01", "", "", ""]),
        (11, [6, "周杰", "男", "1988-1-1", valid_id("19880101", "011"), "", None, "正式党员",
              "07/01/2019", "", "", ""]),
        (12, [7, '=HYPERLINK("x")', "男", "1975-05-05", valid_id("19750505", "031"), "",
              None, "正式党员", dt.date(2001, 7, 1), "2002-07-01", "+86 单位", ""]),
    ]
    for r, values in rows:
        for c, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(r, c).value = v
                if isinstance(v, str) and v.startswith("="):
                    ws.cell(r, c).data_type = "s"  # keep it a string, not a formula
    # 所在支部 merged down its members: rows 5-8 are org_a, rows 10-12 org_b.
    ws["G5"] = org_a
    ws.merge_cells("G5:G8")
    ws["G10"] = org_b
    ws.merge_cells("G10:G12")
    ws["A13"], ws["D13"] = "合计", "7 人"
    ws["A14"], ws["F14"] = "制表人：张三", "审核人：李四"
    ws["A15"] = "说明：本表由社区填报，街道汇总。"
    for row in ws.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center")
    buf = io.BytesIO()
    wb.save(buf)
    _rewrite_dimension(buf.getvalue(), path)
    return path


def _rewrite_dimension(data: bytes, path: Path, ref: str = "A1") -> None:
    """Copy an .xlsx, setting every sheet's ``<dimension ref>`` to ``ref`` (WPS style)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(),
                              body)
            dst.writestr(info, body)


def make_people_dates(path: Path) -> tuple[Path, dict[int, object]]:
    """人员信息 with 出生日期 in every accepted form, plus refused ones.  Returns the path and
    Excel row → expected date (None = must be refused)."""
    forms: list[tuple[object, object]] = [
        (dt.date(1990, 1, 2), dt.date(1990, 1, 2)),           # a date cell
        (32875.0, dt.date(1990, 1, 2)),                       # an Excel serial number
        ("1990-01-02", dt.date(1990, 1, 2)),
        ("1990/1/2", dt.date(1990, 1, 2)),
        ("1990-1-2", dt.date(1990, 1, 2)),
        ("1990.01.02", dt.date(1990, 1, 2)),
        ("1990年1月2日", dt.date(1990, 1, 2)),
        ("19900102", dt.date(1990, 1, 2)),
        ("1990.01", dt.date(1990, 1, 1)),
        ("1990年1月", dt.date(1990, 1, 1)),
        ("０１/02/1990", None),                               # ambiguous
        ("90-1-2", None),                                     # two-digit year
        ("1990-02-30", None),                                 # no such day
    ]
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("人员")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["姓名", "出生日期", "备注"])
    expected: dict[int, object] = {}
    for i, (value, want) in enumerate(forms, start=1):
        ws.write_string(i, 0, f"日期{i:02d}")
        if isinstance(value, dt.date):
            ws.write_datetime(i, 1, value, fmt)
        elif isinstance(value, float):
            ws.write_number(i, 1, value)
        else:
            ws.write_string(i, 1, value)
        ws.write_string(i, 2, repr(value))
        expected[i + 1] = want
    wb.close()
    return path, expected


def make_people_ids(path: Path) -> tuple[Path, dict[int, str | None]]:
    """人员信息 with ID numbers in every form.  Excel row → expected stored ID (None = error)."""
    good = valid_id("19880808", "017")
    x_id = next(valid_id("19660606", f"{s:03d}") for s in range(1000)
                if valid_id("19660606", f"{s:03d}").endswith("X"))
    forms: list[tuple[object, str | None]] = [
        (good, good),
        (x_id.lower(), x_id),                                     # x → X
        (f" {good[:6]} {good[6:14]} {good[14:]} ", None),          # spaces: filled below
        (good.translate(str.maketrans("0123456789", "０１２３４５６７８９")), None),
        (float(good[:15] + "000"), None),                          # number cell: error
        (bad_check(valid_id("19770707", "055")), None),            # bad check digit
        (valid_id("19770707", "055")[:15], None),                  # 15 digits: error
        ("'" + valid_id("19550505", "066"), valid_id("19550505", "066")),  # apostrophe
    ]
    # Spaces and full-width digits are accepted (normalised), with distinct numbers.
    sp = valid_id("19991231", "088")
    fw = valid_id("20000229", "099")
    forms[2] = (f" {sp[:6]} {sp[6:14]} {sp[14:]} ", sp)
    forms[3] = (fw.translate(str.maketrans("0123456789", "０１２３４５６７８９")), fw)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("人员")
    ws.write_row(0, 0, ["姓名", "公民身份号码"])
    expected: dict[int, str | None] = {}
    for i, (value, want) in enumerate(forms, start=1):
        ws.write_string(i, 0, f"证件{i:02d}")
        if isinstance(value, float):
            ws.write_number(i, 1, value)
        else:
            ws.write_string(i, 1, value)
        expected[i + 1] = want
    wb.close()
    return path, expected


# -- hostile files ---------------------------------------------------------------------------

def make_not_zip(path: Path) -> Path:
    """Neither a workbook nor text: an image's bytes under a workbook's name."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def make_truncated(path: Path, good: Path) -> Path:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def make_xlsm_renamed(path: Path, good: Path) -> Path:
    """A valid workbook with a macro part and the macro content type, named .xlsx."""
    src = zipfile.ZipFile(good)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"spreadsheetml.sheet.main+xml",
                                    b"sheet.macroEnabled.main+xml")
            dst.writestr(info, body)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    return path


def make_zip_bomb(path: Path, good: Path, mb: int = 64) -> Path:
    """A workbook whose shared-strings part inflates to ``mb`` MB of zeros (ratio ~1000)."""
    src = zipfile.ZipFile(good)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (mb * 1024 * 1024))
    return path


def make_xml_bomb(path: Path, good: Path) -> Path:
    """The "billion laughs" entity expansion inside the workbook part."""
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')
    src = zipfile.ZipFile(good)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet1"):
                body = bomb + body.split(b"?>", 1)[1].replace(b"<sheetData>",
                                                              b"<sheetData>&lol3;", 1)
            dst.writestr(info, body)
    return path


def make_absurd_size(path: Path) -> Path:
    """Two cells, A1 and XFD1048576: calamine would allocate the whole rectangle."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "姓名"
    ws["XFD1048576"] = "x"
    wb.save(path)
    return path


def make_simple_people(path: Path, rows: list[list], headers=("姓名", "公民身份号码")) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("Sheet1")
    ws.write_row(0, 0, list(headers))
    for i, r in enumerate(rows, start=1):
        for c, v in enumerate(r):
            if isinstance(v, str):
                ws.write_string(i, c, v)
            elif v is not None:
                ws.write(i, c, v)
    wb.close()
    return path


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    make_district_roster(out / "district_roster.xlsx", "第一党支部", "第二党支部")
    make_people_dates(out / "people_dates.xlsx")
    make_people_ids(out / "people_ids.xlsx")
    good = make_simple_people(out / "simple.xlsx", [["张三", valid_id()]])
    make_not_zip(out / "not_zip.xlsx")
    make_truncated(out / "truncated.xlsx", good)
    make_xlsm_renamed(out / "macro.xlsx", good)
    make_zip_bomb(out / "zip_bomb.xlsx", good)
    make_xml_bomb(out / "xml_bomb.xlsx", good)
    make_absurd_size(out / "absurd.xlsx")
    print(f"corpus written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus"))
