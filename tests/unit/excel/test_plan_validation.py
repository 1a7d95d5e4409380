"""The import plan's checks of one row, as a clerk reads them: a required field left blank is
named at its own cell (a person at the person's first column), a cell that already has a
message is not also called missing, a value that must be unique and is already someone else's
is refused with who has it, and the before → after of a reference reads as its title.

The expected messages are written out here from what the sheet shows (column letters read
from our own export's header row), not produced by the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.utils import get_column_letter

from app.excel.importer import plan_file
from app.excel.plan import Policy
from app.excel.writer import export_register
from app.services import records
from tests.data.ids import make_id

from .excel_helpers import edit
from app.services.access import system

TODAY = dt.date(2026, 11, 25)
A, B = make_id("19800101", 11), make_id("19900202", 22)


@pytest.fixture
def branch(db, tmp_path):
    com = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                         system("t"))["id"]
    org = records.create(db, "party_orgs", {"name": "第一支部", "org_type": "党支部",
                                            "community_id": com}, system("t"))["id"]
    records.create(db, "party_orgs", {"name": "第二支部", "org_type": "党支部",
                                      "community_id": com}, system("t"))
    people = {n: records.create(db, "people", {"name": n, "id_number": i}, system("t"))["id"]
              for n, i in (("甲", A), ("乙", B))}
    records.create(db, "party_members", {"person_id": people["甲"], "org_id": org,
                                         "category": "正式党员", "joined_on": "2001-07-01",
                                         "status": "在册"}, system("t"))
    path = export_register(db, "party_members", tmp_path / "pm.xlsx").path
    return db, path, people


def _plan(db, register, path, tmp_path, fn, policy=None):
    return plan_file(db, register, edit(path, tmp_path / "e.xlsx", fn), policy, today=TODAY)


def _letters(path):
    """Header → column letter, as the clerk sees them in the exported sheet."""
    import openpyxl
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {c.value: get_column_letter(c.column) for c in ws[2] if c.value}


def _add(ws, cols, **cells):
    r = 3
    while any(ws.cell(r, c).value for c in cols.values()):
        r += 1
    for head, value in cells.items():
        ws.cell(r, cols[head]).value = value
    return r


def test_a_blank_required_field_is_named_at_its_own_cell(branch, tmp_path):
    db, path, _ = branch
    at = _letters(path)
    rows = {}

    def add(ws, cols):
        rows["r"] = _add(ws, cols, 姓名="乙", 公民身份号码=B, 所在党组织="第一支部",
                         党员类别="正式党员", 状态="在册")            # no 入党日期
    plan = _plan(db, "party_members", path, tmp_path, add)
    [bad] = plan.rows_with("invalid")
    assert bad.messages == [f"e.xlsx「党员」第 {rows['r']} 行 {at['入党日期']} 列「入党日期」："
                            "「入党日期」必须填写"]


def test_a_row_without_its_person_is_told_so_at_the_person_s_first_column(branch, tmp_path):
    db, path, _ = branch
    at = _letters(path)
    rows = {}

    def add(ws, cols):
        rows["r"] = _add(ws, cols, 所在党组织="第一支部", 党员类别="正式党员",
                         入党日期="2010-07-01", 状态="在册")
    plan = _plan(db, "party_members", path, tmp_path, add)
    [bad] = plan.rows_with("invalid")
    person_cols = [h for h in ("姓名", "公民身份号码") if h in at]
    first = min(person_cols, key=lambda h: (len(at[h]), at[h]))
    assert bad.messages == [f"e.xlsx「党员」第 {rows['r']} 行 {at[first]} 列「{first}」："
                            "「人员」必须填写"]


def test_a_cell_with_a_message_is_not_also_called_missing(branch, tmp_path):
    db, path, _ = branch
    plan = _plan(db, "party_members", path, tmp_path,
                 lambda ws, cols: _add(ws, cols, 姓名="乙", 公民身份号码=B, 所在党组织="第一支部",
                                       党员类别="正式党员", 入党日期="2010-13-45", 状态="在册"))
    [bad] = plan.rows_with("invalid")
    assert len(bad.messages) == 1 and "入党日期" in bad.messages[0]
    assert "必须填写" not in bad.messages[0]


def test_a_person_whose_cells_have_a_message_is_not_also_called_missing(branch, tmp_path):
    db, path, _ = branch
    plan = _plan(db, "party_members", path, tmp_path,
                 lambda ws, cols: _add(ws, cols, 姓名="丙", 公民身份号码="11010119900307123",
                                       所在党组织="第一支部", 党员类别="正式党员",
                                       入党日期="2010-07-01", 状态="在册"))
    [bad] = plan.rows_with("invalid")
    assert bad.messages and all("必须填写" not in m for m in bad.messages), bad.messages
    assert any("公民身份号码" in m for m in bad.messages)


def test_a_unique_value_of_a_deleted_record_is_refused_saying_where_it_is(db, tmp_path):
    # A deleted record is not matched by the plan, but still owns its ID number: a new row
    # giving that number is refused, and told the record can be restored.
    gone = records.create(db, "people", {"name": "甲", "id_number": A}, system("t"))["id"]
    records.create(db, "people", {"name": "乙", "id_number": B}, system("t"))
    records.soft_delete(db, "people", gone, system("t"))
    path = export_register(db, "people", tmp_path / "p.xlsx").path
    at = _letters(path)
    rows = {}

    def add(ws, cols):
        rows["r"] = _add(ws, cols, 姓名="甲", 公民身份号码=A)
    plan = _plan(db, "people", path, tmp_path, add)
    [bad] = plan.rows_with("invalid")
    assert bad.messages == [
        f"e.xlsx「人员信息」第 {rows['r']} 行 {at['公民身份号码']} 列「公民身份号码」："
        f"“{A}”已登记在编号 {gone} 的记录（该记录已删除，可在“显示已删除”中恢复），请勿重复录入"]
    assert plan.counts["unchanged"] == 1


def test_the_reference_before_and_after_read_as_titles(branch, tmp_path):
    db, path, _ = branch

    def move(ws, cols):
        ws.cell(3, cols["所在党组织"]).value = "第二支部"
    plan = _plan(db, "party_members", path, tmp_path, move)
    [upd] = plan.rows_with("update")
    assert [(c.label, c.before, c.after) for c in upd.changes] == \
        [("所在党组织", "第一支部", "第二支部")]


def test_a_cleared_reference_reads_blank_after(db, tmp_path):
    com = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                         system("t"))["id"]
    records.create(db, "people", {"name": "甲", "id_number": A, "community_id": com}, system("t"))
    path = export_register(db, "people", tmp_path / "p.xlsx").path

    def clear(ws, cols):
        ws.cell(3, cols["所属社区"]).value = None
    plan = _plan(db, "people", path, tmp_path, clear, Policy(blank="clear"))
    [upd] = plan.rows_with("update")
    assert [(c.label, c.before, c.after) for c in upd.changes] == [("所属社区", "甲社区", "")]


def test_a_reference_set_where_there_was_none_reads_blank_before(db, tmp_path):
    records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"}, system("t"))
    records.create(db, "people", {"name": "甲", "id_number": A}, system("t"))
    path = export_register(db, "people", tmp_path / "p.xlsx").path

    def set_it(ws, cols):
        ws.cell(3, cols["所属社区"]).value = "甲社区"
    plan = _plan(db, "people", path, tmp_path, set_it)
    [upd] = plan.rows_with("update")
    assert [(c.label, c.before, c.after) for c in upd.changes] == [("所属社区", "", "甲社区")]


def test_a_reference_to_be_created_reads_as_written(branch, tmp_path):
    from app.excel.plan import NewRef, Options
    db, path, _ = branch

    def move(ws, cols):
        ws.cell(3, cols["所在党组织"]).value = "第三支部"
    plan = plan_file(db, "party_members", edit(path, tmp_path / "e.xlsx", move), None,
                     options=Options(community="甲社区", create_missing=True), today=TODAY)
    [upd] = plan.rows_with("update")
    assert type(upd.values["org_id"]) is NewRef            # made when the import is run
    assert [(c.label, c.before, c.after) for c in upd.changes] == \
        [("所在党组织", "第一支部", "第三支部")]


def test_the_community_given_for_a_sheet_without_one_reads_as_its_name(db, tmp_path):
    from app.excel.plan import Options
    records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"}, system("t"))
    records.create(db, "people", {"name": "甲", "id_number": A}, system("t"))
    path = export_register(db, "people", tmp_path / "p.xlsx").path

    def without_community(ws, cols):
        ws.cell(4, cols["姓名"]).value = "乙"
        ws.cell(4, cols["公民身份号码"]).value = B
        ws.delete_cols(cols["所属社区"])
    plan = plan_file(db, "people", edit(path, tmp_path / "e.xlsx", without_community), None,
                     options=Options(community="甲社区"), today=TODAY)
    [new] = plan.rows_with("new")
    assert new.values["id_number"] == B
    assert ("所属社区", "", "甲社区") in [(c.label, c.before, c.after) for c in new.changes]


def test_a_note_with_full_width_digits_untouched_in_the_file_keeps_the_database(db, tmp_path):
    # 备注 is kept as typed (full-width ２０２６ and all): after the phone was changed in the
    # program, the untouched file still reads as what was exported, not as a second edit.
    pid = records.create(db, "people", {"name": "甲", "id_number": A, "phone": "13800000001",
                                        "note": "２０２６年３月搬来"}, system("t"))["id"]
    path = export_register(db, "people", tmp_path / "p.xlsx").path
    records.update(db, "people", pid, {"phone": "13600000000"}, system("t"))
    plan = plan_file(db, "people", path, today=TODAY)
    [row] = plan.rows
    assert row.status == "unchanged" and row.values == {}
    assert row.messages[-1].endswith("导出后程序中已修改此记录，表中未改动：保留程序中的数据")


def test_a_required_field_the_sheet_has_no_column_for_is_named_at_the_row(branch, tmp_path):
    db, path, _ = branch
    rows = {}

    def without_joined_on(ws, cols):
        rows["r"] = _add(ws, cols, 姓名="乙", 公民身份号码=B, 所在党组织="第一支部",
                         党员类别="正式党员", 状态="在册")
        ws.delete_cols(cols["入党日期"])
    plan = _plan(db, "party_members", path, tmp_path, without_joined_on)
    [bad] = plan.rows_with("invalid")
    assert bad.messages == [f"e.xlsx「党员」第 {rows['r']} 行：「入党日期」必须填写"]


def test_a_conflict_tells_the_clerk_what_to_do(db, tmp_path):
    pid = records.create(db, "people", {"name": "甲", "id_number": A, "phone": "13800000001"},
                         system("t"))["id"]
    path = export_register(db, "people", tmp_path / "p.xlsx").path
    records.update(db, "people", pid, {"phone": "13600000000"}, system("t"))
    plan = _plan(db, "people", path, tmp_path,
                 lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", "13900000009"))
    [row] = plan.rows
    assert row.status == "conflict"
    assert row.messages == ["e.xlsx「人员信息」第 3 行：导出后程序中已修改此记录，表中也改了："
                            "为免覆盖，未导入。请核对下列差异，在程序中修改，或重新导出后再改"]


def test_a_workbook_of_our_own_making_updates_the_record_it_matches(db, tmp_path):
    # Not our export (no hidden _meta sheet): matched by the ID number, an edit is an update.
    import openpyxl
    pid = records.create(db, "people", {"name": "甲", "id_number": A, "phone": "13800000001"},
                         system("t"))["id"]
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "公民身份号码", "联系电话"])
    wb.active.append(["甲", A, "13900000009"])
    wb.save(tmp_path / "own.xlsx")
    plan = plan_file(db, "people", tmp_path / "own.xlsx", today=TODAY)
    [row] = plan.rows
    assert (row.status, row.record_id, row.values) == ("update", pid, {"phone": "13900000009"})


def test_a_row_the_register_s_own_checks_refuse_is_told_at_the_cell(branch, tmp_path):
    # 转正 (confirmed) before 入党 (joined): the register's own check, at the 转正日期 cell.
    db, path, _ = branch
    at = _letters(path)
    rows = {}

    def add(ws, cols):
        rows["r"] = _add(ws, cols, 姓名="乙", 公民身份号码=B, 所在党组织="第一支部",
                         党员类别="正式党员", 入党日期="2010-07-01", 转正日期="2010-06-30",
                         状态="在册")
    plan = _plan(db, "party_members", path, tmp_path, add)
    [bad] = plan.rows_with("invalid")
    assert bad.messages == [f"e.xlsx「党员」第 {rows['r']} 行 {at['转正日期']} 列「转正日期」："
                            "转正日期不能早于入党日期"]


def test_two_new_rows_with_one_id_number_are_both_refused_a_third_is_new(db, tmp_path):
    C, D_ = make_id("20000303", 33), make_id("20010404", 44)
    records.create(db, "people", {"name": "甲", "id_number": A}, system("t"))
    path = export_register(db, "people", tmp_path / "p.xlsx").path
    rows = {}

    def add(ws, cols):
        rows["丙"] = _add(ws, cols, 姓名="丙", 公民身份号码=C)
        rows["丁"] = _add(ws, cols, 姓名="丁", 公民身份号码=D_)
        rows["戊"] = _add(ws, cols, 姓名="戊", 公民身份号码=C)
    plan = _plan(db, "people", path, tmp_path, add)
    # 丙 and 戊 give one ID number, which is what identifies a person: both refused, each
    # naming the other row
    bad = {r.row: r for r in plan.rows_with("invalid")}
    assert sorted(bad) == [rows["丙"], rows["戊"]]
    assert bad[rows["丙"]].messages == [
        f"e.xlsx「人员信息」第 {rows['丙']} 行：与e.xlsx「人员信息」第 {rows['戊']} 行（同一对象）"
        "重复，同一记录在文件中出现两次，请删去或合并其中一行"]
    # 丁, with a number of its own, is simply new
    [new] = plan.rows_with("new")
    assert new.row == rows["丁"] and new.values["id_number"] == D_
