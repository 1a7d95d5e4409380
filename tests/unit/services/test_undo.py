"""Undo of the last edit (issue 12): the before-image from the audit log written back through
the batch operations, one edit further back each time, never over a later change."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import records, undo
from app.services.access import system

ACTOR = system("张三")


def _person(db, name="李四", **kw):
    return records.create(db, "people", {"name": name, **kw}, ACTOR)


def test_undo_a_change_then_the_creation_before_it(db):
    floor = undo.latest_id(db)
    p = _person(db, birth_date=dt.date(1960, 5, 1))
    records.update(db, "people", p["id"], {"name": "李思", "birth_date": dt.date(1961, 6, 2),
                                          "tags": ["老年人"]}, ACTOR)
    edit = undo.last_edit(db, ACTOR, floor)
    assert edit.action == "update" and edit.text == "修改人员信息“李思”"
    changes = undo.undo(db, edit, ACTOR)
    assert changes.ids == {"people": {p["id"]}}
    back = records.get(db, "people", p["id"])
    assert (back["name"], back["birth_date"], back["tags"]) == ("李四", dt.date(1960, 5, 1),
                                                                  None)
    # The next undo goes one further back: the creation (deleted again, softly).
    edit, changes = undo.undo_last(db, ACTOR, floor)
    assert edit.action == "create"
    assert records.get(db, "people", p["id"])["deleted_at"] is not None
    assert undo.last_edit(db, ACTOR, floor) is None  # nothing left in this session
    assert undo.undo_last(db, ACTOR, floor) == (None, records.Changes())


def test_undo_delete_and_restore_and_only_my_own_edits(db):
    p = _person(db)
    floor = undo.latest_id(db)
    records.soft_delete(db, "people", p["id"], ACTOR, "录错")
    _person(db, "赵六")
    other = records.create(db, "people", {"name": "王五"}, system("另一人"))  # not mine
    edit = undo.last_edit(db, ACTOR, floor)
    assert edit.action == "create" and edit.record_id != other["id"]
    undo.undo(db, edit, ACTOR)
    edit = undo.last_edit(db, ACTOR, floor)
    assert edit.action == "delete"
    undo.undo(db, edit, ACTOR)
    assert records.get(db, "people", p["id"])["deleted_at"] is None
    assert records.get(db, "people", other["id"])["deleted_at"] is None


def test_no_undo_over_a_later_change_nor_of_a_workflow_step(db):
    p = _person(db)
    floor = undo.latest_id(db)
    records.update(db, "people", p["id"], {"phone": "13800000000"}, ACTOR)
    edit = undo.last_edit(db, ACTOR, floor)
    records.update(db, "people", p["id"], {"phone": "13900000000"}, system("另一人"))
    with pytest.raises(records.ValidationError, match="又有改动"):
        undo.undo(db, edit, ACTOR)
    com = records.create(db, "communities", {"name": "幸福社区", "community_type": "城市社区"},
                         ACTOR)
    case = records.create(db, "mediation_cases", {
        "received_on": dt.date(2026, 11, 1), "category": "邻里纠纷", "community_id": com["id"],
        "applicant_id": p["id"], "summary": "噪音"}, ACTOR)
    records.advance(db, "mediation_cases", case["id"], "调解中", ACTOR, dt.date(2026, 11, 2))
    step = undo.last_edit(db, ACTOR, floor)
    assert step.action == "advance"
    with pytest.raises(records.ValidationError, match="流程"):
        undo.undo(db, step, ACTOR)


def test_undoing_a_members_status_follows_the_party_household(db):
    com = records.create(db, "communities", {"name": "幸福社区", "community_type": "城市社区"},
                         ACTOR)
    home = records.create(db, "households", {"room": "101", "community_id": com["id"]}, ACTOR)
    p = _person(db, household_id=home["id"])
    org = records.create(db, "party_orgs", {"name": "一支部", "org_type": "党支部",
                                            "community_id": com["id"]}, ACTOR)
    m = records.create(db, "party_members", {"person_id": p["id"], "org_id": org["id"],
                                             "joined_on": dt.date(2000, 7, 1)}, ACTOR)
    assert records.get(db, "households", home["id"])["is_party_household"] is True
    floor = undo.latest_id(db)
    records.update(db, "party_members", m["id"], {"status": "转出",
                                                  "status_date": dt.date(2026, 11, 1)}, ACTOR)
    assert records.get(db, "households", home["id"])["is_party_household"] is False
    _edit, changes = undo.undo_last(db, ACTOR, floor)
    assert records.get(db, "party_members", m["id"])["status"] == "在册"
    assert records.get(db, "households", home["id"])["is_party_household"] is True
    assert home["id"] in changes.ids["households"]
