"""Demo data of areas 2–6, built on the places and the party organisation."""

from __future__ import annotations

import datetime as dt

from ..services.hooks import refresh_party_households
from ..core.validators import age_on
from . import names as N
from . import party


def build(b, w) -> None:
    party.build(b, w)
    refresh_party_households(b.conn)
    _autonomy(b, w)
    _law(b, w)
    _virtue(b, w)
    _service(b, w)
    _cadre(b, w)


def _adult(b, w, community_id: int, ages: tuple[int, int] | None = None) -> int:
    """An adult of the community; ``ages`` (lowest, highest) for a role that needs them (a
    居委会 书记 in working life, not born in 1946)."""
    pool = w.adults_by_community[community_id]
    if ages is not None:
        born = w.births
        fit = [pid for pid in pool if ages[0] <= age_on(born[pid], b.today) <= ages[1]]
        pool = fit or pool
    return b.pick(pool)



def _autonomy(b, w) -> None:
    rng = b.rng
    rows = []
    for c in w.communities:
        village = c["type"] == "村改居社区"
        posts = ["书记", "主任", "副主任"] + ["委员"] * rng.randint(3, 5)
        for post in posts:
            src = "村民" if village else b.pick(("社工招募", "选派", "公开招聘"), (70, 20, 10))
            start = b.today.replace(year=b.today.year - rng.randint(0, 4), month=1, day=15)
            rows.append({"person_id": _adult(b, w, c["id"], (28, 58) if post in ("书记", "主任")
                                             else (23, 62)),
                         "community_id": c["id"],
                         "post": post, "source": src, "term_start": start,
                         "term_end": start.replace(year=start.year + 5),
                         "review_result": "通过", "experience": "曾任楼栋长、网格员"})
    b.insert("committee_members", rows)

    rows, paths = [], []
    for c in w.communities:
        comps = [x for x in w.compounds if x["community_id"] == c["id"]]
        for i in range(rng.randint(6, 8)):
            upto = i % 6 if i < 6 else rng.randint(0, 5)  # every step is represented
            path = b.path("consultation", upto, b.days_ago(20, 600), (5, 40))
            rows.append({"title": b.pick(N.CONSULTATION_TITLES), "community_id": c["id"],
                         "compound_id": b.pick(comps)["id"] if comps else None,
                         "category": b.pick(("加装电梯", "停车管理", "环境整治", "物业服务")),
                         "proposer": b.name(), "raised_on": path[0][1],
                         "step": path[-1][0], "step_date": path[-1][1],
                         "result": "经居民代表会议表决通过" if upto >= 3 else None})
            paths.append(path)
    b.insert("consultations", rows, paths=paths)

    # Regional party committee meetings (区域党委会) are counted from 组织生活.
    rows = []
    for c in w.communities:
        for i in range(rng.randint(1, 3)):
            rows.append({"title": f"{c['name']}居民公约", "kind": "居民公约" if c["type"] ==
                         "城市社区" else "村规民约", "scope": "社区", "community_id": c["id"],
                         "adopted_on": b.days_ago(400, 2000)} if i == 0 else None)
        for cp in [x for x in w.compounds if x["community_id"] == c["id"]]:
            if rng.random() < 0.55:
                rows.append({"title": f"{cp['name']}小区公约", "kind": "小区公约", "scope": "小区",
                             "community_id": c["id"], "compound_id": cp["id"],
                             "adopted_on": b.days_ago(60, 1500),
                             "revised_on": b.days_ago(0, 50) if rng.random() < 0.2 else None,
                             "content": "一、爱护公共设施；二、文明养犬；三、垃圾分类投放。"})
    b.insert("conventions", [r for r in rows if r])

    rows, used = [], set()
    for c in w.communities:
        for nm in rng.sample(N.SOCIAL_ORG_NAMES, rng.randint(2, 4)):
            name = f"{c['name']}{nm}"
            if name in used:
                continue
            used.add(name)
            # Mostly 培育 (grown locally); each community has one 引进 as well.
            origin = "引进" if len(rows) % 3 == 1 else "培育"
            rows.append({"name": name, "org_type": b.pick(("文体娱乐", "志愿服务", "养老服务")),
                         "origin": origin, "community_id": c["id"],
                         "started_on": b.days_ago(30, 2500), "members_count": rng.randint(8, 60),
                         "leader": b.name(), "phone": b.mobile(),
                         "services": "组织居民开展文体活动、志愿服务"})
    b.insert("social_orgs", rows)

    rows = []
    for c in w.communities:
        # One person holds one role of each kind once (a role is matched by person and role).
        pool = rng.sample(w.adults_by_community[c["id"]], 17)
        for role, n in (("协商联络员", 2), ("居民代表", 8), ("楼栋长", 4), ("网格员", 3)):
            for _ in range(n):
                rows.append({"person_id": pool.pop(), "role": role,
                             "community_id": c["id"], "since": b.days_ago(30, 1500),
                             "active": True})
    b.insert("resident_roles", rows)


