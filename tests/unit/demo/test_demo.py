"""Demo data at community scale: every register filled, every row valid, the situations the
reminders and figures need are present, and the same seed gives the same data."""

import datetime as dt
import hashlib
from collections import Counter

import pytest
import sqlalchemy as sa

from app.demo import build_demo
from app.registry import REGISTERS
from app.services import records
from app.storage import Database
from app.storage.schema import TABLES

from ...conftest import DEMO_TODAY


def _digest(db: Database) -> str:
    h = hashlib.sha256()
    with db.connect() as conn:
        for reg in REGISTERS:
            for row in conn.execute(sa.select(TABLES[reg.key]).order_by(TABLES[reg.key].c.id)):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def test_every_register_is_filled(demo_db):
    for reg in REGISTERS:
        assert records.count(demo_db, reg.key) > 0, reg.key


def test_every_demo_row_passes_the_services_validation(demo_db):
    """The bulk builder bypasses the services, so check what it wrote against them."""
    editable = {}
    with demo_db.connect() as conn:
        for reg in REGISTERS:
            rows = records.list_rows(conn, reg.key, limit=150, reveal=True)
            keys = [f.key for f in reg.fields if f.kind != "step"]
            for row in rows:
                values = {k: row[k] for k in keys}
                _, issues = records.validate(conn, reg.key, values, row, today=DEMO_TODAY)
                errors = [str(i) for i in issues if i.level == "error"]
                assert not errors, (reg.key, row["id"], errors)
                editable[reg.key] = True
    assert len(editable) == len(REGISTERS)


def test_same_seed_same_data_other_seed_other_data(tmp_path, demo_db):
    a = Database(tmp_path / "a.db")
    build_demo(a, "community", seed=1, today=DEMO_TODAY)
    b = Database(tmp_path / "b.db")
    build_demo(b, "community", seed=2, today=DEMO_TODAY)
    assert _digest(a) == _digest(demo_db)
    assert _digest(a) != _digest(b)


def test_demo_refuses_a_database_with_people(demo_db):
    with pytest.raises(RuntimeError, match="已有人员"):
        build_demo(demo_db, "community")


def test_places_have_both_community_types_and_three_none_compounds(demo_db):
    types = {c["community_type"] for c in records.list_rows(demo_db, "communities")}
    assert types == {"城市社区", "村改居社区"}
    compounds = records.list_rows(demo_db, "compounds")
    three_none = [c for c in compounds if not (c["has_property"] or c["has_owners_committee"]
                                               or c["has_supervisor"])]
    assert 0 < len(three_none) < len(compounds)


def test_people_have_valid_ids_and_households(demo_db):
    people = records.list_rows(demo_db, "people", reveal=True)
    with_id = [p for p in people if p["id_number"]]
    assert len(with_id) > 0.9 * len(people)
    assert len({p["id_number"] for p in with_id}) == len(with_id)
    assert all(p["household_id"] for p in people)
    # Checked by python-stdnum, not by the validator that made them.
    from stdnum.cn import ric
    assert [p["id_number"] for p in with_id if not ric.is_valid(p["id_number"])] == []
    for p in with_id:
        idn = p["id_number"]
        assert ric.get_birth_date(idn) <= DEMO_TODAY
        if p.get("birth_date"):
            assert p["birth_date"] == ric.get_birth_date(idn)
        if p.get("gender"):
            assert p["gender"] == ("男" if int(idn[16]) % 2 else "女")


def test_party_organisation_has_gaps_and_every_kind_of_member(demo_db):
    orgs = records.list_rows(demo_db, "party_orgs")
    assert {o["org_type"] for o in orgs} >= {"党支部", "党小组"}
    covered = {o["compound_id"] for o in orgs if o["org_type"] == "党支部" and o["compound_id"]}
    assert 0 < len(covered) < records.count(demo_db, "compounds")
    members = records.list_rows(demo_db, "party_members", include_deleted=True)
    assert {m["category"] for m in members} == {"正式党员", "预备党员"}
    assert {m["identity"] for m in members} == {"社区党员", "在职党员到社区报到", "流动党员"}
    assert {"在册", "转出"} <= {m["status"] for m in members}
    assert any(m["identity"] == "在职党员到社区报到" and not m["reported_on"] for m in members)
    assert any(not m["plaque_hung"] for m in members)
    assert all(o["secretary_id"] for o in orgs if o["org_type"] in ("党支部",)
               and any(m["org_id"] == o["id"] for m in members))


def test_a_year_of_meetings_with_a_branch_behind(demo_db):
    meetings = records.list_rows(demo_db, "party_meetings")
    assert {"支委会", "支部党员大会", "党课", "党小组会", "主题党日"} <= {m["meeting_type"]
                                                                  for m in meetings}
    assert min(m["held_at"] for m in meetings).date() < DEMO_TODAY - dt.timedelta(days=300)
    recent = dt.datetime.combine(DEMO_TODAY - dt.timedelta(days=60), dt.time())
    branches = {o["id"] for o in records.list_rows(demo_db, "party_orgs",
                                                   filters={"org_type": "党支部"})}
    with_meetings = {m["org_id"] for m in meetings}
    active = {m["org_id"] for m in meetings if m["meeting_type"] == "支委会"
              and m["held_at"] >= recent}
    assert (branches & with_meetings) - active, "no branch behind its 支委会 schedule"
    m = meetings[0]
    att = records.list_rows(demo_db, "meeting_attendance", filters={"meeting_id": m["id"]})
    assert len(att) == m["expected"]
    assert sum(a["attendance"] == "出席" for a in att) == m["attended"]


