"""Row sets over the places (社区, 小区, 楼栋, 单元) that several areas count: coverage by the
party organisation, 三无小区, conventions and 分包 all ask "which of these have …".

Places carry no dates of their own, so they are taken as registered now; what they have (a
小区党支部, a convention, an assignment) is dated, and counted as of the period's last day.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..storage.schema import TABLES
from .common import community, flag, yes
from .model import STOCK, Ctx, Dim, Rows


def _orgs(ctx: Ctx, *conds):
    o = TABLES["party_orgs"]
    return sa.select(o.c.id).where(o.c.deleted_at.is_(None), ctx.by_end(o.c.founded_on,
                                                                        blank_ok=True), *conds)


def has_branch(ctx: Ctx, t) -> sa.ColumnElement:
    """The 小区 has a 党支部 covering it (founded by the period's end)."""
    o = TABLES["party_orgs"]
    return sa.exists(_orgs(ctx, o.c.org_type == "党支部", o.c.compound_id == t.c.id))


def has_group(ctx: Ctx, t) -> sa.ColumnElement:
    """The 楼栋 has a 党小组."""
    o = TABLES["party_orgs"]
    return sa.exists(_orgs(ctx, o.c.org_type == "党小组", o.c.building_id == t.c.id))


def three_none(ctx: Ctx, t) -> sa.ColumnElement:
    """无物业、无业委会、无主管单位 (a blank counts as 无)."""
    return sa.and_(sa.not_(yes(t.c.has_property)), sa.not_(yes(t.c.has_owners_committee)),
                   sa.not_(yes(t.c.has_supervisor)))


def has_convention(scope: str):
    def cond(ctx: Ctx, t) -> sa.ColumnElement:
        cv = TABLES["conventions"]
        col = cv.c.compound_id if scope == "小区" else cv.c.community_id
        return sa.exists().where(cv.c.deleted_at.is_(None), cv.c.scope == scope, col == t.c.id,
                                 ctx.by_end(cv.c.adopted_on, blank_ok=True))
    return cond


def assigned(ctx: Ctx, t) -> sa.ColumnElement:
    """A committee member of the 街道 is assigned to the community (分包) on the last day."""
    a = TABLES["cadre_assignments"]
    return sa.exists().where(a.c.deleted_at.is_(None), a.c.community_id == t.c.id,
                             ctx.by_end(a.c.since, blank_ok=True),
                             sa.or_(a.c.until.is_(None), a.c.until >= ctx.end))


def _member_center(ctx: Ctx, t) -> sa.ColumnElement:
    m, o = TABLES["party_members"], TABLES["party_orgs"]
    return sa.exists().where(
        m.c.deleted_at.is_(None), yes(m.c.is_center_household), m.c.joined_on <= ctx.end,
        sa.or_(sa.func.coalesce(m.c.status, "在册") == "在册", m.c.status_date > ctx.end),
        # Two levels down: correlate to the community explicitly (auto-correlation stops at
        # the enclosing member query).
        m.c.org_id.in_(sa.select(o.c.id).where(o.c.community_id == t.c.id).correlate_except(o)))


def four_levels(ctx: Ctx, t):
    """How many of the four levels (社区党委/党总支 → 小区党支部 → 楼栋党小组 → 党员中心户) a
    community has on the last day (0–4)."""
    o = TABLES["party_orgs"]
    levels = (
        sa.exists(_orgs(ctx, o.c.community_id == t.c.id, o.c.org_type.in_(("党委", "党总支")))),
        sa.exists(_orgs(ctx, o.c.community_id == t.c.id, o.c.org_type == "党支部",
                        o.c.compound_id.is_not(None))),
        sa.exists(_orgs(ctx, o.c.community_id == t.c.id, o.c.org_type == "党小组",
                        o.c.building_id.is_not(None))),
        _member_center(ctx, t),
    )
    return sum((sa.case((cond, 1), else_=0) for cond in levels), sa.literal(0))


COMPOUNDS = Rows(
    "compounds", "compounds", STOCK, lambda ctx, t: [],
    dims=(flag("covered", "有小区党支部", has_branch), flag("three_none", "三无小区", three_none),
          flag("convention", "有小区公约", has_convention("小区")), community("compounds")),
    note="现有登记的小区；是否有小区党支部、小区公约按期末计",
)

BUILDINGS = Rows(
    "buildings", "buildings", STOCK, lambda ctx, t: [],
    dims=(flag("grouped", "有楼栋党小组", has_group), community("buildings")),
    note="现有登记的楼栋；是否有党小组按期末计",
)

UNITS = Rows("units", "units", STOCK, lambda ctx, t: [], history=False, note="现有登记的单元")

COMMUNITIES = Rows(
    "communities", "communities", STOCK, lambda ctx, t: [],
    dims=(flag("convention", "有居民公约", has_convention("社区")),
          flag("assigned", "有班子成员分包", assigned),
          Dim("levels", "四级组织体系层级数", four_levels,
              tuple((n, f"{n}级") for n in range(5)))),
    note="现有登记的社区；居民公约、分包和四级组织体系按期末计",
)
