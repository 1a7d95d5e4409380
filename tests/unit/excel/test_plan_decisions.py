"""The import plan's decision for each row, on a small database and our own export edited
by hand: new / update / unchanged / conflict / invalid / skipped under every policy, with the
message a clerk reads and the before → after the preview shows."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.excel.importer import plan_file
from app.excel.plan import Policy
from app.excel.writer import export_register
from app.services import records
from app.storage.schema import TABLES
from tests.data.ids import make_id

from .excel_helpers import edit
from app.services.access import system

TODAY = dt.date(2026, 11, 25)
A, B = make_id("19800101", 11), make_id("19900202", 22)


@pytest.fixture
def two(db, tmp_path):
    """Two people, exported: (db, workbook, {name: id})."""
    ids = {}
    ids["甲"] = records.create(db, "people", {"name": "甲", "id_number": A, "phone": "13800000001",
                                             "birth_date": "1980-01-01"}, system("t"))["id"]
    ids["乙"] = records.create(db, "people", {"name": "乙", "id_number": B}, system("t"))["id"]
    path = export_register(db, "people", tmp_path / "p.xlsx").path
    return db, path, ids


def plan_of(db, path, tmp_path, fn=None, policy=None):
    if fn is not None:
        path = edit(path, tmp_path / "e.xlsx", fn)
    return plan_file(db, "people", path, policy, today=TODAY)


def row_of(plan, name):
    return next(r for r in plan.rows if (r.values.get("name") or "") == name
                or any(c.after == name for c in r.changes) or r.row == name)


def _new_row(ws, cols, name, idn=None):
    r = ws.max_row + 1
    for row in range(3, ws.max_row + 1):          # below the data, before the spare rows
        if not ws.cell(row, cols["姓名"]).value:
            r = row
            break
    ws.cell(r, cols["姓名"]).value = name
    if idn:
        ws.cell(r, cols["公民身份号码"]).value = idn
    return r


def test_untouched_export_is_all_unchanged(two, tmp_path):
    db, path, _ = two
    plan = plan_of(db, path, tmp_path)
    assert plan.counts == {"new": 0, "update": 0, "unchanged": 2, "conflict": 0,
                           "invalid": 0, "skipped": 0}
    assert all(r.values == {} and r.messages == [] for r in plan.rows)


def test_an_edit_is_an_update_with_before_and_after(two, tmp_path):
    db, path, ids = two
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", "13900000009"))
    [upd] = plan.rows_with("update")
    assert upd.record_id == ids["甲"] and upd.values == {"phone": "13900000009"}
    assert [(c.label, c.before, c.after) for c in upd.changes] == \
        [("联系电话", "13800000001", "13900000009")]


def test_a_new_row_is_new_and_a_blank_name_is_invalid(two, tmp_path):
    db, path, _ = two
    c = make_id("20000303", 33)

    def add(ws, cols):
        _new_row(ws, cols, "丙", c)
        r = _new_row(ws, cols, "", None)
        ws.cell(r, cols["联系电话"]).value = "13700000000"
    plan = plan_of(db, path, tmp_path, add)
    [new] = plan.rows_with("new")
    assert new.values["name"] == "丙" and new.values["id_number"] == c
    [bad] = plan.rows_with("invalid")
    assert any("「姓名」必须填写" in m for m in bad.messages)


def test_the_same_person_twice_in_the_file_is_refused_on_both_rows(two, tmp_path):
    db, path, ids = two
    plan = plan_of(db, path, tmp_path, lambda ws, cols: _new_row(ws, cols, "冒名", A))
    bad = plan.rows_with("invalid")
    assert sorted(r.row for r in bad) == [3, 5]
    assert all(any("同一记录在文件中出现两次" in m for m in r.messages) for r in bad)
    assert plan.counts["unchanged"] == 1


@pytest.mark.parametrize("policy, status, message", [
    (Policy(mode="insert"), "skipped", "已有此记录（编号 {id}）；本次只新增，未修改"),
    (Policy(on_match="skip"), "skipped", "已有此记录（编号 {id}），按设置跳过"),
    (Policy(), "update", None)])
def test_policies_for_an_existing_row(two, tmp_path, policy, status, message):
    db, path, ids = two
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", "13900000009"),
                   policy)
    row = next(r for r in plan.rows if r.record_id == ids["甲"])
    assert row.status == status
    if message:
        assert any(m.endswith(message.format(id=ids["甲"])) for m in row.messages), row.messages
        assert row.values == {} or row.status == "skipped"


def test_update_only_skips_new_rows(two, tmp_path):
    db, path, _ = two
    plan = plan_of(db, path, tmp_path, lambda ws, cols: _new_row(ws, cols, "丙"),
                   Policy(mode="update"))
    [skipped] = plan.rows_with("skipped")
    assert any(m.endswith("在程序中没有对应记录；本次只更新已有记录，未新增") for m in skipped.messages)
    assert plan.counts["new"] == 0


def test_blank_cells_keep_or_clear(two, tmp_path):
    db, path, ids = two

    def blank(ws, cols):
        ws.cell(3, cols["联系电话"]).value = None
    assert plan_of(db, path, tmp_path, blank).counts["unchanged"] == 2
    plan = plan_of(db, path, tmp_path, blank, Policy(blank="clear"))
    [upd] = plan.rows_with("update")
    assert upd.values == {"phone": None}
    assert [(c.before, c.after) for c in upd.changes] == [("13800000001", "")]


def test_fill_only_fills_what_is_blank_in_the_database(two, tmp_path):
    db, path, ids = two

    def both(ws, cols):
        ws.cell(3, cols["联系电话"]).value = "13900000009"    # 甲 has a phone: kept
        ws.cell(4, cols["联系电话"]).value = "13900000008"    # 乙 has none: filled
    plan = plan_of(db, path, tmp_path, both, Policy(on_match="fill"))
    [upd] = plan.rows_with("update")
    assert upd.record_id == ids["乙"] and upd.values == {"phone": "13900000008"}


def _change_in_db(db, rid, **values):
    t = TABLES["people"]
    with db.engine.begin() as conn:
        conn.execute(sa.update(t).where(t.c.id == rid).values(**values))


def test_changed_in_the_database_only_keeps_the_database(two, tmp_path):
    db, path, ids = two
    _change_in_db(db, ids["甲"], phone="13600000000")
    plan = plan_of(db, path, tmp_path)
    row = next(r for r in plan.rows if r.record_id == ids["甲"])
    assert row.status == "unchanged" and row.values == {} and row.changes == []
    assert any(m.endswith("导出后程序中已修改此记录，表中未改动：保留程序中的数据") for m in row.messages)


def test_changed_on_both_sides_is_a_conflict(two, tmp_path):
    db, path, ids = two
    _change_in_db(db, ids["甲"], phone="13600000000")
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", "13900000009"))
    row = next(r for r in plan.rows if r.record_id == ids["甲"])
    assert row.status == "conflict"
    assert any("导出后程序中已修改此记录，表中也改了：为免覆盖，未导入" in m for m in row.messages)
    # the other row is untouched and stays unchanged
    assert next(r for r in plan.rows if r.record_id == ids["乙"]).status == "unchanged"


def test_the_same_value_in_the_file_as_in_the_changed_database_is_unchanged(two, tmp_path):
    db, path, ids = two
    _change_in_db(db, ids["甲"], phone="13900000009")
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", "13900000009"))
    row = next(r for r in plan.rows if r.record_id == ids["甲"])
    assert row.status == "unchanged" and row.messages == []
