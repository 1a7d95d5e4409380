"""Watching the log for other PCs' writes (app/services/watch.py) skips the events that
name no register."""

from __future__ import annotations

from app.services import audit, records
from app.services.access import system
from tests.data.ids import make_id

ZHANG = system("张三")


def _person(db):
    return records.create(db, "people", {"name": "观察甲",
                                         "id_number": make_id("19800101", "011", "320106")},
                          ZHANG)


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
