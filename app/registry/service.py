"""Area 5 服务群众: 政务服务 handled, venues (规划 → 在建 → 建成 → 运营) and their use, and
the three lists (三张清单: 需求, 资源, 项目)."""

from __future__ import annotations

from .base import (BOOL, CHOICE, DATE, FLOAT, INT, LONGTEXT, PHONE, REF, STEP, Field, Register,
                   Workflow, date_order, person_lookups)

CHANNELS = ("窗口", "网上", "代办")
SERVICE_STATUSES = ("受理", "办理中", "办结", "退回")
VENUE_KINDS = ("党群服务中心", "邻里中心", "日间照料中心", "新时代文明实践站", "社区图书室",
               "卫生服务站", "党建综合体")
NEED_SOURCES = ("走访入户", "来电来访", "网格员上报", "居民议事")
NEED_CATEGORIES = ("养老", "助残", "就业", "医疗", "教育", "环境", "文体", "法律", "其他")
NEED_STATUSES = ("待对接", "已对接", "已办结")
RESOURCE_KINDS = ("场地", "资金", "人才", "物资", "服务")
PROJECT_STATUSES = ("谋划", "实施中", "已完成")

VENUE = Workflow("venue", "阵地建设", (("规划",), ("在建",), ("建成",), ("运营",)))

