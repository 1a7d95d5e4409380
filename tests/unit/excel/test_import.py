"""Importing: edited round trips give the exact plan, conflicts are shown, duplicates refused,
ID numbers and dates normalised or rejected by sheet/row/column, district layouts read."""

from __future__ import annotations

import datetime as dt

import pytest

from app.excel.commit import commit_plan
from app.excel.errors import Cancelled
from app.excel.importer import plan_file
from app.excel.plan import Policy
from app.excel.writer import export_register, write_rejected
from app.services import records
from tests.data import make_corpus as mc

from .excel_helpers import dump, edit, sheet_rows
from app.excel.commit import NothingToImport
from app.services.access import system


def _members(db):
    return {r["uuid"]: r for r in records.list_rows(db, "party_members", reveal=True)}


def test_edited_round_trip_gives_exact_plan(demo_db, tmp_path):
    src = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path
    members = _members(demo_db)
    n = len(members)
    new_id = mc.valid_id("19930303", "071")
    org = next(iter(members.values()))["org_id__title"]

    def change(ws, cols):
        ws.cell(3, cols["工作单位"]).value = "新单位"                  # own field
        ws.cell(4, cols["联系电话"]).value = "13911112222"             # the person's phone
        ws.cell(5, cols["转正日期"]).value = None                      # blank keeps
        ws.delete_rows(6)                                              # missing ≠ delete
        r = ws.max_row + 1
        for head, v in (("姓名", "新党员"), ("公民身份号码", new_id), ("所在党组织", org),
                        ("党员类别", "预备党员"), ("入党日期", "2024.07.01"), ("状态", "在册")):
            ws.cell(r, cols[head]).value = v
    edited = edit(src, tmp_path / "edited.xlsx", change)
    plan = plan_file(demo_db, "party_members", edited)
    assert plan.counts == {"new": 1, "update": 2, "unchanged": n - 3, "conflict": 0,
                           "invalid": 0, "skipped": 0}
    upd = {r.row: [(c.label, c.before, c.after) for c in r.changes]
           for r in plan.rows_with("update")}
    assert upd[3][0][1:] == (members[sheet_rows(src)[2][0]]["work_unit"] or "", "新单位")
    assert upd[4][0][0] == "联系电话" and upd[4][0][2] == "13911112222"
    new = plan.rows_with("new")[0]
    assert new.values["person_id_number"] == new_id
    assert new.values["joined_on"] == dt.date(2024, 7, 1)

    before_people = records.count(demo_db, "people")
    res = commit_plan(demo_db, plan, system("测试"))
    assert (res.created, res.updated, res.people_created, res.people_updated) == (1, 1, 1, 1)
    assert records.count(demo_db, "party_members") == n + 1
    assert records.count(demo_db, "people") == before_people + 1
    after = _members(demo_db)
    assert after[sheet_rows(src)[2][0]]["work_unit"] == "新单位"
    assert after[sheet_rows(src)[3][0]]["person_phone"] == "13911112222"
    # Exporting again and importing that changes nothing.
    again = export_register(demo_db, "party_members", tmp_path / "again.xlsx").path
    assert plan_file(demo_db, "party_members", again).counts["unchanged"] == n + 1


def test_blank_cell_clears_only_when_asked(demo_db, tmp_path):
    src = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path
    rows = sheet_rows(src)
    heads = rows[1]
    col = heads.index("工作单位")
    row = next(i for i, r in enumerate(rows[2:], start=3) if r[col])
    edited = edit(src, tmp_path / "e.xlsx",
                  lambda ws, cols: setattr(ws.cell(row, cols["工作单位"]), "value", None))
    assert plan_file(demo_db, "party_members", edited).counts["update"] == 0
    plan = plan_file(demo_db, "party_members", edited, Policy(blank="clear"))
    assert plan.counts["update"] == 1
    assert plan.rows_with("update")[0].changes[0].after == ""


def test_conflict_when_both_changed(demo_db, tmp_path):
    src = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path
    rows = sheet_rows(src)
    uuid3, uuid4 = rows[2][0], rows[3][0]
    members = _members(demo_db)
    # Changed in the database after the export: rows 3 and 4.
    records.update(demo_db, "party_members", members[uuid3]["id"], {"work_unit": "库里改的"}, system("t"))
    records.update(demo_db, "party_members", members[uuid4]["id"], {"work_unit": "库里改的"}, system("t"))
    # Changed in the file too: row 3 only.
    edited = edit(src, tmp_path / "e.xlsx",
                  lambda ws, cols: setattr(ws.cell(3, cols["工作单位"]), "value", "表里改的"))
    plan = plan_file(demo_db, "party_members", edited)
    by_row = {r.row: r for r in plan.rows}
    assert by_row[3].status == "conflict" and "表里改的" in by_row[3].changes[0].after
    assert by_row[4].status == "unchanged" and "保留程序中的数据" in by_row[4].messages[0]
    # Nothing left to write: refused, and no empty import batch is recorded.
    from app.excel.commit import NothingToImport
    from app.services.imports import list_batches
    with pytest.raises(NothingToImport, match="冲突 1"):
        commit_plan(demo_db, plan, system("t"))
    assert list_batches(demo_db) == []
    assert _members(demo_db)[uuid3]["work_unit"] == "库里改的"  # never silently overwritten