def _law(b, w) -> None:
    rng, today = b.rng, b.today
    rows, paths = [], []
    for c in w.communities:
        for i in range(rng.randint(10, 18)):
            received = b.days_ago(1, 360)
            age = (today - received).days
            # Old cases mostly closed; a few stay open past a month (overdue).  Each community
            # has one case just received and one overdue, so both situations always show.
            if i < 2:
                received = today - dt.timedelta(days=(3, 45)[i])
                upto, branch = i, None
            elif age < 10:
                upto, branch = rng.randint(0, 1), None
            elif age > 30 and rng.random() < 0.15:
                upto, branch = 1, None
            else:
                upto = 2
                branch = b.pick(("调解成功", "调解不成功", "终止", "转办"), (75, 12, 6, 7))
            path = b.path("mediation", upto, received, (1, 12), branch)
            success = path[-1][0] == "调解成功"
            app, resp = _adult(b, w, c["id"]), _adult(b, w, c["id"])
            if app == resp:
                resp = None
            rows.append({
                "received_on": received, "source": b.pick(
                    ("当事人申请", "主动调解", "公安移交", "法院委托", "部门指定"), (45, 30, 12, 8, 5)),
                "community_id": c["id"],
                "category": b.pick(("邻里纠纷", "家庭纠纷", "婚姻纠纷", "物业纠纷", "劳资纠纷",
                                    "损害赔偿")),
                "applicant_id": app, "respondent_id": resp, "summary": b.pick(N.DISPUTE_SUMMARIES),
                "judge": b.name(), "volunteers": f"{b.name()}、{b.name()}",
                "step": path[-1][0], "step_date": path[-1][1],
                "agreement_type": b.pick(("书面", "口头"), (70, 30)) if success else None,
                "performance": b.pick(("已履行", "部分履行")) if success else None,
                # Revisited two weeks or so after closing; the recent ones are still due.
                "revisit_on": path[-1][1] + dt.timedelta(days=15)
                if success and path[-1][1] + dt.timedelta(days=40) <= today else None,
                "judicial_confirmed": success and rng.random() < 0.2,
                "closed_on": path[-1][1] if upto == 2 else None})
            paths.append(path)
    rows.sort(key=lambda r: r["received_on"])
    paths.sort(key=lambda pth: pth[0][1])
    counters: dict[int, int] = {}
    for r in rows:
        y = r["received_on"].year
        counters[y] = counters.get(y, 0) + 1
        r["case_no"] = f"{y}-{counters[y]:04d}"
        if r["agreement_type"] == "书面":
            r["agreement_no"] = f"调协{r['case_no']}"
    b.insert("mediation_cases", rows, paths=paths)

    rows = []
    for c in w.communities:
        repeat = _adult(b, w, c["id"])  # one 老访户 per community
        for i in range(rng.randint(5, 9)):
            who = repeat if i < 4 else _adult(b, w, c["id"])
            received = b.days_ago(5, 700)
            replied = received + dt.timedelta(days=rng.randint(3, 75))
            if i == 4:  # one petition per community awaits its answer, the deadline near
                received = b.days_ago(35, 58)
                replied = today + dt.timedelta(days=1)
            rows.append({"petitioner_id": who, "community_id": c["id"],
                         "form": b.pick(("来信", "来访", "网上", "电话"), (15, 50, 20, 15)),
                         "received_on": received, "matter": b.pick(N.PETITION_MATTERS),
                         "assigned_unit": b.pick(("区住建局", "区民政局", "街道城管科", "区信访局")),
                         "result": "已答复" if replied <= today else None,
                         "replied_on": replied if replied <= today else None,
                         "settled": i >= 4 and rng.random() < 0.7})
    b.insert("petitions", rows)

    rows = []
    for c in w.communities:
        for _ in range(rng.randint(4, 8)):
            rows.append({"title": b.pick(("民法典进社区", "防范电信诈骗", "未成年人保护法宣讲",
                                          "反家暴法讲座", "以案说法：邻里纠纷")),
                         "activity_type": b.pick(("法治讲座", "法治学校", "模拟法庭", "以案说法",
                                                  "法治文艺")),
                         "held_on": b.days_ago(1, 360), "community_id": c["id"],
                         "place": "社区党群服务中心", "speaker": b.name() + "律师",
                         "audience_count": rng.randint(20, 120),
                         "target_groups": "、".join(sorted(
                             rng.sample(("流动人口", "闲散青少年", "儿童", "老年人", "居民"),
                                        rng.randint(1, 2)),
                             key=("流动人口", "闲散青少年", "儿童", "老年人", "居民").index))})
    b.insert("legal_activities", rows)

    rows = []
    for c in w.communities:
        rows.append({"name": f"{c['name']}法律服务工作站", "kind": "法律服务工作站",
                     "community_id": c["id"], "lawyer": b.name(), "law_firm": "新城律师事务所",
                     "since": b.days_ago(300, 2000), "in_service": True})
        rows.append({"name": f"{c['name']}律师挂钩", "kind": "律师挂钩", "community_id": c["id"],
                     "lawyer": b.name(), "law_firm": b.pick(("正义律师事务所", "明德律师事务所")),
                     "phone": b.mobile(), "since": b.days_ago(100, 1000), "in_service": True})
        if rng.random() < 0.5:
            rows.append({"name": f"{c['name']}心理咨询室", "kind": "心理咨询室",
                         "community_id": c["id"], "since": b.days_ago(100, 1000),
                         "in_service": rng.random() < 0.5})
    b.insert("legal_resources", rows)

    rows = []
    for c in w.communities:
        for role, n in (("社区法官", 1), ("社区调解员", 2), ("调解志愿者", 4), ("普法志愿者", 5)):
            for _ in range(n):
                rows.append({"person_id": _adult(b, w, c["id"]), "role": role,
                             "community_id": c["id"], "since": b.days_ago(30, 1500),
                             "specialty": b.pick(("婚姻家庭", "物业纠纷", "劳动争议", "普法宣传")),
                             "active": True})
    b.insert("legal_volunteers", rows)


