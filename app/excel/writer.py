"""Our own exports: print-ready workbooks that come back through import without a change.

Written with XlsxWriter (measured faster than openpyxl write-only here; see bench/).  What a
sheet holds:

* row 1 a merged title, row 2 the headers (frozen, autofilter, repeated on every printed page),
  data from row 3; landscape, fit to one page wide, widths for Chinese text, gridlines printed;
* column A the record's UUID (系统编号), hidden, so a re-import updates instead of duplicating;
* ID numbers, phones, codes and other text as text (number format ``@``), also in
  :data:`SPARE_ROWS` pre-formatted empty rows below, so what people type stays text;
* every string written as a string (``write_string``; formula conversion is off), so ``=1+2``,
  ``+86…``, ``-…``, ``@…``, tab or CR at the start come back identical and are never formulas;
* dates as real dates shown ``yyyy-mm-dd``;
* enumerations with a dropdown from a hidden ``_lists`` sheet, with a Chinese prompt/error;
* a very-hidden ``_meta`` sheet: schema version, app version, export time, masked flag, per
  sheet its register, header row, column key → header, and each row's fingerprint.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import xlsxwriter

from .. import __version__
from ..core.validators import mask_id_number
from ..registry import REGISTERS
from ..registry import base as k
from ..registry import get as get_register
from ..services import outputs, records
from .columns import Column, UUID_KEY, db_fingerprint, excel_columns
from .reader import LIST_SHEET, META_MAGIC, META_SHEET

SCHEMA_VERSION = 1
SPARE_ROWS = 300
FPS_PER_CELL = 500
HEADER_ROW = 2          # 1-based Excel row of the header in our exports
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass
class ExportResult:
    path: Path
    sheets: dict[str, int] = field(default_factory=dict)   # sheet name → rows written
    masked: bool = False

    @property
    def rows(self) -> int:
        return sum(self.sheets.values())


def excel_width(chars: int) -> float:
    """Excel column width for ``chars`` Chinese characters (each about two units wide)."""
    return max(6.0, chars * 2.1 + 1.5)


def sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name)[:31] or "Sheet"
    out, n = base, 2
    while out in used or out in (META_SHEET, LIST_SHEET):
        out = f"{base[:28]}_{n}"
        n += 1
    used.add(out)
    return out


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 16, "align": "center",
                                    "valign": "vcenter"})
        self.header = wb.add_format({"bold": True, "border": 1, "align": "center",
                                     "valign": "vcenter", "text_wrap": True,
                                     "bg_color": "#D9E1F2"})
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})


def _cell_writer(ws, col: Column, fmts: _Formats, mask: bool) -> Callable[[int, int, object],
                                                                       object]:
    """The fastest correct write call for a column's values."""
    kind = col.kind
    if col.kind == k.REF and col.field is not None:
        return lambda r, c, v: ws.write_string(r, c, v)
    if kind == k.ID_NUMBER:
        if mask:
            return lambda r, c, v: ws.write_string(r, c, mask_id_number(v))
        return lambda r, c, v: ws.write_string(r, c, v)
    if kind == k.DATE:
        return lambda r, c, v: ws.write_datetime(r, c, v, fmts.date)
    if kind == k.DATETIME:
        return lambda r, c, v: ws.write_datetime(r, c, v, fmts.datetime)
    if kind in (k.INT, k.FLOAT):
        return lambda r, c, v: ws.write_number(r, c, v)
    if kind == k.BOOL:
        return lambda r, c, v: ws.write_string(r, c, "是" if v else "否")
    if kind == k.LONGTEXT:
        return lambda r, c, v: ws.write_string(r, c, v, fmts.wrap)
    return lambda r, c, v: ws.write_string(r, c, str(v))


def _row_key(col: Column) -> str:
    return f"{col.key}__title" if col.kind == k.REF and col.field is not None else col.key


