"""The building blocks of the figures (app/stats/common.py) where the hand-built 街道 of
conftest.py does not reach on its own: a period across the new year (months, quarters and
政治生日 of both years), a one-month and a two-month period, ages on the very birthday, a
blank birth date and a blank 党员身份, the stored steps in their order (with a step added to
the procedure as data) and two steps taken on the same day.  Each test adds its few records
to its own copy of the 街道; the answers are worked out by hand (reading guide in
test_figures.py)."""

from __future__ import annotations

import sqlalchemy as sa

from app.services import records
from app.stats import compute, drill

from .conftest import ACTOR, TODAY, D

CHANNELS = ("窗口", "网上", "代办")


def _mk(db, key, **values):
    return records.create(db, key, values, ACTOR)["id"]


def _row(db, key, **match):
    (row,) = [r for r in records.list_rows(db, key)
              if all(r[k] == v for k, v in match.items())]
    return row


def _by_channel(**n):
    return {c: n.get(c, 0) for c in CHANNELS}


def test_a_period_across_the_new_year(street):
    ids = street.ids
    # 政务服务 on both sides of each month's first day, and of the new year.
    for day, channel in ((D(2025, 11, 30), "窗口"), (D(2025, 12, 1), "网上"),
                         (D(2025, 12, 31), "代办"), (D(2026, 1, 1), "窗口"),
                         (D(2026, 2, 28), "网上")):
        _mk(street, "service_records", handled_on=day, item_id=_row(street, "service_catalog",
                                                                     name="社保查询")["id"],
            channel=channel, community_id=ids["jia"], status="办结")
    # 主题沙龙 on the last day of 2025 and the first of 2026.
    for day in (D(2025, 12, 31), D(2026, 1, 1)):
        _mk(street, "trainings", topic="沙龙", training_type="主题沙龙", held_on=day)
    # Members whose 政治生日 falls on the edges of the period in each year (a joined 2010-11-01,
    # b 2010-12-31, c 2011-01-01, d 2011-02-28), just outside it (e 2010-10-31, f 2010-03-01),
    # and one who joined inside it (g 2025-12-15: no anniversary yet).
    joined = {"a": D(2010, 11, 1), "b": D(2010, 12, 31), "c": D(2011, 1, 1),
              "d": D(2011, 2, 28), "e": D(2010, 10, 31), "f": D(2010, 3, 1),
              "g": D(2025, 12, 15)}
    for name, day in joined.items():
        person = _mk(street, "people", name=f"党员{name}", birth_date=D(1980, 1, 1))
        _mk(street, "party_members", person_id=person, org_id=ids["o2"], category="预备党员",
            joined_on=day, identity="社区党员")

    report = compute(street, "2025-11-01..2026-02-28", today=TODAY)
    v, p = report.values, report.previous_values
    assert v["services_by_month"] == {
        "2025年11月": _by_channel(窗口=1), "2025年12月": _by_channel(网上=1, 代办=1),
        "2026年1月": _by_channel(窗口=1), "2026年2月": _by_channel(网上=1)}
    assert list(v["services_by_month"]) == ["2025年11月", "2025年12月", "2026年1月", "2026年2月"]
    assert p["services_by_month"] == {m: _by_channel() for m in (
        "2024年11月", "2024年12月", "2025年1月", "2025年2月")}
    assert v["salons_by_quarter"] == {"2025年第四季度": 1, "2026年第一季度": 1}
    assert list(v["salons_by_quarter"]) == ["2025年第四季度", "2026年第一季度"]
    assert p["salons_by_quarter"] == {"2024年第四季度": 0, "2025年第一季度": 0}
    # On the roll at 2026-02-28: m1 (7/15), m3 (9/10), m4 (10/10), m5 (7/1) — none in the
    # period — and a … g: a, b in 2025, c, d in 2026.  At 2025-02-28 the same four a … d
    # (g has not joined yet).
    assert v["political_birthdays"] == 4
    assert p["political_birthdays"] == 4
    register, rows = drill(street, "political_birthdays", "2025-11-01..2026-02-28",
                           today=TODAY)
    assert sorted(r["person_name"] for r in records.list_rows(street, register,
                                                              filters={"id": rows})) \
        == ["党员a", "党员b", "党员c", "党员d"]


