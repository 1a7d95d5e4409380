"""What the import preview says a row changes (before → after, as shown: titles for
references, 是/否, dates) and the workflow step a row arrives in, with its date, on a small
mediation register built by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from app.excel.importer import plan_file
from app.excel.writer import export_register
from app.services import records
from tests.data.ids import make_id

from .excel_helpers import edit

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def cases(db, tmp_path):
    """One community, two people, a mediator, one case at 受理 and one at 调解成功."""
    com = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                         "t")["id"]
    records.create(db, "communities", {"name": "乙社区", "community_type": "村改居社区"}, "t")
    a = records.create(db, "people", {"name": "申请甲", "id_number": make_id("19800101", 11)},
                       "t")["id"]
    case = {"community_id": com, "category": "邻里纠纷", "applicant_id": a, "summary": "噪音",
            "received_on": "2026-03-01"}
    open_ = records.create(db, "mediation_cases", case, "t")["id"]
    done = records.create(db, "mediation_cases", {**case, "summary": "漏水"}, "t")["id"]
    records.advance(db, "mediation_cases", done, "调解中", "t", dt.date(2026, 3, 2))
    records.advance(db, "mediation_cases", done, "调解成功", "t", dt.date(2026, 3, 5))
    path = export_register(db, "mediation_cases", tmp_path / "m.xlsx").path
    return db, path, {"open": open_, "done": done}


def plan_of(db, path, tmp_path, fn):
    return plan_file(db, "mediation_cases", edit(path, tmp_path / "e.xlsx", fn), today=TODAY)


def _row(plan, rid):
    return next(r for r in plan.rows if r.record_id == rid)


def _excel_row(ws, cols, summary):
    return next(r for r in range(3, ws.max_row + 1)
                if ws.cell(r, cols["纠纷简要情况"]).value == summary)


def test_changes_are_shown_as_a_person_reads_them(cases, tmp_path):
    db, path, ids = cases

    def change(ws, cols):
        r = _excel_row(ws, cols, "噪音")
        ws.cell(r, cols["社区"]).value = "乙社区"          # a reference: by its title
        ws.cell(r, cols["司法确认"]).value = "是"          # yes/no: 是 / 否, not True
        ws.cell(r, cols["回访日期"]).value = "2026.4.1"    # a date: yyyy-mm-dd
    row = _row(plan_of(db, path, tmp_path, change), ids["open"])
    assert row.status == "update"
    assert sorted((c.label, c.before, c.after) for c in row.changes) == sorted([
        # A yes/no field not filled in is 否 from the start (issue 12), not blank.
        ("社区", "甲社区", "乙社区"), ("司法确认", "否", "是"), ("回访日期", "", "2026-04-01")])


@pytest.mark.parametrize("typed, step", [("调解成功", "调解成功"), ("成功", "调解成功"),
                                         ("已转办", "转办")])
def test_a_case_arrives_in_its_real_state_with_its_date(cases, tmp_path, typed, step):
    db, path, ids = cases

    def close(ws, cols):
        r = _excel_row(ws, cols, "噪音")
        ws.cell(r, cols["状态"]).value = typed
        ws.cell(r, cols["结案日期"]).value = "2026-03-20"
        ws.cell(r, cols["状态日期"]).value = "2026-03-10"
    row = _row(plan_of(db, path, tmp_path, close), ids["open"])
    assert row.step_to == ("step", step, dt.date(2026, 3, 20))   # the closing date, declared
    assert ("step", "状态", "受理", step) in [(c.key, c.label, c.before, c.after)
                                          for c in row.changes]


def test_without_its_own_date_a_step_takes_the_step_date_then_the_start(cases, tmp_path):
    db, path, ids = cases

    def mid(ws, cols):
        r = _excel_row(ws, cols, "噪音")
        ws.cell(r, cols["状态"]).value = "调解中"
        ws.cell(r, cols["状态日期"]).value = "2026-03-10"
    assert _row(plan_of(db, path, tmp_path, mid), ids["open"]).step_to == \
        ("step", "调解中", dt.date(2026, 3, 10))

    def mid_no_date(ws, cols):
        r = _excel_row(ws, cols, "噪音")
        ws.cell(r, cols["状态"]).value = "调解中"
        ws.cell(r, cols["状态日期"]).value = None
    assert _row(plan_of(db, path, tmp_path, mid_no_date), ids["open"]).step_to == \
        ("step", "调解中", dt.date(2026, 3, 1))                   # 受理日期


def test_a_new_case_in_the_file_starts_from_the_first_step(cases, tmp_path):
    db, path, ids = cases

    def add(ws, cols):
        r = ws.max_row + 1
        for r in range(3, ws.max_row + 2):
            if not ws.cell(r, cols["纠纷简要情况"]).value:
                break
        for head, value in (("受理日期", "2026-05-01"), ("社区", "甲社区"), ("纠纷类别", "邻里纠纷"),
                            ("申请人姓名", "申请甲"), ("申请人公民身份号码", make_id("19800101", 11)),
                            ("纠纷简要情况", "新案"), ("状态", "调解中"), ("状态日期", "2026-05-02")):
            ws.cell(r, cols[head]).value = value
    plan = plan_of(db, path, tmp_path, add)
    [new] = plan.rows_with("new")
    assert new.step_to == ("step", "调解中", dt.date(2026, 5, 2))
    assert ("状态", "受理", "调解中") in [(c.label, c.before, c.after) for c in new.changes]


def test_another_ending_of_a_closed_case_is_not_imported(cases, tmp_path):
    # 终止 sits at the same position as 调解成功: that is not moving on.
    db, path, ids = cases

    def other_end(ws, cols):
        ws.cell(_excel_row(ws, cols, "漏水"), cols["状态"]).value = "终止"
    row = _row(plan_of(db, path, tmp_path, other_end), ids["done"])
    assert row.step_to is None and row.status == "unchanged"
    [msg] = [m for m in row.messages if "未导入" in m]
    assert msg.endswith(" 列「状态」：“终止”未导入：程序中已是“调解成功”，步骤不能倒退")


def test_an_unknown_step_is_named_with_the_steps_to_choose_from(cases, tmp_path):
    db, path, ids = cases

    def bad(ws, cols):
        ws.cell(_excel_row(ws, cols, "噪音"), cols["状态"]).value = "已归档"
    row = _row(plan_of(db, path, tmp_path, bad), ids["open"])
    [msg] = [m for m in row.messages if "未导入" in m]
    assert msg.endswith(" 列「状态」：“已归档”不是「调解流程」中的步骤，未导入"
                        "（可选：受理、调解中、调解成功、调解不成功、终止、转办）"), msg


def test_a_blank_step_cell_says_nothing(cases, tmp_path):
    db, path, ids = cases
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(_excel_row(ws, cols, "噪音"), cols["状态"]),
                                            "value", None))
    row = _row(plan, ids["open"])
    assert row.status == "unchanged" and row.messages == [] and row.step_to is None


def test_a_row_changed_only_in_the_database_keeps_it_references_and_all(cases, tmp_path):
    # The file still holds the exported titles (社区 甲社区): the row is unchanged in the file.
    import sqlalchemy as sa

    from app.storage.schema import TABLES
    db, path, ids = cases
    t = TABLES["mediation_cases"]
    with db.engine.begin() as conn:
        conn.execute(sa.update(t).where(t.c.id == ids["open"]).values(summary="噪音，已回访"))
    row = _row(plan_of(db, path, tmp_path, lambda ws, cols: None), ids["open"])
    assert row.status == "unchanged" and row.values == {}
    assert any(m.endswith("导出后程序中已修改此记录，表中未改动：保留程序中的数据") for m in row.messages)