def _virtue(b, w) -> None:
    rng = b.rng
    rows, paths = [], []
    for c in w.communities:
        for cat in ("最美家庭", "道德模范", "好党员", "好媳妇", "好婆婆", "道德榜样", "五好楼栋"):
            if rng.random() < 0.3:
                continue
            year = b.today.year - rng.randint(0, 1)
            # This year's nominations are spread over the stages; last year's are done.
            upto = len(rows) % 3 if year == b.today.year else 2
            path = b.path("honours", upto, dt.date(year, 3, 1) + dt.timedelta(
                days=rng.randint(0, 120)), (7, 60))
            row = {"category": cat, "year": year, "community_id": c["id"],
                   "occasion": b.pick(("建党节", "国庆节", "重阳节")), "step": path[-1][0],
                   "step_date": path[-1][1], "deeds": "热心公益，孝老爱亲，邻里和睦。"}
            if cat == "五好楼栋":
                bd = b.pick([x for x in w.buildings
                             if any(cp["id"] == x["compound_id"] and cp["community_id"] == c["id"]
                                    for cp in w.compounds)])
                row.update(nominee_kind="楼栋", building_id=bd["id"], nominee=bd["label"])
            else:
                pid = _adult(b, w, c["id"])
                nm = w.people[pid - 1]["name"]
                if cat == "最美家庭":
                    row.update(nominee_kind="家庭", household_id=w.people[pid - 1]["household_id"],
                               nominee=f"{nm}家庭")
                else:
                    row.update(nominee_kind="个人", person_id=pid, nominee=nm)
            rows.append(row)
            paths.append(path)
    b.insert("honours", rows, paths=paths)

    rows = []
    for c in w.communities:
        for _ in range(rng.randint(6, 12)):
            rows.append({"title": b.pick(("四点半课堂", "邻里节", "理论宣讲进小区", "读书分享会",
                                          "文艺巡演")),
                         "event_type": b.pick(("理论宣讲", "文艺巡演", "四点半课堂", "读书活动",
                                               "邻里活动")),
                         "held_on": b.days_ago(1, 360), "community_id": c["id"],
                         "venue": "邻里中心", "participants": rng.randint(15, 200),
                         "organiser": b.name()})
    b.insert("culture_events", rows)


