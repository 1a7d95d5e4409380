"""Area 1 党建引领: party organisations, members, their transfers and development, and the
organisational life (三会一课) with attendance."""

from __future__ import annotations

from ..core.validators import is_before
from .base import (BOOL, CHOICE, DATE, DATETIME, INT, LONGTEXT, PHONE, REF, STEP, Field, Register,
                   Workflow, person_lookups)

ORG_TYPES = ("党委", "党总支", "党支部", "党小组")
MEMBER_CATEGORIES = ("正式党员", "预备党员")
#: A 预备党员's probation (预备期) lasts this many years from 入党日期; then 转正 is due.
PROBATION_YEARS = 1
MEMBER_IDENTITIES = ("社区党员", "在职党员到社区报到", "流动党员")
PARTY_POSTS = ("书记", "副书记", "组织委员", "纪检委员", "宣传委员", "党小组长", "党员")
MEMBER_STATUSES = ("在册", "转出", "失联", "去世")
MEETING_TYPES = ("支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会",
                 "区域党委会")
STUDY_FORMS = ("书记领学", "研讨交流", "晾晒心得")
ATTENDANCE = ("出席", "请假", "缺席", "列席")

#: 三会一课 schedule: meeting type → months between two meetings.
MEETING_SCHEDULE = {"支委会": 1, "党小组会": 1, "支部党员大会": 3, "党课": 3}

DEVELOPMENT = Workflow(
    "party_development", "发展党员",
    (("入党申请人",), ("入党积极分子",), ("发展对象",), ("预备党员",), ("正式党员",)),
)

def org_from_name(name: str) -> dict:
    """A 党组织's values from its name: the type is the suffix (…党小组, …党总支, …党支部 or
    …支部, …党委), 党支部 when the name has none of them."""
    kind = next((t for t in ("党小组", "党总支", "党支部", "党委") if name.endswith(t)), None)
    if kind is None:
        kind = "党支部" if name.endswith("支部") else "党小组" if name.endswith("小组") \
            else "党支部"
    return {"name": name, "org_type": kind}


