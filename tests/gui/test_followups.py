"""组织关系转出/转入 offer to update the member roll."""

from __future__ import annotations

import datetime as dt

from app.services import records
from app.ui.record_dialog import RecordDialog

from .conftest import open_register
from app.services.access import system


def _fill_transfer(d: RecordDialog, person_id: int, direction: str, org_id: int) -> None:
    d.editors["person_id"].set_value(person_id)
    d.editors["direction"].set_value(direction)
    d.editors["org_id"].set_value(org_id)
    d.editors["other_org"].setText("某区机关党委")
    d.editors["transfer_date"].line.setText("2026-11-20")
    d.editors["letter_no"].setText("转字第12号")


def test_transfer_out_sets_the_member_status(window, dialogs, message_boxes):
    member = records.list_rows(window.db, "party_members", filters={"status": "在册"})[0]
    members_view = open_register(window, "party_members")
    open_register(window, "party_transfers")
    dialogs.on(RecordDialog, lambda d: (_fill_transfer(d, member["person_id"], "转出",
                                                        member["org_id"]),
                                        d.save_button.click()))
    window.act_add.trigger()
    assert message_boxes.shown[-1][0] == "question" and "转出" in message_boxes.shown[-1][2]
    stored = records.get(window.db, "party_members", member["id"])
    assert stored["status"] == "转出" and stored["status_date"] == dt.date(2026, 11, 20)
    assert "某区机关党委" in stored["status_reason"] and "转字第12号" in stored["status_reason"]
    assert members_view.stale   # the roster shows it when opened again


def test_transfer_in_of_a_new_member_opens_the_member_form(window, dialogs, message_boxes):
    from tests.data.ids import make_id
    person = records.create(window.db, "people", {"name": "转入者", "id_number":
                                                  make_id("19800101", 555, "110108")}, system("测试"))
    org = records.list_rows(window.db, "party_orgs", filters={"org_type": "党支部"})[0]
    open_register(window, "party_transfers")
    seen = {}

    def member_form(d: RecordDialog):
        seen["person"] = d.editors["person_id"].value()
        seen["org"] = d.editors["org_id"].value()
        d.editors["joined_on"].line.setText("2010-07-01")
        d.save_button.click()
    dialogs.on(RecordDialog, lambda d: (_fill_transfer(d, person["id"], "转入", org["id"]),
                                        d.save_button.click()))
    dialogs.on(RecordDialog, member_form)
    window.act_add.trigger()
    assert seen == {"person": person["id"], "org": org["id"]}
    added = records.list_rows(window.db, "party_members", filters={"person_id": person["id"]})
    assert len(added) == 1 and added[0]["org_id"] == org["id"]


def test_declining_changes_nothing(window, dialogs, message_boxes):
    member = records.list_rows(window.db, "party_members", filters={"status": "在册"})[1]
    open_register(window, "party_transfers")
    message_boxes.answer = message_boxes.answer.No
    dialogs.on(RecordDialog, lambda d: (_fill_transfer(d, member["person_id"], "转出",
                                                        member["org_id"]),
                                        d.save_button.click()))
    window.act_add.trigger()
    assert records.get(window.db, "party_members", member["id"])["status"] == "在册"
