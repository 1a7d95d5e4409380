"""Import batches and exact undo, mapping memory, consolidation, the CLI contract, and the
LibreOffice re-save round trip."""

from __future__ import annotations

import json
import subprocess

import pytest

from app.excel import mapping
from app.excel.cli import main as excel_main
from app.excel.commit import commit_plan
from app.excel.consolidate import consolidate
from app.services.imports import UndoRefused, list_batches, undo_batch
from tests.conftest import DEMO_TODAY
from app.excel.importer import plan_file, prepare_sheets
from app.excel.reader import Workbook
from app.excel.writer import export_register
from app.services import records
from tests.data import make_corpus as mc

from .excel_helpers import dump, edit, sheet_rows

TABLES = ("people", "party_members", "households")


def _orgs(db):
    return [r["name"] for r in records.list_rows(db, "party_orgs") if r["org_type"] == "党支部"]


def test_undo_restores_exactly(demo_db, tmp_path):
    before = dump(demo_db, *TABLES)
    src = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path

    def change(ws, cols):
        ws.cell(3, cols["工作单位"]).value = "撤销测试"
        ws.cell(4, cols["联系电话"]).value = "13700001111"
        ws.cell(5, cols["状态"]).value = "转出"
        ws.cell(5, cols["状态变更日期"]).value = "2026-11-01"
    plan = plan_file(demo_db, "party_members", edit(src, tmp_path / "e.xlsx", change))
    a, b = _orgs(demo_db)[:2]
    roster = plan_file(demo_db, "party_members", mc.make_district_roster(tmp_path / "d.xlsx", a, b))
    first = commit_plan(demo_db, plan, "t").batch_id
    second = commit_plan(demo_db, roster, "t").batch_id
    assert dump(demo_db, *TABLES) != before
    batches = list_batches(demo_db)
    assert [b["id"] for b in batches] == [second, first]
    assert batches[0]["counts"]["new"] == 4
    undo_batch(demo_db, second, "t")
    undo_batch(demo_db, first, "t")
    assert dump(demo_db, *TABLES) == before
    with pytest.raises(UndoRefused, match="撤销过"):
        undo_batch(demo_db, first, "t")


def test_undo_refused_after_later_edit(demo_db, tmp_path):
    src = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path
    plan = plan_file(demo_db, "party_members", edit(
        src, tmp_path / "e.xlsx", lambda ws, c: setattr(ws.cell(3, c["工作单位"]), "value", "甲")))
    batch = commit_plan(demo_db, plan, "t").batch_id
    rid = plan.rows_with("update")[0].record_id
    records.update(demo_db, "party_members", rid, {"work_unit": "后来又改"}, "t")
    snapshot = dump(demo_db, *TABLES)
    with pytest.raises(UndoRefused, match="又被修改过"):
        undo_batch(demo_db, batch, "t")
    assert dump(demo_db, *TABLES) == snapshot


def test_mapping_memory_by_header_text(demo_db, tmp_path):
    idn = mc.valid_id("19811111", "013")
    org = _orgs(demo_db)[0]
    path = mc.make_simple_people(
        tmp_path / "m.xlsx", [["刘备", idn, org, "正式党员", "2001-07-01", "无"]],
        headers=("党员名字", "身份证", "所在支部", "党员类别", "入党日期", "附注"))
    with Workbook(path) as wb, demo_db.connect() as conn:
        s = prepare_sheets(conn, wb, "party_members")[0]
    assert s.targets[0] is None and s.targets[1] == "person_id_number"
    targets = list(s.targets)
    targets[0] = "person_name"
    with demo_db.begin() as conn:
        assert mapping.remember(conn, "party_members", s.layout.match, targets) == 1
    # Same template, another file: maps itself (by header text, not position).
    path2 = mc.make_simple_people(
        tmp_path / "m2.xlsx", [[idn, "刘备", org, "正式党员", "2001-07-01"]],
        headers=("身份证", "党员名字", "所在支部", "党员类别", "入党日期"))
    plan = plan_file(demo_db, "party_members", path2)
    assert plan.sheets[0].targets[:2] == ["person_id_number", "person_name"]
    assert plan.counts["new"] == 1 and plan.rows[0].values["person_name"] == "刘备"


