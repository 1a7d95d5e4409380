"""The counting engine on its own: ratios rounded part by part, a breakdown of breakdowns
that meets values outside the declared parts (a blank 来源), and a step renamed in the stored
procedure, counted and opened under the name its rows carry.  Answers worked out by hand from
the hand-built 街道 of conftest.py (reading guide in test_figures.py)."""

from __future__ import annotations

from app.services import records
from app.stats import compute, drill, parse_period
from app.stats.autonomy import COMMITTEE
from app.stats.cadre import TRAININGS
from app.stats.law import ACTIVITIES
from app.stats.engine import compute_values, drill_ids, ratio
from app.stats.model import Figure
from app.stats.report import make_ctx

from .conftest import D, TODAY


def test_ratio_is_rounded_to_one_decimal_unless_told():
    assert ratio(1, 3, 100) == 33.3            # 33.333…
    assert ratio(2, 3, 100) == 66.7            # 66.666…
    assert ratio(2, 3, 100, 2) == 66.67
    assert ratio(80, 30, 1) == 2.7             # 2.666…
    assert ratio(0, 4, 100) == 0.0
    assert ratio(5, 0, 100) is None            # nothing to be a share of
    assert ratio(5, None, 100) is None


def test_ratio_of_breakdowns_goes_part_by_part_over_the_denominator_s_parts():
    # a: 1 of 4; b: nothing to be a share of; c: a part the numerator does not have (0 of 2).
    got = ratio({"a": 1, "x": 7}, {"a": 4, "b": 0, "c": 2}, 100)
    assert got == {"a": 25.0, "b": None, "c": 0.0}
    assert ratio(None, {"a": 3, "b": 0}, 100) == {"a": 0.0, "b": None}
    assert ratio({"a": 1}, None, 100) == {}
    assert ratio({"a": 1, "b": 2}, {"a": 3, "b": 3}, 10, 2) == {"a": 3.33, "b": 6.67}


# 居委会成员 in office at 2026-09-30: 人员9 (甲社区, 城市社区, 社工招募) and 人员11 (乙社区, 村改居社区,
# 来源 not filled in); 人员10's term ended on 2026-08-31.  At 2025-09-30: 人员9 and 人员10
# (乙社区, 村民); 人员11 took office only on 2026-09-01.
SOURCES = ("社工招募", "村民", "选派", "公开招聘", "退役军人", "其他")
BY_SOURCE_TYPE = Figure("t_source_type", "按来源、社区类型", "人", COMMITTEE,
                        by=("source", "community_type"))
BY_TYPE_SOURCE = Figure("t_type_source", "按社区类型、来源", "人", COMMITTEE,
                        by=("community_type", "source"))


def _zeros(keys):
    return dict.fromkeys(keys, 0)


def _values(conn, period, figures, previous=False):
    ctx = make_ctx(conn, parse_period(period), None, TODAY)
    return compute_values(conn, figures, ctx.year_earlier() if previous else ctx)


def test_a_breakdown_of_breakdowns_keeps_a_blank_part_outside_or_inside(street):
    with street.connect() as conn:
        now = _values(conn, "2026Q3", [BY_SOURCE_TYPE, BY_TYPE_SOURCE])
        before = _values(conn, "2026Q3", [BY_SOURCE_TYPE, BY_TYPE_SOURCE], previous=True)
    types = ("城市社区", "村改居社区")
    # The blank 来源 is not a declared part: outside, it is a row of its own after the others.
    want = {s: _zeros(types) for s in SOURCES}
    want["社工招募"]["城市社区"] = 1
    want["未填写"] = {"城市社区": 0, "村改居社区": 1}
    assert now["t_source_type"] == want
    assert list(now["t_source_type"]) == [*SOURCES, "未填写"]
    # Inside, it is a column of only the row that has it.
    assert now["t_type_source"] == {
        "城市社区": {**_zeros(SOURCES), "社工招募": 1},
        "村改居社区": {**_zeros(SOURCES), "未填写": 1}}
    want_before = {s: _zeros(types) for s in SOURCES}
    want_before["社工招募"]["城市社区"] = 1
    want_before["村民"]["村改居社区"] = 1
    assert before["t_source_type"] == want_before
    assert before["t_type_source"] == {"城市社区": {**_zeros(SOURCES), "社工招募": 1},
                                       "村改居社区": {**_zeros(SOURCES), "村民": 1}}


def test_one_cell_of_a_breakdown_of_breakdowns_opens_its_rows(street):
    def opened(fig, part):
        with street.connect() as conn:
            ctx = make_ctx(conn, parse_period("2026Q3"), None, TODAY)
            register, ids = drill_ids(conn, fig, ctx, part)
        assert register == "committee_members"
        return sorted(r["person_name"] for r in records.list_rows(street, register,
                                                                  filters={"id": ids}))
    assert opened(BY_TYPE_SOURCE, ("村改居社区", "未填写")) == ["人员11"]
    assert opened(BY_SOURCE_TYPE, ("未填写", "村改居社区")) == ["人员11"]
    assert opened(BY_SOURCE_TYPE, ("社工招募", "城市社区")) == ["人员9"]
    assert opened(BY_SOURCE_TYPE, ("社工招募", "村改居社区")) == []
    assert opened(BY_SOURCE_TYPE, None) == ["人员11", "人员9"]


