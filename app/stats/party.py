"""Figures of area 1 党建引领: the organisation and its coverage of 小区 and 楼栋, the roll of
members (category, identity, 报到, 中心户, 挂牌, age), 三会一课 against their schedule,
attendance, 第一议题, 政治生日 and the 发展党员 pipeline."""

from __future__ import annotations

import sqlalchemy as sa

from ..registry.party import DEVELOPMENT, MEETING_SCHEDULE, MEMBER_CATEGORIES, \
    MEETING_TYPES, MEMBER_IDENTITIES, MEMBER_STATUSES, ORG_TYPES
from ..storage.schema import TABLES
from .common import age_band, anniversary_within, choice, community, flag, person_birth, \
    started, step_at, yes
from .meetings import branches_behind, meetings_by_branch, meetings_on_schedule, \
    meetings_required
from .model import FLOW, STOCK, Chart, Ctx, Dim, Figure, Rows
from .places import BUILDINGS, COMMUNITIES, COMPOUNDS

def levels_by_community(ctx: Ctx, conn, values) -> dict:
    """{社区: levels present (0–4)} on the last day."""
    c = TABLES["communities"]
    stmt = sa.select(c.c.name, COMMUNITIES.dim("levels").expr(ctx, c)).where(
        c.c.deleted_at.is_(None)).order_by(c.c.name, c.c.id)
    if ctx.communities is not None:
        stmt = stmt.where(c.c.id.in_(ctx.communities))
    return {name: n for name, n in conn.execute(stmt)}


def _community_ids(ctx: Ctx, conn, part) -> list[int]:
    ids = dict((name, i) for i, name in ctx.names)
    if part is not None:
        return [ids[part]] if part in ids else []
    return list(ids.values())


levels_by_community.drill = _community_ids

# -- the roll -------------------------------------------------------------------------------


def on_roll(ctx: Ctx, t) -> sa.ColumnElement:
    """On the roll on the last day: 在册 now, or left (转出/失联/去世) only after that day."""
    return sa.or_(sa.func.coalesce(t.c.status, "在册") == "在册", t.c.status_date > ctx.end)


def _members_where(ctx: Ctx, t) -> list:
    tr = TABLES["party_transfers"]
    # Uncorrelated: the database builds this short list once, not a lookup per member.
    came_later = sa.select(tr.c.person_id).where(
        tr.c.deleted_at.is_(None), tr.c.direction == "转入", tr.c.transfer_date > ctx.end,
        tr.c.person_id.is_not(None))
    return [t.c.joined_on <= ctx.end, t.c.person_id.not_in(came_later),
            sa.or_(on_roll(ctx, t), ctx.within(t.c.status_date))]


def _category_at(ctx: Ctx, t):
    """正式党员 once confirmed: a member confirmed after the period's end was 预备 then."""
    full = sa.and_(t.c.category == "正式党员",
                   sa.or_(t.c.confirmed_on.is_(None), t.c.confirmed_on <= ctx.end))
    return sa.case((full, "正式党员"), else_="预备党员")


MEMBERS = Rows(
    "members", "party_members", STOCK, _members_where,
    dims=(
        Dim("status_at", "状态", lambda ctx, t: sa.case((on_roll(ctx, t), "在册"),
                                                      else_=t.c.status),
            tuple((s, s) for s in MEMBER_STATUSES)),
        Dim("category_at", "党员类别", _category_at, tuple((c, c) for c in MEMBER_CATEGORIES)),
        choice("identity", "党员身份", "identity", MEMBER_IDENTITIES, default="社区党员"),
        flag("reported", "已报到", lambda ctx, t: ctx.by_end(t.c.reported_on)),
        flag("center", "党员中心户", lambda ctx, t: yes(t.c.is_center_household)),
        flag("plaque", "已挂牌", lambda ctx, t: sa.and_(
            yes(t.c.plaque_hung), ctx.by_end(t.c.plaque_date, blank_ok=True))),
        age_band(person_birth()),
        flag("joined_within", "本期入党", lambda ctx, t: ctx.within(t.c.joined_on)),
        flag("birthday", "政治生日在本期", lambda ctx, t: anniversary_within(ctx, t.c.joined_on)),
        community("party_members"),
    ),
    person="person_id",
    note="入党日期不晚于期末、期末在册（或本期内转出/失联/去世）的党员；组织关系期末后才转入的不计",
)
ON_ROLL = (("status_at", "在册"),)
ON_DUTY = ON_ROLL + (("identity", "在职党员到社区报到"),)
RESIDENT = ON_ROLL + (("identity", "社区党员"),)

