"""The workflow and validation rules as plain functions, on hand-made step lists: only the
next step, alternatives at one position, never back in time (the same day is fine), and the
rules shared by forms and imports."""

from __future__ import annotations

import datetime as dt

import pytest

from app.registry import get
from app.services import rules
from app.services.batch import next_of, step_error

# 一征三议两公开 shortened, and a branch at the end as in 调解.
STEPS = [("征集议题",), ("党组织提议",), ("两委商议",)]
CASE = [("受理",), ("调解中",), ("调解成功", "调解不成功", "终止", "转办")]
D = dt.date(2026, 3, 10)


def test_next_of_each_position():
    assert next_of(STEPS, None) == ("征集议题",)
    assert next_of(STEPS, "征集议题") == ("党组织提议",)
    assert next_of(STEPS, "党组织提议") == ("两委商议",)
    assert next_of(STEPS, "两委商议") == ()
    assert next_of(CASE, "调解中") == ("调解成功", "调解不成功", "终止", "转办")
    assert next_of(CASE, "转办") == ()
    assert next_of(CASE, "不存在的步骤") == ()
    assert next_of([], None) == ()


def test_the_next_step_is_allowed_on_the_same_day_or_later():
    assert step_error(STEPS, "征集议题", "党组织提议", D, D) is None
    assert step_error(STEPS, "征集议题", "党组织提议", D, D + dt.timedelta(days=1)) is None
    assert step_error(STEPS, "征集议题", "党组织提议", None, D) is None
    assert step_error(STEPS, None, "征集议题", None, D) is None
    for alt in CASE[2]:
        assert step_error(CASE, "调解中", alt, D, D) is None


def test_a_day_earlier_than_the_last_step_is_refused():
    assert step_error(STEPS, "征集议题", "党组织提议", D, D - dt.timedelta(days=1)) == \
        "日期 2026-03-09 早于上一步的日期 2026-03-10"


def test_skipping_or_going_back_is_refused():
    assert step_error(STEPS, "征集议题", "两委商议", D, D) == \
        "当前步骤是“征集议题”，下一步只能是“党组织提议”，不能跳到“两委商议”"
    assert step_error(STEPS, "党组织提议", "征集议题", D, D) == \
        "当前步骤是“党组织提议”，下一步只能是“两委商议”，不能跳到“征集议题”"
    assert step_error(CASE, "受理", "调解成功", D, D) == \
        "当前步骤是“受理”，下一步只能是“调解中”，不能跳到“调解成功”"
    assert step_error(CASE, "调解成功", "转办", D, D) == "“调解成功”已是最后一步，不能再推进"


def test_the_step_is_checked_before_the_date():
    # A wrong step on a wrong day: the step is what the user must fix first.
    assert "不能跳到" in step_error(STEPS, "征集议题", "两委商议", D, D - dt.timedelta(days=5))


# -- the shared validation rules --------------------------------------------------------------
def test_missing_required_lists_blank_required_fields_but_not_the_step():
    reg = get("consultations")
    required = [f.key for f in reg.fields if f.required and f.kind != "step"]
    assert required, "consultations has required fields"
    missing = rules.missing_required(reg, {})
    assert [f.key for f in missing] == required
    filled = {k: "x" for k in required}
    assert rules.missing_required(reg, filled) == []
    assert [f.key for f in rules.missing_required(reg, {**filled, required[0]: "  "})] == \
        required[:1]
    assert rules.missing_required(reg, {}, skip=set(required)) == []
    assert all(f.kind != "step" for f in rules.missing_required(reg, {"step": None}))


def test_step_changed_only_by_hand_on_an_existing_row():
    f = get("consultations").field("step")
    other = get("consultations").field("title")
    assert rules.step_changed(f, {"step": "征集议题"}, "两委商议") is True
    assert rules.step_changed(f, {"step": "征集议题"}, "征集议题") is False
    assert rules.step_changed(f, None, "两委商议") is False         # a new row: set by the services
    assert rules.step_changed(other, {"title": "a"}, "b") is False


@pytest.mark.parametrize("owner, existing, clash", [
    (None, None, False), (None, {"id": 3}, False), (5, None, True), (5, {"id": 5}, False),
    (5, {"id": 3}, True)])
def test_unique_clash(owner, existing, clash):
    assert rules.unique_clash(owner, existing) is clash


def test_unique_message_names_the_owner():
    assert rules.unique_message("110105", 7, "张三", False) == \
        "“110105”已登记在“张三”（编号 7），请勿重复录入"
    assert rules.unique_message("110105", 7, None, True) == \
        "“110105”已登记在编号 7 的记录（该记录已删除，可在“显示已删除”中恢复），请勿重复录入"


def test_row_issues_use_the_registers_own_check():
    reg = get("petitions")
    assert reg.validate is not None
    issues = rules.row_issues(reg, {"received_on": dt.date(2026, 3, 2),
                                    "replied_on": dt.date(2026, 3, 1)})
    assert ("replied_on", "答复日期不能早于信访日期") in issues
    assert rules.row_issues(reg, {"received_on": dt.date(2026, 3, 2),
                                  "replied_on": dt.date(2026, 3, 2)}) == []
    assert rules.row_issues(get("people"), {"name": "x"}) == []     # no row check declared


# -- jump: a record imported in its real state may go to any later step ------------------------
def test_jump_allows_any_later_step_but_never_the_same_position_or_back():
    assert step_error(CASE, "受理", "调解成功", D, D, jump=True) is None
    assert step_error(CASE, "受理", "转办", D, D, jump=True) is None
    assert step_error(CASE, None, "受理", None, D, jump=True) is None     # from nothing: any
    assert step_error(CASE, None, "调解中", None, D, jump=True) is None
    assert step_error(CASE, "调解中", "受理", D, D, jump=True) == \
        "当前步骤是“调解中”，下一步只能是“调解成功/调解不成功/终止/转办”，不能跳到“受理”"
    assert step_error(CASE, "调解中", "调解中", D, D, jump=True) == \
        "当前步骤是“调解中”，下一步只能是“调解成功/调解不成功/终止/转办”，不能跳到“调解中”"
    assert step_error(CASE, "调解成功", "终止", D, D, jump=True) == "“调解成功”已是最后一步，不能再推进"
    assert step_error(STEPS, "征集议题", "两委商议", D, D - dt.timedelta(days=1), jump=True) == \
        "日期 2026-03-09 早于上一步的日期 2026-03-10"


def test_jump_lists_every_later_step_in_order():
    msg = step_error(STEPS, None, "不存在", None, D, jump=True)
    assert msg == "当前步骤是“None”，下一步只能是“征集议题/党组织提议/两委商议”，不能跳到“不存在”"


# -- month-only dates ------------------------------------------------------------------------
def test_month_only_dates_are_said_for_date_fields_only():
    from app.core.validators import parse_date
    reg = get("party_members")
    month = parse_date("1998年7月")
    values = {"joined_on": month, "confirmed_on": parse_date("1999-07-01"), "work_unit": "x",
              "note": month}                  # not a date field: nothing said about it
    assert rules.month_only(reg, values) == [
        ("joined_on", "只写到月（1998年07月），按当月1日保存，请核对补全日期")]
    assert rules.month_only(reg, {}) == []
