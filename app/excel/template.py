"""Sending a register back in the district's own layout: their workbook, our rows.

The office received a 花名册 with the 区's title rows, 填报单位 line, merged header, column
order, formats and extra columns (序号, 备注 …).  :func:`fill_template` finds the table in that
workbook exactly as an import does (header detection and the remembered header mapping),
clears its data rows, writes one row per record of ours in the same cells with the first data
row's formats, numbers 序号, and keeps everything else — titles, headers, merges outside the
data, footers (制表人 …), other sheets — as it was.  The office returns the layout it got.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..core.validators import mask_id_number
from ..registry import base as k
from ..services import records
from ..services.records import reading
from . import mapping
from .columns import column_by_key, db_value
from .errors import FileRefused
from .importer import prepare_sheets
from .reader import Workbook

#: Header texts numbered 1, 2, 3 … in the filled rows.
SERIAL_HEADERS = {"序号", "编号", "序"}


@dataclass
class TemplateResult:
    path: Path
    sheet: str
    rows: int
    columns: list[str]  # the template's headers that were filled


def fill_template(target, key: str, template: Path, out: Path, *,
                  rows: list[dict] | None = None, mask: bool = False) -> TemplateResult:
    """Write ``rows`` (default: the live records of ``key`` its default filter shows, e.g.
    the members 在册) into a copy of ``template``."""
    template, out = Path(template), Path(out)
    if template.suffix.lower() not in (".xlsx", ".xlsm") and template.suffix.lower() != "":
        raise FileRefused(f"模板“{template.name}”须为 .xlsx 工作簿（请在 Excel/WPS 中另存为 "
                          ".xlsx 后再用作模板）。")
    with Workbook(template) as wb, reading(target) as conn:
        sheets = prepare_sheets(conn, wb, key)
        si = sheets[0]
        layout = si.layout
    if rows is None:  # what the register shows by default (党员: those on the roll)
        from ..registry import get as get_register
        rows = records.list_rows(target, key,
                                 filters=dict(get_register(key).default_filter) or None)
    cols = column_by_key(key)
    book = load_workbook(template)
    ws = book[layout.sheet]
    first = layout.first_data_row
    last = max([r for r, _c in layout.data] + [layout.header_row])
    footer_from = last + 1
    width = max(len(layout.headers), ws.max_column)
    styles = [copy.copy(ws.cell(first, c + 1)._style) for c in range(width)]
    height = ws.row_dimensions[first].height
    _drop_merges(ws, first, last)
    for r in range(first, last + 1):
        for c in range(1, width + 1):
            ws.cell(r, c).value = None
    extra = len(rows) - (last - first + 1)
    if extra > 0:
        _shift_down(ws, footer_from, extra)
    filled = []
    for i, h in enumerate(layout.headers):
        t = si.targets[i] if i < len(si.targets) else None
        if t or mapping.norm_header(h) in SERIAL_HEADERS:
            filled.append(h)
    for n, row in enumerate(rows):
        r = first + n
        if height is not None:
            ws.row_dimensions[r].height = height
        for c in range(width):
            cell = ws.cell(r, c + 1)
            cell._style = copy.copy(styles[c])
            t = si.targets[c] if c < len(si.targets) else None
            header = layout.headers[c] if c < len(layout.headers) else ""
            if t is None:
                if mapping.norm_header(header) in SERIAL_HEADERS:
                    cell.value = n + 1
                continue
            col = cols[t]
            value = db_value(col, row)
            if value is None:
                continue
            if col.kind in (k.ID_NUMBER, k.PHONE, k.TEXT) or col.kind == k.REF:
                value = str(value)
                if col.kind == k.ID_NUMBER and mask:
                    value = mask_id_number(value)
                cell.number_format = "@"
            elif col.kind == k.BOOL:
                value = "是" if value else "否"
            elif isinstance(value, dt.datetime):
                value = value.replace(microsecond=0)
            cell.value = value
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return TemplateResult(out, layout.sheet, len(rows), filled)


def _drop_merges(ws: Worksheet, first: int, last: int) -> None:
    """Merges inside the data rows (a 支部 merged down its members) belong to the old data."""
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= first and rng.max_row <= last:
            ws.unmerge_cells(str(rng))


def _shift_down(ws: Worksheet, from_row: int, n: int) -> None:
    """Move the rows from ``from_row`` on (the footer: 制表人, 审核人 …) ``n`` rows down,
    with their merges and heights."""
    if from_row > ws.max_row:
        return
    moved = [rng for rng in ws.merged_cells.ranges if rng.min_row >= from_row]
    for rng in moved:
        ws.unmerge_cells(str(rng))
    heights = {r: ws.row_dimensions[r].height for r in range(from_row, ws.max_row + 1)}
    ws.move_range(f"A{from_row}:{_last_col(ws)}{ws.max_row}", rows=n)
    for r, h in heights.items():
        ws.row_dimensions[r + n].height = h
    for rng in moved:
        rng.shift(0, n)
        ws.merge_cells(str(rng))


def _last_col(ws: Worksheet) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(max(ws.max_column, 1))