def test_consolidation_keeps_sources_and_reports_duplicates(demo_db, tmp_path):
    a, b = _orgs(demo_db)[:2]
    shared = mc.valid_id("19720202", "019")
    f1 = mc.make_simple_people(tmp_path / "一社区.xlsx",
                               [["甲", shared, a, "正式党员", "2000-07-01"],
                                ["乙", mc.valid_id("19730303", "029"), a, "正式党员", "2001-07-01"]],
                               headers=("姓名", "身份证号", "所在支部", "党员类别", "入党日期"))
    f2 = mc.make_simple_people(tmp_path / "二社区.xlsx",
                               [["甲", shared, b, "正式党员", "2000-07-01"]],
                               headers=("姓名", "身份证号", "所在支部", "党员类别", "入党日期"))
    out = tmp_path / "汇总.xlsx"
    res = consolidate(demo_db, "party_members", [f1, f2], out)
    assert res.per_file == {"一社区.xlsx": 2, "二社区.xlsx": 1}
    assert len(res.duplicates) == 2 and "二社区.xlsx" in res.duplicates[0]
    view = sheet_rows(out)
    assert view[0][:4] == ["来源文件", "工作表", "行号", "状态"]
    assert sorted(r[0] for r in view[1:]) == ["一社区.xlsx", "一社区.xlsx", "二社区.xlsx"]


def test_cli_contract(demo_db, tmp_path, capsys):
    db = demo_db.location
    out = tmp_path / "pm.xlsx"
    assert excel_main(["--db", db, "export", "party_members", str(out)]) == 0
    assert excel_main(["--db", db, "export", "all", str(tmp_path / "all.xlsx")]) == 0
    edited = edit(out, tmp_path / "e.xlsx",
                  lambda ws, c: setattr(ws.cell(3, c["工作单位"]), "value", "命令行"))
    capsys.readouterr()
    assert excel_main(["--db", db, "import", "party_members", str(edited), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["counts"]) == {"new", "update", "unchanged", "conflict", "invalid",
                                   "skipped"}
    assert data["counts"]["update"] == 1 and data["applied"] is False
    row = next(r for r in data["rows"] if r["status"] == "update")
    assert set(row) >= {"sheet", "row", "status", "messages", "values"}
    assert row == {**row, "sheet": "党员", "row": 3, "values": {"work_unit": "命令行"}}
    assert excel_main(["--db", db, "import", "party_members", str(edited), "--apply",
                       "--policy", "both,match=update,keep"]) == 0
    assert "已写入" in capsys.readouterr().out
    bad = mc.make_not_zip(tmp_path / "bad.xlsx")
    assert excel_main(["--db", db, "import", "people", str(bad), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["refused"]
    assert excel_main(["--db", db, "import", "people", str(out), "--policy", "nonsense"]) == 2
    assert excel_main(["--db", db, "imports", "--json"]) == 0
    batches = json.loads(capsys.readouterr().out)
    assert excel_main(["--db", db, "imports", "--undo", str(batches[0]["id"])]) == 0


def test_taizhang_command_has_excel_subcommands(demo_db, tmp_path):
    from app.cli import main as taizhang
    out = tmp_path / "p.xlsx"
    assert taizhang(["export", "party_orgs", str(out), "--db", demo_db.location]) == 0
    assert taizhang(["import", "party_orgs", str(out), "--db", demo_db.location,
                     "--json"]) == 0


@pytest.mark.slow
@pytest.mark.needs_tool("soffice", "libreoffice-calc-nogui")
def test_libreoffice_resave_changes_nothing(demo_db, tmp_path):
    """Every register, exported as one workbook, opened and saved by LibreOffice, imports
    back with no change at all."""
    from app.excel.writer import export_all
    from app.registry import REGISTERS
    src = export_all(demo_db, tmp_path / "all.xlsx").path
    outdir = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo_home",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    resaved = outdir / "all.xlsx"
    assert resaved.exists() and resaved.read_bytes() != src.read_bytes()
    for reg in REGISTERS:
        plan = plan_file(demo_db, reg.key, resaved, today=DEMO_TODAY)
        n = records.count(demo_db, reg.key)
        assert plan.counts["unchanged"] == n == len(plan.rows), (reg.key, [
            (r.row, r.status, r.messages[:2]) for r in plan.rows if r.status != "unchanged"][:3])


def test_cli_map_option(db, tmp_path, capsys):
    path = mc.make_simple_people(tmp_path / "p.xlsx", [["张三", mc.valid_id(), "某街1号"]],
                                 headers=("名字呀", "身份证号", "家庭住址"))
    args = ["--db", db.location, "import", "people", str(path), "--json"]
    assert excel_main(args) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert row["status"] == "invalid"  # no 姓名 column, and 住址 names no household
    assert excel_main(args + ["--map", "名字呀=name", "--map", "家庭住址="]) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert row["status"] == "new" and row["values"]["name"] == "张三"
    assert excel_main(args + ["--map", "名字呀=nonsense"]) == 2


def test_imports_with_no_history_says_so(db, capsys):
    from app.cli import main as taizhang
    assert taizhang(["--db", db.location, "imports"]) == 0
    assert capsys.readouterr().out.strip() == "还没有导入记录。"