class _Lists:
    """The hidden sheet of dropdown values, one column per distinct choice list."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.ws = None
        self.cols: dict[tuple[str, ...], str] = {}

    def source(self, choices: tuple[str, ...]) -> str:
        if choices not in self.cols:
            if self.ws is None:
                self.ws = self.wb.add_worksheet(LIST_SHEET)
                self.ws.hide()
            c = len(self.cols)
            for i, choice in enumerate(choices):
                self.ws.write_string(i, c, choice)
            letter = xlsxwriter.utility.xl_col_to_name(c)
            self.cols[choices] = f"='{LIST_SHEET}'!${letter}$1:${letter}${len(choices)}"
        return self.cols[choices]


def chosen_columns(key: str, columns: Sequence[str] | None = None) -> list[Column]:
    """The workbook columns of ``key``: all, or those of ``columns`` (the table's visible
    column keys, in the order shown) — always with the hidden 系统编号 first, so a file with
    fewer columns still goes back in by its records (its ``_meta`` lists what it holds)."""
    cols = list(excel_columns(key))
    if columns is None:
        return cols
    by_key = {c.key: c for c in cols}
    picked = [by_key[ck] for ck in columns if ck in by_key and not by_key[ck].is_uuid]
    # A person column shown as its lookups (姓名, 身份证号 …) keeps those lookups.
    return [c for c in cols if c.is_uuid] + picked


def _write_sheet(wb, ws, key: str, rows: list[dict], title: str, fmts: _Formats, lists: _Lists,
                 mask: bool, cols: list[Column]) -> list[tuple[str, str]]:
    """One register's sheet; returns [(uuid, fingerprint)] for ``_meta``."""
    ncol = len(cols)
    ws.merge_range(0, 0, 0, ncol - 1, title, fmts.title)
    ws.set_row(0, 30)
    for c, col in enumerate(cols):
        ws.write_string(1, c, col.label, fmts.header)
        options = {"hidden": True} if col.is_uuid else None
        ws.set_column(c, c, excel_width(col.width), fmts.text if col.text_format else None,
                      options)
    writers = [(c, _row_key(col), _cell_writer(ws, col, fmts, mask))
               for c, col in enumerate(cols)]
    fps: list[tuple[str, str]] = []
    r = HEADER_ROW
    for row in rows:
        for c, rk, write in writers:
            v = row.get(rk)
            if v is not None and v != "":
                write(r, c, v)
        fps.append((row["uuid"], db_fingerprint(cols, row)))
        r += 1
    last = r + SPARE_ROWS - 1
    for c, col in enumerate(cols):
        if col.text_format:
            for rr in range(r, last + 1):
                ws.write_blank(rr, c, None, fmts.text)
        _validation(ws, col, c, HEADER_ROW, last, lists)
    ws.freeze_panes(HEADER_ROW, 0)
    ws.autofilter(1, 0, max(r - 1, 1), ncol - 1)
    ws.repeat_rows(0, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.hide_gridlines(0)
    ws.set_footer("&C第 &P 页，共 &N 页")
    return fps


def _validation(ws, col: Column, c: int, first: int, last: int, lists: _Lists) -> None:
    if col.kind in (k.CHOICE, k.BOOL) and col.choices:
        ws.data_validation(first, c, last, c, {
            "validate": "list", "source": lists.source(col.choices),
            "input_title": col.label[:32],
            "input_message": ("请从下拉列表中选择：" + "、".join(col.choices))[:250],
            "error_title": "输入值无效", "error_type": "stop",
            "error_message": (f"「{col.label}」只能是：" + "、".join(col.choices))[:250]})
    elif col.kind == k.MULTI and col.target is not None:
        ws.data_validation(first, c, last, c, {
            "validate": "any", "input_title": col.label[:32],
            "input_message": ("可填多项，用顿号“、”分隔：" + "、".join(col.target.choices))[:250]})
    elif col.kind == k.ID_NUMBER:
        ws.data_validation(first, c, last, c, {
            "validate": "length", "criteria": "==", "value": 18,
            "input_title": col.label[:32], "input_message": "18 位，最后一位可为 X；请勿输入空格",
            "error_title": "身份证号位数不对", "error_type": "warning",
            "error_message": "公民身份号码应为 18 位。"})
    elif col.kind == k.DATE:
        ws.data_validation(first, c, last, c, {
            "validate": "any", "input_title": col.label[:32],
            "input_message": "日期，如 2019-07-01"})


def write_workbook(path: Path | str, sheets: list[tuple[str, list[dict], str]], *,
                   mask: bool = False, columns: Sequence[str] | None = None) -> ExportResult:
    """Write ``[(register key, rows, title)]`` as one workbook with its ``_meta``;
    ``columns``: only these column keys, in this order (one sheet: what the table shows)."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": sheets[0][2] if len(sheets) == 1 else "社区治理台账",
                       "author": "社区治理台账", "comments": "由社区治理台账导出"})
    fmts = _Formats(wb)
    lists = _Lists(wb)
    used: set[str] = set()
    result = ExportResult(path, masked=mask)
    meta_sheets = []
    for key, rows, title in sheets:
        reg = get_register(key)
        name = sheet_title(reg.label, used)
        ws = wb.add_worksheet(name)
        cols = chosen_columns(key, columns)
        fps = _write_sheet(wb, ws, key, rows, title, fmts, lists, mask, cols)
        result.sheets[name] = len(rows)
        meta_sheets.append((name, key, fps, cols))
    _write_meta(wb, meta_sheets, mask)
    wb.worksheets()[0].activate()
    wb.close()
    return result


def _write_meta(wb, meta_sheets, mask: bool) -> None:
    ws = wb.add_worksheet(META_SHEET)
    ws.very_hidden()
    ws.write_string(0, 0, META_MAGIC)
    ws.write_number(0, 1, SCHEMA_VERSION)
    r = 1
    for k_, v in (("app_version", __version__),
                  ("exported_at", dt.datetime.now().replace(microsecond=0).isoformat()),
                  ("masked", "1" if mask else "0")):
        ws.write_string(r, 0, k_)
        ws.write_string(r, 1, v)
        r += 1
    for i, (name, key, _fps, sheet_cols) in enumerate(meta_sheets):
        cols = [[c.key, c.label] for c in sheet_cols]
        for c, v in enumerate(("sheet", name, key, str(HEADER_ROW),
                               json.dumps(cols, ensure_ascii=False), str(i))):
            ws.write_string(r, c, v)
        r += 1
    # Fingerprints packed ``uuid:fp`` by the hundreds per cell (a cell holds 32,767
    # characters): a few hundred cells instead of four per exported row.
    for i, (_name, _key, fps, _cols) in enumerate(meta_sheets):
        for start in range(0, len(fps), FPS_PER_CELL):
            ws.write_string(r, 0, "fps")
            ws.write_string(r, 1, str(i))
            ws.write_string(r, 2, " ".join(f"{u}:{fp}" for u, fp in
                                           fps[start:start + FPS_PER_CELL]))
            r += 1


def default_title(key: str, mask: bool = False) -> str:
    reg = get_register(key)
    title = reg.roster_title or reg.label
    return title + ("（身份证号已脱敏）" if mask else "")


def export_register(target, key: str, path: Path | str, *, rows: list[dict] | None = None,
                    mask: bool = False, title: str | None = None,
                    columns: Sequence[str] | None = None) -> ExportResult:
    """Export register ``key`` (``rows`` as shown with the current filter, or all live rows
    the account may see; ``columns`` the column keys shown, in their order, or None for every
    column).  Masked unless ``mask`` is False, which needs the right to export full numbers;
    every export is audited."""
    outputs.check_export(target, full=not mask)
    if rows is None:
        rows = records.list_rows(target, key, reveal=not mask)
    outputs.allow_export(target, [key], full=not mask, rows=len(rows), path=path)
    return write_workbook(path, [(key, rows, title or default_title(key, mask))], mask=mask,
                          columns=columns)


def export_all(target, path: Path | str, *, mask: bool = False) -> ExportResult:
    """Every register as one workbook, one sheet each (checked and audited as one export)."""
    outputs.check_export(target, full=not mask)
    sheets = [(reg.key, records.list_rows(target, reg.key, reveal=not mask),
               default_title(reg.key, mask)) for reg in REGISTERS]
    outputs.allow_export(target, [s[0] for s in sheets], full=not mask,
                         rows=sum(len(s[1]) for s in sheets), path=path)
    return write_workbook(path, sheets, mask=mask)


__all__ = ["export_register", "export_all", "write_workbook", "ExportResult", "UUID_KEY",
           "HEADER_ROW"]


def write_rejected(path: Path | str, plan) -> int:
    """The rows of ``plan`` that were not imported because of errors or conflicts, with their
    original cells under the original headers and a 错误原因 column, ready to fix and import
    again.  Returns the number of rows written."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    fmts = _Formats(wb)
    reason_fmt = wb.add_format({"text_wrap": True, "font_color": "#C00000", "valign": "top"})
    used: set[str] = set()
    n = 0
    bad = plan.rows_with("invalid", "conflict")
    for s in plan.sheets:
        rows = [r for r in bad if r.sheet == s.layout.sheet]
        if not rows:
            continue
        ws = wb.add_worksheet(sheet_title(s.layout.sheet, used))
        # A two-level header "党员信息/所在支部" comes back as its own column name.
        headers = [h.split("/")[-1] for h in s.layout.headers]
        width = max([len(headers)] + [len(r.raw) for r in rows])
        headers += [""] * (width - len(headers))
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, fmts.header)
            ws.set_column(c, c, 12, fmts.text)
        ws.write_string(0, width, "错误原因", fmts.header)
        ws.write_string(0, width + 1, "原行号", fmts.header)
        ws.set_column(width, width, 60)
        for i, r in enumerate(rows, start=1):
            for c, v in enumerate(r.raw):
                _write_raw(ws, i, c, v, fmts)
            ws.write_string(i, width, "\n".join(r.messages), reason_fmt)
            ws.write_number(i, width + 1, r.row)
            n += 1
        ws.freeze_panes(1, 0)
    if n == 0:
        wb.add_worksheet("无").write_string(0, 0, "没有需要退回的行")
    wb.close()
    return n


def _write_raw(ws, r: int, c: int, v: object, fmts: _Formats) -> None:
    """A cell back as it was read: text as text, numbers as numbers, dates as dates."""
    if v is None or v == "":
        return
    if isinstance(v, bool):
        ws.write_boolean(r, c, v)
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v)
    elif isinstance(v, dt.datetime):
        ws.write_datetime(r, c, v, fmts.datetime)
    elif isinstance(v, dt.date):
        ws.write_datetime(r, c, v, fmts.date)
    else:
        ws.write_string(r, c, str(v))