def test_one_month_and_two_month_periods(street):
    # September: the 窗口 of 9/30; August and September: the same, in the second month.
    sep = compute(street, "2026-09", today=TODAY).values
    assert sep["services_by_month"] == {"9月": _by_channel(窗口=1)}
    two = compute(street, "2026-08-01..2026-09-30", today=TODAY).values
    assert two["services_by_month"] == {"8月": _by_channel(), "9月": _by_channel(窗口=1)}
    # July alone: 7/1 窗口 and 7/31 网上, both in the one month.
    jul = compute(street, "2026-07", today=TODAY).values
    assert jul["services_by_month"] == {"7月": _by_channel(窗口=1, 网上=1)}
    assert jul["salons_by_quarter"] == {"第三季度": 1}              # 加装电梯难题 7/15


def test_age_on_the_birthday_and_a_blank_birth_date(street):
    # 居委会成员 in office at 2026-09-30, each turning an age band's lower bound on that very
    # day (or the day after: still the band below); one with no birth date.
    births = {"满36": D(1990, 9, 30), "差一天36": D(1990, 10, 1), "满46": D(1980, 9, 30),
              "差一天46": D(1980, 10, 1), "满56": D(1970, 9, 30), "满66": D(1960, 9, 30),
              "差一天66": D(1960, 10, 1), "无生日": None}
    for name, birth in births.items():
        person = _mk(street, "people", name=name, **({"birth_date": birth} if birth else {}))
        _mk(street, "committee_members", person_id=person, community_id=street.ids["jia"],
            post="委员", term_start=D(2026, 1, 1))
    v = compute(street, "2026Q3", today=TODAY).values
    # Before: 人员9 (36 on 2026-09-30 … born 1990-01-01: 36) and 人员11 (46).
    assert v["committee_by_age"] == {"35岁及以下": 1, "36–45岁": 3, "46–55岁": 2, "56–65岁": 2,
                                     "66岁及以上": 1, "出生日期未填": 1}
    assert v["committee_total"] == 10


def test_a_blank_member_identity_counts_as_community_member(street):
    # A new member starts as 社区党员 (the field's default); the 身份 is then cleared.
    from app.storage.schema import TABLES
    person = _mk(street, "people", name="无身份", birth_date=D(1980, 1, 1))
    member = _mk(street, "party_members", person_id=person, org_id=street.ids["o2"],
                 category="正式党员", joined_on=D(2001, 1, 1), confirmed_on=D(2002, 1, 1))
    records.update(street, "party_members", member, {"identity": None}, ACTOR)
    t = TABLES["party_members"]
    with street.connect() as conn:
        assert conn.execute(sa.select(t.c.identity).where(t.c.id == member)).scalar() is None
    v = compute(street, "2026Q3", today=TODAY).values
    # m1 and the new member; m2, m5 在职; m4 流动.
    assert v["members_by_identity"] == {"社区党员": 2, "在职党员到社区报到": 2, "流动党员": 1}
    assert v["resident_members"] == 2


def test_steps_in_their_stored_order_with_one_added_as_data(street):
    v = compute(street, "2026Q3", today=TODAY).values
    assert list(v["consultations_by_step"]) == [
        "征集议题", "党组织提议", "两委商议", "居民(代表)会议决议", "决议公开", "实施结果公开"]
    assert list(v["venues_by_stage"]) == ["规划", "在建", "建成", "运营"]
    assert list(v["development_by_stage"]) == ["入党申请人", "入党积极分子", "发展对象", "预备党员",
                                               "正式党员"]
    # An alternative to 公示 added to the procedure (a data change, like 四议两公开): it is
    # shown after 公示 (added later, at the same position), before 表彰 — although its name
    # sorts before 公示's.
    from app.storage.schema import workflow_steps as ws
    with street.begin() as conn:
        pos = conn.execute(sa.select(ws.c.position).where(
            ws.c.workflow == "honours", ws.c.name == "公示")).scalar_one()
        conn.execute(ws.insert().values(workflow="honours", position=pos, name="不予公示"))
    v = compute(street, "2026Q3", today=TODAY).values
    assert list(v["honours_by_stage"]) == ["推荐", "公示", "不予公示", "表彰"]
    assert v["honours_by_stage"] == {"推荐": 0, "公示": 0, "不予公示": 0, "表彰": 1}


def test_two_steps_on_the_same_day_the_later_one_counts(street):
    # 乙社区党群服务中心 (规划 since 2026-08-01) went 在建 and 建成 on the same day.
    venue = _row(street, "venues", name="乙社区党群服务中心")["id"]
    for step in ("在建", "建成"):
        records.advance(street, "venues", venue, step, ACTOR, done_on=D(2026, 9, 20))
    v = compute(street, "2026Q3", today=TODAY).values
    assert v["venues_by_stage"] == {"规划": 0, "在建": 0, "建成": 1, "运营": 1}
    assert v["venues_built"] == 2


