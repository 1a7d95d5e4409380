"""Area 3 法治保障: mediation cases (矛盾纠纷调解), petitions (信访), 普法 activities, legal
resources and the rosters of mediators and 普法 volunteers."""

from __future__ import annotations

from ..core.validators import is_before
from .base import (BOOL, CHOICE, DATE, INT, LONGTEXT, MULTI, PHONE, REF, STEP, Field, Register,
                   Workflow, date_order, person_lookups)

CASE_SOURCES = ("当事人申请", "主动调解", "公安移交", "法院委托", "部门指定")
CASE_CATEGORIES = ("邻里纠纷", "家庭纠纷", "婚姻纠纷", "物业纠纷", "劳资纠纷", "损害赔偿",
                   "房屋宅基地", "其他")
#: What 调解 ledgers write for a category: the choice with a trailing 纠纷, and the usual
#: other names.
CASE_CATEGORY_ALIASES = (
    *((c + "纠纷", c) for c in CASE_CATEGORIES if not c.endswith("纠纷")),
    ("邻里矛盾", "邻里纠纷"), ("邻里", "邻里纠纷"), ("相邻关系纠纷", "邻里纠纷"),
    ("婚姻家庭纠纷", "家庭纠纷"), ("家庭", "家庭纠纷"), ("赡养纠纷", "家庭纠纷"),
    ("继承纠纷", "家庭纠纷"), ("婚姻", "婚姻纠纷"), ("离婚纠纷", "婚姻纠纷"),
    ("物业", "物业纠纷"), ("物业管理纠纷", "物业纠纷"), ("物业服务纠纷", "物业纠纷"),
    ("劳动争议", "劳资纠纷"), ("劳动纠纷", "劳资纠纷"), ("劳务纠纷", "劳资纠纷"),
    ("欠薪纠纷", "劳资纠纷"), ("人身损害赔偿纠纷", "损害赔偿"), ("赔偿纠纷", "损害赔偿"),
    ("交通事故纠纷", "损害赔偿"), ("宅基地纠纷", "房屋宅基地"), ("房屋纠纷", "房屋宅基地"),
    ("土地纠纷", "房屋宅基地"), ("其它", "其他"), ("其它纠纷", "其他"))
AGREEMENT_TYPES = ("书面", "口头")
PERFORMANCE = ("已履行", "部分履行", "未履行")
PETITION_FORMS = ("来信", "来访", "网上", "电话")
#: Words district 信访 sheets use for the form of a petition.
PETITION_FORM_ALIASES = (
    ("信访", "来信"), ("书信", "来信"), ("写信", "来信"), ("信件", "来信"), ("邮寄", "来信"),
    ("走访", "来访"), ("上访", "来访"), ("当面", "来访"), ("面访", "来访"), ("来人", "来访"),
    ("集体访", "来访"), ("个人访", "来访"), ("来访接待", "来访"),
    ("网络", "网上"), ("网信", "网上"), ("网上信访", "网上"), ("网上投诉", "网上"),
    ("网络信访", "网上"), ("邮件", "网上"), ("电子邮件", "网上"), ("领导信箱", "网上"),
    ("来电", "电话"), ("热线", "电话"), ("12345", "电话"), ("电话信访", "电话"),
    ("市民热线", "电话"), ("12345热线", "电话"))
LEGAL_ACTIVITY_TYPES = ("法治讲座", "法治学校", "模拟法庭", "以案说法", "法治文艺")
TARGET_GROUPS = ("流动人口", "闲散青少年", "儿童", "老年人", "居民", "社区干部", "物业人员")
LEGAL_RESOURCE_KINDS = ("法律服务工作站", "心理咨询室", "律师挂钩", "人民调解委员会",
                        "法律顾问")
LEGAL_ROLES = ("社区法官", "社区调解员", "调解志愿者", "普法志愿者", "心理辅导员")

MEDIATION = Workflow(
    "mediation", "调解流程",
    (("受理",), ("调解中",), ("调解成功", "调解不成功", "终止", "转办")),
)
#: Steps after which a case is closed.
MEDIATION_CLOSED = ("调解成功", "调解不成功", "终止", "转办")
#: A mediation normally ends within this many days; open cases older than this are overdue.
MEDIATION_DAYS = 30
#: A successful mediation is revisited (回访) within this many days of closing.
REVISIT_DAYS = 30
#: A petition is answered within this many days of receipt (《信访工作条例》: 60 日内办结).
PETITION_REPLY_DAYS = 60


