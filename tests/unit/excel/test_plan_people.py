"""Import rows that name a person (党员 → 人员): a known person is linked and their changed
fields shown, a new one is created once however many rows name them, and two rows that
disagree about one person, or an ID number that belongs to someone else, are refused with a
message naming the other row."""

from __future__ import annotations

import datetime as dt

import pytest

from app.excel.importer import plan_file
from app.excel.plan import Policy
from app.excel.writer import export_register
from app.services import records
from tests.data.ids import make_id

from .excel_helpers import edit
from app.services.access import system

TODAY = dt.date(2026, 11, 25)
A, B, C = make_id("19800101", 11), make_id("19900202", 22), make_id("19950505", 31)


@pytest.fixture
def branch(db, tmp_path):
    com = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                         system("t"))["id"]
    org = records.create(db, "party_orgs", {"name": "第一支部", "org_type": "党支部",
                                            "community_id": com}, system("t"))["id"]
    people = {n: records.create(db, "people", {"name": n, "id_number": i, "phone": p}, system("t"))["id"]
              for n, i, p in (("甲", A, "13800000001"), ("乙", B, None))}
    records.create(db, "party_members", {"person_id": people["甲"], "org_id": org,
                                         "category": "正式党员", "joined_on": "2001-07-01",
                                         "status": "在册"}, system("t"))
    path = export_register(db, "party_members", tmp_path / "pm.xlsx").path
    return db, path, people


def plan_of(db, path, tmp_path, fn, policy=None):
    return plan_file(db, "party_members", edit(path, tmp_path / "e.xlsx", fn), policy,
                     today=TODAY)


def _add(ws, cols, **cells):
    r = 4
    while ws.cell(r, cols["姓名"]).value:
        r += 1
    base = {"所在党组织": "第一支部", "党员类别": "正式党员", "入党日期": "2010-07-01", "状态": "在册"}
    for head, value in {**base, **cells}.items():
        ws.cell(r, cols[head]).value = value
    return r


def test_a_changed_phone_of_the_linked_person_is_shown_and_written(branch, tmp_path):
    db, path, people = branch
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", "13900000009"))
    [upd] = plan.rows_with("update")
    assert [(c.label, c.before, c.after) for c in upd.changes] == \
        [("联系电话", "13800000001", "13900000009")]
    assert upd.values.get("person_phone") == "13900000009" or \
        any(op.update == {"phone": "13900000009"} for op in upd.persons)


def test_a_registered_person_new_to_the_branch_is_linked_not_created(branch, tmp_path):
    db, path, people = branch
    plan = plan_of(db, path, tmp_path, lambda ws, cols: _add(ws, cols, 姓名="乙", 公民身份号码=B))
    [new] = plan.rows_with("new")
    assert [op.person_id for op in new.persons] == [people["乙"]]
    assert not any(c.after == "（新登记人员）" for c in new.changes)


def test_a_new_person_named_twice_is_created_once(branch, tmp_path):
    db, path, _ = branch

    def two_rows(ws, cols):
        _add(ws, cols, 姓名="丙", 公民身份号码=C, 联系电话="13700000000")
        _add(ws, cols, 姓名="丙", 公民身份号码=C, 联系电话="13700000000", 入党日期="2011-07-01")
    plan = plan_of(db, path, tmp_path, two_rows)
    rows = [r for r in plan.rows if r.status != "unchanged"]
    assert rows and all(r.status in ("new", "invalid") for r in rows)
    tokens = {op.token for r in rows for op in r.persons if op.person_id is None}
    assert len(tokens) == 1                     # one person to create, whatever rows name them