def test_law_area_has_every_case_status_overdue_and_a_repeat_petitioner(demo_db):
    cases = records.list_rows(demo_db, "mediation_cases")
    steps = {c["step"] for c in cases}
    assert {"受理", "调解中", "调解成功"} <= steps and steps & {"调解不成功", "终止", "转办"}
    overdue = [c for c in cases if c["step"] in ("受理", "调解中")
               and (DEMO_TODAY - c["received_on"]).days > 30]
    assert overdue
    per_person = Counter(p["petitioner_id"] for p in records.list_rows(demo_db, "petitions"))
    assert per_person.most_common(1)[0][1] >= 3


def test_other_areas_cover_their_stages_and_channels(demo_db):
    assert {h["step"] for h in records.list_rows(demo_db, "honours")} >= {"推荐", "表彰"}
    channels = Counter(s["channel"] for s in records.list_rows(demo_db, "service_records"))
    assert channels["窗口"] > channels["网上"] > 0
    venue_steps = {v["step"] for v in records.list_rows(demo_db, "venues")}
    assert "运营" in venue_steps and venue_steps & {"规划", "在建"}
    assert {s["step"] for s in records.list_rows(demo_db, "consultations")} >= {"征集议题"}
    assert {t["training_type"] for t in records.list_rows(demo_db, "trainings")} >= {"主题沙龙"}
    assert {o["origin"] for o in records.list_rows(demo_db, "social_orgs")} == {"培育", "引进"}
    assert {c["source"] for c in records.list_rows(demo_db, "committee_members")} >= {"村民"}


# -- issue 12: what a clerk notices first ------------------------------------------------------

def test_names_fit_gender_and_ages_fit_roles(demo_db):
    from app.core.validators import age_on
    from app.demo.names import GIVEN_NAMES
    from tests.conftest import DEMO_TODAY
    given = {g: {n for (gender, _era), names in GIVEN_NAMES.items() if gender == g
                 for n in names} for g in ("男", "女")}
    people = {p["id"]: p for p in records.list_rows(demo_db, "people")}
    for p in people.values():
        # 陈建国 is a man: the given name comes from the pool of the person's gender.
        assert p["name"][1:] in given[p["gender"]] or p["name"][2:] in given[p["gender"]], \
            (p["name"], p["gender"])
    members = records.list_rows(demo_db, "party_members")
    for m in members:
        age = age_on(m["person_birth_date"], DEMO_TODAY)
        retire = 55 if m["person_gender"] == "女" else 60
        # Nobody of 95 still works at a state company.
        assert (m["work_unit"] == "退休") == (age >= retire), (age, m["work_unit"])
        assert m["party_post"] != "党员"
    for c in records.list_rows(demo_db, "committee_members"):
        age = age_on(people[c["person_id"]]["birth_date"], DEMO_TODAY)
        assert 23 <= age <= 62, (c["post"], age)
        if c["post"] in ("书记", "主任"):
            assert 28 <= age <= 58, (c["post"], age)
    for a in records.list_rows(demo_db, "cadre_assignments"):
        assert 35 <= age_on(people[a["person_id"]]["birth_date"], DEMO_TODAY) <= 58


def test_households_have_a_head_and_places_their_totals(demo_db):
    homes = records.list_rows(demo_db, "households")
    lived_in = {p["household_id"] for p in records.list_rows(demo_db, "people")}
    assert homes and all(h["head_name"] for h in homes if h["id"] in lived_in)
    people = records.list_rows(demo_db, "people")
    for c in records.list_rows(demo_db, "communities"):
        assert c["households_total"] == sum(1 for h in homes if h["community_id"] == c["id"])
        assert c["residents_total"] == sum(1 for p in people
                                           if p["community_id"] == c["id"])
    buildings = records.list_rows(demo_db, "buildings")
    for cp in records.list_rows(demo_db, "compounds"):
        assert cp["buildings_total"] == sum(1 for b in buildings if b["compound_id"] == cp["id"])
        assert cp["households_total"] == sum(1 for h in homes if h["compound_id"] == cp["id"])


def test_the_new_reminders_have_something_to_show(demo_db):
    from app.services import reminders
    from tests.conftest import DEMO_TODAY
    kinds = {g.kind: len(g.items) for area in ("party", "law")
             for g in reminders.area_reminders(demo_db, area, DEMO_TODAY)}
    assert kinds["probation"] and kinds["revisit"] and kinds["petition_due"], kinds


def test_members_joined_young(demo_db):
    from app.core.validators import age_on
    members = records.list_rows(demo_db, "party_members")
    ages = [age_on(m["person_birth_date"], m["joined_on"]) for m in members]
    assert all(18 <= a for a in ages)
    assert sum(a <= 46 for a in ages) >= 0.95 * len(ages)
    for m in members:
        if m["category"] == "预备党员":  # joined within the last year or so, young
            assert age_on(m["person_birth_date"], m["joined_on"]) <= 41, m