def _case_check(v: dict) -> list[tuple[str, str]]:
    errs = []
    if v.get("applicant_id") and v.get("applicant_id") == v.get("respondent_id"):
        errs.append(("respondent_id", "申请人与被申请人不能是同一人"))
    if v.get("closed_on") and v.get("received_on") and is_before(v["closed_on"],
                                                                   v["received_on"]):
        errs.append(("closed_on", "结案日期不能早于受理日期"))
    if v.get("agreement_no") and not v.get("agreement_type"):
        errs.append(("agreement_type", "填了协议编号，请选择协议形式"))
    return errs


mediation_cases = Register(
    key="mediation_cases", label="矛盾纠纷调解", area="law",
    fields=(
        Field("case_no", "案件编号", unique=True, width=10, roster=True,
              synonyms=("编号", "案号"), help="留空则按年份自动编号，如 2026-0001"),
        Field("received_on", "受理日期", DATE, required=True, width=9, roster=True,
              synonyms=("登记日期", "受理时间")),
        Field("source", "案件来源", CHOICE, choices=CASE_SOURCES, width=8, roster=True,
              synonyms=("来源",)),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True),
        Field("category", "纠纷类别", CHOICE, choices=CASE_CATEGORIES, required=True, width=8,
              aliases=CASE_CATEGORY_ALIASES,
              roster=True, synonyms=("类别", "纠纷类型")),
        Field("applicant_id", "申请人", REF, ref="people", role="调解当事人", required=True, width=6,
              table=False),
        Field("respondent_id", "被申请人", REF, ref="people", role="调解当事人", width=6,
              table=False),
        Field("other_parties", "其他当事人", width=12, synonyms=("其他当事人姓名",)),
        Field("summary", "纠纷简要情况", LONGTEXT, required=True, width=24, roster=True,
              synonyms=("简要案情", "纠纷事由", "案情")),
        Field("judge", "社区法官", width=6, roster=True),
        Field("mediator_id", "调解员", REF, ref="people", role="调解员", width=6, roster=True,
              overflow="volunteers",
              synonyms=("社区调解员", "主调解员")),
        Field("volunteers", "调解志愿者", width=10),
        Field("step", "状态", STEP, width=7, roster=True, synonyms=("调解结果", "案件状态"),
              aliases=(("成功", "调解成功"), ("已调解", "调解成功"), ("达成协议", "调解成功"),
                       ("失败", "调解不成功"), ("不成功", "调解不成功"),
                       ("调解失败", "调解不成功"), ("未达成协议", "调解不成功"),
                       ("正在调解", "调解中"), ("调解中", "调解中"), ("已受理", "受理"),
                       ("已终止", "终止"), ("已转办", "转办"))),
        Field("step_date", "状态日期", DATE, width=9),
        Field("agreement_type", "协议形式", CHOICE, choices=AGREEMENT_TYPES, width=5,
              roster=True),
        Field("agreement_no", "协议编号", width=10),
        Field("performance", "履行情况", CHOICE, choices=PERFORMANCE, width=7),
        Field("revisit_on", "回访日期", DATE, width=9),
        Field("revisit_by", "回访人", width=6),
        Field("revisit_result", "回访结果", width=14, synonyms=("回访情况", "回访意见")),
        Field("judicial_confirmed", "司法确认", BOOL, width=5),
        Field("closed_on", "结案日期", DATE, width=9, roster=True),
    ),
    lookups=(*person_lookups("applicant_id", prefix="申请人", keys=("name", "id_number",
                                                                   "phone"),
                             roster=("name",)),
             *person_lookups("respondent_id", prefix="被申请人", keys=("name",),
                             roster=("name",))),
    title="case_no",
    workflow=MEDIATION,
    step_dates=tuple((s, "closed_on") for s in MEDIATION_CLOSED),
    match_keys=("case_no",),
    roster_title="矛盾纠纷调解登记表",
    order=("-received_on",),
    validate=_case_check,
)


