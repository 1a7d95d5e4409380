"""A small 街道 built by hand through the services, for the statistics tests.

Every record is dated so that the third quarter of 2026 (and the same quarter of 2025) has a
known answer; ``tests/unit/stats/test_figures.py`` holds those answers, worked out by hand from
the records below (see the comments there).  Today is 2026-11-25.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import records
from app.storage.schema import app_settings

TODAY = dt.date(2026, 11, 25)
ACTOR = "测试"
D = dt.date


def _mk(db, key, **values):
    return records.create(db, key, values, ACTOR)["id"]


def _adv(db, key, rid, *steps):
    for step, day in steps:
        records.advance(db, key, rid, step, ACTOR, done_on=day)


def build_street(db) -> dict[str, int]:
    ids: dict[str, int] = {}
    with db.begin() as conn:
        conn.execute(app_settings.insert().values(key="office_name", value="测试街道"))
    s = _mk(db, "streets", name="测试街道")
    jia = ids["jia"] = _mk(db, "communities", name="甲社区", street_id=s, community_type="城市社区")
    yi = ids["yi"] = _mk(db, "communities", name="乙社区", street_id=s, community_type="村改居社区")
    c1 = _mk(db, "compounds", name="甲一小区", community_id=jia, has_property=True,
             property_company="某物业")
    _mk(db, "compounds", name="甲二小区", community_id=jia)              # 三无
    c3 = _mk(db, "compounds", name="乙一小区", community_id=yi, has_owners_committee=True)
    b1 = _mk(db, "buildings", name="1", compound_id=c1)
    _mk(db, "buildings", name="2", compound_id=c1)
    b3 = _mk(db, "buildings", name="1", compound_id=c3)
    _mk(db, "units", name="1", building_id=b1)
    _ = b3

    # -- party organisations ----------------------------------------------------------------
    o1 = _mk(db, "party_orgs", name="甲社区党委", org_type="党委", community_id=jia,
             founded_on=D(2020, 1, 1))
    o2 = ids["o2"] = _mk(db, "party_orgs", name="甲一小区党支部", org_type="党支部",
                         community_id=jia, compound_id=c1, parent_id=o1,
                         founded_on=D(2020, 1, 1))
    o3 = _mk(db, "party_orgs", name="甲一小区1栋党小组", org_type="党小组", community_id=jia,
             compound_id=c1, building_id=b1, parent_id=o2, founded_on=D(2026, 5, 1))
    o4 = _mk(db, "party_orgs", name="乙社区党总支", org_type="党总支", community_id=yi,
             founded_on=D(2021, 3, 1))
    # Founded on the last day of the quarter: it counts at the quarter's end.
    _mk(db, "party_orgs", name="乙一小区党支部", org_type="党支部", community_id=yi,
        compound_id=c3, parent_id=o4, founded_on=D(2026, 9, 30))

    # -- people and members -----------------------------------------------------------------
    def person(name, birth, **kw):
        return _mk(db, "people", name=name, birth_date=birth, **kw)
    p = {i: person(f"人员{i}", b) for i, b in {
        1: D(1970, 1, 1), 2: D(1995, 5, 5), 3: D(1960, 2, 2), 4: D(1985, 6, 6),
        5: D(1980, 12, 31), 6: D(2000, 3, 3), 7: D(1998, 1, 1), 8: D(1999, 1, 1),
        12: D(1975, 1, 1), 13: D(1976, 1, 1), 14: D(1950, 1, 1), 15: D(1951, 1, 1),
        16: D(1977, 1, 1), 17: D(1978, 1, 1), 18: D(1952, 1, 1), 19: D(1953, 1, 1),
        20: D(1970, 6, 1)}.items()}
    p[9] = person("人员9", D(1990, 1, 1), education="大学本科")
    p[10] = person("人员10", D(1965, 3, 3), education="高中")
    p[11] = person("人员11", D(1980, 5, 5))
    ids.update({f"p{k}": v for k, v in p.items()})
    member = {}
    member[1] = _mk(db, "party_members", person_id=p[1], org_id=o2, category="正式党员",
                    joined_on=D(2000, 7, 15), confirmed_on=D(2001, 7, 15), identity="社区党员",
                    is_center_household=True, plaque_hung=True, plaque_date=D(2026, 3, 1))
    member[2] = _mk(db, "party_members", person_id=p[2], org_id=o3, category="预备党员",
                    joined_on=D(2026, 8, 1), identity="在职党员到社区报到",
                    reported_on=D(2026, 9, 30))
    # Left in the middle of the quarter.
    member[3] = _mk(db, "party_members", person_id=p[3], org_id=o2, category="正式党员",
                    joined_on=D(1990, 9, 10), confirmed_on=D(1991, 9, 10), identity="社区党员",
                    status="转出", status_date=D(2026, 8, 15), status_reason="组织关系转往外地")
    # 正式 today, but confirmed only after the quarter: 预备 at its end.
    member[4] = _mk(db, "party_members", person_id=p[4], org_id=o4, category="正式党员",
                    joined_on=D(2025, 10, 10), confirmed_on=D(2026, 10, 10), identity="流动党员")
    member[5] = _mk(db, "party_members", person_id=p[5], org_id=o4, category="正式党员",
                    joined_on=D(2005, 7, 1), confirmed_on=D(2006, 7, 1),
                    identity="在职党员到社区报到", status="去世", status_date=D(2026, 10, 5),
                    status_reason="因病去世")
    # Transferred in after the quarter: not on this roll at its end.
    member[6] = _mk(db, "party_members", person_id=p[6], org_id=o2, category="正式党员",
                    joined_on=D(2020, 6, 1), confirmed_on=D(2021, 6, 1), identity="社区党员")
    _mk(db, "party_transfers", person_id=p[6], direction="转入", org_id=o2,
        other_org="外区某党支部", transfer_date=D(2026, 10, 20), letter_no="转字001号")
    ids.update({f"m{k}": v for k, v in member.items()})

    # -- meetings -----------------------------------------------------------------------------
    def meeting(org, mtype, when, exp=None, att=None, first=None):
        return _mk(db, "party_meetings", org_id=org, meeting_type=mtype, held_at=when,
                   topic="学习", expected=exp, attended=att, first_topic=first)
    T = dt.datetime
    meeting(o2, "支委会", T(2026, 7, 10, 9, 30), 3, 3, "学习重要讲话")
    meeting(o2, "支委会", T(2026, 8, 12, 9, 30), 3, 2)
    meeting(o2, "支委会", T(2026, 9, 30, 19, 30), 3, 3)          # last evening of the quarter
    meeting(o2, "支部党员大会", T(2026, 9, 15, 14, 30), 3, 2, "学习重要讲话")
    meeting(o3, "党小组会", T(2026, 7, 5, 19, 0), 2, 2)
    meeting(o3, "党小组会", T(2026, 9, 30, 10, 0), 2, 1)
    meeting(o2, "主题党日", T(2026, 7, 1, 9, 0), 3, 3)
    meeting(o1, "区域党委会", T(2026, 8, 20, 15, 0))
    meeting(o2, "支委会", T(2026, 10, 1, 0, 0), 3, 3)            # first minute of Q4
    meeting(o2, "支委会", T(2025, 7, 20, 9, 0), 2, 2)

    d1 = _mk(db, "party_development", person_id=p[7], org_id=o2, step_date=D(2025, 5, 1))
    _adv(db, "party_development", d1, ("入党积极分子", D(2026, 1, 10)), ("发展对象", D(2026, 9, 30)))
    _mk(db, "party_development", person_id=p[8], org_id=o4, step_date=D(2026, 10, 15))

    # -- 自治基础 -------------------------------------------------------------------------------
    _mk(db, "committee_members", person_id=p[9], community_id=jia, post="主任", source="社工招募",
        term_start=D(2024, 1, 1), term_end=D(2028, 12, 31))
    _mk(db, "committee_members", person_id=p[10], community_id=yi, post="委员", source="村民",
        term_start=D(2021, 1, 1), term_end=D(2026, 8, 31))
    _mk(db, "committee_members", person_id=p[11], community_id=yi, post="书记",
        term_start=D(2026, 9, 1))
    k1 = _mk(db, "consultations", title="加装电梯", community_id=jia, raised_on=D(2026, 7, 1))
    _adv(db, "consultations", k1, ("党组织提议", D(2026, 7, 10)), ("两委商议", D(2026, 7, 20)),
         ("居民(代表)会议决议", D(2026, 8, 1)), ("决议公开", D(2026, 8, 10)),
         ("实施结果公开", D(2026, 9, 30)))
    _mk(db, "consultations", title="停车管理", community_id=yi, raised_on=D(2026, 9, 30))
    k3 = _mk(db, "consultations", title="环境整治", community_id=jia, raised_on=D(2025, 8, 1))
    _adv(db, "consultations", k3, ("党组织提议", D(2025, 8, 5)))
    _mk(db, "conventions", title="甲社区居民公约", kind="居民公约", scope="社区", community_id=jia,
        adopted_on=D(2026, 9, 30))
    _mk(db, "conventions", title="甲一小区公约", kind="小区公约", scope="小区", community_id=jia,
        compound_id=c1, adopted_on=D(2020, 1, 1))
    _mk(db, "social_orgs", name="甲社区志愿队", origin="培育", community_id=jia,
        started_on=D(2026, 8, 1))
    _mk(db, "social_orgs", name="乙社区养老服务社", origin="引进", community_id=yi,
        started_on=D(2019, 5, 1))
    _mk(db, "social_orgs", name="街道书画社", origin="引进")
    _mk(db, "resident_roles", person_id=p[12], role="协商联络员", community_id=jia,
        since=D(2025, 1, 1))
    _mk(db, "resident_roles", person_id=p[13], role="协商联络员", community_id=yi,
        since=D(2026, 7, 1), until=D(2026, 9, 30))
    _mk(db, "resident_roles", person_id=p[12], role="居民代表", community_id=jia)

    # -- 法治保障 -------------------------------------------------------------------------------
    def case(com, received, category):
        return _mk(db, "mediation_cases", community_id=com, received_on=received,
                   category=category, applicant_id=p[14], summary="纠纷")
    a1 = case(jia, D(2026, 7, 1), "邻里纠纷")
    _adv(db, "mediation_cases", a1, ("调解中", D(2026, 7, 5)), ("调解成功", D(2026, 7, 21)))
    records.update(db, "mediation_cases", a1, {"revisit_on": D(2026, 8, 5)}, ACTOR)
    a2 = case(yi, D(2026, 6, 15), "家庭纠纷")
    _adv(db, "mediation_cases", a2, ("调解中", D(2026, 6, 20)), ("调解不成功", D(2026, 9, 30)))
    case(jia, D(2026, 8, 20), "物业纠纷")        # open at the quarter's end, for 41 days
    case(yi, D(2026, 9, 10), "劳资纠纷")         # open, 20 days
    a5 = case(jia, D(2025, 8, 1), "邻里纠纷")
    _adv(db, "mediation_cases", a5, ("调解中", D(2025, 8, 2)), ("调解成功", D(2025, 8, 11)))
    _mk(db, "petitions", petitioner_id=p[14], community_id=jia, form="来访",
        received_on=D(2026, 7, 3), matter="噪音", settled=True)
    _mk(db, "petitions", petitioner_id=p[14], community_id=jia, form="来信",
        received_on=D(2025, 5, 1), matter="噪音", settled=False)
    _mk(db, "petitions", petitioner_id=p[15], community_id=yi, form="网上",
        received_on=D(2026, 9, 30), matter="路灯", settled=False)
    _mk(db, "legal_activities", title="民法典讲座", activity_type="法治讲座", held_on=D(2026, 7, 15),
        community_id=jia, audience_count=50, target_groups="流动人口、儿童")
    _mk(db, "legal_activities", title="以案说法", activity_type="以案说法", held_on=D(2026, 9, 30),
        community_id=yi, audience_count=30, target_groups="儿童")
    _mk(db, "legal_activities", title="模拟法庭", activity_type="模拟法庭", held_on=D(2025, 7, 15),
        community_id=jia, audience_count=20, target_groups="居民")
    _mk(db, "legal_resources", name="甲社区法律服务工作站", kind="法律服务工作站", community_id=jia,
        since=D(2020, 1, 1))
    _mk(db, "legal_resources", name="乙社区心理咨询室", kind="心理咨询室", community_id=yi,
        since=D(2026, 8, 1))
    _mk(db, "legal_resources", name="乙社区律师挂钩", kind="律师挂钩", community_id=yi,
        since=D(2020, 1, 1), in_service=False)
    _mk(db, "legal_volunteers", person_id=p[16], role="社区调解员", community_id=jia,
        since=D(2024, 1, 1))
    _mk(db, "legal_volunteers", person_id=p[17], role="普法志愿者", community_id=yi,
        since=D(2026, 9, 30))

    # -- 德治支撑 -------------------------------------------------------------------------------
    h1 = _mk(db, "honours", nominee="甲一小区1栋", category="五好楼栋", year=2026,
             nominee_kind="楼栋", building_id=b1, community_id=jia, step_date=D(2026, 3, 1))
    _adv(db, "honours", h1, ("公示", D(2026, 6, 1)), ("表彰", D(2026, 7, 1)))
    _mk(db, "honours", nominee="人员18", category="好婆婆", year=2026, nominee_kind="个人",
        person_id=p[18], community_id=yi, step_date=D(2026, 10, 1))
    h3 = _mk(db, "honours", nominee="人员19", category="道德模范", year=2025, nominee_kind="个人",
             person_id=p[19], community_id=jia, step_date=D(2025, 4, 1))
    _adv(db, "honours", h3, ("公示", D(2025, 10, 1)))
    _mk(db, "culture_events", title="文艺巡演", event_type="文艺巡演", held_on=D(2026, 8, 8),
        community_id=jia, participants=100)
    _mk(db, "culture_events", title="读书会", event_type="读书活动", held_on=D(2026, 7, 7),
        community_id=yi)
    _mk(db, "culture_events", title="邻里节", event_type="邻里活动", held_on=D(2025, 9, 9),
        community_id=jia, participants=40)

    # -- 服务群众 -------------------------------------------------------------------------------
    item = _mk(db, "service_catalog", name="社保查询")
    for day, channel, com in ((D(2026, 7, 1), "窗口", jia), (D(2026, 7, 31), "网上", yi),
                              (D(2026, 9, 30), "窗口", jia), (D(2025, 8, 15), "代办", jia)):
        _mk(db, "service_records", handled_on=day, item_id=item, channel=channel,
            community_id=com, status="办结")
    v1 = _mk(db, "venues", name="甲一邻里中心", kind="邻里中心", community_id=jia, compound_id=c1,
             step_date=D(2025, 3, 1))
    _adv(db, "venues", v1, ("在建", D(2025, 9, 1)), ("建成", D(2026, 6, 1)), ("运营", D(2026, 9, 30)))
    _mk(db, "venues", name="乙社区党群服务中心", kind="党群服务中心", community_id=yi,
        step_date=D(2026, 8, 1))
    _mk(db, "venue_usage", venue_id=v1, used_on=D(2026, 9, 30), purpose="党员活动", participants=20)
    res = _mk(db, "resources", name="共建单位活动室", community_id=jia)
    _mk(db, "resources", name="爱心物资", community_id=yi, available=False)
    _mk(db, "needs", content="助餐", community_id=jia, found_on=D(2026, 7, 10), status="已办结",
        resource_id=res, closed_on=D(2026, 7, 20))
    _mk(db, "needs", content="路灯", community_id=yi, found_on=D(2026, 9, 30), status="待对接")
    _mk(db, "needs", content="托管", community_id=jia, found_on=D(2026, 6, 1), status="已办结",
        resource_id=res, closed_on=D(2026, 8, 1))
    _mk(db, "projects", name="老旧小区改造", community_id=jia, start_on=D(2026, 1, 1),
        end_on=D(2026, 12, 31), status="实施中")
    _mk(db, "projects", name="助老餐厅", community_id=yi, start_on=D(2024, 1, 1),
        end_on=D(2025, 12, 31), status="已完成")

    # -- 干部担当 -------------------------------------------------------------------------------
    _mk(db, "trainings", topic="加装电梯难题", training_type="主题沙龙", held_on=D(2026, 7, 15),
        participants=20, hours=2.0)
    _mk(db, "trainings", topic="观摩", training_type="观摩交流", held_on=D(2026, 9, 30),
        participants=10, hours=4.0)
    _mk(db, "trainings", topic="停车难", training_type="主题沙龙", held_on=D(2025, 8, 8),
        participants=15, hours=2.0)
    _mk(db, "cadre_assignments", person_id=p[20], post="党工委书记", community_id=jia,
        since=D(2025, 1, 1))
    _mk(db, "cadre_assignments", person_id=p[20], post="党工委书记", community_id=yi,
        since=D(2026, 10, 1))
    return ids


@pytest.fixture(scope="module")
def street_template(tmp_path_factory, request):
    """The street built once per module: a file, or a template database on the test server;
    ``[0]`` is its location."""
    import sqlite3
    from app.storage import Database
    from tests.conftest import PG_SERVER
    if PG_SERVER:
        dbs = request.getfixturevalue("pg_databases")
        name = dbs.create(prefix="street")
        database = Database(dbs.url(name))
        ids = build_street(database)
        database.close()
        yield dbs.url(name), ids, name
        dbs.drop(name)
        return
    path = tmp_path_factory.mktemp("stats") / "street.db"
    database = Database(path)
    ids = build_street(database)
    database.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    yield path, ids, path


@pytest.fixture
def street(street_template, tmp_path, request):
    from app.storage import Database
    from tests.conftest import copy_database
    _location, ids, template = street_template
    location, remove = copy_database(template, tmp_path, request, "street.db")
    database = Database(location)
    database.ids = ids
    yield database
    database.close()
    remove()
