"""The one write path: the batch operations every form, import, undo and the demo use.

Expected values are worked out by hand in each test (case numbers, addresses, audit texts),
not computed with the code under test."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from app.services import batch, records
from app.services.errors import WorkflowError
from app.storage.schema import TABLES, audit_log, workflow_events
from app.services.access import system

NOW = dt.datetime(2026, 3, 2, 9, 30)


def _place(db) -> dict:
    """社区 → 小区 → 楼栋 → 单元, by hand."""
    street = records.create(db, "streets", {"name": "测试街道"}, system("t"))
    comm = records.create(db, "communities", {"name": "东风社区", "street_id": street["id"],
                                               "community_type": "城市社区"}, system("t"))
    comp = records.create(db, "compounds", {"name": "幸福里", "community_id": comm["id"]}, system("t"))
    bld = records.create(db, "buildings", {"name": "3", "compound_id": comp["id"]}, system("t"))
    unit = records.create(db, "units", {"name": "2", "building_id": bld["id"]}, system("t"))
    return {"community": comm["id"], "compound": comp["id"], "unit": unit["id"]}


def _audits(db, key: str) -> list[tuple]:
    with db.connect() as conn:
        return [(r.record_id, r.action, json.loads(r.changes) if r.changes else None)
                for r in conn.execute(sa.select(audit_log).where(audit_log.c.register == key)
                                      .order_by(audit_log.c.id))]


def test_households_in_one_batch_get_their_unit_s_place_and_address(db):
    p = _place(db)
    with db.begin() as conn:
        w = batch.create_many(conn, "households", [
            {"unit_id": p["unit"], "room": "101"}, {"unit_id": p["unit"], "room": "102"}],
            system("导入"), now=NOW)
    rows = [records.get(db, "households", i) for i in w.ids]
    assert [r["address"] for r in rows] == ["幸福里3栋2单元101", "幸福里3栋2单元102"]
    assert {(r["community_id"], r["compound_id"]) for r in rows} == \
        {(p["community"], p["compound"])}
    assert all(r["created_at"] == NOW and r["created_by"] == "导入" for r in rows)
    # The place totals they count towards changed too (户数 of the 社区 and the 小区).
    assert w.changes.ids == {"households": set(w.ids), "communities": {p["community"]},
                             "compounds": {p["compound"]}}
    assert records.get(db, "compounds", p["compound"])["households_total"] == 2
    created = [a for a in _audits(db, "households") if a[1] == "create"]
    assert [a[0] for a in created] == w.ids
    assert created[0][2]["address"] == [None, "幸福里3栋2单元101"]


def test_mediation_cases_numbered_on_from_the_year_and_started(db):
    p = _place(db)
    person = records.create(db, "people", {"name": "甲"}, system("t"))["id"]
    case = {"community_id": p["community"], "category": "邻里纠纷", "applicant_id": person,
            "summary": "噪音"}
    records.create(db, "mediation_cases", {**case, "received_on": "2026-01-05",
                                            "case_no": "2026-0002"}, system("t"))
    records.create(db, "mediation_cases", {**case, "received_on": "2025-12-30"}, system("t"))
    with db.begin() as conn:
        w = batch.create_many(conn, "mediation_cases", [
            {**case, "received_on": dt.date(2026, 2, 1)},
            {**case, "received_on": dt.date(2025, 6, 1)},
            {**case, "received_on": dt.date(2026, 2, 3)}], system("t"), now=NOW)
    got = [records.get(db, "mediation_cases", i) for i in w.ids]
    assert [r["case_no"] for r in got] == ["2026-0003", "2025-0002", "2026-0004"]
    assert [(r["step"], r["step_date"]) for r in got] == [
        ("受理", dt.date(2026, 2, 1)), ("受理", dt.date(2025, 6, 1)), ("受理", dt.date(2026, 2, 3))]
    with db.connect() as conn:
        events = conn.execute(sa.select(workflow_events.c.record_id, workflow_events.c.step)
                              .where(workflow_events.c.record_id.in_(w.ids))).all()
    assert sorted(events) == sorted((i, "受理") for i in w.ids)


def test_update_many_writes_only_what_differs(db):
    a = records.create(db, "people", {"name": "甲", "phone": "13800000001"}, system("t"))["id"]
    b = records.create(db, "people", {"name": "乙", "phone": "13800000002"}, system("t"))["id"]
    with db.begin() as conn:
        w = batch.update_many(conn, "people", [(a, {"phone": "13800000001"}),
                                               (b, {"phone": "13900000002"})], system("u"), now=NOW)
    assert w.ids == [b] and w.changes.ids == {"people": {b}}
    assert records.get(db, "people", a)["updated_by"] == "t"
    assert records.get(db, "people", b)["updated_at"] == NOW
    updates = [x for x in _audits(db, "people") if x[1] == "update"]
    # The log says which number changed, masked: never the number itself.
    assert updates == [(b, "update", {"phone": ["138****0002", "139****0002"]})]
    assert w.befores[b]["phone"] == "13800000002"
    assert w.afters[b]["phone"] == "13900000002"


def test_advance_many_in_order_same_day_allowed_never_back_in_time(db):
    p = _place(db)
    person = records.create(db, "people", {"name": "甲"}, system("t"))["id"]
    case = records.create(db, "mediation_cases", {
        "community_id": p["community"], "category": "邻里纠纷", "applicant_id": person,
        "summary": "噪音", "received_on": "2026-02-01"}, system("t"))["id"]
    with db.begin() as conn:  # two steps of one row in one batch, the second the same day
        batch.advance_many(conn, "mediation_cases", [
            (case, "调解中", dt.date(2026, 2, 3), ""),
            (case, "调解成功", dt.date(2026, 2, 3), "达成协议")], system("t"), now=NOW)
    row = records.get(db, "mediation_cases", case)
    assert (row["step"], row["step_date"], row["closed_on"]) == \
        ("调解成功", dt.date(2026, 2, 3), dt.date(2026, 2, 3))
    with pytest.raises(WorkflowError, match="已是最后一步"):
        records.advance(db, "mediation_cases", case, "回访", system("t"), dt.date(2026, 2, 4))
    other = records.create(db, "mediation_cases", {
        "community_id": p["community"], "category": "邻里纠纷", "applicant_id": person,
        "summary": "漏水", "received_on": "2026-02-10"}, system("t"))["id"]
    with pytest.raises(WorkflowError, match="早于上一步的日期"):
        records.advance(db, "mediation_cases", other, "调解中", system("t"), dt.date(2026, 2, 9))
    with pytest.raises(WorkflowError, match="不能跳到"):
        records.advance(db, "mediation_cases", other, "调解成功", system("t"), dt.date(2026, 2, 11))
    assert records.get(db, "mediation_cases", other)["step"] == "受理"


def test_delete_and_restore_many(db):
    ids = [records.create(db, "people", {"name": n}, system("t"))["id"] for n in ("甲", "乙")]
    with db.begin() as conn:
        w = batch.delete_many(conn, "people", ids + ids[:1], system("u"), "重复录入", now=NOW)
    assert w.ids == ids
    assert all(records.get(db, "people", i)["deleted_reason"] == "重复录入" for i in ids)
    with db.begin() as conn:
        assert batch.delete_many(conn, "people", ids, system("u"), "again").ids == []
        assert batch.restore_many(conn, "people", ids[:1], system("u")).ids == ids[:1]
    assert records.get(db, "people", ids[0])["deleted_at"] is None
    actions = [(x[0], x[1]) for x in _audits(db, "people") if x[1] != "create"]
    assert actions == [(ids[0], "delete"), (ids[1], "delete"), (ids[0], "restore")]
