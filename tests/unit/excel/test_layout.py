"""Finding the table in district layouts: two-level headers, hidden sheets, several sheets,
repeated header rows, bracketed header hints."""

from __future__ import annotations

import openpyxl

from app.excel.importer import plan_file
from app.excel.mapping import auto_map, norm_header
from app.services import records
from tests.data import make_corpus as mc


def _orgs(db):
    return [r["name"] for r in records.list_rows(db, "party_orgs") if r["org_type"] == "党支部"]


def test_two_level_header_without_vertical_merges(demo_db, tmp_path):
    """Row 1: 姓名 | 身份证号 | 党员信息 (over three columns); row 2: the three sub-headers.
    Neither row alone names every column: the pair does."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "党员信息", None, None])
    ws.merge_cells("C1:E1")
    ws.append([None, None, "所在支部", "党员类别", "入党时间"])
    ws.append(["关羽", mc.valid_id("19700101", "013"), _orgs(demo_db)[0], "正式党员", "1990-07-01"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    plan = plan_file(demo_db, "party_members", path)
    layout = plan.sheets[0].layout
    assert (layout.header_top, layout.header_row) == (1, 2)
    assert plan.sheets[0].targets == ["person_name", "person_id_number", "org_id", "category",
                                      "joined_on"]
    assert plan.counts["new"] == 1 and plan.rows[0].row == 3


def test_hidden_sheets_skipped_and_several_sheets_imported(db, tmp_path):
    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "一社区"
    a.append(["姓名", "公民身份号码"])
    a.append(["甲", mc.valid_id("19800101", "011")])
    b = wb.create_sheet("二社区")
    b.append(["姓名", "身份证号码"])
    b.append(["乙", mc.valid_id("19800101", "021")])
    b.append(["姓名", "身份证号码"])  # the header repeated (a printed page break)
    b.append(["丙", mc.valid_id("19800101", "031")])
    h = wb.create_sheet("旧数据")
    h.append(["姓名", "公民身份号码"])
    h.append(["丁", mc.valid_id("19800101", "041")])
    h.sheet_state = "hidden"
    path = tmp_path / "multi.xlsx"
    wb.save(path)
    plan = plan_file(db, "people", path)
    assert [(r.sheet, r.row) for r in plan.rows] == [("一社区", 2), ("二社区", 2), ("二社区", 4)]
    assert plan.sheets[1].layout.skipped == [(3, "重复的表头行")]
    only = plan_file(db, "people", path, sheet="旧数据")
    assert [r.row for r in only.rows] == [2]


def test_header_hints_and_marks():
    assert norm_header("公民身份\n号码*") == "公民身份号码"
    assert auto_map("people", ["出生日期（格式：2019-01-01）", "＊姓名", "序号"]) == [
        "birth_date", "name", None]


def test_district_header_variants_map_themselves():
    assert auto_map("party_members", ["党员姓名", "公民身份证号码", "手机号码", "文化程度",
                                      "所在党支部", "支部名称"]) == [
        "person_name", "person_id_number", "person_phone", "person_education", "org_id", None]


def test_one_sheet_per_branch_without_branch_column(demo_db, tmp_path):
    """Each 支部 on its own sheet, no 所在支部 column: the sheet name (or the title above the
    header) names the branch, and the plan says so."""
    a, b = _orgs(demo_db)[:2]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = a[:31]
    ws.append(["姓名", "身份证号", "党员类别", "入党时间"])
    ws.append(["张飞", mc.valid_id("19710101", "013"), "正式党员", "1995-07-01"])
    ws2 = wb.create_sheet("第二页")
    ws2.append([f"{b}党员花名册"])
    ws2.append(["姓名", "身份证号", "党员类别", "入党时间"])
    ws2.append(["赵云", mc.valid_id("19720202", "013"), "正式党员", "1996-07-01"])
    path = tmp_path / "branches.xlsx"
    wb.save(path)
    plan = plan_file(demo_db, "party_members", path)
    ids = {r["name"]: r["id"] for r in records.list_rows(demo_db, "party_orgs")}
    assert [r.values["org_id"] for r in plan.rows] == [ids[a], ids[b]]
    assert len(plan.notes) == 2 and b in plan.notes[1]
    assert {c.label: c.after for c in plan.rows[1].changes}["所在党组织"] == b
