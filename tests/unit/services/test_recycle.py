"""回收站 and the audit log as a table, through the services: deleted rows listed within the
account's role and 社区 scope, restores all-or-nothing with the records service's messages,
and the log's rows read as the viewer and its export show them."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from app.excel.audit_log import export_audit
from app.services import audit, recycle, records
from app.services.access import CLERK, VIEWER, Actor, PermissionDenied, system
from app.services.errors import StaleRecord, ValidationError
from tests.data.ids import make_id
from tests.data.unique_lost import drop_unique_and_copy

ZHANG = system("张三")
IDN = make_id("19800101", "011", "320106")


def _person(db, name="回收甲", idn=IDN, by=ZHANG, **kw):
    return records.create(db, "people", {"name": name, "id_number": idn,
                                         "phone": "13812345678", **kw}, by)


def test_deleted_rows_lists_who_when_why_and_restore_brings_back(db):
    db.actor = ZHANG
    p = _person(db)
    when = dt.datetime(2026, 11, 20, 9, 30)
    records.soft_delete(db, "people", p["id"], ZHANG, "重复录入", now=when)
    [row] = recycle.deleted_rows(db)
    assert (row["register"], row["label"], row["id"], row["title"]) == \
        ("people", "人员信息", p["id"], "回收甲")
    assert (row["deleted_at"], row["deleted_by"], row["deleted_reason"]) == \
        (when, "张三", "重复录入")
    assert recycle.deleted_rows(db, ["communities"]) == []

    changes = recycle.restore(db, [("people", row["id"], row["version"])], ZHANG)
    assert p["id"] in changes.ids["people"]
    assert recycle.deleted_rows(db) == []
    assert records.get(db, "people", p["id"])["deleted_at"] is None
    [last] = audit.read(db, ZHANG, limit=1)
    assert (last["action"], last["record_id"], last["actor"]) == ("restore", p["id"], "张三")


def test_a_deleted_records_unique_value_stays_reserved(db):
    """Why a restore meets no live duplicate through the services: a new record may not
    take a deleted one's number (the message says where it is)."""
    db.actor = ZHANG
    a = _person(db, "回收甲")
    records.soft_delete(db, "people", a["id"], ZHANG, "")
    with pytest.raises(ValidationError, match="已登记在“回收甲”.*已删除"):
        _person(db, "回收丙")


def test_restore_refused_on_a_taken_unique_value_changes_nothing(db, sqlite_only):
    db.actor = ZHANG
    a = _person(db, "回收甲")
    b = _person(db, "回收乙", make_id("19800101", "013", "320106"))
    c = _person(db, "回收丙", make_id("19800101", "015", "320106"))
    records.soft_delete(db, "people", a["id"], ZHANG, "")
    records.soft_delete(db, "people", b["id"], ZHANG, "")
    # A file whose constraint was lost, where live 回收丙 now holds 回收甲's number.
    drop_unique_and_copy(db.path, "people", "id_number", a["id"], c["id"])
    listed = {r["title"]: r for r in recycle.deleted_rows(db)}
    before = audit.read(db, ZHANG, limit=1)[0]["id"]
    with pytest.raises(ValidationError, match=f"“{IDN}”已登记在“回收丙”.*请勿重复录入"):
        # 回收乙 first (it could come back alone), then 回收甲: all or nothing.
        recycle.restore(db, [("people", listed[t]["id"], listed[t]["version"])
                             for t in ("回收乙", "回收甲")], ZHANG)
    assert {r["title"] for r in recycle.deleted_rows(db)} == {"回收甲", "回收乙"}
    assert audit.read(db, ZHANG, limit=1)[0]["id"] == before


def test_restore_of_a_row_changed_since_listed_is_refused(db):
    db.actor = ZHANG
    a = _person(db)
    records.soft_delete(db, "people", a["id"], ZHANG, "")
    [row] = recycle.deleted_rows(db)
    # Meanwhile another PC restores it and edits it.
    records.restore(db, "people", a["id"], system("李四"))
    records.update(db, "people", a["id"], {"note": "改过"}, system("李四"))
    with pytest.raises(StaleRecord, match="已被 李四"):
        recycle.restore(db, [("people", row["id"], row["version"])], ZHANG)


def test_viewer_lists_but_may_not_restore(db):
    db.actor = ZHANG
    p = _person(db)
    records.soft_delete(db, "people", p["id"], ZHANG, "")
    viewer = Actor("小查", VIEWER)
    db.actor = viewer
    [row] = recycle.deleted_rows(db)
    with pytest.raises(PermissionDenied, match="无权修改数据"):
        recycle.restore(db, [("people", row["id"], row["version"])], viewer)
    assert len(recycle.deleted_rows(db)) == 1


