"""Our own exports: print-ready, text stays text, strings never become formulas, _meta, and
the identity round trip (export → import changes nothing) for every register."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from app.excel.columns import UUID_LABEL
from app.excel.errors import FileRefused
from app.excel.importer import plan_file
from app.excel.writer import SPARE_ROWS, export_all, export_register, write_workbook
from app.registry import REGISTERS
from tests.conftest import DEMO_TODAY
from app.services import records

from .excel_helpers import sheet_rows


def test_export_layout_is_print_ready(demo_db, tmp_path):
    out = tmp_path / "党员.xlsx"
    res = export_register(demo_db, "party_members", out)
    n = records.count(demo_db, "party_members")
    assert res.rows == n
    wb = openpyxl.load_workbook(out)
    ws = wb["党员"]
    assert wb["_meta"].sheet_state == "veryHidden"
    assert wb["_lists"].sheet_state == "hidden"
    assert ws["A1"].value == "党员花名册" and "A1" in str(ws.merged_cells)
    heads = {c.value: c.column_letter for c in ws[2] if c.value}
    assert ws["A2"].value == UUID_LABEL and ws.column_dimensions["A"].hidden
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:")
    assert ws.print_title_rows.replace("$", "") == "1:2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # ID numbers and phones are text, also in the spare rows below the data.
    id_col = heads["公民身份号码"]
    assert ws[f"{id_col}3"].data_type == "s" and ws[f"{id_col}3"].number_format == "@"
    assert ws[f"{id_col}{n + 2 + SPARE_ROWS - 1}"].number_format == "@"
    # Dates are real dates shown yyyy-mm-dd.
    joined = ws[f"{heads['入党日期']}3"]
    assert joined.is_date and joined.number_format == "yyyy-mm-dd"
    # Enumerations have a dropdown with a Chinese prompt and error.
    cat_col = heads["党员类别"]
    dvs = [dv for dv in ws.data_validations.dataValidation
           if f"{cat_col}3" in str(dv.sqref)]
    assert dvs and dvs[0].type == "list" and "_lists" in dvs[0].formula1
    assert "正式党员" in dvs[0].prompt and dvs[0].error
    assert ws.column_dimensions[heads["公民身份号码"]].width > 30


@pytest.mark.parametrize("text", ["=1+2", "+8613800138000", "-5", "@SUM(A1)",
                                  "\t=cmd|' /C calc'!A0", "\r=x", "=HYPERLINK(\"http://x\")"])
def test_formula_like_strings_stay_strings(demo_db, tmp_path, text):
    rows = records.list_rows(demo_db, "party_members", limit=2)
    rows[0]["work_unit"] = text
    rows[1]["note"] = text
    out = tmp_path / "f.xlsx"
    write_workbook(out, [("party_members", rows, "t")])
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    read = sheet_rows(out)
    where = [(r, c) for r in (2, 3) for c, v in enumerate(read[r]) if v == text]
    assert len(where) == 2  # identical, tab and CR included
    ws = openpyxl.load_workbook(out)["党员"]
    assert all(ws.cell(r + 1, c + 1).data_type == "s" for r, c in where)


def test_masked_export_cannot_be_imported(demo_db, tmp_path):
    out = tmp_path / "masked.xlsx"
    export_register(demo_db, "people", out, mask=True)
    ids = [r[5] for r in sheet_rows(out)[2:12]]
    assert all("********" in i for i in ids if i)
    with pytest.raises(FileRefused, match="脱敏"):
        plan_file(demo_db, "people", out)


def test_identity_round_trip_every_register(demo_db, tmp_path):
    """Export each register and import it back: every row unchanged, nothing else."""
    for reg in REGISTERS:
        out = tmp_path / f"{reg.key}.xlsx"
        res = export_register(demo_db, reg.key, out)
        plan = plan_file(demo_db, reg.key, out, today=DEMO_TODAY)
        counts = plan.counts
        assert counts["unchanged"] == res.rows, (reg.key, counts, [
            (r.row, r.status, r.messages, [(c.label, c.before, c.after) for c in r.changes])
            for r in plan.rows if r.status != "unchanged"][:3])
        assert sum(counts.values()) == res.rows


def test_export_all_then_import_one_register(demo_db, tmp_path):
    out = tmp_path / "all.xlsx"
    res = export_all(demo_db, out)
    assert len(res.sheets) == len(REGISTERS)
    plan = plan_file(demo_db, "party_orgs", out)
    assert plan.counts["unchanged"] == records.count(demo_db, "party_orgs")
    assert {s.layout.sheet for s in plan.sheets} == {"党组织"}


def test_export_honours_given_rows(demo_db, tmp_path):
    rows = records.list_rows(demo_db, "party_members", filters={"category": "预备党员"})
    out = tmp_path / "filtered.xlsx"
    res = export_register(demo_db, "party_members", out, rows=rows)
    assert res.rows == len(rows) > 0
    data = [r for r in sheet_rows(out)[2:] if r[0]]
    assert {r[0] for r in data} == {r["uuid"] for r in rows}


def test_dates_round_trip_through_cells(demo_db, tmp_path):
    out = tmp_path / "m.xlsx"
    export_register(demo_db, "party_meetings", out)
    first = sheet_rows(out)[2]
    assert any(isinstance(v, (dt.date, dt.datetime)) for v in first)
