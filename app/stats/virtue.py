"""Figures of area 4 德治支撑: 典型选树 by category and stage (五好楼栋 among them) and cultural
activities by type with their participants."""

from __future__ import annotations

from ..registry.virtue import CULTURE_TYPES, HONOUR_CATEGORIES
from .common import choice, started, step_at
from .model import FLOW, STOCK, Ctx, Figure, Rows


def _honours_where(ctx: Ctx, t) -> list:
    """Nominations of the period's year(s) made by its end."""
    return [t.c.year.between(ctx.start.year, ctx.end.year), started("honours", ctx, t)]


HONOURS = Rows(
    "honours", "honours", STOCK, _honours_where,
    dims=(choice("category", "类别", "category", HONOUR_CATEGORIES), step_at("honours")),
    note="年度在本期所属年份、期末已推荐的典型，按期末所处阶段",
)

CULTURE = Rows(
    "culture", "culture_events", FLOW, lambda ctx, t: [ctx.within(t.c.held_on)],
    dims=(choice("event_type", "活动类型", "event_type", CULTURE_TYPES),),
    measures={"participants": lambda ctx, t: t.c.participants},
    note="日期在期内的文化活动",
)

FIGURES = (
    Figure("honours_by_category", "典型选树（按类别）", "个", HONOURS, by=("category",),
           phrase="推荐选树典型{total}（{parts}）"),
    Figure("honours_by_stage", "典型选树（按阶段）", "个", HONOURS, by=("step_at",),
           phrase="其中{parts}"),
    Figure("honoured", "已表彰典型", "个", HONOURS, when=(("step_at", "表彰"),)),
    Figure("five_good_buildings", "获表彰的五好楼栋", "个", HONOURS,
           when=(("category", "五好楼栋"), ("step_at", "表彰")), phrase="表彰“五好楼栋”{v}"),
    Figure("culture_events", "文化活动", "场", CULTURE, compare=True,
           phrase="开展文化活动{v}"),
    Figure("culture_by_type", "文化活动（按类型）", "场", CULTURE, by=("event_type",),
           phrase="其中{parts}"),
    Figure("culture_participants", "文化活动参与", "人次", CULTURE, total="participants",
           phrase="参与群众{v}"),
)

SENTENCES = (
    ("honours_by_category", "honours_by_stage", "five_good_buildings"),
    ("culture_events", "culture_by_type", "culture_participants"),
)
