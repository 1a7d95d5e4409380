"""Every figure of 2026年第三季度 (and of the same quarter of 2025) on the hand-built 街道 of
conftest.py, with the answer worked out by hand from those records, not by the code under test.

Reading guide (end of the quarter 2026-09-30; a year earlier 2025-09-30):
- orgs: 甲社区党委 2020, 甲一小区党支部 2020, 甲一小区1栋党小组 2026-05-01, 乙社区党总支 2021,
  乙一小区党支部 founded on 2026-09-30 (the quarter's last day: it counts).
- members: m1 在册 since 2000 (中心户, plaque 2026-03-01); m2 joined 2026-08-01 预备, 在职,
  报到 2026-09-30; m3 转出 on 2026-08-15 (left mid-quarter: on the 2025 roll, not the 2026 one);
  m4 joined 2025-10-10, 正式 only from 2026-10-10 (预备 at the quarter's end); m5 在职, died
  2026-10-05 (on the roll at the end); m6 transferred in on 2026-10-20 (on neither roll).
"""

from __future__ import annotations

import pytest

from app.stats import compute, compute_all

from .conftest import TODAY

Z = 0
# key: (2026年第三季度, 2025年第三季度); None where last year cannot be known.
EXPECTED = {
    # -- 党建引领 ---------------------------------------------------------------------------
    "orgs_by_level": ({"党委": 1, "党总支": 1, "党支部": 2, "党小组": 1},
                      {"党委": 1, "党总支": 1, "党支部": 1, "党小组": 0}),
    "compound_branches": (2, 1),
    "compounds_total": (3, None),
    "compounds_covered": (2, 1),
    "compound_coverage": (66.7, 33.3),
    "compounds_by_community": ({"甲社区": 2, "乙社区": 1}, None),
    "covered_by_community": ({"甲社区": 1, "乙社区": 1}, {"甲社区": 1, "乙社区": 0}),
    "coverage_by_community": ({"甲社区": 50.0, "乙社区": 100.0}, {"甲社区": 50.0, "乙社区": 0.0}),
    "buildings_total": (3, None),
    "buildings_with_group": (1, 0),
    "building_coverage": (33.3, 0.0),
    # 甲: 党委, 小区党支部, 党小组 (from May 2026), 中心户 m1; 乙: 党总支, 小区党支部 (9/30).
    "four_level_complete": (1, 0),
    "communities_by_levels": ({"0级": 0, "1级": 0, "2级": 1, "3级": 0, "4级": 1},
                              {"0级": 0, "1级": 1, "2级": 0, "3级": 1, "4级": 0}),
    "four_level_by_community": ({"甲社区": 4, "乙社区": 2}, {"甲社区": 3, "乙社区": 1}),
    "members_total": (4, 3),                       # m1 m2 m4 m5 | m1 m3 m5
    "members_by_category": ({"正式党员": 2, "预备党员": 2}, {"正式党员": 3, "预备党员": 0}),
    "members_by_identity": ({"社区党员": 1, "在职党员到社区报到": 2, "流动党员": 1},
                            {"社区党员": 2, "在职党员到社区报到": 1, "流动党员": 0}),
    "members_by_status": ({"在册": 4, "转出": 1, "失联": 0, "去世": 0},
                          {"在册": 3, "转出": 0, "失联": 0, "去世": 0}),
    # ages at 2026-09-30: m1 56, m2 31, m4 41, m5 45 | at 2025-09-30: m1 55, m3 65, m5 44
    "members_by_age": ({"35岁及以下": 1, "36–45岁": 2, "46–55岁": 0, "56–65岁": 1, "66岁及以上": 0},
                       {"35岁及以下": 0, "36–45岁": 1, "46–55岁": 1, "56–65岁": 1, "66岁及以上": 0}),
    "members_joined": (1, 0),
    "on_duty_members": (2, 1),
    "reported_members": (1, 0),                    # m2 reported on the quarter's last day
    "report_rate": (50.0, 0.0),
    "center_households": (1, 1),
    "resident_members": (1, 2),
    "plaqued_members": (1, 0),
    "plaque_rate": (100.0, 0.0),
    # 三会一课 held in Q3 2026: 支委会 7/10 8/12 9/30, 党员大会 9/15, 党小组会 7/5 9/30.
    "meetings_held": (6, 1),
    # 甲一支部 3 支委会 + 大会 + 党课 = 5; 党小组 3 months; 乙一支部 (founded 9/30): Sep + Q3 ×2 = 3
    "meetings_required": (11, 5),
    "meetings_on_schedule": (6, 1),                # 支部 4 (no 党课), 小组 2 (no August)
    "schedule_rate": (54.5, 20.0),
    "branches_behind": (3, 1),
    "meetings_by_branch": ({"甲一小区党支部": {"召开": 4, "应召开": 5},
                            "甲一小区1栋党小组": {"召开": 2, "应召开": 3},
                            "乙一小区党支部": {"召开": 0, "应召开": 3}},
                           {"甲一小区党支部": {"召开": 1, "应召开": 5}}),
    "meetings_by_type": ({"支部党员大会": 1, "支委会": 3, "党小组会": 2, "党课": 0, "主题党日": 1,
                          "组织生活会": 0, "区域党委会": 1},
                         {"支部党员大会": 0, "支委会": 1, "党小组会": 0, "党课": 0, "主题党日": 0,
                          "组织生活会": 0, "区域党委会": 0}),
    "expected_total": (19, 2),
    "attended_total": (16, 2),
    "attendance_rate": (84.2, 100.0),
    "first_topic_meetings": (2, 0),
    "theme_days": (1, 0),
    "political_birthdays": (2, 3),                 # m1 7/15, m5 7/1 | m1, m3 9/10, m5
    "development_by_stage": ({"入党申请人": 0, "入党积极分子": 0, "发展对象": 1, "预备党员": 0,
                              "正式党员": 0},
                             {"入党申请人": 1, "入党积极分子": 0, "发展对象": 0, "预备党员": 0,
                              "正式党员": 0}),
    # -- 自治基础 ---------------------------------------------------------------------------
    "committee_total": (2, 2),                     # term of 人员10 ended 2026-08-31
    "committee_by_community_type": ({"城市社区": 1, "村改居社区": 1}, {"城市社区": 1, "村改居社区": 1}),
    "committee_by_source": ({"社工招募": 1, "村民": 0, "选派": 0, "公开招聘": 0, "退役军人": 0,
                             "其他": 0, "未填写": 1},
                            {"社工招募": 1, "村民": 1, "选派": 0, "公开招聘": 0, "退役军人": 0,
                             "其他": 0}),
    "committee_by_education": ({"研究生": 0, "大学本科": 1, "大学专科": 0, "中专": 0, "高中": 0,
                                "初中": 0, "小学": 0, "文盲": 0, "未填写": 1},
                               {"研究生": 0, "大学本科": 1, "大学专科": 0, "中专": 0, "高中": 1,
                                "初中": 0, "小学": 0, "文盲": 0}),
    "committee_by_age": ({"35岁及以下": 0, "36–45岁": 1, "46–55岁": 1, "56–65岁": 0, "66岁及以上": 0},
                         {"35岁及以下": 1, "36–45岁": 0, "46–55岁": 0, "56–65岁": 1, "66岁及以上": 0}),
    "consultations_raised": (2, 1),
    "consultations_by_step": ({"征集议题": 1, "党组织提议": 0, "两委商议": 0, "居民(代表)会议决议": 0,
                               "决议公开": 0, "实施结果公开": 1},
                              {"征集议题": 0, "党组织提议": 1, "两委商议": 0, "居民(代表)会议决议": 0,
                               "决议公开": 0, "实施结果公开": 0}),
    "consultations_completed": (1, 0),
    "regional_meetings": (1, 0),
    "communities_total": (2, None),
    "communities_with_convention": (1, 0),         # adopted on 2026-09-30
    "community_convention_rate": (50.0, 0.0),
    "compounds_with_convention": (1, 1),
    "compound_convention_rate": (33.3, 33.3),
    "social_orgs_by_origin": ({"培育": 1, "引进": 2}, {"培育": 0, "引进": 2}),
    "social_orgs_new_by_origin": ({"培育": 1, "引进": 0}, {"培育": 0, "引进": 0}),
    "liaisons": (1, 1),                            # the second one stepped down on 9/30
    "resident_reps": (1, 1),
    # -- 法治保障 ---------------------------------------------------------------------------
    "cases_received": (3, 1),
    "cases_by_category": ({"邻里纠纷": 1, "家庭纠纷": 0, "婚姻纠纷": 0, "物业纠纷": 1, "劳资纠纷": 1,
                           "损害赔偿": 0, "房屋宅基地": 0, "其他": 0},
                          {"邻里纠纷": 1, "家庭纠纷": 0, "婚姻纠纷": 0, "物业纠纷": 0, "劳资纠纷": 0,
                           "损害赔偿": 0, "房屋宅基地": 0, "其他": 0}),
    "cases_closed": (2, 1),                        # 7/21 and 9/30 | 2025-08-11
    "cases_by_outcome": ({"调解成功": 1, "调解不成功": 1, "终止": 0, "转办": 0},
                         {"调解成功": 1, "调解不成功": 0, "终止": 0, "转办": 0}),
    "cases_succeeded": (1, 1),
    "case_success_rate": (50.0, 100.0),
    "case_mean_days": (63.5, 10.0),                # (20 + 107) / 2 | 10
    "cases_open": (2, 0),
    "cases_overdue": (1, 0),                       # received 8/20: 41 days at 9/30
    "cases_revisited": (1, 0),
    "petitions": (2, 0),
    "petitions_by_form": ({"来信": 0, "来访": 1, "网上": 1, "电话": 0},
                          {"来信": 0, "来访": 0, "网上": 0, "电话": 0}),
    "petitions_settled": (1, 0),
    "settle_rate": (50.0, None),
    "repeat_petitioners": (1, 0),                  # 人员14: 2025-05-01 and 2026-07-03
    "legal_activities": (2, 1),
    "legal_by_type": ({"法治讲座": 1, "法治学校": 0, "模拟法庭": 0, "以案说法": 1, "法治文艺": 0},
                      {"法治讲座": 0, "法治学校": 0, "模拟法庭": 1, "以案说法": 0, "法治文艺": 0}),
    "legal_audience": (80, 20),
    "legal_by_target": ({"流动人口": 1, "闲散青少年": 0, "儿童": 2, "老年人": 0, "居民": 0,
                         "社区干部": 0, "物业人员": 0},
                        {"流动人口": 0, "闲散青少年": 0, "儿童": 0, "老年人": 0, "居民": 1,
                         "社区干部": 0, "物业人员": 0}),
    "three_none_compounds": (1, None),
    "three_none_share": (33.3, None),
    "legal_resources_by_kind": ({"法律服务工作站": 1, "心理咨询室": 1, "律师挂钩": 0,
                                 "人民调解委员会": 0, "法律顾问": 0},
                                {"法律服务工作站": 1, "心理咨询室": 0, "律师挂钩": 0,
                                 "人民调解委员会": 0, "法律顾问": 0}),
    "legal_resources_by_community": ({"甲社区": 1, "乙社区": 1}, {"甲社区": 1, "乙社区": 0}),
    "legal_team_by_role": ({"社区法官": 0, "社区调解员": 1, "调解志愿者": 0, "普法志愿者": 1,
                            "心理辅导员": 0},
                           {"社区法官": 0, "社区调解员": 1, "调解志愿者": 0, "普法志愿者": 0,
                            "心理辅导员": 0}),
    # -- 德治支撑 ---------------------------------------------------------------------------
    "honours_by_category": ({"最美家庭": 0, "道德模范": 0, "好党员": 0, "好媳妇": 0, "好婆婆": 0,
                             "道德榜样": 0, "五好楼栋": 1},
                            {"最美家庭": 0, "道德模范": 1, "好党员": 0, "好媳妇": 0, "好婆婆": 0,
                             "道德榜样": 0, "五好楼栋": 0}),
    "honours_by_stage": ({"推荐": 0, "公示": 0, "表彰": 1}, {"推荐": 1, "公示": 0, "表彰": 0}),
    "honoured": (1, 0),
    "five_good_buildings": (1, 0),
    "culture_events": (2, 1),
    "culture_by_type": ({"理论宣讲": 0, "文艺巡演": 1, "四点半课堂": 0, "读书活动": 1, "邻里活动": 0,
                         "家风家教": 0},
                        {"理论宣讲": 0, "文艺巡演": 0, "四点半课堂": 0, "读书活动": 0, "邻里活动": 1,
                         "家风家教": 0}),
    "culture_participants": (100, 40),
    # -- 服务群众 ---------------------------------------------------------------------------
    "services_handled": (3, 1),
    "services_by_channel": ({"窗口": 2, "网上": 1, "代办": 0}, {"窗口": 0, "网上": 0, "代办": 1}),
    "services_online": (1, 0),
    "online_share": (33.3, 0.0),
    "services_by_month": ({"7月": {"窗口": 1, "网上": 1, "代办": 0},
                           "8月": {"窗口": 0, "网上": 0, "代办": 0},
                           "9月": {"窗口": 1, "网上": 0, "代办": 0}},
                          {"7月": {"窗口": 0, "网上": 0, "代办": 0},
                           "8月": {"窗口": 0, "网上": 0, "代办": 1},
                           "9月": {"窗口": 0, "网上": 0, "代办": 0}}),
    "venues_by_stage": ({"规划": 1, "在建": 0, "建成": 0, "运营": 1},
                        {"规划": 0, "在建": 1, "建成": 0, "运营": 0}),
    "venues_built": (1, 0),
    "neighbourhood_centres": (1, 1),
    "neighbourhood_centres_built": (1, 0),
    "venue_uses": (1, 0),
    "venue_participants": (20, 0),
    "needs_found": (2, 0),
    "needs_by_status": ({"待对接": 1, "已对接": 0, "已办结": 1}, {"待对接": 0, "已对接": 0, "已办结": 0}),
    "needs_matched": (1, 0),
    "needs_open": (1, 0),
    "needs_mean_days": (35.5, None),               # (10 + 61) / 2
    "resources_available": (1, None),
    "projects_by_status": ({"谋划": 0, "实施中": 1, "已完成": 0}, {"谋划": 0, "实施中": 0, "已完成": 1}),
    # -- 干部担当 ---------------------------------------------------------------------------
    "trainings": (2, 1),
    "trainings_by_type": ({"主题沙龙": 1, "集训+归来讲经验": 0, "观摩交流": 1, "面传亲授": 0},
                          {"主题沙龙": 1, "集训+归来讲经验": 0, "观摩交流": 0, "面传亲授": 0}),
    "salons": (1, 1),
    "salons_by_quarter": ({"第三季度": 1}, {"第三季度": 1}),
    "salons_per_quarter": (1.0, 1.0),
    "training_participants": (30, 15),
    "trainee_hours": (80.0, 30.0),
    "hours_per_participant": (2.7, 2.0),           # 80 / 30 | 30 / 15
    "communities_assigned": (1, 1),
    "assignment_coverage": (50.0, 50.0),
}


