"""Area 6 干部担当: training of community cadres and the 分包社区 assignments."""

from __future__ import annotations

from .base import CHOICE, DATE, FLOAT, INT, LONGTEXT, REF, Field, Register, person_lookups

#: 每季度选取 1~2 个社区治理难题，开展主题沙龙 — the goal, per quarter (reminders and figures).
SALON_GOAL = (1, 2)

TRAINING_TYPES = ("主题沙龙", "集训+归来讲经验", "观摩交流", "面传亲授")

trainings = Register(
    key="trainings", label="干部培训", area="cadre",
    fields=(
        Field("topic", "主题", required=True, width=18, roster=True,
              synonyms=("培训主题", "名称")),
        Field("training_type", "培训形式", CHOICE, choices=TRAINING_TYPES, required=True,
              width=9, roster=True, synonyms=("形式", "类型")),
        Field("held_on", "日期", DATE, required=True, width=9, roster=True,
              synonyms=("培训日期", "时间")),
        Field("problem", "治理难题", width=18, roster=True, synonyms=("难题",)),
        Field("place", "地点", width=12, roster=True),
        Field("organiser", "组织者", width=8),
        Field("participants", "参训人数", INT, width=5, roster=True, synonyms=("人数",)),
        Field("hours", "学时", FLOAT, width=4, roster=True),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    title="topic",
    roster_title="干部培训台账",
    order=("-held_on",),
)

cadre_assignments = Register(
    key="cadre_assignments", label="分包社区", area="cadre",
    fields=(
        Field("person_id", "班子成员", REF, ref="people", role="包联干部", required=True, width=6,
              table=False),
        Field("post", "职务", width=10, roster=True),
        Field("community_id", "分包社区", REF, ref="communities", required=True, width=10,
              roster=True, synonyms=("社区",)),
        Field("since", "开始日期", DATE, width=9, roster=True),
        Field("until", "结束日期", DATE, width=9),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    lookups=person_lookups("person_id", keys=("name", "phone"), roster=("name", "phone")),
    title="person_id",
    match_keys=("person_id", "community_id"),
    roster_title="班子成员分包社区表",
    order=("community_id",),
)

REGISTERS = (trainings, cadre_assignments)
WORKFLOWS = ()
