"""Figures of area 5 服务群众: 政务服务 handled by channel (the online share) and by month,
venues planned / under construction / built / operating and their use, and the three lists
(需求 matched, open, days to close; 资源; 项目)."""

from __future__ import annotations

import sqlalchemy as sa

from ..registry.service import CHANNELS, NEED_STATUSES, PROJECT_STATUSES, VENUE_KINDS
from .common import choice, month, started, step_at
from .law import _mean_days
from .model import FLOW, STOCK, Chart, Figure, Rows

SERVICES = Rows(
    "services", "service_records", FLOW, lambda ctx, t: [ctx.within(t.c.handled_on)],
    dims=(choice("channel", "办理渠道", "channel", CHANNELS), month("handled_on")),
    note="办理日期在期内的政务服务事项",
)

VENUES = Rows(
    "venues", "venues", STOCK, lambda ctx, t: [started("venues", ctx, t)],
    dims=(step_at("venues", "状态"), choice("kind", "类型", "kind", VENUE_KINDS)),
    note="期末已列入规划的服务阵地，按期末所处状态（以推进记录的日期为准）",
)

USAGE = Rows(
    "venue_usage", "venue_usage", FLOW, lambda ctx, t: [ctx.within(t.c.used_on)],
    measures={"participants": lambda ctx, t: t.c.participants},
    note="日期在期内的阵地使用",
)

NEEDS = Rows(
    "needs", "needs", FLOW, lambda ctx, t: [ctx.within(t.c.found_on)],
    dims=(choice("status", "状态", "status", NEED_STATUSES),),
    note="收集日期在期内的需求，按现在的对接状态",
)

NEEDS_CLOSED = Rows("needs_closed", "needs", FLOW, lambda ctx, t: [ctx.within(t.c.closed_on)],
                    note="办结日期在期内的需求")

RESOURCES = Rows(
    "resources", "resources", STOCK,
    lambda ctx, t: [sa.func.coalesce(t.c.available, True) == sa.true()], history=False,
    note="现有可用的资源（资源清单不记日期）",
)

PROJECTS = Rows(
    "projects", "projects", STOCK,
    lambda ctx, t: [ctx.by_end(t.c.start_on, blank_ok=True),
                    sa.or_(t.c.end_on.is_(None), t.c.end_on >= ctx.start)],
    dims=(choice("status", "状态", "status", PROJECT_STATUSES),),
    note="期内进行的项目（开始不晚于期末、结束不早于期初），按现在的状态",
)

needs_mean_days = _mean_days(NEEDS_CLOSED, "found_on", "closed_on")

FIGURES = (
    Figure("services_handled", "办理政务服务事项", "件", SERVICES, compare=True,
           phrase="累计办理服务事项{v}"),
    Figure("services_by_channel", "政务服务（按渠道）", "件", SERVICES, by=("channel",),
           phrase="其中{parts}"),
    Figure("services_online", "网上办理", "件", SERVICES, when=(("channel", "网上"),)),
    Figure("online_share", "网上办理占比", "%",
           ratio=("services_online", "services_handled", 100), phrase="网上办理占{v}"),
    Figure("services_by_month", "政务服务（按月份、渠道）", "件", SERVICES,
           by=("month", "channel"), chart=Chart("stacked", "政务服务办理渠道（按月）")),
    Figure("venues_by_stage", "服务阵地（按状态）", "处", VENUES, by=("step_at",),
           phrase="服务阵地{total}中{parts}"),
    Figure("venues_built", "已建成（含运营）的服务阵地", "处", VENUES,
           when=(("step_at", ("建成", "运营")),)),
    Figure("neighbourhood_centres", "邻里中心（已列入规划）", "处", VENUES,
           when=(("kind", "邻里中心"),), phrase="拟打造邻里中心{v}"),
    Figure("neighbourhood_centres_built", "已建成（含运营）的邻里中心", "处", VENUES,
           when=(("kind", "邻里中心"), ("step_at", ("建成", "运营"))), phrase="已建成{v}"),
    Figure("venue_uses", "阵地使用", "次", USAGE, phrase="阵地使用{v}"),
    Figure("venue_participants", "阵地使用参与", "人次", USAGE, total="participants"),
    Figure("needs_found", "收集居民需求", "条", NEEDS, compare=True, phrase="收集居民需求{v}"),
    Figure("needs_by_status", "居民需求（按状态）", "条", NEEDS, by=("status",),
           phrase="其中{parts}"),
    Figure("needs_matched", "已对接（含办结）的需求", "条", NEEDS,
           when=(("status", ("已对接", "已办结")),)),
    Figure("needs_open", "待对接的需求", "条", NEEDS, when=(("status", "待对接"),)),
    Figure("needs_mean_days", "需求平均办结天数", "天", compute=needs_mean_days,
           drill=needs_mean_days.drill, register="needs", timing=FLOW, digits=1,
           phrase="办结的需求平均用时{v}", note="期内办结的需求从收集到办结的平均天数"),
    Figure("resources_available", "可用资源", "项", RESOURCES, phrase="资源清单有可用资源{v}"),
    Figure("projects_by_status", "项目（按状态）", "个", PROJECTS, by=("status",),
           phrase="项目清单{parts}"),
)

SENTENCES = (
    ("services_handled", "services_by_channel", "online_share"),
    ("venues_by_stage", "neighbourhood_centres", "neighbourhood_centres_built", "venue_uses"),
    ("needs_found", "needs_by_status", "needs_mean_days", "resources_available",
     "projects_by_status"),
)