def test_scope_limits_the_bin_to_the_accounts_communities(demo_db):
    demo_db.actor = ZHANG
    people = records.list_rows(demo_db, "people", limit=400)
    by_community: dict = {}
    for r in people:
        by_community.setdefault(r["community_id"], r)
    (c1, p1), (c2, p2) = list(by_community.items())[:2]
    for p in (p1, p2):
        records.soft_delete(demo_db, "people", p["id"], ZHANG, "")
    clerk = Actor("社区一录入", CLERK, frozenset({c1}))
    demo_db.actor = clerk
    rows = [r for r in recycle.deleted_rows(demo_db) if r["register"] == "people"]
    assert [r["id"] for r in rows] == [p1["id"]]
    # A row of another 社区, named directly, is refused by the records service.
    with pytest.raises(PermissionDenied):
        recycle.restore(demo_db, [("people", p2["id"], None)], clerk)


def test_audit_rows_as_text_mask_numbers_and_name_records(db):
    db.actor = ZHANG
    p = _person(db)
    records.update(db, "people", p["id"], {"phone": "13900001111"}, ZHANG)
    rows = audit.read(db, ZHANG, register="people")
    titles = audit.record_titles(db, ZHANG, rows)
    texts = [audit.row_texts(r, titles) for r in rows]
    update, create = texts
    assert update[1:5] == ("张三", "修改", "人员信息", f"回收甲（编号 {p['id']}）")
    assert update[5] == "联系电话：138****5678 → 139****1111"
    assert create[2] == "新增" and IDN not in create[5] and IDN[:6] in create[5]
    assert audit.COLUMNS == ("时间", "账号", "操作", "台账", "记录", "内容")


def test_undo_markers_read_as_one_action(db):
    db.actor = ZHANG
    audit.record(db, ZHANG, "undo 7", register="people", record_id=1, detail={"rows": [8]})
    assert [r["action"] for r in audit.read(db, ZHANG, actions=["undo"])] == ["undo 7"]
    texts = audit.row_texts(audit.read(db, ZHANG, limit=1)[0])
    assert texts[2] == "撤销（第 7 条）" and "8" in texts[5]


def test_audit_export_writes_the_rows_and_is_audited(db, tmp_path):
    db.actor = ZHANG
    _person(db)
    rows = audit.read(db, ZHANG, user="张三")
    titles = audit.record_titles(db, ZHANG, rows)
    out = tmp_path / "日志.xlsx"
    assert export_audit(db, out, rows, titles=titles, filters="账号：张三") == len(rows)
    ws = openpyxl.load_workbook(out).active
    got = [tuple(c or "" for c in r) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert got == [audit.row_texts(r, titles) for r in rows]
    assert [c.value for c in ws[2]] == list(audit.COLUMNS)
    last = audit.read(db, ZHANG, limit=1)[0]
    assert last["action"] == "export" and last["changes"]["内容"] == "操作日志"
    assert last["changes"]["行数"] == len(rows)


def test_audit_export_csv_neutralises_formulas(db, tmp_path):
    db.actor = ZHANG
    audit.record(db, "=HYPERLINK(\"x\")", audit.LOGIN_FAILED, detail={"原因": "没有此账号"})
    rows = audit.read(db, ZHANG, actions=[audit.LOGIN_FAILED])
    out = tmp_path / "日志.csv"
    export_audit(db, out, rows)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ",".join(audit.COLUMNS)
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("role", [VIEWER, CLERK])
def test_only_administrators_read_or_export_the_log(db, tmp_path, role):
    who = Actor("某人", role)
    db.actor = who
    for call in (lambda: audit.read(db, who), lambda: audit.actors(db, who),
                 lambda: audit.record_titles(db, who, []),
                 lambda: export_audit(db, tmp_path / "x.xlsx", [])):
        with pytest.raises(PermissionDenied, match="无权查看操作日志"):
            call()
    assert not (tmp_path / "x.xlsx").exists()


def test_events_in_the_log_are_no_change_for_other_windows(db):
    """An export, sign-in or backup names no register (or the accounts): watching windows
    skip them rather than look up a register called ''."""
    from app.services import watch
    db.actor = ZHANG
    start = watch.last_seen(db)
    audit.record(db, ZHANG, audit.EXPORT, detail={"内容": "操作日志"})
    audit.record(db, ZHANG, audit.ACCOUNT, register="accounts", record_id=1)
    p = _person(db)
    newest, changes, who = watch.changes_since(db, start)
    assert set(changes.registers) <= {"people", "households"} and p["id"] in changes.ids["people"]
    assert newest == audit.read(db, ZHANG, limit=1)[0]["id"] and who == {"张三"}
