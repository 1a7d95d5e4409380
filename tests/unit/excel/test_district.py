"""District files as they arrive (tests/data/district.py builds them by hand with openpyxl,
LibreOffice re-saves them as .xls/.ods, a GBK CSV is written as a 区 system exports it): every
good row is stored exactly, a number-typed ID is flagged, nothing is silently wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from app.excel.cli import main as excel_main
from app.excel.commit import commit_plan
from app.excel.importer import plan_file
from app.excel.plan import Options
from app.services import records
from app.services.imports import undo_batch
from tests.conftest import require_tool
from tests.data import district as dd

ID = dd.IDS


def _soffice():
    require_tool("soffice", "libreoffice-calc-nogui")  # makes the .xls/.ods test files


def test_the_oracle_ids_are_valid():
    from stdnum.cn import ric  # someone else's GB 11643 code, not a copy of ours
    assert all(dd._check(i[:17]) == i[17] for i in ID.values())
    assert all(ric.calc_check_digit(i) == i[17] for i in ID.values())


def _members(db) -> dict[str, dict]:
    people = {p["id"]: p for p in records.list_rows(db, "people")}
    out = {}
    for m in records.list_rows(db, "party_members"):
        p = people[m["person_id"]]
        if p["id_number"] in ID.values():
            out[p["name"]] = {"org": m["org_id__title"], "gender": p["gender"],
                              "education": p["education"], "joined_on": m["joined_on"],
                              "address": p["address"], "id_number": p["id_number"],
                              "birth_date": p["birth_date"]}
    return out


@pytest.mark.parametrize("ext", ["xlsx", "xls", "ods"])
def test_district_roster_every_good_row_stored_exactly(demo_db, tmp_path, ext):
    src, expected = dd.district_roster(tmp_path / "党员花名册.xlsx")
    if ext != "xlsx":
        _soffice()
        src = dd.converted(src, ext)
    plan = plan_file(demo_db, "party_members", src,
                     options=Options(community="建设社区", create_missing=True))
    assert plan.counts == {"new": 5, "update": 0, "unchanged": 0, "conflict": 0,
                           "invalid": 1, "skipped": 0}
    [bad] = plan.rows_with("invalid")
    assert bad.row == 10 and "身份证号被存成了数字" in bad.messages[0] and " F 列" in bad.messages[0]
    assert any("E 列「身份证号码」在文件中是隐藏的" in n for n in plan.notes)
    assert any("将新建「党组织」1 个：幸福里党支部" in s for s in plan.summary)
    res = commit_plan(demo_db, plan, "t")
    got = _members(demo_db)
    assert set(got) == {e["name"] for e in expected}
    for e in expected:
        g = got[e["name"]]
        assert (g["org"], g["gender"], g["education"], g["joined_on"], g["address"]) == \
            (e["org"], e["gender"], e["education"], e["joined_on"], e["address"])
        assert g["id_number"] == ID[e["name"]]
    org = records.list_rows(demo_db, "party_orgs", filters={"name": "幸福里党支部"})[0]
    assert (org["org_type"], org["community_id__title"]) == ("党支部", "建设社区")
    # Under the top organisation of its 社区 (建设社区's is a 党总支 in the demo).
    assert org["parent_id__title"] == "建设社区党总支"
    # Undo takes the created 党组织 with the members.
    undo_batch(demo_db, res.batch_id, "t")
    assert not records.list_rows(demo_db, "party_orgs", filters={"name": "幸福里党支部"})
    assert _members(demo_db) == {}


def test_roster_without_options_explains_every_column_at_once(demo_db, tmp_path):
    src, _ = dd.district_roster(tmp_path / "roster.xlsx")
    plan = plan_file(demo_db, "party_members", src)
    [line] = [s for s in plan.summary if "所在党组织" in s]
    assert "幸福里党支部（3 行）" in line and "--create-missing" in line
    # The unknown 支部 and nothing else on its rows: no second message about the same cell.
    row4 = next(r for r in plan.rows if r.row == 4)
    assert row4.status == "invalid" and len(row4.messages) == 1


def _cases(db) -> dict[str, dict]:
    out = {}
    for r in records.list_rows(db, "mediation_cases"):
        if r["case_no"] and r["case_no"].startswith("东调"):
            out[r["case_no"]] = {
                "received_on": r["received_on"], "applicant": r["applicant_id__title"],
                "respondent": r["respondent_id__title"], "category": r["category"],
                "mediator": r["mediator_id__title"], "volunteers": r["volunteers"],
                "step": r["step"], "closed_on": r["closed_on"],
                "revisit_result": r["revisit_result"], "community": r["community_id__title"],
                "history": [(h["step"], h["done_on"], h["note"]) for h in
                            records.history(db, "mediation_cases", r["id"])]}
    return out


@pytest.mark.parametrize("ext", ["xlsx", "xls", "ods", "csv"])
def test_mediation_ledger_arrives_in_its_real_state(demo_db, tmp_path, ext):
    src, expected = dd.mediation_ledger(tmp_path / "调解.xlsx")
    if ext == "csv":
        src = dd.as_gbk_csv(src, tmp_path / "调解.csv")
    elif ext != "xlsx":
        _soffice()
        src = dd.converted(src, ext)
    plan = plan_file(demo_db, "mediation_cases", src, options=Options(community="阳光社区"))
    assert plan.counts["new"] == 2 and plan.counts["invalid"] == 0, plan.rows[0].messages
    commit_plan(demo_db, plan, "t")
    got = _cases(demo_db)
    for e in expected:
        g = got[e["case_no"]]
        for k in ("received_on", "applicant", "respondent", "category", "mediator",
                  "volunteers", "step", "closed_on", "revisit_result"):
            assert g[k] == e[k], (k, g[k], e[k])
        assert g["community"] == "阳光社区"
    # 调解成功 in the file: recorded as reached on the 结案日期, marked 导入.
    assert got["东调〔2026〕3号"]["history"] == [
        ("受理", dt.date(2026, 3, 2), None), ("调解成功", dt.date(2026, 3, 9), "导入")]
    # The same 调解员 named in two rows is one person.
    assert len(records.list_rows(demo_db, "people", filters={"name": "潘明兰"})) == 1


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_petition_sheet_words_and_headers(demo_db, tmp_path, ext):
    src, expected = dd.petition_sheet(tmp_path / "信访.xlsx")
    if ext == "csv":
        src = dd.as_gbk_csv(src, tmp_path / "信访.csv")
    plan = plan_file(demo_db, "petitions", src, options=Options(community="建设社区"))
    assert plan.counts["new"] == 3, [r.messages for r in plan.rows]
    if ext == "csv":
        assert "GB18030" in plan.notes[0]
    commit_plan(demo_db, plan, "t")
    got = {(r["petitioner_name"], r["received_on"]): r
           for r in records.list_rows(demo_db, "petitions")}
    for e in expected:
        r = got[(e["name"], e["received_on"])]
        assert (r["form"], r["matter"], r["settled"]) == (e["form"], e["matter"], e["settled"])
        assert r["petitioner_id_number"] == ID[e["name"]]


def test_cli_flags_value_community_create_missing(demo_db, tmp_path, capsys):
    src, _ = dd.district_roster(tmp_path / "roster.xlsx")
    db = demo_db.location
    # 学历 本科 mapped by hand (an alias exists too; the flag wins and is checked).
    assert excel_main(["--db", db, "import", "party_members", str(src), "--community",
                       "建设社区", "--create-missing", "--value", "education:本科=大学专科",
                       "--apply"]) == 0
    out = capsys.readouterr().out
    assert "将新建「党组织」1 个" in out and "已写入：新增 5 行" in out
    assert _members(demo_db)["李建国"]["education"] == "大学专科"
    assert excel_main(["--db", db, "import", "party_members", str(src), "--community",
                       "没有这个社区"]) == 2
    assert "没有名为“没有这个社区”的社区" in capsys.readouterr().err
    assert excel_main(["--db", db, "import", "party_members", str(src), "--value",
                       "education:本科=博士后"]) == 2
    assert "不是「学历」的可选值" in capsys.readouterr().err


def test_month_only_dates_never_silently_the_first(demo_db, tmp_path):
    """出生年月 with an ID: the ID's day.  A month-only 结案日期 in the month of 受理: kept,
    with a warning, and no false "结案日期不能早于受理日期"."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "出生年月", "联系电话"])
    ws.append(["赵一", ID["刘洋"], "1988年11月", "13800000001"])   # ID: 1988-11-23
    ws.append(["钱二", None, "1990.02", "13800000002"])           # no ID: kept, warned
    path = tmp_path / "people.xlsx"
    wb.save(path)
    plan = plan_file(demo_db, "people", path)
    assert plan.counts["new"] == 2
    second = next(r for r in plan.rows if r.row == 3)
    assert any("只写到月（1990年02月）" in m for m in second.messages)
    commit_plan(demo_db, plan, "t")
    by_name = {p["name"]: p for p in records.list_rows(demo_db, "people",
                                                          filters={"name": ["赵一", "钱二"]})}
    assert by_name["赵一"]["birth_date"] == dt.date(1988, 11, 23)
    assert by_name["钱二"]["birth_date"] == dt.date(1990, 2, 1)

    src, _ = dd.mediation_ledger(tmp_path / "m.xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(src)
    wb.active["I3"] = "2026年3月"  # 结案日期 month-only, 受理 2026-03-02
    wb.save(src)
    plan = plan_file(demo_db, "mediation_cases", src, options=Options(community="建设社区"))
    row = next(r for r in plan.rows if r.row == 3)
    assert row.status == "new", row.messages
    assert any("只写到月" in m for m in row.messages)
    assert not any("不能早于" in m for m in row.messages)


def test_export_into_the_district_template_keeps_its_layout(demo_db, tmp_path, capsys):
    """The district's own roster filled from our register: title, 填报单位 line, column order,
    hidden column, footer and formats stay; 序号 numbered; every member on the roll once."""
    from openpyxl import load_workbook
    template, _ = dd.district_roster(tmp_path / "区发模板.xlsx")
    out = tmp_path / "回报.xlsx"
    assert excel_main(["--db", demo_db.location, "export", "party_members", str(out),
                       "--template", str(template)]) == 0
    assert "已按模板" in capsys.readouterr().out
    before, after = load_workbook(template).active, load_workbook(out).active
    assert after["A1"].value == before["A1"].value == "东风街道党员花名册（2026年）"
    assert "A1:I1" in {str(r) for r in after.merged_cells.ranges}
    assert after["A2"].value == "填报单位：东风街道党工委（盖章）"
    assert [c.value for c in after[3]] == [c.value for c in before[3]]
    assert after.column_dimensions["E"].hidden
    members = records.list_rows(demo_db, "party_members", filters={"status": "在册"})
    assert len(members) < records.count(demo_db, "party_members")  # 转出/去世 left out
    n = len(members)
    names = [after.cell(r, 3).value for r in range(4, 4 + n)]
    assert sorted(names) == sorted(m["person_name"] for m in members)
    assert [after.cell(r, 1).value for r in range(4, 4 + n)] == list(range(1, n + 1))
    ids = {after.cell(r, 6).value for r in range(4, 4 + n)}
    assert ids == {m["person_id_number"] for m in members}
    assert after.cell(4, 8).number_format == "yyyy年m月d日"
    # The footer moved below the rows, unchanged.
    assert after.cell(4 + n + 1, 1).value == "制表人：赵敏"
    assert after.cell(4 + n + 1, 4).value == "审核人：孙伟"


def test_two_visible_columns_for_one_field_are_reported(demo_db, tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "公民身份号码"])
    ws.append(["孙三", "110101190001010000", ID["陈静"]])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    plan = plan_file(demo_db, "people", path)
    assert any("C 列「公民身份号码」与 B 列「身份证号」是同一字段，只导入 B 列" in n
               for n in plan.notes)
