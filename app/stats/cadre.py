"""Figures of area 6 干部担当: trainings by form, 主题沙龙 per quarter (the goal is one or two a
quarter), hours per participant, and the 分包 of communities by the 街道's committee members.

Trainings are the 街道's own: they belong to no community and are counted street-wide in every
scope."""

from __future__ import annotations

from ..registry.cadre import TRAINING_TYPES
from .common import choice, quarter
from .model import FLOW, Ctx, Figure, Rows
from .places import COMMUNITIES

from ..registry.cadre import SALON_GOAL  # 每季度 1~2 次主题沙龙 (the reminders use it too)

TRAININGS = Rows(
    "trainings", "trainings", FLOW, lambda ctx, t: [ctx.within(t.c.held_on)],
    dims=(choice("training_type", "培训形式", "training_type", TRAINING_TYPES), quarter("held_on")),
    measures={"participants": lambda ctx, t: t.c.participants,
              "trainee_hours": lambda ctx, t: t.c.hours * t.c.participants},
    note="日期在期内的干部培训（街道组织，不分社区）",
)


def salons_per_quarter(ctx: Ctx, conn, values):
    """Salons held divided by the quarters the period covers (partial months by their days)."""
    quarters = _months(ctx) / 3
    return round(values["salons"] / quarters, 1) if quarters else None


def _months(ctx: Ctx) -> float:
    from .period import Period
    return Period(ctx.start, ctx.end, "", "").months


FIGURES = (
    Figure("trainings", "干部培训", "次", TRAININGS, compare=True, phrase="开展干部培训{v}"),
    Figure("trainings_by_type", "干部培训（按形式）", "次", TRAININGS, by=("training_type",),
           phrase="其中{parts}"),
    Figure("salons", "主题沙龙", "次", TRAININGS, when=(("training_type", "主题沙龙"),)),
    Figure("salons_by_quarter", "主题沙龙（按季度）", "次", TRAININGS,
           when=(("training_type", "主题沙龙"),), by=("quarter",)),
    Figure("salons_per_quarter", "平均每季度主题沙龙", "次", compute=salons_per_quarter,
           register="trainings", timing=FLOW, digits=1, drill_to="salons",
           phrase=f"平均每季度开展主题沙龙{{v}}（目标{SALON_GOAL[0]}~{SALON_GOAL[1]}次）",
           note=f"目标为每季度 {SALON_GOAL[0]}~{SALON_GOAL[1]} 次"),
    Figure("training_participants", "参训人次", "人次", TRAININGS, total="participants",
           phrase="参训{v}"),
    Figure("trainee_hours", "参训学时合计", "学时", TRAININGS, total="trainee_hours"),
    Figure("hours_per_participant", "人均学时", "学时",
           ratio=("trainee_hours", "training_participants", 1), drill_to="trainings",
           phrase="人均{v}"),
    Figure("communities_assigned", "有班子成员分包的社区", "个", COMMUNITIES,
           when=(("assigned", 1),), phrase="班子成员分包社区{v}"),
    Figure("assignment_coverage", "分包社区覆盖率", "%",
           ratio=("communities_assigned", "communities_total", 100), phrase="覆盖率{v}"),
)

SENTENCES = (
    ("trainings", "trainings_by_type", "training_participants", "hours_per_participant"),
    ("salons_per_quarter",),
    ("communities_assigned", "assignment_coverage"),
)
