"""Demo data of area 1: organisations with coverage gaps, members of every kind, transfers,
the development pipeline and a year of 三会一课 with attendance (some branches behind)."""

from __future__ import annotations

import datetime as dt


from ..registry.party import MEMBER_IDENTITIES
from ..services.hooks import meeting_label
from ..core.validators import age_on
from . import names as N


def build(b, w) -> None:
    rng = b.rng
    orgs: list[dict] = []          # id, type, community_id, compound_id, building_id, parent
    rows = []

    def add_org(name, typ, com, parent=None, compound=None, building=None):
        rows.append({"name": name, "org_type": typ, "community_id": com, "parent_id": parent,
                     "compound_id": compound, "building_id": building,
                     "founded_on": b.days_ago(400, 6000)})
        orgs.append({"id": len(orgs) + 1, "type": typ, "community_id": com,
                     "compound_id": compound, "building_id": building, "parent": parent})
        return len(orgs)

    top, first_branch, branch_of_compound, group_of_building = {}, {}, {}, {}
    for c in w.communities:
        typ = "党委" if c["type"] == "城市社区" else "党总支"
        top[c["id"]] = add_org(f"{c['name']}{typ}", typ, c["id"])
        first_branch[c["id"]] = add_org(f"{c['name']}第一党支部", "党支部", c["id"], top[c["id"]])
    buildings_of: dict[int, list[dict]] = {}
    for bd in w.buildings:
        buildings_of.setdefault(bd["compound_id"], []).append(bd)
    for cp in w.compounds:
        if rng.random() < 0.72:  # the rest are coverage gaps
            br = add_org(f"{cp['name']}党支部", "党支部", cp["community_id"],
                         top[cp["community_id"]], compound=cp["id"])
            branch_of_compound[cp["id"]] = br
            for bd in buildings_of.get(cp["id"], []):
                if rng.random() < 0.35:
                    group_of_building[bd["id"]] = add_org(
                        f"{bd['label']}党小组", "党小组", cp["community_id"], br,
                        compound=cp["id"], building=bd["id"])
    b.insert("party_orgs", rows)

    # Members: adults spread over communities; org by where they live.
    per_com = max(1, b.s.members // len(w.communities))
    members_of: dict[int, list[int]] = {}
    mrows, member_people = [], []
    person = {p["id"]: p for p in w.people}
    due_left: dict[int, int] = {}  # 预备党员 per community still to make due for 转正
    for c in w.communities:
        # A member's 身份证号 is always on file (the roster and the district need it).
        pool = [p for p in w.adults_by_community.get(c["id"], []) if p not in w.without_id]
        for pid in rng.sample(pool, min(per_com, len(pool))):
            p = person[pid]
            compound, building = w.home[p["household_id"]]
            if building in group_of_building and rng.random() < 0.6:
                org = group_of_building[building]
            else:
                org = branch_of_compound.get(compound, first_branch[c["id"]])
            min_join = p["birth"] + dt.timedelta(days=18 * 366 + 40)
            # Most join young (between 18 and 45), never later than a month ago.
            span = max(1, min((b.today - min_join).days - 30, 27 * 365))
            joined = min_join + dt.timedelta(days=rng.randint(0, span))
            joined = joined.replace(day=1)  # 政治生日 are usually the 1st of a month
            young = age_on(p["birth"], b.today) <= 40  # a 预备党员 this year is young
            probationary = rng.random() < 0.08 and young and (b.today - joined).days > 30
            if probationary:
                # Some near or past the end of their year: 转正 is due (a reminder); the
                # first two of each community always are, so the reminder has something.
                due = due_left.get(c["id"], 2) > 0
                due_left[c["id"]] = due_left.get(c["id"], 2) - 1
                joined = b.today - dt.timedelta(days=rng.randint(340, 380) if due
                                                else rng.randint(30, 330))
            confirmed = None if probationary else (
                joined + dt.timedelta(days=365) if joined + dt.timedelta(days=365) < b.today
                else None)
            identity = b.pick(MEMBER_IDENTITIES, (70, 22, 8))
            status = b.pick(("在册", "转出", "失联", "去世"), (95, 2.5, 1, 1.5))
            plaque = rng.random() < 0.6
            mrows.append({
                "person_id": pid, "org_id": org, "joined_on": joined,
                "category": "预备党员" if probationary or confirmed is None else "正式党员",
                "confirmed_on": confirmed, "identity": identity,
                "reported_on": b.days_ago(20, 900) if identity == "在职党员到社区报到"
                and rng.random() < 0.75 else None,
                "work_unit": work_unit(b, p), "party_post": None,
                "is_center_household": rng.random() < 0.08, "plaque_hung": plaque,
                "plaque_date": b.days_ago(30, 700) if plaque else None,
                "status": status,
                "status_date": b.days_ago(10, 500) if status != "在册" else None,
                "status_reason": {"转出": "组织关系转往外地", "失联": "长期未参加组织生活且联系不上",
                                  "去世": "因病去世"}.get(status)})
            if status == "在册":
                members_of.setdefault(org, []).append(pid)
            member_people.append(pid)
    # Each organisation's secretary (书记 / 党小组长) is one of its members.
    secretaries = {}
    for org, pids in members_of.items():
        # A secretary in the prime of working life, where the organisation has one.
        fit = [pid for pid in pids if 30 <= age_on(person[pid]["birth"], b.today) <= 62]
        secretaries[org] = (fit or pids)[0]
        for r in mrows:
            if r["person_id"] == secretaries[org]:
                r["party_post"] = "党小组长" if orgs[org - 1]["type"] == "党小组" else "书记"
                if r["category"] == "预备党员":  # a secretary is a full member
                    r["category"] = "正式党员"
                    r["joined_on"] = (r["joined_on"] - dt.timedelta(days=5 * 365)).replace(day=1)
                    r["confirmed_on"] = r["joined_on"] + dt.timedelta(days=365)
                break
    b.insert("party_members", mrows)
    b.update("party_orgs", [(org, {"secretary_id": pid}) for org, pid in secretaries.items()])

    _transfers(b, mrows, orgs)
    _development(b, w, orgs, member_people)
    _meetings(b, orgs, members_of, secretaries)


def work_unit(b, person: dict) -> str:
    """Where a member works: 退休 past the retirement age (60 for men, 55 for women), a
    student under 23 now and then, else one of the demo's employers."""
    age = age_on(person["birth"], b.today)
    if age >= (55 if person.get("gender") == "女" else 60):
        return "退休"
    if age < 23 and b.rng.random() < 0.6:
        return "在校学生"
    return b.pick([u for u in N.WORK_UNITS if u != "退休"])


def _transfers(b, mrows, orgs) -> None:
    rows = []
    for r in mrows:
        if r["status"] == "转出":
            rows.append({"person_id": r["person_id"], "direction": "转出", "org_id": r["org_id"],
                         "other_org": "外省市某社区党委", "transfer_date": r["status_date"],
                         "letter_no": f"转字{b.rng.randint(100, 999)}号"})
        elif b.rng.random() < 0.02:
            rows.append({"person_id": r["person_id"], "direction": "转入", "org_id": r["org_id"],
                         "other_org": b.pick(N.WORK_UNITS) + "党支部",
                         "transfer_date": max(r["joined_on"], b.days_ago(30, 1500)),
                         "letter_no": f"介字{b.rng.randint(100, 999)}号"})
    b.insert("party_transfers", rows)


def _development(b, w, orgs, member_people) -> None:
    taken = set(member_people)
    branches = [o for o in orgs if o["type"] == "党支部"]
    rows, paths = [], []
    for o in branches:
        pool = [p for p in w.adults_by_community.get(o["community_id"], [])[:400]
                if p not in taken]
        for pid in b.rng.sample(pool, min(2, len(pool))):
            taken.add(pid)
            upto = b.rng.randint(0, 3)
            path = b.path("party_development", upto, b.days_ago(400, 1400), (90, 400))
            rows.append({"person_id": pid, "org_id": o["id"], "step": path[-1][0],
                         "step_date": path[-1][1], "contact_persons": b.name() + "、" + b.name()})
            paths.append(path)
    b.insert("party_development", rows, paths=paths)


def _meetings(b, orgs, members_of, secretaries) -> None:
    """A year of 三会一课; about one branch in eight stopped three months ago (behind)."""
    rng, today = b.rng, b.today
    mrows, expected = [], []
    someone_behind = False
    for o in orgs:
        if o["type"] not in ("党支部", "党小组"):
            continue
        members = members_of.get(o["id"], [])
        if o["type"] == "党支部":  # a branch's meetings expect its groups' members too
            members = members + [p for g in orgs if g["parent"] == o["id"]
                                 for p in members_of.get(g["id"], [])]
        if not members:
            continue
        # At least one branch is behind, so that the reminder has something to show.
        behind = rng.random() < 0.125 or (o["type"] == "党支部" and not someone_behind)
        someone_behind = someone_behind or (behind and o["type"] == "党支部")
        last_month = 4 if behind else 0
        plan = ([("支委会", m) for m in range(12)] + [("支部党员大会", m) for m in (1, 4, 7, 10)]
                + [("党课", m) for m in (2, 5, 8, 11)] + [("主题党日", m) for m in (0, 3, 6, 9)]
                if o["type"] == "党支部" else [("党小组会", m) for m in range(12)])
        for mtype, months_ago in plan:
            if months_ago < last_month:
                continue
            day = today - dt.timedelta(days=30 * months_ago + rng.randint(0, 25))
            held = dt.datetime.combine(day, dt.time(rng.choice((9, 14, 19)), 30))
            committee = mtype == "支委会"
            exp = members[:3] if committee else members
            topic = b.pick(N.MEETING_TOPICS)
            mrows.append({"org_id": o["id"], "meeting_type": mtype, "held_at": held,
                          "place": "社区党群服务中心" if rng.random() < 0.7 else "小区邻里中心",
                          "topic": topic, "label": meeting_label(held, mtype, topic),
                          "first_topic": b.pick(N.FIRST_TOPICS),
                          "study_form": b.pick(("书记领学", "研讨交流", "晾晒心得")),
                          "host": None, "recorder": None,
                          "lecturer": None, "expected": len(exp)})
            expected.append((exp, secretaries.get(o["id"])))
    ids = b.insert("party_meetings", mrows)
    arows = []
    names = {}
    for mid, (exp, sec) in zip(ids, expected):
        att = leave = 0
        for pid in exp:
            x = rng.random()
            status = "出席" if x < 0.86 or pid == sec else ("请假" if x < 0.96 else "缺席")
            att += status == "出席"
            leave += status == "请假"
            arows.append({"meeting_id": mid, "person_id": pid, "attendance": status,
                          "reason": b.pick(("出差", "生病", "家中有事", "外出务工"))
                          if status == "请假" else None})
        observers = 1 if rng.random() < 0.1 else 0
        names[mid] = (att, leave, observers)
    b.insert("meeting_attendance", arows)
    b.update("party_meetings", [
        (m, {"attended": a, "on_leave": lv, "observers": ob, "host": b.name(),
             "recorder": b.name()}) for m, (a, lv, ob) in names.items()])