def test_duplicates_in_file_are_errors(demo_db, tmp_path):
    src = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path

    def dup(ws, cols):
        r = ws.max_row + 1
        for c in range(1, ws.max_column + 1):
            ws.cell(r, c).value = ws.cell(3, c).value
    plan = plan_file(demo_db, "party_members", edit(src, tmp_path / "d.xlsx", dup))
    bad = plan.rows_with("invalid")
    assert [r.row for r in bad][0] == 3 and len(bad) == 2
    assert all("重复" in " ".join(r.messages) for r in bad)


def test_same_new_person_twice_is_an_error(db, tmp_path):
    idn = mc.valid_id()
    path = mc.make_simple_people(tmp_path / "p.xlsx", [["张三", idn], ["张三", idn.lower()]])
    plan = plan_file(db, "people", path)
    assert plan.counts["invalid"] == 2
    assert "第 3 行" in plan.rows[0].messages[0]


def test_id_number_forms(db, tmp_path):
    path, expected = mc.make_people_ids(tmp_path / "ids.xlsx")
    plan = plan_file(db, "people", path)
    got = {r.row: r for r in plan.rows}
    for row, want in expected.items():
        r = got[row]
        if want is None:
            assert r.status == "invalid", (row, r.messages)
            assert f"第 {row} 行 B 列「公民身份号码」" in r.messages[0]
        else:
            assert r.status == "new" and r.values["id_number"] == want, (row, r.messages)
    assert "数字" in got[6].messages[0]          # a number cell lost digits: never repaired
    assert "校验位" in got[7].messages[0]


def test_every_date_form(db, tmp_path):
    path, expected = mc.make_people_dates(tmp_path / "dates.xlsx")
    plan = plan_file(db, "people", path)
    got = {r.row: r for r in plan.rows}
    for row, want in expected.items():
        if want is None:
            assert got[row].status == "invalid" and "B 列「出生日期」" in got[row].messages[0]
        else:
            assert got[row].values["birth_date"] == want, (row, got[row].messages)


def _orgs(db):
    return [r["name"] for r in records.list_rows(db, "party_orgs") if r["org_type"] == "党支部"]


def test_district_roster(demo_db, tmp_path):
    a, b = _orgs(demo_db)[:2]
    path = mc.make_district_roster(tmp_path / "district.xlsx", a, b)
    plan = plan_file(demo_db, "party_members", path)
    sheet = plan.sheets[0]
    assert sheet.layout.header_row == 4
    assert {13, 14, 15} == {r for r, _ in sheet.layout.skipped}
    status = {r.row: r.status for r in plan.rows}
    assert status == {5: "new", 6: "new", 7: "invalid", 8: "invalid", 10: "new",
                      11: "invalid", 12: "new"}
    msgs = {r.row: r.messages[0] for r in plan.rows_with("invalid")}
    assert msgs[7].startswith("district.xlsx「花名册」第 7 行 E 列「身份证号码」")
    assert msgs[8].startswith("district.xlsx「花名册」第 8 行 E 列")
    assert msgs[11].startswith("district.xlsx「花名册」第 11 行 I 列「入党时间」")
    rows = {r.row: r for r in plan.rows}
    orgs = {r["id"]: r["name"] for r in records.list_rows(demo_db, "party_orgs")}
    assert orgs[rows[6].values["org_id"]] == a     # from the merged 支部 cell
    assert orgs[rows[12].values["org_id"]] == b
    assert rows[5].values["person_id_number"].endswith("X")
    assert rows[12].values["person_name"] == '=HYPERLINK("x")'
    commit_plan(demo_db, plan, system("t"))
    people = {p["id_number"]: p for p in records.list_rows(demo_db, "people", reveal=True)}
    assert people[rows[5].values["person_id_number"]]["name"] == "王小明"
    # Rejected rows come back with their original cells and the reason.
    out = tmp_path / "rejected.xlsx"
    assert write_rejected(out, plan) == 3
    back = sheet_rows(out)
    assert back[0][-2:] == ["错误原因", "原行号"]
    assert [r[-1] for r in back[1:]] == [7.0, 8.0, 11.0]
    assert "身份证号" in back[1][-2]
    # Ready to fix and import again: the same columns map, the same rows are found.
    again = plan_file(demo_db, "party_members", out)
    assert [r.status for r in again.rows] == ["invalid", "invalid", "invalid"]
    assert again.sheets[0].targets[1:5] == ["person_name", "person_gender",
                                            "person_birth_date", "person_id_number"]