def test_a_blank_yes_no_counts_as_no(street):
    # m2's 党员中心户 cleared (blank, not 否): still only m1 is a 中心户.
    records.update(street, "party_members", street.ids["m2"], {"is_center_household": None},
                   ACTOR)
    assert compute(street, "2026Q3", today=TODAY).values["center_households"] == 1


def test_a_row_started_on_the_period_s_last_day_counts(street):
    # A 党群服务中心 planned on 2026-09-30 is in the quarter's stock, at its first step.
    _mk(street, "venues", name="丙中心", kind="党群服务中心", community_id=street.ids["yi"],
        step_date=D(2026, 9, 30))
    v = compute(street, "2026Q3", today=TODAY).values
    assert v["venues_by_stage"] == {"规划": 2, "在建": 0, "建成": 0, "运营": 1}


def test_only_this_procedure_s_last_step_completes_a_consultation(street):
    # Another procedure given a step named like an earlier consultation step, at the
    # consultation's last position: 环境整治 reached 党组织提议 on 2025-08-05 — not completed.
    from app.storage.schema import workflow_steps as ws
    with street.begin() as conn:
        last = conn.execute(sa.select(sa.func.max(ws.c.position))
                            .where(ws.c.workflow == "consultation")).scalar_one()
        conn.execute(ws.insert().values(workflow="honours", position=last, name="党组织提议"))
    report = compute(street, "2026Q3", today=TODAY)
    assert (report.values["consultations_completed"],
            report.previous_values["consultations_completed"]) == (1, 0)


def test_lookup_reads_a_field_of_the_row_referred_to(street):
    from app.stats.common import lookup
    from app.storage.schema import TABLES
    t = TABLES["party_members"]
    with street.connect() as conn:
        got = dict(conn.execute(sa.select(t.c.id, lookup(t, "org_id", "party_orgs", "name")))
                   .all())
    ids = street.ids
    assert got == {ids["m1"]: "甲一小区党支部", ids["m2"]: "甲一小区1栋党小组",
                   ids["m3"]: "甲一小区党支部", ids["m4"]: "乙社区党总支",
                   ids["m5"]: "乙社区党总支", ids["m6"]: "甲一小区党支部"}


def test_a_flag_as_a_breakdown_is_yes_and_no(street):
    # No figure of the catalogue breaks down by a flag yet; one that does shows 是 and 否.
    from app.stats import parse_period
    from app.stats.engine import compute_values
    from app.stats.model import Figure
    from app.stats.party import MEMBERS, ON_ROLL
    from app.stats.report import make_ctx
    figs = [Figure("t_center", "中心户", "名", MEMBERS, when=ON_ROLL, by=("center",)),
            Figure("t_plaque", "挂牌", "名", MEMBERS, when=ON_ROLL, by=("plaque",))]
    with street.connect() as conn:
        ctx = make_ctx(conn, parse_period("2026Q3"), None, TODAY)
        now = compute_values(conn, figs, ctx)
        before = compute_values(conn, figs, ctx.year_earlier())
    # On the roll at 2026-09-30: m1 (中心户, plaque hung 2026-03-01), m2, m4, m5; at
    # 2025-09-30: m1 (plaque not yet hung), m3, m5.
    assert now["t_center"] == {"是": 1, "否": 3}
    assert now["t_plaque"] == {"是": 1, "否": 3}
    assert before["t_center"] == {"是": 1, "否": 2}
    assert before["t_plaque"] == {"是": 0, "否": 3}


def test_political_birthdays_of_a_period_that_starts_and_ends_mid_month(street):
    def birthdays(period):
        value = compute(street, period, today=TODAY).values["political_birthdays"]
        register, rows = drill(street, "political_birthdays", period, today=TODAY)
        return value, sorted(r["person_name"] for r in records.list_rows(
            street, register, filters={"id": rows}))
    # 7/10–9/30, on the roll at 9/30 (m1 m2 m4 m5): m1 joined on 7/15; m5's 7/1 is before the
    # period; m2 joined this year (8/1); m4's 10/10 is after it.
    assert birthdays("2026-07-10..2026-09-30") == (1, ["人员1"])
    # 7/1–7/10, on the roll at 7/10 (m1 m3 m4 m5): m5 joined on 7/1; m1's 7/15 is after it.
    assert birthdays("2026-07-01..2026-07-10") == (1, ["人员5"])