@pytest.fixture(scope="module")
def q3(street_template):
    from app.storage import Database
    database = Database(street_template[0])
    try:
        return compute_all(database, "2026Q3", today=TODAY)
    finally:
        database.close()


def test_every_figure_is_answered_here(q3):
    declared = {k for area in q3.values() for k in area}
    assert declared == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_figure_and_a_year_earlier(q3, key):
    area = next(a for a in q3.values() if key in a)
    want_now, want_before = EXPECTED[key]
    assert area[key]["value"] == want_now
    assert area[key]["previous"] == want_before


def test_every_figure_and_a_year_earlier_in_one_computation(street):
    # The same answers as above, computed inside the test (the module fixture computes once,
    # so a mutation tester tracing which test runs which code would credit only one test).
    got = compute_all(street, "2026Q3", today=TODAY)
    assert {k: (e["value"], e["previous"]) for area in got.values() for k, e in area.items()} \
        == EXPECTED


def test_json_entries_have_label_value_unit_previous(q3):
    assert list(q3) == ["party", "autonomy", "law", "virtue", "service", "cadre"]
    for area in q3.values():
        for entry in area.values():
            assert {"label", "value", "unit", "previous"} <= set(entry)


def test_scope_one_community(street):
    got = compute_all(street, "2026Q3", ["甲社区"], today=TODAY)
    assert got["party"]["members_total"]["value"] == 2            # m1, m2 (甲 organisations)
    assert got["party"]["compound_coverage"]["value"] == 50.0     # 甲一 of 甲一, 甲二
    assert got["party"]["meetings_required"]["value"] == 8        # without 乙一小区党支部
    assert got["law"]["cases_received"]["value"] == 2             # 7/1 and 8/20
    assert got["service"]["services_handled"]["value"] == 2
    assert got["cadre"]["trainings"]["value"] == 2                # the 街道's own: not scoped
    assert got["autonomy"]["social_orgs_by_origin"]["value"] == {"培育": 1, "引进": 0}
    both = compute_all(street, "2026Q3", ["甲社区", "乙社区"], today=TODAY)
    # Both communities are everything that belongs to a community (not 街道书画社).
    assert both["party"]["members_total"]["value"] == 4
    assert both["autonomy"]["social_orgs_by_origin"]["value"] == {"培育": 1, "引进": 1}


