"""回收站 through the services (app/services/recycle.py): deleted rows listed within the
account's role and 社区 scope, restores all-or-nothing with the records service's messages."""

from __future__ import annotations

import datetime as dt

import pytest

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
