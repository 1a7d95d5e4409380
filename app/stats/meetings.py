"""三会一课 against their schedule, per 支部 and 党小组, for a period.

支委会 and 党小组会 are due every month, 支部党员大会 and 党课 every quarter
(``MEETING_SCHEDULE``; which organisation owes which as in the reminders).  A month or quarter
is *required* when it lies wholly inside the period (a running period: up to today) and does not
end before the organisation was founded; it is *kept* when at least one meeting of that type was
held in it.  An organisation with a required month or quarter not kept is behind schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..registry.party import MEETING_SCHEDULE
from ..services.reminders import MEETINGS_BY_ORG_TYPE
from ..storage.schema import TABLES
from .common import month_buckets
from .model import Ctx

HELD, REQUIRED = "召开", "应召开"


@dataclass
class OrgSchedule:
    id: int
    name: str
    held: int = 0        # 三会一课 meetings held in the period
    required: int = 0    # months/quarters in which one was due
    kept: int = 0        # of those, the ones with a meeting
    missing: list[str] = field(default_factory=list)


def _index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _due(ctx: Ctx, months: int, founded: dt.date | None) -> list[int]:
    """Indexes (month number // months) of the calendar months/quarters wholly in the period
    that the organisation owed a meeting for."""
    first = _index(ctx.start) // months
    if ctx.start.day != 1 or _index(ctx.start) % months:
        first += 1  # the first month/quarter began before the period
    after_end = _index(ctx.end + dt.timedelta(days=1))
    last = after_end // months - 1  # the last one that ended by the period's last day
    if founded is not None:
        first = max(first, _index(founded) // months)
    return list(range(first, last + 1))


def schedule(ctx: Ctx, conn: sa.Connection, values: dict | None = None) -> list[OrgSchedule]:
    """Each 支部 and 党小组 in scope (founded by the period's end) with its meetings held,
    required and kept.  Cached in ``values`` for the figures computed from it."""
    cache_key = "_schedule"
    if values is not None and cache_key in values:
        return values[cache_key]
    o, mt = TABLES["party_orgs"], TABLES["party_meetings"]
    stmt = (sa.select(o.c.id, o.c.name, o.c.org_type, o.c.founded_on)
            .where(o.c.deleted_at.is_(None), o.c.org_type.in_(list(MEETINGS_BY_ORG_TYPE)),
                   ctx.by_end(o.c.founded_on, blank_ok=True))
            .order_by(o.c.community_id, o.c.name))
    if ctx.communities is not None:
        stmt = stmt.where(o.c.community_id.in_(ctx.communities))
    orgs = conn.execute(stmt).all()
    month = month_buckets(ctx, mt.c.held_at, lambda y, m: y * 12 + m - 1)
    held = conn.execute(
        sa.select(mt.c.org_id, mt.c.meeting_type, month, sa.func.count())
        .where(mt.c.deleted_at.is_(None), mt.c.meeting_type.in_(list(MEETING_SCHEDULE)),
               ctx.within(mt.c.held_at))
        .group_by(mt.c.org_id, mt.c.meeting_type, month)).all()
    got: dict[tuple[int, str], dict[int, int]] = {}
    for org_id, mtype, idx, n in held:
        got.setdefault((org_id, mtype), {})[int(idx)] = n
    out = []
    due_all = {m: _due(ctx, m, None) for m in set(MEETING_SCHEDULE.values())}
    for org in orgs:
        s = OrgSchedule(org.id, org.name)
        for mtype in MEETINGS_BY_ORG_TYPE[org.org_type]:
            months = MEETING_SCHEDULE[mtype]
            per_month = got.get((org.id, mtype), {})
            s.held += sum(per_month.values())
            due = due_all[months]
            if org.founded_on is not None:  # not owed before the month/quarter founded in
                first = _index(org.founded_on) // months
                due = [p for p in due if p >= first]
            kept = len({idx // months for idx in per_month}.intersection(due))
            s.required += len(due)
            s.kept += kept
            if kept < len(due):
                s.missing.append(mtype)
        out.append(s)
    if values is not None:
        values[cache_key] = out
    return out


def meetings_required(ctx: Ctx, conn, values) -> int:
    return sum(s.required for s in schedule(ctx, conn, values))


def _owing_ids(ctx: Ctx, conn, part) -> list[int]:
    return [s.id for s in schedule(ctx, conn) if s.required]


meetings_required.drill = _owing_ids


def meetings_on_schedule(ctx: Ctx, conn, values) -> int:
    return sum(s.kept for s in schedule(ctx, conn, values))


def branches_behind(ctx: Ctx, conn, values) -> int:
    return sum(1 for s in schedule(ctx, conn, values) if s.kept < s.required)


def _behind_ids(ctx: Ctx, conn, part) -> list[int]:
    return [s.id for s in schedule(ctx, conn) if s.kept < s.required]


branches_behind.drill = _behind_ids


def meetings_by_branch(ctx: Ctx, conn, values) -> dict:
    """{organisation: {召开: n, 应召开: n}}, organisations with the largest shortfall first."""
    rows = sorted(schedule(ctx, conn, values), key=lambda s: (s.held - s.required, s.name))
    return {s.name: {HELD: s.held, REQUIRED: s.required} for s in rows}


def _branch_meeting_ids(ctx: Ctx, conn, part) -> list[int]:
    """The 三会一课 meetings held in the period by one organisation (all of them if none)."""
    mt = TABLES["party_meetings"]
    orgs = {s.name: s.id for s in schedule(ctx, conn)}
    if isinstance(part, tuple):
        part = part[0]
    wanted = [orgs[part]] if part in orgs else list(orgs.values())
    types = {t for types in MEETINGS_BY_ORG_TYPE.values() for t in types}
    stmt = sa.select(mt.c.id).where(
        mt.c.deleted_at.is_(None), mt.c.org_id.in_(wanted), mt.c.meeting_type.in_(list(types)),
        ctx.within(mt.c.held_at))
    return list(conn.execute(stmt).scalars())


meetings_by_branch.drill = _branch_meeting_ids
