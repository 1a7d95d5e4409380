"""A transfer's follow-up on the member roll is written with the transfer, in one
transaction, or not at all."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import batch, followups, records
from app.services.access import system


def _transfer_out(member: dict) -> dict:
    return {"person_id": member["person_id"], "direction": "转出", "org_id": member["org_id"],
            "other_org": "某区机关党委", "transfer_date": dt.date(2026, 11, 20),
            "letter_no": "转字第12号"}


def test_offer_then_one_transaction(demo_db):
    member = records.list_rows(demo_db, "party_members", filters={"status": "在册"})[0]
    clean, issues = records.check(demo_db, "party_transfers", _transfer_out(member))
    assert not [i for i in issues if i.level == "error"]
    offer = followups.offer(demo_db, "party_transfers", clean)
    assert offer is not None and offer.form is None and "转出" in offer.question
    saved = records.create(demo_db, "party_transfers", _transfer_out(member), system("t"),
                           followups=True)
    stored = records.get(demo_db, "party_members", member["id"])
    assert (stored["status"], stored["status_date"]) == ("转出", dt.date(2026, 11, 20))
    assert stored["status_reason"] == "组织关系转出至某区机关党委，介绍信 转字第12号"
    assert saved.changes.ids["party_members"] == {member["id"]}
    assert saved.changes.ids["party_transfers"] == {saved["id"]}


def test_follow_up_failing_leaves_no_transfer(demo_db, monkeypatch):
    member = records.list_rows(demo_db, "party_members", filters={"status": "在册"})[0]
    before = records.count(demo_db, "party_transfers")

    def broken(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(batch, "update_many", broken)
    with pytest.raises(RuntimeError):
        records.create(demo_db, "party_transfers", _transfer_out(member), system("t"), followups=True)
    assert records.count(demo_db, "party_transfers") == before
    assert records.get(demo_db, "party_members", member["id"])["status"] == "在册"
