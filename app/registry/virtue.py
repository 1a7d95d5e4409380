"""Area 4 德治支撑: 典型选树 (nominations through 推荐 → 公示 → 表彰) and cultural activities."""

from __future__ import annotations

from .base import CHOICE, DATE, INT, LONGTEXT, REF, STEP, Field, Register, Workflow

HONOUR_CATEGORIES = ("最美家庭", "道德模范", "好党员", "好媳妇", "好婆婆", "道德榜样", "五好楼栋")
NOMINEE_KINDS = ("个人", "家庭", "楼栋")
OCCASIONS = ("建党节", "国庆节", "重阳节", "春节", "三八妇女节", "其他")
CULTURE_TYPES = ("理论宣讲", "文艺巡演", "四点半课堂", "读书活动", "邻里活动", "家风家教")

HONOURS = Workflow("honours", "典型选树", (("推荐",), ("公示",), ("表彰",)))


def _honour_check(v: dict) -> list[tuple[str, str]]:
    kind = v.get("nominee_kind")
    need = {"个人": "person_id", "家庭": "household_id", "楼栋": "building_id"}.get(kind)
    if need and not v.get(need):
        label = {"person_id": "人员", "household_id": "家庭（户）", "building_id": "楼栋"}[need]
        return [(need, f"对象类型为“{kind}”时请选择{label}")]
    return []


honours = Register(
    key="honours", label="典型选树", area="virtue",
    fields=(
        Field("nominee", "推荐对象", required=True, width=10, roster=True,
              synonyms=("姓名", "对象", "名称"), help="个人姓名、家庭户主或楼栋名称"),
        Field("category", "类别", CHOICE, choices=HONOUR_CATEGORIES, required=True, width=7,
              roster=True, synonyms=("评选类别", "荣誉类别")),
        Field("year", "年度", INT, required=True, width=5, roster=True),
        Field("nominee_kind", "对象类型", CHOICE, choices=NOMINEE_KINDS, required=True,
              width=5, default="个人"),
        Field("person_id", "人员", REF, ref="people", role="典型", width=6, table=False),
        Field("household_id", "家庭（户）", REF, ref="households", width=16, table=False),
        Field("building_id", "楼栋", REF, ref="buildings", width=12, table=False),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True),
        Field("occasion", "表彰时机", CHOICE, choices=OCCASIONS, width=7, roster=True,
              synonyms=("节点",)),
        Field("step", "阶段", STEP, width=5, roster=True),
        Field("step_date", "阶段日期", DATE, width=9),
        Field("deeds", "主要事迹", LONGTEXT, width=30, roster=True, synonyms=("事迹",)),
    ),
    title="nominee",
    workflow=HONOURS,
    roster_title="典型选树名单",
    order=("-year", "category"),
    validate=_honour_check,
)

culture_events = Register(
    key="culture_events", label="文化活动", area="virtue",
    fields=(
        Field("title", "活动名称", required=True, width=16, roster=True, synonyms=("名称", "主题")),
        Field("event_type", "活动类型", CHOICE, choices=CULTURE_TYPES, required=True, width=8,
              roster=True, synonyms=("类型",)),
        Field("held_on", "日期", DATE, required=True, width=9, roster=True),
        Field("community_id", "社区", REF, ref="communities", width=10, roster=True),
        Field("venue", "地点", width=12, roster=True),
        Field("participants", "参与人数", INT, width=5, roster=True, synonyms=("人数",)),
        Field("organiser", "组织者", width=8),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    title="title",
    roster_title="文化活动台账",
    order=("-held_on",),
)

REGISTERS = (honours, culture_events)
WORKFLOWS = (HONOURS,)