petitions = Register(
    key="petitions", label="信访", area="law",
    fields=(
        Field("petitioner_id", "信访人", REF, ref="people", role="信访人", required=True, width=6,
              table=False),
        Field("community_id", "社区", REF, ref="communities", width=10, roster=True),
        Field("form", "信访形式", CHOICE, choices=PETITION_FORMS, required=True, width=5,
              aliases=PETITION_FORM_ALIASES,
              roster=True, synonyms=("形式", "方式", "信访方式", "来访方式", "反映方式",
                                     "信访途径", "信访类型")),
        Field("received_on", "信访日期", DATE, required=True, width=9, roster=True,
              synonyms=("日期", "登记日期", "来访日期", "来信日期", "信访时间", "来访时间",
                        "受理日期", "反映日期")),
        Field("matter", "信访事项", LONGTEXT, required=True, width=24, roster=True,
              synonyms=("事项", "反映问题", "主要诉求")),
        Field("assigned_unit", "交办单位", width=10, roster=True, synonyms=("承办单位",)),
        Field("result", "办理结果", width=16, roster=True),
        Field("replied_on", "答复日期", DATE, width=9, roster=True),
        Field("settled", "息访", BOOL, width=4, roster=True, synonyms=("是否息访",)),
    ),
    lookups=person_lookups("petitioner_id", prefix="信访人",
                           keys=("name", "id_number", "phone"), roster=("name", "id_number")),
    title="matter",
    roster_title="信访登记表",
    order=("-received_on",),
    validate=date_order("received_on", "replied_on", "答复日期不能早于信访日期"),
    description="同一信访人多次信访即为“老访户”（由历史记录得出）。",
)

legal_activities = Register(
    key="legal_activities", label="普法活动", area="law",
    fields=(
        Field("title", "活动名称", required=True, width=16, roster=True, synonyms=("名称", "主题")),
        Field("activity_type", "活动类型", CHOICE, choices=LEGAL_ACTIVITY_TYPES, required=True,
              width=7, roster=True, synonyms=("类型", "形式")),
        Field("held_on", "日期", DATE, required=True, width=9, roster=True,
              synonyms=("活动日期", "时间")),
        Field("community_id", "社区", REF, ref="communities", width=10, roster=True),
        Field("place", "地点", width=12, roster=True),
        Field("speaker", "主讲人", width=8, roster=True, synonyms=("讲师",)),
        Field("audience_count", "受众人数", INT, width=5, roster=True,
              synonyms=("参加人数", "人数")),
        Field("target_groups", "对象", MULTI, choices=TARGET_GROUPS, width=14, roster=True,
              synonyms=("受众", "面向对象")),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    title="title",
    roster_title="普法活动台账",
    order=("-held_on",),
)

legal_resources = Register(
    key="legal_resources", label="法律服务资源", area="law",
    fields=(
        Field("name", "名称", required=True, width=16, roster=True),
        Field("kind", "类别", CHOICE, choices=LEGAL_RESOURCE_KINDS, required=True, width=8,
              roster=True),
        Field("community_id", "挂钩社区", REF, ref="communities", width=10, roster=True,
              synonyms=("社区",)),
        Field("lawyer", "律师/负责人", width=8, roster=True, synonyms=("律师", "负责人")),
        Field("law_firm", "所在律所/单位", width=14, roster=True, synonyms=("律所", "单位")),
        Field("phone", "联系电话", PHONE, width=12, roster=True),
        Field("since", "建立日期", DATE, width=9, roster=True),
        Field("in_service", "正常运行", BOOL, width=5, default=True),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    roster_title="法律服务资源一览",
    order=("community_id", "kind"),
)

legal_volunteers = Register(
    key="legal_volunteers", label="调解员与普法志愿者", area="law",
    fields=(
        Field("person_id", "人员", REF, ref="people", role="调解员/普法志愿者",
              required=True, width=6, table=False),
        Field("role", "角色", CHOICE, choices=LEGAL_ROLES, required=True, width=7, roster=True,
              synonyms=("身份", "类别")),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True),
        Field("since", "加入日期", DATE, width=9, roster=True),
        Field("specialty", "专长", width=12, roster=True),
        Field("active", "在册", BOOL, width=4, default=True),
    ),
    lookups=person_lookups("person_id", keys=("name", "gender", "phone"),
                           roster=("name", "gender", "phone")),
    title="person_id",
    match_keys=("person_id", "role"),
    roster_title="调解员/普法志愿者名册",
    order=("community_id", "role"),
)

REGISTERS = (mediation_cases, petitions, legal_activities, legal_resources, legal_volunteers)
WORKFLOWS = (MEDIATION,)
