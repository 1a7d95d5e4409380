"""What one import may hold (issue 11: memory bounded whatever the file), and what a planned
row still offers after the workbook's cells are let go: its change texts, its cells, and the
original cells of the rows sent back.

The workbooks are written here with openpyxl in a district's own layout (a title line, a
填报单位 line, their own header words), not by our exporter."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from app.excel import limits
from app.excel.errors import FileRefused
from app.excel.importer import plan_file
from app.excel.writer import write_rejected
from app.services import records
from app.services.access import system
from tests.data.ids import make_id

TODAY = dt.date(2026, 11, 25)
HEADERS = ["序号", "姓名", "公民身份号码", "性别", "所在支部", "党员类别", "入党时间", "在册状态",
           "备注", "空列"]


@pytest.fixture
def branch(db):
    com = records.create(db, "communities", {"name": "乙社区", "community_type": "城市社区"},
                         system("t"))["id"]
    records.create(db, "party_orgs", {"name": "第二支部", "org_type": "党支部",
                                      "community_id": com}, system("t"))
    return db


def roster(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党员名单"
    ws.append(["乙社区党员名单"])
    ws.append(["填报单位：乙社区党委"])
    ws.append(HEADERS)
    for i, (name, idn, note) in enumerate(rows, start=1):
        ws.append([i, name, idn, None, "第二支部", "正式党员", "2012-07-01", "在册", note, None])
    wb.save(path)
    return path


def people_count(db):
    return len(records.list_rows(db, "people"))


FIVE = [(f"党员{i}", make_id("19800101", 10 + 2 * i), "") for i in range(5)]


def test_one_row_over_the_row_cap_is_refused_with_file_counts_and_what_to_do(
        branch, tmp_path, monkeypatch):
    db = branch
    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 4)
    before = people_count(db)
    path = roster(tmp_path / "乙社区党员.xlsx", FIVE)
    with pytest.raises(FileRefused) as exc:
        plan_file(db, "party_members", path, today=TODAY)
    msg = str(exc.value)
    assert "乙社区党员.xlsx" in msg and "5 行" in msg and "4 行" in msg
    assert "拆成几个文件" in msg and "未写入任何数据" in msg
    assert people_count(db) == before
    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 5)  # exactly at the cap: planned
    assert plan_file(db, "party_members", path, today=TODAY).counts["new"] == 5


def test_only_filled_cells_count_toward_the_cell_cap(branch, tmp_path, monkeypatch):
    db = branch
    path = roster(tmp_path / "名单.xlsx", FIVE)
    # Per row: 序号 姓名 号码 支部 类别 入党时间 状态 = 7 filled; 性别, 备注 ("") and 空列 empty.
    monkeypatch.setattr(limits, "MAX_IMPORT_CELLS", 35)
    assert plan_file(db, "party_members", path, today=TODAY).counts["new"] == 5
    monkeypatch.setattr(limits, "MAX_IMPORT_CELLS", 34)
    with pytest.raises(FileRefused, match="35 个有内容的单元格"):
        plan_file(db, "party_members", path, today=TODAY)


def test_the_cli_refuses_an_import_over_the_cap_in_one_chinese_line(branch, tmp_path,
                                                                     monkeypatch, capsys):
    from app.excel.cli import main as excel_main
    from app.services.imports import list_batches
    db = branch
    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 2)
    path = roster(tmp_path / "大名单.xlsx", FIVE)
    rc = excel_main(["--db", str(db.location), "import", "party_members", str(path), "--apply"])
    err = capsys.readouterr().err
    assert rc != 0 and "大名单.xlsx" in err and "上限" in err and "Traceback" not in err
    assert list_batches(db) == []


def test_a_sheet_that_is_not_imported_is_not_kept(branch, tmp_path):
    from app.excel.importer import prepare_sheets
    from app.excel.reader import Workbook
    from app.services.records import reading
    path = roster(tmp_path / "两表.xlsx", FIVE)
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("填表说明")
    for i in range(30):
        notes.append([f"第{i}条说明", "请如实填写"])
    wb.save(path)
    with Workbook(path) as book, reading(branch) as conn:
        sheets = prepare_sheets(conn, book, "party_members")
        assert [s.layout.sheet for s in sheets] == ["党员名单"]
        assert "填表说明" not in book._cache and "党员名单" in book._cache


def test_rows_planned_from_a_file_keep_their_texts_cells_and_rejected_cells(branch,
                                                                           tmp_path):
    db = branch
    good = ("王红", make_id("19850304", 22), "新转入")
    bad = ("李明", "11010519850304002", "号码少一位")  # 17 characters
    path = roster(tmp_path / "名单.xlsx", [good, bad])
    plan = plan_file(db, "party_members", path, today=TODAY)
    [new] = plan.rows_with("new")
    [invalid] = plan.rows_with("invalid")
    # The new row's before → after texts, worked out from the row above.
    texts = {(c.label, c.before, c.after) for c in new.changes}
    assert texts == {("姓名", "", "王红"), ("公民身份号码", "", good[1]),
                     ("所在党组织", "", "第二支部"), ("入党日期", "", "2012-07-01"),
                     ("党员类别", "", "正式党员"), ("备注", "", "新转入")}
    assert new.cells["category"] == "正式党员" and new.cells["joined_on"] == dt.date(2012, 7, 1)
    # The file's cells are let go for rows written, kept for rows sent back.
    assert new.raw == []
    assert invalid.raw[1:3] == ["李明", bad[1]] and invalid.raw[8] == "号码少一位"
    out = tmp_path / "退回.xlsx"
    assert write_rejected(out, plan) == 1
    ws = openpyxl.load_workbook(out).active
    row = [c.value for c in ws[2]]
    assert row[1] == "李明" and row[2] == bad[1] and row[8] == "号码少一位"
    assert "身份证号" in row[len(HEADERS)]