def test_policies(demo_db, tmp_path):
    src = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path

    def change(ws, cols):
        ws.cell(3, cols["工作单位"]).value = "改"
        ws.cell(3, cols[next(h for h in cols if h.startswith("系统编号"))]).value = None
    edited = edit(src, tmp_path / "e.xlsx", change)
    # Without its key the row still matches by the member's person (身份证号).
    assert plan_file(demo_db, "party_members", edited).counts["update"] == 1
    assert plan_file(demo_db, "party_members", edited, Policy(mode="insert")).counts[
        "skipped"] > 100
    assert plan_file(demo_db, "party_members", edited, Policy(on_match="skip")).counts[
        "update"] == 0
    members = _members(demo_db)
    filled = plan_file(demo_db, "party_members", edited, Policy(on_match="fill"))
    row3 = members[sheet_rows(src)[2][0]]
    assert filled.counts["update"] == (0 if row3["work_unit"] else 1)


def test_cancel_writes_nothing(demo_db, tmp_path):
    path = mc.make_district_roster(tmp_path / "d.xlsx", *_orgs(demo_db)[:2])
    plan = plan_file(demo_db, "party_members", path)
    before = dump(demo_db, "people", "party_members")
    with pytest.raises(Cancelled):
        commit_plan(demo_db, plan, system("t"), progress=lambda done, total: False)
    assert dump(demo_db, "people", "party_members") == before


def test_plan_progress_can_cancel(db, tmp_path):
    rows = [[f"人{i}", mc.valid_id("19900101", f"{i:03d}")] for i in range(600)]
    path = mc.make_simple_people(tmp_path / "p.xlsx", rows)
    with pytest.raises(Cancelled):
        plan_file(db, "people", path, progress=lambda d, t: False)


def test_commit_refused_by_database_writes_nothing(db, tmp_path):
    """Someone registers the same ID number between preview and commit: nothing written."""
    from app.excel.commit import CommitError
    idn = mc.valid_id("19850505", "055")
    path = mc.make_simple_people(tmp_path / "p.xlsx", [["甲", idn], ["乙", mc.valid_id()]])
    plan = plan_file(db, "people", path)
    assert plan.counts["new"] == 2
    records.create(db, "people", {"name": "别人", "id_number": idn}, system("t"))
    before = dump(db, "people")
    with pytest.raises(CommitError, match="没有写入任何数据"):
        commit_plan(db, plan, system("t"))
    assert dump(db, "people") == before




def test_a_district_roster_s_ethnicity_and_address_have_somewhere_to_go(demo_db, tmp_path):
    """Issue 12: the district sheet's 民族 column had nowhere to go, and the 党员 roster and
    export lacked 民族 and 住址."""
    from openpyxl import Workbook
    from app.printing.roster import roster_from_db
    org = records.list_rows(demo_db, "party_orgs", filters={"org_type": "党支部"})[0]
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "民族", "公民身份号码", "所在党组织", "入党日期", "家庭住址"])
    idn = mc.valid_id("19880808", "032")
    ws.append(["马建华", "男", "回族", idn, org["name"], "2012-07-01", "幸福路8号"])
    src = tmp_path / "区里的花名册.xlsx"
    wb.save(src)
    plan = plan_file(demo_db, "party_members", src)
    assert plan.counts["new"] == 1, [r.messages for r in plan.rows]
    commit_plan(demo_db, plan, system("测试"))
    [member] = [m for m in records.list_rows(demo_db, "party_members", reveal=True)
                if m["person_id_number"] == idn]
    assert (member["person_ethnicity"], member["person_address"]) == ("回族", "幸福路8号")
    # The export carries both; the printed 花名册 carries 民族 (住址 stays off the paper:
    # fifteen columns would wrap its headers).
    out = export_register(demo_db, "party_members", tmp_path / "党员.xlsx").path
    from openpyxl import load_workbook
    heads = [c.value for c in load_workbook(out).worksheets[0][2]]
    assert "民族" in heads and "住址" in heads
    spec = roster_from_db(demo_db, "party_members", filters={"status": "在册"})
    labels = [c.label for c in spec.columns]
    assert "民族" in labels and "住址" not in labels
    assert any("回族" in row for s in spec.sections for row in s.rows)
