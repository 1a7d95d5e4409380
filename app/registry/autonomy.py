"""Area 2 自治基础: 居委会 members, consultations under 一征三议两公开, conventions, community
social organisations and the residents' roles (协商联络员, 居民代表)."""

from __future__ import annotations

from .base import (BOOL, CHOICE, DATE, INT, LONGTEXT, PHONE, REF, STEP, Field, Register,
                   Workflow, date_order, person_lookups)

COMMITTEE_POSTS = ("书记", "主任", "副书记", "副主任", "委员", "专职工作者")
COMMITTEE_SOURCES = ("社工招募", "村民", "选派", "公开招聘", "退役军人", "其他")
REVIEW_RESULTS = ("通过", "未通过", "待审查")
CONSULTATION_CATEGORIES = ("小区治理", "环境整治", "停车管理", "加装电梯", "物业服务",
                           "公共设施", "邻里关系", "其他")
CONVENTION_KINDS = ("居民公约", "村规民约", "小区公约")
SOCIAL_ORG_TYPES = ("文体娱乐", "志愿服务", "养老服务", "公益慈善", "矛盾调解", "教育培训",
                    "其他")
RESIDENT_ROLES = ("协商联络员", "居民代表", "楼栋长", "网格员")

#: 一征三议两公开 as read from the source report; the sister procedure elsewhere is 四议两公开.
CONSULTATION = Workflow(
    "consultation", "一征三议两公开",
    (("征集议题",), ("党组织提议",), ("两委商议",), ("居民(代表)会议决议",), ("决议公开",),
     ("实施结果公开",)),
)


committee_members = Register(
    key="committee_members", label="居委会成员", area="autonomy",
    fields=(
        Field("person_id", "人员", REF, ref="people", role="居委会成员",
              required=True, width=6, table=False),
        Field("community_id", "所在社区", REF, ref="communities", required=True, width=10,
              roster=True, synonyms=("社区", "所属社区")),
        Field("post", "职务", CHOICE, choices=COMMITTEE_POSTS, required=True, width=8,
              roster=True),
        Field("source", "来源", CHOICE, choices=COMMITTEE_SOURCES, width=7, roster=True,
              synonyms=("人员来源", "干部来源")),
        Field("term_start", "任期开始", DATE, width=9, roster=True, synonyms=("任职时间",)),
        Field("term_end", "任期结束", DATE, width=9),
        Field("experience", "工作经历", LONGTEXT, width=20, table=False, synonyms=("经历",)),
        Field("review_result", "资格审查", CHOICE, choices=REVIEW_RESULTS, width=6,
              default="通过", synonyms=("候选人资格审查",)),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    lookups=person_lookups("person_id", keys=("name", "gender", "birth_date", "id_number",
                                              "phone", "education"),
                           roster=("name", "gender", "birth_date", "education")),
    title="person_id",
    match_keys=("person_id", "community_id"),
    roster_title="居委会成员名册",
    order=("community_id", "post"),
    validate=date_order("term_start", "term_end", "任期结束不能早于任期开始"),
)

consultations = Register(
    key="consultations", label="协商议事", area="autonomy",
    fields=(
        Field("title", "议题", required=True, width=20, roster=True, synonyms=("议事事项", "事项")),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True, synonyms=("所属社区",)),
        Field("compound_id", "小区", REF, ref="compounds", width=12, synonyms=("所在小区",)),
        Field("category", "类别", CHOICE, choices=CONSULTATION_CATEGORIES, width=8,
              roster=True),
        Field("proposer", "提出人", width=8, roster=True, synonyms=("提议人",)),
        Field("raised_on", "征集日期", DATE, required=True, width=9, roster=True),
        Field("step", "当前步骤", STEP, width=10, roster=True),
        Field("step_date", "步骤日期", DATE, width=9, roster=True),
        Field("result", "议定结果", LONGTEXT, width=20, table=False),
    ),
    title="title",
    workflow=CONSULTATION,
    roster_title="协商议事台账",
    order=("-raised_on",),
)


def _convention_check(v: dict) -> list[tuple[str, str]]:
    if v.get("scope") == "小区" and not v.get("compound_id"):
        return [("compound_id", "范围为“小区”时请选择小区")]
    return []


conventions = Register(
    key="conventions", label="居民公约", area="autonomy",
    fields=(
        Field("title", "公约名称", required=True, width=16, roster=True, synonyms=("名称",)),
        Field("kind", "类别", CHOICE, choices=CONVENTION_KINDS, required=True, width=7,
              roster=True),
        Field("scope", "范围", CHOICE, choices=("社区", "小区"), required=True, width=4,
              roster=True),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True),
        Field("compound_id", "小区", REF, ref="compounds", width=12, roster=True),
        Field("adopted_on", "制定日期", DATE, width=9, roster=True, synonyms=("通过日期",)),
        Field("revised_on", "修订日期", DATE, width=9, roster=True),
        Field("content", "正文", LONGTEXT, width=30, table=False),
        Field("file_path", "附件", width=20, table=False),
    ),
    title="title",
    roster_title="居民公约一览",
    order=("community_id", "title"),
    validate=_convention_check,
)

social_orgs = Register(
    key="social_orgs", label="社区社会组织", area="autonomy",
    fields=(
        Field("name", "组织名称", required=True, unique=True, width=16, roster=True,
              synonyms=("名称", "社会组织名称")),
        Field("org_type", "类型", CHOICE, choices=SOCIAL_ORG_TYPES, width=8, roster=True),
        Field("origin", "培育/引进", CHOICE, choices=("培育", "引进"), required=True, width=6,
              roster=True, synonyms=("来源",)),
        Field("community_id", "服务社区", REF, ref="communities", width=10, roster=True,
              synonyms=("社区",)),
        Field("started_on", "培育/引进日期", DATE, width=9, roster=True,
              synonyms=("日期", "成立日期", "引进日期")),
        Field("members_count", "成员数", INT, width=5, roster=True),
        Field("leader", "负责人", width=6, roster=True),
        Field("phone", "联系电话", PHONE, width=12, roster=True),
        Field("services", "服务内容", LONGTEXT, width=20, table=False),
    ),
    match_keys=("name",),
    roster_title="社区社会组织名录",
    order=("community_id", "name"),
)

resident_roles = Register(
    key="resident_roles", label="居民代表与联络员", area="autonomy",
    fields=(
        Field("person_id", "人员", REF, ref="people", role="居民代表/联络员",
              required=True, width=6, table=False),
        Field("role", "角色", CHOICE, choices=RESIDENT_ROLES, required=True, width=8,
              roster=True, synonyms=("身份",)),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True),
        Field("compound_id", "小区", REF, ref="compounds", width=12, roster=True),
        Field("since", "担任日期", DATE, width=9, roster=True),
        Field("until", "卸任日期", DATE, width=9),
        Field("active", "在任", BOOL, width=4, default=True),
    ),
    lookups=person_lookups("person_id", keys=("name", "gender", "phone"),
                           roster=("name", "gender", "phone")),
    title="person_id",
    match_keys=("person_id", "role"),
    roster_title="居民代表与协商联络员名册",
    order=("community_id", "role"),
)

REGISTERS = (committee_members, consultations, conventions, social_orgs, resident_roles)
WORKFLOWS = (CONSULTATION,)
