"""Reminders: 政治生日, 三会一课 behind schedule, overdue mediation, 报到 and plaques."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import records, reminders
from app.services.access import system
from tests.data import ids

TODAY = dt.date(2026, 11, 25)
ACTOR = system("测试")


def make_id(birth: str, seq: int) -> str:
    return ids.make_id(birth, seq)


@pytest.fixture
def party(db):
    """One community, a 党委 with one 党支部 and one 党小组, and three members."""
    com = records.create(db, "communities", {"name": "幸福社区", "community_type": "城市社区"},
                         ACTOR)
    other = records.create(db, "communities", {"name": "和平社区", "community_type": "城市社区"},
                           ACTOR)
    top = records.create(db, "party_orgs", {"name": "幸福社区党委", "org_type": "党委",
                                            "community_id": com["id"]}, ACTOR)
    branch = records.create(db, "party_orgs", {
        "name": "幸福一支部", "org_type": "党支部", "parent_id": top["id"],
        "community_id": com["id"], "founded_on": dt.date(2020, 1, 1)}, ACTOR)
    group = records.create(db, "party_orgs", {
        "name": "一支部第一党小组", "org_type": "党小组", "parent_id": branch["id"],
        "community_id": com["id"], "founded_on": dt.date(2026, 11, 2)}, ACTOR)
    other_branch = records.create(db, "party_orgs", {
        "name": "和平一支部", "org_type": "党支部", "community_id": other["id"],
        "founded_on": dt.date(2020, 1, 1)}, ACTOR)

    def person(name, seq):
        return records.create(db, "people", {"name": name, "id_number": make_id("19700101", seq),
                                             "community_id": com["id"]}, ACTOR)

    members = {}
    for i, (name, joined, identity, plaque, reported) in enumerate([
        ("王某", dt.date(1995, 11, 3), "社区党员", True, None),
        ("李某", dt.date(2001, 11, 20), "在职党员到社区报到", False, None),
        ("赵某", dt.date(1999, 5, 1), "在职党员到社区报到", False, dt.date(2026, 3, 1)),
        ("钱某", dt.date(2026, 11, 1), "社区党员", False, None),
    ]):
        p = person(name, i + 1)
        members[name] = records.create(db, "party_members", {
            "person_id": p["id"], "org_id": branch["id"], "joined_on": joined,
            "identity": identity, "plaque_hung": plaque, "reported_on": reported,
            "category": "预备党员" if joined.year == 2026 else "正式党员"}, ACTOR)
    return {"community": com, "other": other, "top": top, "branch": branch, "group": group,
            "other_branch": other_branch, "members": members}


def test_political_birthdays_this_month_only(db, party):
    got = reminders.political_birthdays(db, TODAY)
    texts = [r.text for r in got]
    # 王某 (11-03) before 李某 (11-20); 赵某 is May; 钱某 joined this very month (0 years).
    assert len(got) == 2
    assert "王某" in texts[0] and "31 周年" in texts[0]
    assert "李某" in texts[1] and "25 周年" in texts[1]
    assert {r.record_id for r in got} == {party["members"]["王某"]["id"],
                                          party["members"]["李某"]["id"]}


def test_birthdays_skip_members_no_longer_on_roll(db, party):
    records.update(db, "party_members", party["members"]["王某"]["id"],
                   {"status": "转出", "status_date": dt.date(2026, 6, 1)}, ACTOR)
    assert [r.text for r in reminders.political_birthdays(db, TODAY)][0].count("李某") == 1
    assert len(reminders.political_birthdays(db, TODAY)) == 1


def test_not_reported_and_without_plaque(db, party):
    not_rep = reminders.members_not_reported(db)
    assert [r.record_id for r in not_rep] == [party["members"]["李某"]["id"]]
    no_plaque = reminders.members_without_plaque(db)
    # Only 社区党员 need the household plaque: 钱某 yes, 王某 has one.
    assert [r.record_id for r in no_plaque] == [party["members"]["钱某"]["id"]]
    records.update(db, "party_members", party["members"]["钱某"]["id"],
                   {"plaque_hung": True, "plaque_date": dt.date(2026, 11, 20)}, ACTOR)
    assert reminders.members_without_plaque(db) == []


def _meeting(db, org_id, mtype, day):
    return records.create(db, "party_meetings", {
        "org_id": org_id, "meeting_type": mtype, "topic": f"{mtype}{day}",
        "held_at": dt.datetime.combine(day, dt.time(9, 0))}, ACTOR)


def test_branches_behind_by_period(db, party):
    b = party["branch"]["id"]
    # Monthly 支委会 held in October (the last complete month) → on schedule.
    _meeting(db, b, "支委会", dt.date(2026, 10, 12))
    # Quarterly 党员大会 last held in Q2 → Q3 missed (Q4 still open).
    _meeting(db, b, "支部党员大会", dt.date(2026, 5, 9))
    # 党课 held this quarter → fine.
    _meeting(db, b, "党课", dt.date(2026, 10, 1))
    got = {r.record_id: r.text for r in reminders.branches_behind(db, TODAY)}
    assert "支部党员大会缺 1 个季度（上次 2026-05-09）" in got[b]
    assert "支委会" not in got[b] and "党课" not in got[b]
    # The 党小组 was founded this month: nothing owed yet.
    assert party["group"]["id"] not in got
    # The other community's branch never met: capped, and filtered out by community.
    assert "未有记录" in got[party["other_branch"]["id"]]
    scoped = reminders.branches_behind(db, TODAY, community_id=party["community"]["id"])
    assert party["other_branch"]["id"] not in {r.record_id for r in scoped}


def test_branch_catches_up(db, party):
    b = party["branch"]["id"]
    _meeting(db, b, "支委会", dt.date(2026, 9, 12))
    text = {r.record_id: r.text for r in reminders.branches_behind(db, TODAY)}[b]
    assert "支委会缺 1 个月" in text
    _meeting(db, b, "支委会", dt.date(2026, 10, 30))
    text = {r.record_id: r.text for r in reminders.branches_behind(db, TODAY)}[b]
    assert "支委会" not in text


def test_overdue_mediation(db, party):
    com = party["community"]["id"]
    pid = party["members"]["王某"]["person_id"]
    old = records.create(db, "mediation_cases", {
        "received_on": dt.date(2026, 10, 1), "community_id": com, "category": "邻里纠纷",
        "applicant_id": pid, "summary": "噪音"}, ACTOR)
    recent = records.create(db, "mediation_cases", {
        "received_on": dt.date(2026, 11, 10), "community_id": com, "category": "物业纠纷",
        "applicant_id": pid, "summary": "停车"}, ACTOR)
    closed = records.create(db, "mediation_cases", {
        "received_on": dt.date(2026, 9, 1), "community_id": com, "category": "家庭纠纷",
        "applicant_id": pid, "summary": "赡养"}, ACTOR)
    records.advance(db, "mediation_cases", closed["id"], "调解中", ACTOR, dt.date(2026, 9, 2))
    records.advance(db, "mediation_cases", closed["id"], "调解成功", ACTOR, dt.date(2026, 9, 20))
    got = reminders.overdue_mediation(db, TODAY)
    assert [r.record_id for r in got] == [old["id"]]
    assert "已\u00a055\u00a0天" in got[0].text and "王某" in got[0].text
    assert recent["id"] not in [r.record_id for r in got]


def test_area_groups_and_in_progress(db, party):
    com = party["community"]["id"]
    item = records.create(db, "consultations", {"title": "加装电梯", "community_id": com,
                                                "raised_on": dt.date(2026, 11, 1)}, ACTOR)
    groups = reminders.area_reminders(db, "autonomy", TODAY)
    assert groups[0].items[0].record_id == item["id"]
    assert "征集议题" in groups[0].items[0].text
    kinds = [g.kind for g in reminders.area_reminders(db, "party", TODAY)]
    assert kinds[:5] == ["birthdays", "behind", "probation", "not_reported", "no_plaque"]
    assert [g.kind for g in reminders.area_reminders(db, "cadre", TODAY)] == ["salons"]
    assert [g.kind for g in reminders.area_reminders(db, "law", TODAY)] == [
        "overdue", "revisit", "petition_due"]


# -- issue 12: the reminders a clerk expects ---------------------------------------------------

def test_probationary_members_due_for_confirmation(db, party):
    branch = party["branch"]["id"]

    def member(name, seq, joined, **kw):
        p = records.create(db, "people", {"name": name, "id_number": make_id("19900101", seq)},
                           ACTOR)
        return records.create(db, "party_members", {
            "person_id": p["id"], "org_id": branch, "joined_on": joined,
            "category": "预备党员", **kw}, ACTOR)
    soon = member("孙某", 11, dt.date(2025, 12, 10))       # a year on 2026-12-10: in 15 days
    late = member("周某", 12, dt.date(2025, 10, 1))        # a year on 2026-10-01: past
    member("吴某", 13, dt.date(2026, 3, 1))               # months to go
    member("郑某", 14, dt.date(2025, 9, 1), confirmed_on=dt.date(2026, 9, 5),
           category="正式党员")                            # confirmed already
    due = reminders.probation_due(db, TODAY)
    assert [r.record_id for r in due] == [late["id"], soon["id"]]
    assert "预备期 2026-12-10 满" in due[1].text and "还有\u00a015\u00a0天" in due[1].text
    assert "已过\u00a055\u00a0天" in due[0].text


def test_revisits_and_petition_replies_due(db, party):
    com = party["community"]["id"]
    person = records.create(db, "people", {"name": "申某"}, ACTOR)

    def case(received, closed, revisited=None):
        row = records.create(db, "mediation_cases", {
            "received_on": received, "community_id": com, "category": "邻里纠纷",
            "applicant_id": person["id"], "summary": "噪音", "revisit_on": revisited}, ACTOR)
        records.advance(db, "mediation_cases", row["id"], "调解中", ACTOR, received)
        return records.advance(db, "mediation_cases", row["id"], "调解成功", ACTOR, closed)
    due = case(dt.date(2026, 10, 1), dt.date(2026, 10, 20))          # 回访 by 11-19: past
    case(dt.date(2026, 9, 1), dt.date(2026, 9, 10), dt.date(2026, 9, 25))  # revisited
    soon = case(dt.date(2026, 11, 1), dt.date(2026, 11, 10))         # by 12-10: in 15 days
    hits = reminders.revisits_due(db, TODAY)
    assert [r.record_id for r in hits] == [due["id"], soon["id"]]
    assert "回访 2026-11-19 到期" in hits[0].text

    def petition(received, replied=None):
        return records.create(db, "petitions", {
            "petitioner_id": person["id"], "community_id": com, "form": "来访",
            "received_on": received, "matter": "噪音扰民", "replied_on": replied}, ACTOR)
    late = petition(dt.date(2026, 9, 1))                   # deadline 10-31: past
    near = petition(dt.date(2026, 10, 20))                 # deadline 12-19: in 24 days
    petition(dt.date(2026, 11, 20))                        # deadline in January
    petition(dt.date(2026, 8, 1), dt.date(2026, 8, 20))    # answered
    hits = reminders.petitions_due(db, TODAY)
    assert [r.record_id for r in hits] == [late["id"], near["id"]]
    assert "答复期限 2026-10-31" in hits[0].text


def test_salons_behind_the_quarterly_goal_name_the_rows_behind_them(db):
    def salon(day, kind="主题沙龙"):
        return records.create(db, "trainings", {"topic": "加装电梯", "training_type": kind,
                                                "held_on": day}, ACTOR)
    salon(dt.date(2026, 8, 10), kind="观摩交流")  # not a salon
    behind = reminders.salons_behind(db, TODAY)
    assert len(behind) == 1 and "上季度（2026年第3季度）主题沙龙 0 次" in behind[0].text
    # Late in a quarter its own count shows too.
    late = reminders.salons_behind(db, dt.date(2026, 12, 10))
    assert [r.text.split("（")[0] for r in late] == ["上季度", "本季度"]
    held = salon(dt.date(2026, 7, 15))
    assert reminders.salons_behind(db, TODAY) == []
    autumn = reminders.salons_behind(db, dt.date(2026, 10, 5))
    assert autumn == []
    group = reminders.ReminderGroup("salons", "主题沙龙", reminders.salons_behind(
        db, dt.date(2027, 1, 5)))
    assert group.register == "trainings" and group.rows == ()
    assert reminders.Reminder("trainings", None, "x", (held["id"],)).rows == (held["id"],)