def test_a_renamed_step_is_counted_and_opened_under_the_name_its_rows_carry(street):
    # The procedure is data: its last step is renamed after 加装电梯 reached it on 9/30.
    from app.storage.schema import workflow_steps as ws
    with street.begin() as conn:
        conn.execute(ws.update().where(ws.c.workflow == "consultation",
                                       ws.c.name == "实施结果公开").values(name="结果公开"))
    report = compute(street, "2026Q3", today=TODAY)
    # 停车管理 (raised 9/30) at its first step; 加装电梯 at the step's old name, after the
    # stored steps; nobody has reached the new name, so nothing is completed.
    assert report.values["consultations_by_step"] == {
        "征集议题": 1, "党组织提议": 0, "两委商议": 0, "居民(代表)会议决议": 0, "决议公开": 0,
        "结果公开": 0, "实施结果公开": 1}
    assert list(report.values["consultations_by_step"])[-1] == "实施结果公开"
    assert report.values["consultations_completed"] == 0
    register, ids = drill(street, "consultations_by_step", "2026Q3", today=TODAY,
                          part="实施结果公开")
    assert register == "consultations"
    assert [r["title"] for r in records.list_rows(street, register, filters={"id": ids})] \
        == ["加装电梯"]
    assert drill(street, "consultations_by_step", "2026Q3", today=TODAY,
                 part="结果公开") == ("consultations", [])


# Breakdowns that add up a measure instead of counting rows (the catalogue has none yet).
# 普法活动 of 2026Q3: 民法典讲座 法治讲座 7/15, 50 people, for 流动人口、儿童; 以案说法 9/30, 30, for
# 儿童.  2025Q3: 模拟法庭 7/15, 20, for 居民.  培训 of 2026Q3: 主题沙龙 7/15 20 people, 观摩交流
# 9/30 10; 2025Q3: 主题沙龙 8/8 15.
AUDIENCE_BY_TYPE = Figure("t_audience_by_type", "受众（按类型）", "人次", ACTIVITIES,
                          by=("activity_type",), total="audience")
AUDIENCE_BY_TARGET = Figure("t_audience_by_target", "受众（按对象）", "人次", ACTIVITIES,
                            by=("target",), total="audience")
PARTICIPANTS = Figure("t_participants", "参训（按季度、形式）", "人次", TRAININGS,
                      by=("quarter", "training_type"), total="participants")
TYPES = ("法治讲座", "法治学校", "模拟法庭", "以案说法", "法治文艺")
TARGETS = ("流动人口", "闲散青少年", "儿童", "老年人", "居民", "社区干部", "物业人员")
TRAINING_TYPES = ("主题沙龙", "集训+归来讲经验", "观摩交流", "面传亲授")


def test_breakdowns_that_add_up_a_measure(street):
    figs = [AUDIENCE_BY_TYPE, AUDIENCE_BY_TARGET, PARTICIPANTS]
    with street.connect() as conn:
        now = _values(conn, "2026Q3", figs)
        before = _values(conn, "2026Q3", figs, previous=True)
    assert now["t_audience_by_type"] == {**_zeros(TYPES), "法治讲座": 50, "以案说法": 30}
    assert before["t_audience_by_type"] == {**_zeros(TYPES), "模拟法庭": 20}
    # A multi-choice field: an activity adds its audience to every group it names.
    assert now["t_audience_by_target"] == {**_zeros(TARGETS), "流动人口": 50, "儿童": 80}
    assert before["t_audience_by_target"] == {**_zeros(TARGETS), "居民": 20}
    assert now["t_participants"] == {"第三季度": {**_zeros(TRAINING_TYPES), "主题沙龙": 20,
                                                "观摩交流": 10}}
    assert before["t_participants"] == {"第三季度": {**_zeros(TRAINING_TYPES), "主题沙龙": 15}}


def test_a_cell_of_a_breakdown_of_breakdowns_adds_up_the_rows_counted_apart(street):
    # Two more 社工招募 members of 甲社区 (城市社区) in office: born 1985-01-01 (41 on 2026-09-30,
    # the band of 人员9, 36) and 1960-01-01 (66).  Counted with an age breakdown of the same
    # rows, the cell 城市社区 × 社工招募 is grouped by age too, and must add its parts up.
    from app.services.access import system
    for name, birth in (("新委员甲", D(1985, 1, 1)), ("新委员乙", D(1960, 1, 1))):
        person = records.create(street, "people", {"name": name, "birth_date": birth},
                                system("测试"))["id"]
        records.create(street, "committee_members", {
            "person_id": person, "community_id": street.ids["jia"], "post": "委员",
            "source": "社工招募", "term_start": D(2026, 1, 1)}, system("测试"))
    by_age = Figure("t_age", "按年龄段", "人", COMMITTEE, by=("age_band",))
    with street.connect() as conn:
        now = _values(conn, "2026Q3", [BY_TYPE_SOURCE, by_age])
    assert now["t_type_source"] == {"城市社区": {**_zeros(SOURCES), "社工招募": 3},
                                    "村改居社区": {**_zeros(SOURCES), "未填写": 1}}
    assert now["t_age"] == {"35岁及以下": 0, "36–45岁": 2, "46–55岁": 1, "56–65岁": 0,
                            "66岁及以上": 1}


def test_a_ratio_declared_with_two_decimals_keeps_them(street):
    # 网上办理 of 2026Q3: 1 (7/31) of 3; of 2025Q3: none of 1 (8/15 代办).
    from app.stats import catalogue
    share = Figure("t_share", "网上办理占比", "%",
                   ratio=("services_online", "services_handled", 100), digits=2)
    figs = [catalogue.get("services_online"), catalogue.get("services_handled"), share]
    with street.connect() as conn:
        now = _values(conn, "2026Q3", figs)
        before = _values(conn, "2026Q3", figs, previous=True)
    assert now["t_share"] == 33.33
    assert before["t_share"] == 0.0
