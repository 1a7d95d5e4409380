"""Several PCs on one database (issue 14): no lost update, and derived values right under
writers that really run at once.

Each "PC" is a :class:`~app.storage.Database` of its own on the same file or server database
(its own engine and connections); threads start together at a barrier.  The same tests run
on SQLite (one file, BEGIN IMMEDIATE queues the writers) and, with TAIZHANG_TEST_PG, on
PostgreSQL (row locks and advisory locks).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from app.services import batch, hooks, records
from app.services.errors import StaleRecord, WorkflowError
from app.storage import Database
from app.storage.schema import TABLES, audit_log

ACTOR = "测试"


def _pcs(location, n: int) -> list[Database]:
    return [Database(location) for _ in range(n)]


def _together(n: int, work) -> list:
    """Run ``work(i)`` in ``n`` threads released at once; each result or raised exception."""
    barrier = threading.Barrier(n)
    out: list = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test looks at what each one raised
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def _community(db) -> int:
    street = records.create(db, "streets", {"name": "测试街道"}, ACTOR)
    return records.create(db, "communities", {"name": "东风社区", "street_id": street["id"],
                                               "community_type": "城市社区"}, ACTOR)["id"]


# -- versions ------------------------------------------------------------------------------------

def test_every_write_is_a_new_version(db):
    street = records.create(db, "streets", {"name": "甲街道"}, ACTOR)
    assert street["version"] == 1
    assert records.update(db, "streets", street["id"], {"district": "一区"}, ACTOR)["version"] == 2
    # Nothing changed, nothing written: the version stays.
    assert records.update(db, "streets", street["id"], {"district": "一区"}, ACTOR)["version"] == 2
    assert records.soft_delete(db, "streets", street["id"], ACTOR)["version"] == 3
    assert records.restore(db, "streets", street["id"], ACTOR)["version"] == 4


def test_an_update_from_an_older_version_is_refused_and_nothing_is_lost(new_db_location):
    pc1, pc2 = _pcs(new_db_location, 2)
    try:
        street = records.create(pc1, "streets", {"name": "甲街道"}, "甲")
        opened = records.get(pc1, "streets", street["id"])  # both forms open at version 1
        records.update(pc2, "streets", street["id"], {"district": "乙区"}, "乙",
                       version=opened["version"])
        with pytest.raises(StaleRecord) as exc:
            records.update(pc1, "streets", street["id"], {"district": "甲区", "note": "甲的备注"},
                           "甲", version=opened["version"])
        assert "乙" in str(exc.value) and "没有保存" in str(exc.value)
        assert exc.value.current["district"] == "乙区" and exc.value.version == 2
        now = records.get(pc1, "streets", street["id"])
        assert (now["district"], now["note"], now["version"]) == ("乙区", None, 2)
        # Reloaded (version 2), the same edit goes through.
        again = records.update(pc1, "streets", street["id"], {"note": "甲的备注"}, "甲",
                               version=now["version"])
        assert (again["district"], again["note"], again["version"]) == ("乙区", "甲的备注", 3)
    finally:
        pc1.close()
        pc2.close()


def test_a_step_advanced_elsewhere_is_refused(db):
    comm = _community(db)
    case = records.create(db, "consultations", {"title": "加装电梯", "community_id": comm,
                                                "raised_on": "2026-01-05"}, ACTOR)
    v = case["version"]
    records.advance(db, "consultations", case["id"], "党组织提议", "乙",
                    dt.date(2026, 1, 6), version=v)
    with pytest.raises(StaleRecord):
        records.advance(db, "consultations", case["id"], "党组织提议", "甲",
                        dt.date(2026, 1, 7), version=v)
    with pytest.raises(StaleRecord):
        records.soft_delete(db, "consultations", case["id"], "甲", version=v)
    assert records.history(db, "consultations", case["id"])[-1]["actor"] == "乙"


def test_an_import_based_on_rows_changed_since_is_refused(db):
    street = records.create(db, "streets", {"name": "甲街道"}, ACTOR)
    with db.begin() as conn:
        stale = {street["id"]: {c.name: street.get(c.name) for c in TABLES["streets"].c}}
    records.update(db, "streets", street["id"], {"district": "一区"}, "乙")
    with pytest.raises(StaleRecord, match="乙"):
        with db.begin() as conn:
            batch.update_many(conn, "streets", [(street["id"], {"note": "x"})], ACTOR,
                              befores=stale)
    assert records.get(db, "streets", street["id"])["note"] is None


# -- real concurrent writers ---------------------------------------------------------------------

def test_two_pcs_saving_one_record_at_once_one_wins_one_is_told(new_db_location):
    pcs = _pcs(new_db_location, 4)
    try:
        street = records.create(pcs[0], "streets", {"name": "甲街道"}, ACTOR)
        results = _together(4, lambda i: records.update(
            pcs[i], "streets", street["id"], {"district": f"区{i}"}, f"用户{i}", version=1))
        won = [r for r in results if isinstance(r, dict)]
        lost = [r for r in results if isinstance(r, StaleRecord)]
        assert len(won) == 1 and len(lost) == 3, results
        final = records.get(pcs[0], "streets", street["id"])
        assert final["district"] == won[0]["district"] and final["version"] == 2
        with pcs[0].connect() as conn:
            audits = conn.execute(sa.select(sa.func.count()).where(
                audit_log.c.register == "streets", audit_log.c.action == "update")).scalar()
        assert audits == 1
    finally:
        for pc in pcs:
            pc.close()


def test_two_pcs_advancing_one_case_at_once(new_db_location):
    pcs = _pcs(new_db_location, 3)
    try:
        comm = _community(pcs[0])
        case = records.create(pcs[0], "consultations", {
            "title": "加装电梯", "community_id": comm, "raised_on": "2026-01-05"}, ACTOR)
        # Without versions too: the second finds the step already taken (WorkflowError).
        results = _together(3, lambda i: records.advance(
            pcs[i], "consultations", case["id"], "党组织提议", f"用户{i}", dt.date(2026, 1, 6)))
        assert sum(isinstance(r, dict) for r in results) == 1, results
        assert all(isinstance(r, (dict, WorkflowError)) for r in results), results
        steps = [h["step"] for h in records.history(pcs[0], "consultations", case["id"])]
        assert steps == ["征集议题", "党组织提议"]
    finally:
        for pc in pcs:
            pc.close()


def test_case_numbers_of_a_year_stay_unique_and_consecutive_under_writers(new_db_location):
    pcs = _pcs(new_db_location, 4)
    try:
        comm = _community(pcs[0])
        person = records.create(pcs[0], "people", {"name": "甲"}, ACTOR)["id"]
        case = {"community_id": comm, "category": "邻里纠纷", "applicant_id": person,
                "summary": "噪音", "received_on": "2026-03-01"}

        def work(i: int) -> list[str]:
            made = []
            for _ in range(5):
                made.append(records.create(pcs[i], "mediation_cases", case, f"用户{i}")
                            ["case_no"])
            with pcs[i].begin() as conn:  # and a batch (an import) in the middle
                w = batch.create_many(conn, "mediation_cases", [
                    {**case, "received_on": dt.date(2026, 3, 2)}] * 3, f"用户{i}")
                made += [conn.execute(sa.select(TABLES["mediation_cases"].c.case_no).where(
                    TABLES["mediation_cases"].c.id == rid)).scalar() for rid in w.ids]
            return made

        results = _together(4, work)
        assert all(isinstance(r, list) for r in results), results
        numbers = sorted(n for r in results for n in r)
        assert numbers == [f"2026-{i:04d}" for i in range(1, 33)]
    finally:
        for pc in pcs:
            pc.close()


def test_party_household_flags_right_after_members_change_at_once(new_db_location):
    """Four PCs add and end party members of the same households at once; afterwards every
    household's 党员户 flag is what the roll says."""
    pcs = _pcs(new_db_location, 4)
    try:
        db = pcs[0]
        comm = _community(db)
        org = records.create(db, "party_orgs", {"name": "第一支部", "org_type": "党支部",
                                                "community_id": comm}, ACTOR)["id"]
        homes = [records.create(db, "households", {"room": f"{i}号", "community_id": comm},
                                ACTOR)["id"] for i in range(3)]
        people = [records.create(db, "people", {"name": f"人{i}", "household_id": homes[i % 3]},
                                 ACTOR)["id"] for i in range(12)]
        members = {p: records.create(db, "party_members", {
            "person_id": p, "org_id": org, "joined_on": "2010-07-01"}, ACTOR)["id"]
            for p in people[:6]}

        def work(i: int) -> None:
            # PC i ends the membership of its existing members and enrols new people.
            for p in people[i::4]:
                if p in members:
                    records.update(pcs[i], "party_members", members[p], {
                        "status": "去世", "status_date": "2026-01-01"}, f"用户{i}")
                else:
                    records.create(pcs[i], "party_members", {
                        "person_id": p, "org_id": org, "joined_on": "2020-07-01"}, f"用户{i}")

        results = _together(4, work)
        assert results == [None] * 4, results
        with db.begin() as conn:
            # Recomputing every household from the roll changes nothing: all were right.
            assert not hooks.refresh_party_households(conn)
        flags = {h: records.get(db, "households", h)["is_party_household"] for h in homes}
        assert flags == {h: True for h in homes}  # 人6…人11 joined, spread over all three
    finally:
        for pc in pcs:
            pc.close()


def test_place_totals_count_every_household_added_at_once(new_db_location):
    """Four PCs register households (and people) in one 小区 at once; its 户数 and the
    社区's 户数/常住人口 end as the rows say."""
    pcs = _pcs(new_db_location, 4)
    try:
        db = pcs[0]
        comm = _community(db)
        comp = records.create(db, "compounds", {"name": "幸福里", "community_id": comm},
                              ACTOR)["id"]

        def work(i: int) -> None:
            for j in range(6):
                home = records.create(pcs[i], "households", {
                    "room": f"{i}-{j}", "community_id": comm, "compound_id": comp},
                    f"用户{i}")["id"]
                records.create(pcs[i], "people", {"name": f"住户{i}{j}", "household_id": home,
                                                  "community_id": comm}, f"用户{i}")

        results = _together(4, work)
        assert results == [None] * 4, results
        assert records.get(db, "compounds", comp)["households_total"] == 24
        c = records.get(db, "communities", comm)
        assert (c["households_total"], c["residents_total"]) == (24, 24)
    finally:
        for pc in pcs:
            pc.close()