party_orgs = Register(
    key="party_orgs", label="党组织", area="party", members="party_members",
    from_name=org_from_name, tree_root=(("parent_id", None),),
    fields=(
        Field("name", "党组织名称", required=True, unique=True, width=16, roster=True,
              synonyms=("党组织", "所在党组织", "支部名称", "党支部")),
        Field("org_type", "组织类型", CHOICE, choices=ORG_TYPES, required=True, width=6,
              roster=True, synonyms=("类型", "党组织类型")),
        Field("parent_id", "上级党组织", REF, ref="party_orgs", width=14, roster=True,
              synonyms=("上级组织",)),
        Field("community_id", "所属社区", REF, ref="communities", required=True, width=10,
              roster=True, synonyms=("社区",)),
        Field("compound_id", "覆盖小区", REF, ref="compounds", width=12, roster=True,
              synonyms=("小区",)),
        Field("building_id", "覆盖楼栋", REF, ref="buildings", width=12,
              synonyms=("楼栋",)),
        Field("secretary_id", "书记/组长", REF, ref="people", width=6,
              synonyms=("书记", "组长", "党小组长")),
        Field("founded_on", "成立日期", DATE, width=9, roster=True,
              synonyms=("成立时间",)),
        Field("phone", "联系电话", PHONE, width=12),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    lookups=person_lookups("secretary_id", prefix="书记", keys=("name", "phone"),
                           roster=("name",)),
    match_keys=("name",),
    roster_title="党组织一览",
    order=("community_id", "name"),
)


def _member_check(v: dict) -> list[tuple[str, str]]:
    errs = []
    if v.get("confirmed_on") and v.get("joined_on") and is_before(v["confirmed_on"],
                                                                    v["joined_on"]):
        errs.append(("confirmed_on", "转正日期不能早于入党日期"))
    if v.get("category") == "预备党员" and v.get("confirmed_on"):
        errs.append(("confirmed_on", "预备党员尚未转正，不应填写转正日期"))
    if v.get("status") not in (None, "在册") and not v.get("status_date"):
        errs.append(("status_date", f"状态为“{v['status']}”时请填写状态变更日期"))
    if v.get("plaque_date") and not v.get("plaque_hung"):
        errs.append(("plaque_hung", "填了挂牌日期，请同时勾选“已挂牌”"))
    return errs


party_members = Register(
    key="party_members", label="党员", area="party",
    default_filter=(("status", "在册"),), active=("status", "在册"), headline="在册党员 {n:,} 人",
    fields=(
        Field("person_id", "人员", REF, ref="people", role="党员",
              required=True, width=6, table=False),
        Field("org_id", "所在党组织", REF, ref="party_orgs", required=True, width=16,
              roster=True, synonyms=("所在支部", "党组织", "支部", "所属党组织", "党支部")),
        Field("category", "党员类别", CHOICE, choices=MEMBER_CATEGORIES, required=True,
              width=7, roster=True, default="正式党员", synonyms=("类别", "人员类别")),
        Field("joined_on", "入党日期", DATE, required=True, width=9, roster=True,
              synonyms=("入党时间", "政治生日", "加入党组织日期")),
        Field("confirmed_on", "转正日期", DATE, width=9, roster=True,
              synonyms=("转正时间",)),
        Field("identity", "党员身份", CHOICE, choices=MEMBER_IDENTITIES, width=10,
              default="社区党员", synonyms=("身份",)),
        Field("reported_on", "报到日期", DATE, width=9, synonyms=("报到时间",)),
        Field("work_unit", "工作单位", width=14, roster=True, synonyms=("单位", "工作单位及职务")),
        # No default: an ordinary member holds no post, and "党员" is not one (kept as a
        # choice only because district rosters write it).
        Field("party_post", "党内职务", CHOICE, choices=PARTY_POSTS, width=7, roster=True,
              synonyms=("职务",)),
        Field("is_center_household", "党员中心户", BOOL, width=6, synonyms=("中心户",)),
        Field("plaque_hung", "已挂牌", BOOL, width=5, synonyms=("挂牌",)),
        Field("plaque_date", "挂牌日期", DATE, width=9),
        Field("status", "状态", CHOICE, choices=MEMBER_STATUSES, required=True, width=5,
              default="在册", roster=True, synonyms=("党员状态",)),
        Field("status_date", "状态变更日期", DATE, width=9),
        Field("status_reason", "状态变更原因", width=14),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    lookups=person_lookups("person_id", keys=("name", "gender", "ethnicity", "birth_date",
                                              "id_number", "phone", "education", "address"),
                           roster=("name", "gender", "ethnicity", "birth_date", "id_number",
                                   "education")),
    title="person_id",
    match_keys=("person_id",),
    roster_title="党员花名册",
    order=("org_id", "joined_on"),
    validate=_member_check,
    description="状态（在册/转出/失联/去世）带日期和原因；党员记录从不删除，只改状态。",
)

party_transfers = Register(
    key="party_transfers", label="组织关系转接", area="party", followups=("transfer_roll",),
    fields=(
        Field("person_id", "人员", REF, ref="people", required=True, width=6, table=False),
        Field("direction", "转接方向", CHOICE, choices=("转入", "转出"), required=True,
              width=5, roster=True, synonyms=("方向", "类型")),
        Field("org_id", "本方党组织", REF, ref="party_orgs", required=True, width=16,
              roster=True, synonyms=("党组织",)),
        Field("other_org", "对方党组织", required=True, width=16, roster=True,
              synonyms=("转出单位", "转入单位", "对方单位")),
        Field("transfer_date", "转接日期", DATE, required=True, width=9, roster=True,
              synonyms=("日期",)),
        Field("letter_no", "介绍信编号", width=10, roster=True, synonyms=("介绍信号",)),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    lookups=person_lookups("person_id", keys=("name", "id_number"), roster=("name",)),
    title="letter_no",
    order=("-transfer_date",),
)

party_development = Register(
    key="party_development", label="发展党员", area="party",
    fields=(
        Field("person_id", "人员", REF, ref="people", role="发展党员",
              required=True, width=6, table=False),
        Field("org_id", "培养党组织", REF, ref="party_orgs", required=True, width=16,
              roster=True, synonyms=("党组织", "支部")),
        Field("step", "当前阶段", STEP, width=8, roster=True, synonyms=("阶段",)),
        Field("step_date", "阶段日期", DATE, width=9, roster=True),
        Field("contact_persons", "培养联系人", width=10, roster=True, synonyms=("联系人",)),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    lookups=person_lookups("person_id", keys=("name", "gender", "birth_date", "id_number"),
                           roster=("name", "gender", "birth_date")),
    title="person_id",
    workflow=DEVELOPMENT,
    match_keys=("person_id",),
    roster_title="发展党员名册",
    order=("org_id", "step_date"),
)


def _meeting_check(v: dict) -> list[tuple[str, str]]:
    errs = []
    exp, att = v.get("expected"), v.get("attended")
    if exp is not None and att is not None and att > exp:
        errs.append(("attended", f"实到 {att} 人多于应到 {exp} 人"))
    for k in ("expected", "attended", "on_leave", "observers"):
        if v.get(k) is not None and v[k] < 0:
            errs.append((k, "人数不能为负"))
    return errs


party_meetings = Register(
    key="party_meetings", label="组织生活", area="party", actions=("sign_in",),
    fields=(
        Field("org_id", "党组织", REF, ref="party_orgs", required=True, width=16, roster=True,
              synonyms=("所在党组织", "支部")),
        Field("meeting_type", "会议类型", CHOICE, choices=MEETING_TYPES, required=True,
              width=8, roster=True, synonyms=("类型", "形式")),
        Field("held_at", "时间", DATETIME, required=True, width=14, roster=True,
              synonyms=("日期", "会议时间", "召开时间")),
        Field("place", "地点", width=12, roster=True, synonyms=("会议地点",)),
        Field("topic", "主题", required=True, width=20, roster=True,
              synonyms=("会议主题", "议题")),
        Field("first_topic", "第一议题", width=20, synonyms=("学习内容",)),
        Field("study_form", "学习方式", CHOICE, choices=STUDY_FORMS, width=8),
        Field("host", "主持人", width=6, roster=True),
        Field("recorder", "记录人", width=6),
        Field("lecturer", "授课人", width=6, synonyms=("讲课人", "主讲人")),
        Field("content", "会议内容", LONGTEXT, width=30, table=False),
        Field("expected", "应到", INT, width=4, roster=True, synonyms=("应到人数",)),
        Field("attended", "实到", INT, width=4, roster=True, synonyms=("实到人数",)),
        Field("on_leave", "请假", INT, width=4, synonyms=("请假人数",)),
        Field("observers", "列席", INT, width=4, synonyms=("列席人数",)),
        Field("label", "会议", width=30, table=False, derived=True,
              help="日期 + 会议类型 + 主题，由系统生成，用于参会记录等引用"),
    ),
    title="label",
    roster_title="组织生活记录",
    order=("-held_at",),
    validate=_meeting_check,
)

meeting_attendance = Register(
    key="meeting_attendance", label="参会记录", area="party",
    fields=(
        Field("meeting_id", "会议", REF, ref="party_meetings", required=True, width=20),
        Field("person_id", "人员", REF, ref="people", required=True, width=6, table=False),
        Field("attendance", "出勤", CHOICE, choices=ATTENDANCE, required=True, width=5,
              roster=True, default="出席"),
        Field("reason", "请假事由", width=14, roster=True, synonyms=("事由", "原因")),
    ),
    lookups=person_lookups("person_id", keys=("name",), roster=("name",)),
    title="person_id",
    match_keys=("meeting_id", "person_id"),
    order=("meeting_id", "id"),
)

REGISTERS = (party_orgs, party_members, party_transfers, party_development, party_meetings,
             meeting_attendance)
WORKFLOWS = (DEVELOPMENT,)