ORGS = Rows(
    "orgs", "party_orgs", STOCK,
    lambda ctx, t: [ctx.by_end(t.c.founded_on, blank_ok=True)],
    dims=(choice("org_type", "组织类型", "org_type", ORG_TYPES),
          flag("on_compound", "覆盖小区", lambda ctx, t: t.c.compound_id.is_not(None))),
    note="成立日期不晚于期末的党组织（未填成立日期的也计入）",
)

MEETINGS = Rows(
    "meetings", "party_meetings", FLOW, lambda ctx, t: [ctx.within(t.c.held_at)],
    dims=(flag("three_one", "三会一课", lambda ctx, t: t.c.meeting_type.in_(
              list(MEETING_SCHEDULE))),
          choice("meeting_type", "会议类型", "meeting_type", MEETING_TYPES),
          flag("first_topic", "学习第一议题", lambda ctx, t: sa.func.coalesce(
              t.c.first_topic, "") != ""),
          flag("counted", "应到实到已填", lambda ctx, t: sa.and_(
              t.c.expected > 0, t.c.attended.is_not(None)))),
    measures={"expected": lambda ctx, t: t.c.expected, "attended": lambda ctx, t: t.c.attended},
    note="会议时间在期内的组织生活",
)

DEVELOPMENT_ROWS = Rows(
    "development", "party_development", STOCK,
    lambda ctx, t: [started("party_development", ctx, t)],
    dims=(step_at("party_development"),),
    note="期末已列入发展程序的人员，按期末所处阶段（以推进记录的日期为准）",
)

