"""Figures of area 2 自治基础: the 居委会 members (by community type, source, education, age),
协商议事 under 一征三议两公开, 区域党委会, conventions, community social organisations and the
协商联络员 / 居民代表."""

from __future__ import annotations

import sqlalchemy as sa

from ..registry.autonomy import COMMITTEE_SOURCES, RESIDENT_ROLES
from ..registry.places import EDUCATIONS
from .common import age_band, choice, community_type, final_steps, person_birth, \
    reached_within, step_at
from .model import FLOW, PERSON, STOCK, Ctx, Dim, Figure, Rows
from .party import MEETINGS
from .places import COMMUNITIES, COMPOUNDS


def _in_office(ctx: Ctx, t) -> list:
    """Serving on the last day: term begun (or not dated) and not yet ended."""
    return [ctx.by_end(t.c.term_start, blank_ok=True),
            sa.or_(t.c.term_end.is_(None), t.c.term_end >= ctx.end)]


COMMITTEE = Rows(
    "committee", "committee_members", STOCK, _in_office,
    dims=(community_type("committee_members"),
          choice("source", "来源", "source", COMMITTEE_SOURCES),
          Dim("education", "学历", lambda ctx, t: PERSON.c.education,
              tuple((e, e) for e in EDUCATIONS)),
          age_band(person_birth())),
    person="person_id",
    note="期末在任的居委会成员（任期开始不晚于期末、任期结束不早于期末）",
)


CONSULTATIONS = Rows(
    "consultations", "consultations", FLOW, lambda ctx, t: [ctx.within(t.c.raised_on)],
    dims=(step_at("consultations", "所处步骤"),),
    note="征集日期在期内的议题，按期末所处步骤",
)

CONSULTATIONS_DONE = Rows(
    "consultations_done", "consultations", FLOW,
    lambda ctx, t: [reached_within("consultations", final_steps("consultations"), ctx, t)],
    note="期内走完最后一步（实施结果公开）的议题",
)

SOCIAL_ORGS = Rows(
    "social_orgs", "social_orgs", STOCK,
    lambda ctx, t: [ctx.by_end(t.c.started_on, blank_ok=True)],
    dims=(choice("origin", "培育/引进", "origin", ("培育", "引进")),),
    note="培育/引进日期不晚于期末的社区社会组织（累计）",
)

SOCIAL_ORGS_NEW = Rows(
    "social_orgs_new", "social_orgs", FLOW, lambda ctx, t: [ctx.within(t.c.started_on)],
    dims=(choice("origin", "培育/引进", "origin", ("培育", "引进")),),
    note="培育/引进日期在期内的社区社会组织",
)


def _serving(ctx: Ctx, t) -> list:
    """Holding the role on the last day (a role ended without a date ends now)."""
    return [ctx.by_end(t.c.since, blank_ok=True),
            sa.or_(t.c.until > ctx.end,
                   sa.and_(t.c.until.is_(None), sa.func.coalesce(t.c.active, True) == sa.true()))]


ROLES = Rows(
    "resident_roles", "resident_roles", STOCK, _serving,
    dims=(choice("role", "角色", "role", RESIDENT_ROLES),),
    note="期末在任的居民代表、协商联络员等",
)

FIGURES = (
    Figure("committee_total", "居委会成员", "人", COMMITTEE, phrase="居委会共有干部{v}"),
    Figure("committee_by_community_type", "居委会成员（按社区类型）", "人", COMMITTEE,
           by=("community_type",), phrase="其中{parts}"),
    Figure("committee_by_source", "居委会成员（按来源）", "人", COMMITTEE, by=("source",),
           phrase="来源为{parts}"),
    Figure("committee_by_education", "居委会成员（按学历）", "人", COMMITTEE,
           by=("education",), phrase="学历为{parts}"),
    Figure("committee_by_age", "居委会成员（按年龄段）", "人", COMMITTEE, by=("age_band",),
           phrase="年龄{parts}"),
    Figure("consultations_raised", "协商议事议题（本期征集）", "件", CONSULTATIONS, compare=True,
           phrase="运用“一征三议两公开”机制征集协商议题{v}"),
    Figure("consultations_by_step", "协商议事（按期末所处步骤）", "件", CONSULTATIONS,
           by=("step_at",)),
    Figure("consultations_completed", "协商议事办结（实施结果公开）", "件", CONSULTATIONS_DONE,
           phrase="完成全部程序、公开实施结果的{v}"),
    Figure("regional_meetings", "区域党委会", "次", MEETINGS,
           when=(("meeting_type", "区域党委会"),), phrase="召开区域党委会{v}"),
    Figure("communities_total", "社区总数", "个", COMMUNITIES, history=False),
    Figure("communities_with_convention", "制定居民公约的社区", "个", COMMUNITIES,
           when=(("convention", 1),), phrase="制定居民公约（村规民约）的社区{v}"),
    Figure("community_convention_rate", "社区居民公约覆盖率", "%",
           ratio=("communities_with_convention", "communities_total", 100),
           phrase="占{v}"),
    Figure("compounds_with_convention", "制定小区公约的小区", "个", COMPOUNDS,
           when=(("convention", 1),), phrase="制定小区公约的小区{v}"),
    Figure("compound_convention_rate", "小区公约覆盖率", "%",
           ratio=("compounds_with_convention", "compounds_total", 100), phrase="占{v}"),
    Figure("social_orgs_by_origin", "社区社会组织（累计，按培育/引进）", "家", SOCIAL_ORGS,
           by=("origin",), phrase="累计有社区社会组织{total}（{parts}）"),
    Figure("social_orgs_new_by_origin", "本期新增社区社会组织（按培育/引进）", "家",
           SOCIAL_ORGS_NEW, by=("origin",), phrase="本期新增{parts}"),
    Figure("liaisons", "协商联络员", "名", ROLES, when=(("role", "协商联络员"),),
           phrase="有协商联络员{v}"),
    Figure("resident_reps", "居民代表", "名", ROLES, when=(("role", "居民代表"),),
           phrase="居民代表{v}"),
)

SENTENCES = (
    ("committee_total", "committee_by_community_type", "committee_by_source"),
    ("committee_by_education", "committee_by_age"),
    ("consultations_raised", "consultations_completed", "regional_meetings"),
    ("communities_with_convention", "community_convention_rate", "compounds_with_convention",
     "compound_convention_rate"),
    ("social_orgs_by_origin", "social_orgs_new_by_origin", "liaisons", "resident_reps"),
)
