"""The audit log read by an administrator limited to some 社区 (issue 11): a hand-built database
with two 社区 and accounts of each, where every row's expected visibility is written down
beside the write that makes it; the service, ``actors`` and ``taizhang audit`` agree.  Also the
text search in the query (old rows are found beyond the newest ``limit``; masked values stay
masked) and the database restore's own action."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from app.cli import main
from app.services import accounts, audit, records
from app.services.access import ADMIN, CLERK
from app.storage.schema import audit_log
from tests.data.ids import make_id

IDN = make_id("19800101", "011", "320106")
MASKED = IDN[:6] + "*" * 8 + IDN[14:]


def _key(row: dict) -> tuple:
    return row["actor"], row["action"], row["register"], row["record_id"]


@pytest.fixture
def two_communities(db):
    """Writes in 甲社区 and 乙社区; returns (db, rows the 甲社区 administrator must see, every
    row's key)."""
    admin = accounts.sign_in(db, "admin", "demo")                                  # no
    db.actor = admin
    a = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                       admin)                                                      # yes
    b = records.create(db, "communities", {"name": "乙社区", "community_type": "城市社区"},
                       admin)                                                      # no
    mine = []
    for name, role, comms in (("甲管理", ADMIN, [a["id"]]),                         # yes
                              ("甲录入", CLERK, [a["id"]]),                         # yes
                              ("乙录入", CLERK, [b["id"]]),                         # no
                              ("甲乙录入", CLERK, [a["id"], b["id"]])):             # no
        acc = accounts.create_account(db, admin, name, role, "pass-word-1", comms)
        if set(comms) <= {a["id"]}:
            mine.append(("admin", audit.ACCOUNT, "accounts", acc.id))
    jia = accounts.sign_in(db, "甲录入", "pass-word-1")                            # yes
    yi = accounts.sign_in(db, "乙录入", "pass-word-1")                             # no
    with pytest.raises(accounts.AccountError):
        accounts.sign_in(db, "乙录入", "wrong-pass")                               # no
    with pytest.raises(accounts.AccountError):
        accounts.sign_in(db, "甲录入", "wrong-pass")                               # yes
    with pytest.raises(accounts.AccountError):
        accounts.sign_in(db, "某人", "wrong-pass")                                 # no
    pa = records.create(db, "people", {"name": "甲居民", "community_id": a["id"],
                                       "id_number": IDN}, jia)                     # yes
    pb = records.create(db, "people", {"name": "乙居民", "community_id": b["id"]}, yi)  # no
    records.update(db, "people", pa["id"], {"note": "街道改"}, admin)              # yes
    records.update(db, "people", pb["id"], {"note": "街道改"}, admin)              # no
    comp = records.create(db, "compounds", {"name": "甲小区", "community_id": a["id"]},
                          jia)                                                     # yes
    bld = records.create(db, "buildings", {"name": "1栋", "compound_id": comp["id"]},
                         jia)                                                      # yes
    records.create(db, "trainings", {"topic": "街道培训", "training_type": "主题沙龙",
                                     "held_on": dt.date(2026, 11, 1)}, admin)      # no
    audit.record(db, jia, audit.EXPORT, register="people", detail={"行数": 1})    # yes
    audit.record(db, yi, audit.EXPORT, register="people", detail={"行数": 1})     # no
    audit.record(db, admin, audit.BACKUP, detail={"文件": "x.db"})                 # no
    # An import names its batch, not a record: whose import it was decides.
    audit.record(db, jia, audit.IMPORT, register="people", record_id=pb["id"])    # yes
    audit.record(db, yi, audit.IMPORT, register="people", record_id=pa["id"])     # no
    boss = accounts.sign_in(db, "甲管理", "pass-word-1")                           # yes
    acc_id = {acc.name: acc.id for acc in accounts.list_accounts(db, admin)}
    mine += [("admin", "create", "communities", a["id"]),
             ("甲录入", audit.LOGIN, "accounts", acc_id["甲录入"]),
             ("甲录入", audit.LOGIN_FAILED, "accounts", acc_id["甲录入"]),
             ("甲录入", "create", "people", pa["id"]),
             ("admin", "update", "people", pa["id"]),
             ("甲录入", "create", "compounds", comp["id"]),
             ("甲录入", "create", "buildings", bld["id"]),
             ("甲录入", audit.EXPORT, "people", 0),
             ("甲录入", audit.IMPORT, "people", pb["id"]),
             ("甲管理", audit.LOGIN, "accounts", acc_id["甲管理"])]
    every = [_key(r) for r in audit.read(db, admin, limit=None)]
    return db, admin, boss, sorted(mine), every


def test_a_scoped_administrator_reads_only_rows_within_its_communities(two_communities):
    db, admin, boss, mine, every = two_communities
    db.actor = boss
    got = sorted(_key(r) for r in audit.read(db, boss, limit=None))
    assert got == mine
    assert len(every) == len(mine) + 13  # the street's administrator reads every row
    assert audit.actors(db, boss) == ["admin", "甲录入", "甲管理"]
    # Filters narrow within the scope, never beyond it.
    assert [_key(r) for r in audit.read(db, boss, register="people")] == [
        k for k in sorted(mine, key=lambda k: every.index(k)) if k[2] == "people"]
    assert audit.read(db, boss, user="乙录入") == []