FIGURES = (
    Figure("orgs_by_level", "党组织数（按层级）", "个", ORGS, by=("org_type",),
           phrase="共有党组织{total}（{parts}）"),
    Figure("compound_branches", "小区党支部", "个", ORGS,
           when=(("org_type", "党支部"), ("on_compound", 1)), phrase="已建立小区党支部{v}"),
    Figure("compounds_total", "小区总数", "个", COMPOUNDS, history=False),
    Figure("compounds_covered", "建有小区党支部的小区", "个", COMPOUNDS, when=(("covered", 1),)),
    Figure("compound_coverage", "党组织对小区的覆盖率", "%",
           ratio=("compounds_covered", "compounds_total", 100),
           phrase="党组织对小区的覆盖率达{v}"),
    Figure("compounds_by_community", "小区数（按社区）", "个", COMPOUNDS, by=("community",),
           history=False),
    Figure("covered_by_community", "建有小区党支部的小区（按社区）", "个", COMPOUNDS,
           when=(("covered", 1),), by=("community",)),
    Figure("coverage_by_community", "小区覆盖率（按社区）", "%",
           ratio=("covered_by_community", "compounds_by_community", 100),
           chart=Chart("hbars", "党组织对小区的覆盖率（按社区）")),
    Figure("buildings_total", "楼栋总数", "栋", BUILDINGS, history=False),
    Figure("buildings_with_group", "建有党小组的楼栋", "栋", BUILDINGS, when=(("grouped", 1),),
           phrase="辖区{buildings_total}中建有党小组的楼栋{v}"),
    Figure("building_coverage", "楼栋党小组覆盖率", "%",
           ratio=("buildings_with_group", "buildings_total", 100)),
    Figure("four_level_complete", "四级组织体系完整的社区", "个", COMMUNITIES,
           when=(("levels", 4),), phrase="四级组织体系完整的社区{v}",
           note="社区党委/党总支、小区党支部、楼栋党小组、党员中心户四级都有"),
    Figure("communities_by_levels", "社区（按四级组织体系已建层级数）", "个", COMMUNITIES,
           by=("levels",), note="按已建立的层级数分：4级为完整"),
    Figure("four_level_by_community", "四级组织体系已建层级（按社区）", "级",
           compute=levels_by_community, drill=levels_by_community.drill,
           register="communities", timing=STOCK, note="每个社区已建立的层级数，满4级为完整"),
    Figure("members_total", "期末在册党员", "名", MEMBERS, when=ON_ROLL,
           phrase="期末在册党员{v}", compare=True),
    Figure("members_by_category", "在册党员（按类别）", "名", MEMBERS, when=ON_ROLL,
           by=("category_at",), phrase="其中{parts}"),
    Figure("members_by_identity", "在册党员（按身份）", "名", MEMBERS, when=ON_ROLL,
           by=("identity",), phrase="{parts}"),
    Figure("members_by_status", "党员（期末在册与本期减少）", "名", MEMBERS, by=("status_at",),
           note="在册为期末在册；转出、失联、去世为状态变更日期在本期内的"),
    Figure("members_by_age", "在册党员（按年龄段）", "名", MEMBERS, when=ON_ROLL,
           by=("age_band",), chart=Chart("bars", "在册党员年龄结构")),
    Figure("members_joined", "本期入党", "名", MEMBERS, when=(("joined_within", 1),)),
    Figure("on_duty_members", "在职党员", "名", MEMBERS, when=ON_DUTY),
    Figure("reported_members", "已到社区报到的在职党员", "名", MEMBERS,
           when=ON_DUTY + (("reported", 1),)),
    Figure("report_rate", "在职党员报到率", "%",
           ratio=("reported_members", "on_duty_members", 100),
           phrase="在职党员到社区报到率{v}"),
    Figure("center_households", "党员中心户", "户", MEMBERS, when=ON_ROLL + (("center", 1),),
           phrase="党员中心户{v}"),
    Figure("resident_members", "社区党员", "名", MEMBERS, when=RESIDENT),
    Figure("plaqued_members", "已挂“党员户”牌的社区党员", "名", MEMBERS,
           when=RESIDENT + (("plaque", 1),), phrase="{v}社区党员家庭已挂“党员户”牌"),
    Figure("plaque_rate", "党员户挂牌率", "%",
           ratio=("plaqued_members", "resident_members", 100), phrase="挂牌率{v}"),
    Figure("meetings_held", "“三会一课”召开次数", "次", MEETINGS, when=(("three_one", 1),),
           compare=True, phrase="召开“三会一课”{v}"),
    Figure("meetings_required", "“三会一课”应召开次数", "次", compute=meetings_required,
           drill=meetings_required.drill, register="party_orgs", timing=FLOW, phrase="按规定应召开{v}",
           note="支委会、党小组会每月一次，支部党员大会、党课每季度一次；只计期内已结束的月份、季度"),
    Figure("meetings_on_schedule", "按期召开的“三会一课”", "次", compute=meetings_on_schedule,
           register="party_orgs", timing=FLOW,
           note="应召开的月份/季度中确有该类会议的"),
    Figure("schedule_rate", "“三会一课”按期召开率", "%",
           ratio=("meetings_on_schedule", "meetings_required", 100), drill_to="meetings_held",
           phrase="按期召开率{v}"),
    Figure("branches_behind", "未按期召开“三会一课”的支部和党小组", "个",
           compute=branches_behind, drill=branches_behind.drill, register="party_orgs",
           timing=FLOW, is_count=True, phrase="未按期召开的支部和党小组{v}"),
    Figure("meetings_by_branch", "“三会一课”召开与应召开（按支部）", "次",
           compute=meetings_by_branch, drill=meetings_by_branch.drill,
           register="party_meetings", timing=FLOW,
           chart=Chart("pairs", "“三会一课”召开与应召开（按支部，差距最大的在前）", limit=15)),
    Figure("meetings_by_type", "组织生活（按类型）", "次", MEETINGS, by=("meeting_type",)),
    Figure("expected_total", "组织生活应到人次", "人次", MEETINGS, when=(("counted", 1),),
           total="expected"),
    Figure("attended_total", "组织生活实到人次", "人次", MEETINGS, when=(("counted", 1),),
           total="attended"),
    Figure("attendance_rate", "组织生活参会率", "%",
           ratio=("attended_total", "expected_total", 100), phrase="党员参会率{v}"),
    Figure("first_topic_meetings", "学习“第一议题”的会议", "次", MEETINGS,
           when=(("first_topic", 1),), phrase="把学习习近平总书记重要讲话和指示批示精神作为第一议题的会议{v}"),
    Figure("theme_days", "主题党日", "次", MEETINGS, when=(("meeting_type", "主题党日"),),
           phrase="开展主题党日{v}"),
    Figure("political_birthdays", "政治生日在本期的在册党员", "名", MEMBERS,
           when=ON_ROLL + (("birthday", 1),), phrase="为{v}党员过政治生日"),
    Figure("development_by_stage", "发展党员（按阶段）", "名", DEVELOPMENT_ROWS,
           by=("step_at",), phrase="发展党员工作中{parts}"),
)

SENTENCES = (
    ("orgs_by_level", "compound_branches", "compound_coverage", "buildings_with_group",
     "four_level_complete"),
    ("members_total", "members_by_category", "report_rate", "center_households",
     "plaqued_members", "plaque_rate"),
    ("meetings_held", "meetings_required", "schedule_rate", "branches_behind",
     "attendance_rate"),
    ("first_topic_meetings", "theme_days", "political_birthdays"),
    ("development_by_stage",),
)
_ = DEVELOPMENT  # the stages shown are the stored workflow's (data), declared there