def test_the_next_quarter_is_counted_up_to_today(street):
    report = compute(street, "2026Q4", today=TODAY)
    assert report.period.label == "2026年第四季度（截至11月25日）"
    assert report.previous.label == "2025年10月1日至2025年11月25日"
    v, p = report.values, report.previous_values
    assert (v["meetings_held"], p["meetings_held"]) == (1, 0)     # 支委会 at 10/01 00:00
    # m6 transferred in on 10/20 is now on the roll; m5 died on 10/05.
    assert v["members_total"] == 4
    assert v["members_by_status"] == {"在册": 4, "转出": 0, "失联": 0, "去世": 1}
    assert v["members_by_category"] == {"正式党员": 3, "预备党员": 1}   # m4 confirmed 10/10
    # October has ended, November has not: one month of 支委会/党小组会 is due, no quarter yet.
    assert v["meetings_required"] == 3


def test_month_year_and_custom_periods(street):
    sep = compute_all(street, "2026-09", today=TODAY)
    assert sep["party"]["meetings_held"]["value"] == 3            # 9/15, 9/30 ×2
    assert sep["law"]["cases_closed"]["value"] == 1               # 9/30
    year = compute_all(street, "2026", today=TODAY)
    assert year["law"]["cases_received"]["value"] == 4            # + 6/15
    custom = compute_all(street, "2026-09-30..2026-09-30", today=TODAY)
    assert custom["party"]["meetings_held"]["value"] == 2
    assert custom["service"]["services_handled"]["value"] == 1