service_catalog = Register(
    key="service_catalog", label="服务清单", area="service",
    fields=(
        Field("name", "服务事项", required=True, unique=True, width=16, roster=True,
              synonyms=("事项名称", "事项")),
        Field("department", "主管部门", width=10, roster=True),
        Field("online", "可网上办理", BOOL, width=6, roster=True, synonyms=("网上可办",)),
        Field("time_limit_days", "承诺时限(天)", INT, width=6, roster=True),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    match_keys=("name",),
    roster_title="政务服务清单",
    order=("name",),
)

service_records = Register(
    key="service_records", label="政务服务办理", area="service",
    fields=(
        Field("handled_on", "办理日期", DATE, required=True, width=9, roster=True,
              synonyms=("日期", "受理日期")),
        Field("item_id", "服务事项", REF, ref="service_catalog", required=True, width=16,
              roster=True, synonyms=("事项",)),
        Field("applicant_id", "申请人", REF, ref="people", width=6, table=False),
        Field("community_id", "社区", REF, ref="communities", width=10, roster=True),
        Field("channel", "办理渠道", CHOICE, choices=CHANNELS, required=True, width=5,
              roster=True, synonyms=("渠道", "办理方式")),
        Field("status", "办理状态", CHOICE, choices=SERVICE_STATUSES, required=True, width=5,
              roster=True, default="受理", synonyms=("状态",)),
        Field("handler", "经办人", width=6, roster=True),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    lookups=person_lookups("applicant_id", prefix="申请人", keys=("name", "phone"),
                           roster=("name",)),
    title="handled_on",
    roster_title="政务服务办理台账",
    order=("-handled_on",),
)

venues = Register(
    key="venues", label="服务阵地", area="service",
    fields=(
        Field("name", "阵地名称", required=True, width=16, roster=True, synonyms=("名称",)),
        Field("kind", "类型", CHOICE, choices=VENUE_KINDS, required=True, width=9, roster=True),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True),
        Field("compound_id", "小区", REF, ref="compounds", width=12, roster=True),
        Field("area_m2", "面积(㎡)", FLOAT, width=6, roster=True, synonyms=("面积", "建筑面积")),
        Field("functions", "功能", width=20, roster=True, synonyms=("主要功能",)),
        Field("planned_year", "计划年度", INT, width=5, roster=True),
        Field("step", "状态", STEP, width=5, roster=True),
        Field("step_date", "状态日期", DATE, width=9),
        Field("open_hours", "开放时间", width=12),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    workflow=VENUE,
    roster_title="服务阵地一览",
    order=("community_id", "name"),
)

venue_usage = Register(
    key="venue_usage", label="阵地使用", area="service",
    fields=(
        Field("venue_id", "阵地", REF, ref="venues", required=True, width=16, roster=True),
        Field("used_on", "日期", DATE, required=True, width=9, roster=True),
        Field("purpose", "用途", required=True, width=16, roster=True, synonyms=("活动内容",)),
        Field("participants", "人数", INT, width=5, roster=True),
        Field("organiser", "组织者", width=8, roster=True),
    ),
    title="purpose",
    order=("-used_on",),
)


def _need_check(v: dict) -> list[tuple[str, str]]:
    errs = []
    if v.get("status") == "已办结" and not v.get("closed_on"):
        errs.append(("closed_on", "状态为“已办结”时请填写办结日期"))
    if v.get("status") in ("已对接", "已办结") and not (v.get("resource_id")
                                                    or v.get("project_id")):
        errs.append(("resource_id", "已对接的需求请选择对接的资源或项目"))
    return errs


needs = Register(
    key="needs", label="需求清单", area="service",
    fields=(
        Field("content", "需求内容", required=True, width=20, roster=True, synonyms=("需求",)),
        Field("category", "类别", CHOICE, choices=NEED_CATEGORIES, width=5, roster=True),
        Field("community_id", "社区", REF, ref="communities", required=True, width=10,
              roster=True),
        Field("person_id", "提出人", REF, ref="people", width=6, table=False),
        Field("found_on", "收集日期", DATE, required=True, width=9, roster=True,
              synonyms=("日期", "走访日期")),
        Field("source", "来源", CHOICE, choices=NEED_SOURCES, width=7, roster=True,
              default="走访入户"),
        Field("status", "状态", CHOICE, choices=NEED_STATUSES, required=True, width=5,
              roster=True, default="待对接"),
        Field("resource_id", "对接资源", REF, ref="resources", width=12, roster=True),
        Field("project_id", "对接项目", REF, ref="projects", width=12, roster=True),
        Field("closed_on", "办结日期", DATE, width=9, roster=True),
    ),
    lookups=person_lookups("person_id", prefix="提出人", keys=("name", "phone"),
                           roster=("name",)),
    title="content",
    roster_title="需求清单",
    order=("-found_on",),
    validate=_need_check,
)

resources = Register(
    key="resources", label="资源清单", area="service",
    fields=(
        Field("name", "资源名称", required=True, width=16, roster=True, synonyms=("名称",)),
        Field("kind", "类别", CHOICE, choices=RESOURCE_KINDS, width=5, roster=True),
        Field("provider", "提供单位", width=14, roster=True, synonyms=("单位", "共建单位")),
        Field("community_id", "社区", REF, ref="communities", width=10, roster=True),
        Field("contact", "联系人", width=6, roster=True),
        Field("phone", "联系电话", PHONE, width=12, roster=True),
        Field("available", "可用", BOOL, width=4, default=True),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    roster_title="资源清单",
    order=("community_id", "name"),
)


projects = Register(
    key="projects", label="项目清单", area="service",
    fields=(
        Field("name", "项目名称", required=True, width=16, roster=True, synonyms=("名称",)),
        Field("community_id", "社区", REF, ref="communities", width=10, roster=True),
        Field("owner", "负责人", width=6, roster=True),
        Field("start_on", "开始日期", DATE, width=9, roster=True),
        Field("end_on", "结束日期", DATE, width=9, roster=True),
        Field("budget", "预算(万元)", FLOAT, width=6, roster=True, synonyms=("预算",)),
        Field("status", "状态", CHOICE, choices=PROJECT_STATUSES, required=True, width=5,
              roster=True, default="谋划"),
        Field("note", "备注", LONGTEXT, width=20, table=False),
    ),
    roster_title="项目清单",
    order=("community_id", "name"),
    validate=date_order("start_on", "end_on", "结束日期不能早于开始日期"),
)

REGISTERS = (service_catalog, service_records, venues, venue_usage, needs, resources, projects)
WORKFLOWS = (VENUE,)