def test_a_new_person_described_two_ways_is_refused(branch, tmp_path):
    db, path, _ = branch

    def two_rows(ws, cols):
        _add(ws, cols, 姓名="丙", 公民身份号码=C, 联系电话="13700000000")
        _add(ws, cols, 姓名="丙", 公民身份号码=C, 联系电话="13700000001", 入党日期="2011-07-01")
    plan = plan_of(db, path, tmp_path, two_rows)
    bad = plan.rows_with("invalid")
    assert any("是同一位新人员，但" in m and "填写不一致，请统一" in m for r in bad for m in r.messages), \
        [r.messages for r in plan.rows]


def test_two_rows_giving_one_person_two_phones_are_refused(branch, tmp_path):
    db, path, people = branch

    def twice(ws, cols):
        ws.cell(3, cols["联系电话"]).value = "13900000009"
        _add(ws, cols, 姓名="甲", 公民身份号码=A, 联系电话="13900000008", 入党日期="2012-07-01")
    plan = plan_of(db, path, tmp_path, twice)
    msgs = [m for r in plan.rows for m in r.messages]
    assert any("对同一人员填写的值不一致（“13900000009”）" in m for m in msgs), msgs


def test_blank_person_cells_keep_what_is_stored(branch, tmp_path):
    db, path, _ = branch
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", None))
    assert plan.counts["unchanged"] == 1 and plan.counts["update"] == 0
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", None),
                   Policy(blank="clear"))
    [upd] = plan.rows_with("update")
    assert [(c.before, c.after) for c in upd.changes] == [("13800000001", "")]


def test_fill_leaves_a_stored_person_field_alone(branch, tmp_path):
    db, path, _ = branch
    plan = plan_of(db, path, tmp_path,
                   lambda ws, cols: setattr(ws.cell(3, cols["联系电话"]), "value", "13900000009"),
                   Policy(on_match="fill"))
    assert plan.counts["update"] == 0 and plan.counts["unchanged"] == 1


@pytest.mark.parametrize("typed, status, change, message", [
    ("两委商议", "update", ("当前步骤", "征集议题", "两委商议"), None),   # arrives in its real state
    ("征集议题", "unchanged", None, None),
    ("随便一步", "unchanged", None, "“随便一步”不是「一征三议两公开」中的步骤，未导入"),
])
def test_the_step_a_row_arrives_in(db, tmp_path, typed, status, change, message):
    com = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                         system("t"))["id"]
    rid = records.create(db, "consultations", {"title": "停车", "community_id": com,
                                               "raised_on": "2026-01-05"}, system("t"))["id"]
    path = export_register(db, "consultations", tmp_path / "c.xlsx").path
    plan = plan_file(db, "consultations", edit(
        path, tmp_path / "e.xlsx",
        lambda ws, cols: setattr(ws.cell(3, cols["当前步骤"]), "value", typed)), today=TODAY)
    [row] = plan.rows
    assert row.status == status and row.record_id == rid
    assert [(c.label, c.before, c.after) for c in row.changes] == ([change] if change else [])
    if message:
        assert any(m.endswith(message + "（可选：征集议题、党组织提议、两委商议、居民(代表)会议决议、决议公开、实施结果公开）")
                   or message in m for m in row.messages), row.messages


def test_a_step_back_is_not_imported(db, tmp_path):
    com = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                         system("t"))["id"]
    rid = records.create(db, "consultations", {"title": "停车", "community_id": com,
                                               "raised_on": "2026-01-05"}, system("t"))["id"]
    records.advance(db, "consultations", rid, "党组织提议", system("t"), dt.date(2026, 1, 6))
    path = export_register(db, "consultations", tmp_path / "c.xlsx").path
    plan = plan_file(db, "consultations", edit(
        path, tmp_path / "e.xlsx",
        lambda ws, cols: setattr(ws.cell(3, cols["当前步骤"]), "value", "征集议题")), today=TODAY)
    [row] = plan.rows
    assert row.status == "unchanged" and row.changes == []
    assert any(m.endswith("“征集议题”未导入：程序中已是“党组织提议”，步骤不能倒退") for m in row.messages), \
        row.messages