def _service(b, w) -> None:
    rng = b.rng
    cat_ids = b.insert("service_catalog", [
        {"name": n, "department": d, "online": o, "time_limit_days": rng.choice((1, 3, 5, 15))}
        for n, d, o in N.SERVICE_ITEMS])
    rows = []
    for c in w.communities:
        for _ in range(rng.randint(60, 140)):
            rows.append({"handled_on": b.days_ago(0, 360), "item_id": b.pick(cat_ids),
                         "applicant_id": _adult(b, w, c["id"]), "community_id": c["id"],
                         "channel": b.pick(("窗口", "网上", "代办"), (88, 7, 5)),
                         "status": b.pick(("办结", "办理中", "退回"), (85, 12, 3)),
                         "handler": b.name()})
    b.insert("service_records", rows)

    rows, paths = [], []
    for c in w.communities:
        path = b.path("venue", 3, b.days_ago(1500, 2500), (90, 300))
        rows.append({"name": f"{c['name']}党群服务中心", "kind": "党群服务中心",
                     "community_id": c["id"], "area_m2": float(rng.randint(300, 1200)),
                     "functions": "政务服务、党员活动、议事协商", "planned_year": path[0][1].year,
                     "step": path[-1][0], "step_date": path[-1][1], "open_hours": "周一至周日 8:30-17:30"})
        paths.append(path)
        comps = [x for x in w.compounds if x["community_id"] == c["id"]]
        for cp in rng.sample(comps, min(len(comps), rng.randint(1, 3))):
            upto = len(rows) % 4  # planned, building, built and running all occur
            path = b.path("venue", upto, b.days_ago(200, 700), (60, 200))
            rows.append({"name": f"{cp['name']}邻里中心", "kind": "邻里中心",
                         "community_id": c["id"], "compound_id": cp["id"],
                         "area_m2": float(rng.randint(80, 400)), "functions": "四点半课堂、老年活动",
                         "planned_year": path[0][1].year, "step": path[-1][0],
                         "step_date": path[-1][1]})
            paths.append(path)
    ids = b.insert("venues", rows, paths=paths)
    usage = []
    for vid, r in zip(ids, rows):
        if r["step"] == "运营":
            for _ in range(rng.randint(3, 10)):
                usage.append({"venue_id": vid, "used_on": b.days_ago(0, 200),
                              "purpose": b.pick(("党员活动", "四点半课堂", "老年合唱", "议事协商")),
                              "participants": rng.randint(8, 60), "organiser": b.name()})
    b.insert("venue_usage", usage)

    res, proj = [], []
    for c in w.communities:
        for _ in range(3):
            res.append({"name": b.pick(("共建单位活动室", "爱心企业物资", "律师志愿服务",
                                        "医院义诊团队")), "kind": b.pick(("场地", "物资", "人才",
                                                                         "服务")),
                        "provider": b.pick(N.WORK_UNITS), "community_id": c["id"],
                        "contact": b.name(), "phone": b.mobile(), "available": True})
        for _ in range(2):
            start = b.days_ago(30, 400)
            proj.append({"name": b.pick(("老旧小区改造", "助老餐厅", "儿童之家", "智慧安防")),
                         "community_id": c["id"], "owner": b.name(), "start_on": start,
                         "end_on": start + dt.timedelta(days=180),
                         "budget": float(rng.randint(5, 80)),
                         "status": b.pick(("谋划", "实施中", "已完成"))})
    rids, pids = b.insert("resources", res), b.insert("projects", proj)
    rows = []
    for c in w.communities:
        for _ in range(rng.randint(8, 15)):
            status = b.pick(("待对接", "已对接", "已办结"), (40, 30, 30))
            found = b.days_ago(5, 300)
            rows.append({"content": b.pick(("希望增加老年助餐点", "楼道灯坏了需维修",
                                            "孩子放学无人照看", "希望开展就业培训", "小区缺少充电桩")),
                         "category": b.pick(("养老", "环境", "教育", "就业", "其他")),
                         "community_id": c["id"], "person_id": _adult(b, w, c["id"]),
                         "found_on": found, "source": "走访入户", "status": status,
                         "resource_id": b.pick(rids) if status != "待对接" else None,
                         "closed_on": found + dt.timedelta(days=5) if status == "已办结" else None})
    b.insert("needs", rows)
    _ = pids


def _cadre(b, w) -> None:
    rng = b.rng
    rows = []
    for q in range(4):  # the last four quarters, 1–2 salons each, plus other forms
        for _ in range(rng.randint(1, 2)):
            rows.append({"topic": b.pick(N.TRAINING_TOPICS), "training_type": "主题沙龙",
                         "held_on": b.today - dt.timedelta(days=90 * q + rng.randint(0, 80)),
                         "problem": b.pick(("加装电梯", "三无小区管理", "停车难", "邻里纠纷")),
                         "place": "街道党群服务中心", "organiser": "街道党工委",
                         "participants": rng.randint(15, 40), "hours": 2.0})
    for typ in ("集训+归来讲经验", "观摩交流", "面传亲授"):
        rows.append({"topic": f"{typ}：{b.pick(N.TRAINING_TOPICS)}", "training_type": typ,
                     "held_on": b.days_ago(10, 300), "place": "区委党校",
                     "organiser": "区委组织部", "participants": rng.randint(10, 30), "hours": 4.0})
    b.insert("trainings", rows)
    born = w.births
    cadres = [pid for pid in w.adults_by_community[w.communities[0]["id"]]
              if 35 <= age_on(born[pid], b.today) <= 58]  # the 街道's leading cadres
    leaders = rng.sample(cadres, 5)
    posts = ("党工委书记", "党工委副书记", "组织委员", "宣传委员", "纪工委书记")
    rows = [{"person_id": leaders[i % 5], "post": posts[i % 5], "community_id": c["id"],
             "since": b.days_ago(100, 900)} for i, c in enumerate(w.communities)]
    b.insert("cadre_assignments", rows)