def test_record_titles_name_only_records_in_scope(two_communities):
    db, admin, boss, _mine, every = two_communities
    rows = audit.read(db, admin, register="people")
    titles = audit.record_titles(db, boss, rows)
    assert set(titles.values()) == {"甲居民", "甲社区"}  # 社区 through community_id
    assert set(audit.record_titles(db, admin, rows).values()) == {
        "甲居民", "乙居民", "甲社区", "乙社区"}


def test_the_command_line_reads_the_same_rows(two_communities, monkeypatch, capsys):
    db, admin, boss, _mine, _every = two_communities
    monkeypatch.setenv("TAIZHANG_USER", "甲管理")
    monkeypatch.setenv("TAIZHANG_PASSWORD", "pass-word-1")
    assert main(["audit", "--json", "--limit", "0", "--db", str(db.location)]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = audit.read(db, boss, limit=None)  # with the command's own sign-in
    assert [r["id"] for r in printed] == [r["id"] for r in expected]
    assert expected[0]["actor"] == "甲管理" and expected[0]["action"] == audit.LOGIN
    assert not {r["actor"] for r in printed} & {"乙录入", "某人", "甲乙录入"}
    # Text search on the command line too.
    assert main(["audit", "--json", "--search", "甲居民", "--db", str(db.location)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {(r["action"], r["register"]) for r in found} == {("create", "people"),
                                                             ("update", "people")}


def test_search_keeps_masked_numbers_masked(two_communities):
    db, admin, _boss, _mine, _every = two_communities
    assert audit.read(db, admin, search=IDN) == []
    found = audit.read(db, admin, search=MASKED)
    assert [(r["action"], r["register"]) for r in found] == [("create", "people")]
    # Field names, action and register names, record titles, accounts, several words.
    assert {r["register"] for r in audit.read(db, admin, search="公民身份号码")} == {"people"}
    assert {r["action"] for r in audit.read(db, admin, search="登录失败")} == {"login-failed"}
    assert [(r["action"], r["actor"], r["changes"]) for r in
            audit.read(db, admin, search="乙居民 修改")] == [
        ("update", "admin", {"note": [None, "街道改"]})]
    assert {r["actor"] for r in audit.read(db, admin, search="某人")} == {"某人"}
    assert audit.read(db, admin, search="100%_") == []  # LIKE's wildcards are text


def _many(db, n: int) -> None:
    """``n`` rows, straight into the table (the service writes one per call)."""
    start = dt.datetime(2020, 1, 1)
    with db.begin() as conn:
        conn.execute(audit_log.insert(), [
            {"at": start + dt.timedelta(minutes=i), "actor": "张三", "register": "people",
             "record_id": 1, "action": "update",
             "changes": json.dumps({"note": [None, "最早的备注" if i == 0 else f"备注{i}"]},
                                   ensure_ascii=False)} for i in range(n)])


def test_search_finds_the_oldest_of_six_thousand_rows(db):
    _many(db, 6000)
    admin = db.actor
    assert len(audit.read(db, admin)) == 5000  # the newest 5,000 …
    found = audit.read(db, admin, search="最早的")  # … but the search reaches the oldest
    assert len(found) == 1 and found[0]["changes"] == {"note": [None, "最早的备注"]}
    assert found[0]["at"] == dt.datetime(2020, 1, 1)
    assert audit.read(db, admin, search="2020-01-01 00:00:00") == found  # the time shown
    assert len(audit.read(db, admin, search="备注", limit=None)) == 6000


def test_a_database_restore_has_its_own_action(db):
    admin = db.actor
    with db.begin() as conn:  # an older log: ``restore`` for both things
        conn.execute(audit_log.insert(), [
            dict(at=dt.datetime(2026, 1, 1), actor="admin", register="", record_id=0,
                 action="restore", changes=json.dumps({"备份文件": "a.db"})),
            dict(at=dt.datetime(2026, 1, 2), actor="admin", register="people", record_id=3,
                 action="restore", changes=None)])
    audit.record(db, admin, audit.RESTORE, detail={"备份文件": "b.db"})
    rows = audit.read(db, admin)
    assert [(r["action"], audit.action_label(r)) for r in rows] == [
        ("db-restore", "用备份恢复数据库"), ("restore", "恢复"), ("restore", "恢复数据库")]
    assert [r["register"] for r in audit.read(db, admin, actions=["restore"])] == ["people"]
    assert [r["action"] for r in audit.read(db, admin, actions=[audit.RESTORE])] == [
        "db-restore", "restore"]
    assert ("db-restore", "用备份恢复数据库") in audit.action_choices()
    assert len({label for _a, label in audit.action_choices()}) == len(audit.action_choices())
