"""Helpers shared by the Excel tests: read back cells, dump tables, edit a workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import python_calamine as pc
import sqlalchemy as sa

from app.storage.schema import TABLES


def sheet_rows(path: Path, sheet: str | int = 0) -> list[list]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    sh = wb.get_sheet_by_index(sheet) if isinstance(sheet, int) else wb.get_sheet_by_name(sheet)
    return sh.to_python(skip_empty_area=False)


def dump(db, *keys: str) -> dict[str, list[tuple]]:
    """Every stored row of the given registers, for exact before/after comparisons — all but
    the version, which counts writes (an undo restores the row and is one more write)."""
    out = {}
    with db.connect() as conn:
        for key in keys:
            t = TABLES[key]
            cols = [c for c in t.c if c.name != "version"]
            out[key] = [tuple(r) for r in conn.execute(sa.select(*cols).order_by(t.c.id))]
    return out


def header_index(ws, header_row: int = 2) -> dict[str, int]:
    """Header text → 1-based column in an openpyxl sheet."""
    return {c.value: c.column for c in ws[header_row] if c.value}


def edit(path: Path, out: Path, fn) -> Path:
    """Open with openpyxl, let ``fn(ws, cols)`` edit the first sheet, save to ``out``."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    fn(ws, header_index(ws))
    wb.save(out)
    return out
