"""The audit log (操作日志) as a workbook or a CSV file: the rows the viewer shows, in its
columns (:data:`app.services.audit.COLUMNS`), for an administrator to file or hand on.

The export is itself audited (``export``, with the file and the row count), and only an
account that may read the log and export may write it.  The log keeps 身份证号 and phones
masked, so the file holds no full numbers either.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path
from typing import Sequence

import xlsxwriter

from ..services import access, audit
from .writer import excel_width

log = logging.getLogger(__name__)

#: Column widths in Chinese characters (时间 … 内容).
WIDTHS = (10, 6, 7, 6, 14, 40)
#: Text a spreadsheet would take for a formula at the start of a CSV cell (a failed sign-in
#: name is typed by anyone): such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_audit(target, path: Path | str, rows: Sequence[dict], *,
                 titles: dict | None = None, filters: str = "",
                 now: dt.datetime | None = None) -> int:
    """Write ``rows`` (from :func:`app.services.audit.read`) to ``path`` (.xlsx, or .csv by
    its suffix); returns the number of rows written.  ``titles``: the records' titles
    (:func:`app.services.audit.record_titles`); ``filters``: the filters in words, for the
    heading and the log.  PermissionDenied unless the signed-in account may do it."""
    actor = audit.check_export(access.viewer(target))
    path = Path(path)
    texts = [audit.row_texts(r, titles) for r in rows]
    stamp = (now or dt.datetime.now()).replace(microsecond=0)
    heading = f"操作日志（{stamp:%Y-%m-%d %H:%M} 导出，共 {len(texts)} 条" + (
        f"；筛选：{filters}）" if filters else "）")
    if path.suffix.lower() == ".csv":
        _write_csv(path, texts)
    else:
        _write_xlsx(path, heading, texts)
    audit.record(target, actor, audit.EXPORT,
                 detail={"内容": "操作日志", "文件": str(path), "行数": len(texts),
                         "筛选": filters})
    log.info("audit log exported: %s rows to %s", len(texts), path)
    return len(texts)


def _write_xlsx(path: Path, heading: str, texts: list[tuple[str, ...]]) -> None:
    """Row 1 the heading, row 2 the column names (frozen, autofilter), data from row 3; every
    cell a string, so nothing in the log turns into a formula or a number."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": "操作日志", "author": "社区治理台账",
                       "comments": "由社区治理台账导出"})
    ws = wb.add_worksheet("操作日志")
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "num_format": "@"})
    ws.write_string(0, 0, heading, bold)
    for c, (name, width) in enumerate(zip(audit.COLUMNS, WIDTHS)):
        ws.write_string(1, c, name, head)
        ws.set_column(c, c, excel_width(width), wrap)
    for r, row in enumerate(texts, start=2):
        for c, text in enumerate(row):
            ws.write_string(r, c, text, wrap)
    ws.freeze_panes(2, 0)
    ws.autofilter(1, 0, 1 + len(texts), len(audit.COLUMNS) - 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1)
    wb.close()


def _write_csv(path: Path, texts: list[tuple[str, ...]]) -> None:
    # UTF-8 with a BOM: Excel and WPS then read the Chinese correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(audit.COLUMNS)
        for row in texts:
            w.writerow(["'" + t if t.startswith(_FORMULA_START) else t for t in row])
