"""Figures of area 3 法治保障: mediation (cases, outcomes, success rate, days to close, overdue,
回访), petitions (form, 息访, 老访户), 普法 activities and their audience, 三无小区 and the legal
resources and teams of each 社区."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..registry.law import CASE_CATEGORIES, LEGAL_RESOURCE_KINDS, LEGAL_ROLES, MEDIATION_CLOSED, \
    MEDIATION_DAYS, PETITION_FORMS, TARGET_GROUPS, LEGAL_ACTIVITY_TYPES
from ..storage.schema import TABLES
from .common import choice, community, flag, yes
from .engine import base_conditions
from .model import FLOW, STOCK, Chart, Ctx, Dim, Figure, Rows
from .places import COMPOUNDS

#: A petitioner with at least this many petitions (up to the period's end) is a 老访户.
REPEAT_PETITIONS = 2

CASES = Rows(
    "cases", "mediation_cases", FLOW, lambda ctx, t: [ctx.within(t.c.received_on)],
    dims=(choice("category", "纠纷类别", "category", CASE_CATEGORIES),),
    note="受理日期在期内的调解案件",
)

CLOSED = Rows(
    "cases_closed", "mediation_cases", FLOW, lambda ctx, t: [ctx.within(t.c.closed_on)],
    dims=(choice("outcome", "结果", "step", MEDIATION_CLOSED),),
    note="结案日期在期内的调解案件，按结果",
)


def _open_at_end(ctx: Ctx, t) -> list:
    still_open = sa.and_(t.c.closed_on.is_(None),
                         sa.or_(t.c.step.is_(None), t.c.step.not_in(MEDIATION_CLOSED)))
    return [t.c.received_on <= ctx.end, sa.or_(still_open, t.c.closed_on > ctx.end)]


OPEN = Rows(
    "cases_open", "mediation_cases", STOCK, _open_at_end,
    dims=(flag("overdue", f"超过{MEDIATION_DAYS}天", lambda ctx, t: t.c.received_on < (
        ctx.end - dt.timedelta(days=MEDIATION_DAYS))),),
    note=f"期末仍未结案的调解案件；受理超过 {MEDIATION_DAYS} 天的为超期",
)

REVISITS = Rows("revisits", "mediation_cases", FLOW,
                lambda ctx, t: [ctx.within(t.c.revisit_on)], note="回访日期在期内的调解案件")

PETITIONS = Rows(
    "petitions", "petitions", FLOW, lambda ctx, t: [ctx.within(t.c.received_on)],
    dims=(choice("form", "信访形式", "form", PETITION_FORMS),
          flag("settled", "息访", lambda ctx, t: yes(t.c.settled))),
    note="信访日期在期内的信访",
)

#: Every petition up to the period's end (a petitioner's history).
PETITION_HISTORY = Rows("petition_history", "petitions", STOCK,
                        lambda ctx, t: [t.c.received_on <= ctx.end])

ACTIVITIES = Rows(
    "legal_activities", "legal_activities", FLOW, lambda ctx, t: [ctx.within(t.c.held_on)],
    dims=(choice("activity_type", "活动类型", "activity_type", LEGAL_ACTIVITY_TYPES),
          Dim("target", "对象", lambda ctx, t: t.c.target_groups,
              tuple((g, g) for g in TARGET_GROUPS), contains=True)),
    measures={"audience": lambda ctx, t: t.c.audience_count},
    note="活动日期在期内的普法活动；一次活动可面向多类对象",
)

RESOURCES = Rows(
    "legal_resources", "legal_resources", STOCK,
    lambda ctx, t: [ctx.by_end(t.c.since, blank_ok=True),
                    sa.func.coalesce(t.c.in_service, True) == sa.true()],
    dims=(choice("kind", "类别", "kind", LEGAL_RESOURCE_KINDS), community("legal_resources")),
    note="期末已建立、正常运行的法律服务资源",
)

TEAM = Rows(
    "legal_team", "legal_volunteers", STOCK,
    lambda ctx, t: [ctx.by_end(t.c.since, blank_ok=True),
                    sa.func.coalesce(t.c.active, True) == sa.true()],
    dims=(choice("role", "角色", "role", LEGAL_ROLES),),
    note="期末在册的调解员、普法志愿者等",
)


def _repeat_petitioners(ctx: Ctx, conn) -> list[int]:
    """People who petitioned in the period and have ``REPEAT_PETITIONS`` or more petitions up
    to its end (the same scope)."""
    p = TABLES["petitions"]
    recent = sa.select(p.c.petitioner_id).where(*base_conditions(PETITIONS, ctx, p))
    stmt = (sa.select(p.c.petitioner_id).where(*base_conditions(PETITION_HISTORY, ctx, p),
                                               p.c.petitioner_id.in_(recent))
            .group_by(p.c.petitioner_id)
            .having(sa.func.count() >= REPEAT_PETITIONS))
    return list(conn.execute(stmt).scalars())


def repeat_petitioners(ctx: Ctx, conn, values) -> int:
    return len(_repeat_petitioners(ctx, conn))


def _mean_days(rows: Rows, start: str, stop: str):
    """Average days from ``start`` to ``stop`` over the rows (None if there are none)."""
    def compute(ctx: Ctx, conn, values):
        t = TABLES[rows.register]
        pairs = conn.execute(sa.select(t.c[start], t.c[stop]).where(
            *base_conditions(rows, ctx, t), t.c[start].is_not(None))).all()
        if not pairs:
            return None
        return round(sum((b - a).days for a, b in pairs) / len(pairs), 1)

    def drill(ctx: Ctx, conn, part):
        t = TABLES[rows.register]
        return list(conn.execute(sa.select(t.c.id).where(
            *base_conditions(rows, ctx, t), t.c[start].is_not(None))).scalars())
    compute.drill = drill
    return compute


cases_mean_days = _mean_days(CLOSED, "received_on", "closed_on")

FIGURES = (
    Figure("cases_received", "受理调解案件", "件", CASES, compare=True,
           phrase="受理矛盾纠纷调解案件{v}"),
    Figure("cases_by_category", "调解案件（按纠纷类别）", "件", CASES, by=("category",)),
    Figure("cases_closed", "结案调解案件", "件", CLOSED, phrase="结案{v}"),
    Figure("cases_by_outcome", "结案调解案件（按结果）", "件", CLOSED, by=("outcome",),
           chart=Chart("bars", "调解案件结果"), phrase="其中{parts}"),
    Figure("cases_succeeded", "调解成功", "件", CLOSED, when=(("outcome", "调解成功"),)),
    Figure("case_success_rate", "调解成功率", "%",
           ratio=("cases_succeeded", "cases_closed", 100), phrase="调解成功率{v}"),
    Figure("case_mean_days", "平均办结天数", "天", compute=cases_mean_days,
           drill=cases_mean_days.drill, register="mediation_cases", timing=FLOW, digits=1,
           phrase="平均{v}办结", note="期内结案案件从受理到结案的平均天数"),
    Figure("cases_open", "期末未结案件", "件", OPEN),
    Figure("cases_overdue", f"超过{MEDIATION_DAYS}天未结的案件", "件", OPEN,
           when=(("overdue", 1),), phrase=f"期末超过{MEDIATION_DAYS}天未结的{{v}}"),
    Figure("cases_revisited", "回访", "件", REVISITS, phrase="回访{v}"),
    Figure("petitions", "信访", "件", PETITIONS, compare=True, phrase="受理信访{v}"),
    Figure("petitions_by_form", "信访（按形式）", "件", PETITIONS, by=("form",), phrase="其中{parts}"),
    Figure("petitions_settled", "息访", "件", PETITIONS, when=(("settled", 1),)),
    Figure("settle_rate", "息访率", "%", ratio=("petitions_settled", "petitions", 100),
           phrase="息访率{v}"),
    Figure("repeat_petitioners", "老访户", "人", compute=repeat_petitioners,
           drill=lambda ctx, conn, part: _repeat_petitioners(ctx, conn), register="people",
           timing=FLOW, is_count=True, phrase="老访户{v}",
           note=f"期内有信访、截至期末累计信访 {REPEAT_PETITIONS} 次及以上的人"),
    Figure("legal_activities", "普法活动", "场", ACTIVITIES, compare=True,
           phrase="开展普法活动{v}"),
    Figure("legal_by_type", "普法活动（按类型）", "场", ACTIVITIES, by=("activity_type",)),
    Figure("legal_audience", "普法受众", "人次", ACTIVITIES, total="audience",
           phrase="受众{v}"),
    Figure("legal_by_target", "普法活动（按对象）", "场", ACTIVITIES, by=("target",),
           phrase="面向{parts}", note="一场活动可面向多类对象，各项之和可大于活动场数"),
    Figure("three_none_compounds", "三无小区", "个", COMPOUNDS, when=(("three_none", 1),),
           history=False, phrase="有“三无”小区{v}"),
    Figure("three_none_share", "三无小区占比", "%",
           ratio=("three_none_compounds", "compounds_total", 100), history=False,
           phrase="占小区总数的{v}"),
    Figure("legal_resources_by_kind", "法律服务资源（按类别）", "个", RESOURCES, by=("kind",),
           phrase="建有{parts}"),
    Figure("legal_resources_by_community", "法律服务资源（按社区）", "个", RESOURCES,
           by=("community",)),
    Figure("legal_team_by_role", "调解与普法队伍（按角色）", "人", TEAM, by=("role",),
           phrase="调解和普法队伍有{parts}"),
)

SENTENCES = (
    ("cases_received", "cases_closed", "cases_by_outcome", "case_success_rate",
     "case_mean_days", "cases_overdue", "cases_revisited"),
    ("petitions", "petitions_by_form", "settle_rate", "repeat_petitioners"),
    ("legal_activities", "legal_audience", "legal_by_target"),
    ("three_none_compounds", "three_none_share", "legal_resources_by_kind",
     "legal_team_by_role"),
)
