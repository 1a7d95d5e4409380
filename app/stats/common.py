"""Building blocks the areas' declarations are written with: dims over choices, flags, the
step a workflow row had reached on a day, age bands, communities, months and quarters.

Everything here is portable SQLAlchemy Core (CASE, EXISTS, correlated sub-selects, EXTRACT),
nothing SQLite-specific, like the rest of the data layer.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..registry import get as get_register
from ..storage.schema import TABLES, workflow_events, workflow_steps
from .model import PERSON, Ctx, Dim
from .period import shift_year
from .scope import community_expr


def choice(key: str, label: str, field: str, choices: tuple[str, ...] | None = None,
           default: str | None = None) -> Dim:
    """A choice field as a dim; a blank value counts as ``default`` (shown as 未填写 if
    there is none)."""
    def expr(ctx, t):
        return t.c[field] if default is None else sa.func.coalesce(t.c[field], default)
    return Dim(key, label, expr, tuple((c, c) for c in (choices or ())))


def flag(key: str, label: str, cond) -> Dim:
    """1 where ``cond(ctx, t)`` holds, else 0."""
    return Dim(key, label, lambda ctx, t: sa.case((cond(ctx, t), 1), else_=0), ((1, "是"), (0, "否")))


def yes(col) -> sa.ColumnElement:
    """A 是/否 field that is 是 (blank is 否)."""
    return sa.func.coalesce(col, False) == sa.true()


def lookup(t: sa.FromClause, via: str, register: str, field: str):
    """``field`` of the row of ``register`` that ``t.<via>`` refers to."""
    other = TABLES[register].alias(f"{register}_{field}_l")
    return sa.select(other.c[field]).where(other.c.id == t.c[via]).scalar_subquery()


def community(register: str, label: str = "社区") -> Dim:
    """The community a row belongs to; the parts are the communities in scope."""
    return Dim("community", label, lambda ctx, t: community_expr(register, t),
               lambda ctx, conn: ctx.names)


def community_type(register: str) -> Dim:
    c = TABLES["communities"].alias("ct")
    from ..registry.places import COMMUNITY_TYPES

    def expr(ctx, t):
        return sa.select(c.c.community_type).where(
            c.c.id == community_expr(register, t)).scalar_subquery()
    return Dim("community_type", "社区类型", expr, tuple((x, x) for x in COMMUNITY_TYPES))


# -- workflows ------------------------------------------------------------------------------

def _workflow_key(register: str) -> str:
    return get_register(register).workflow.key


def stored_steps(conn: sa.Connection, register: str) -> list[tuple[str, ...]]:
    """The workflow's steps as stored (data, not code: 四议两公开 is a data change)."""
    rows = conn.execute(sa.select(workflow_steps.c.position, workflow_steps.c.name).where(
        workflow_steps.c.workflow == _workflow_key(register))
        .order_by(workflow_steps.c.position, workflow_steps.c.id)).all()
    grouped: dict[int, list[str]] = {}
    for pos, name in rows:
        grouped.setdefault(pos, []).append(name)
    return [tuple(grouped[p]) for p in sorted(grouped)]


def step_at(register: str, label: str = "阶段") -> Dim:
    """The step a row had reached on the last day of the period (its latest step event on or
    before that day), so last year's figure is last year's state, not today's."""
    def expr(ctx, t):
        we = workflow_events
        return (sa.select(we.c.step)
                .where(we.c.register == register, we.c.record_id == t.c.id,
                       we.c.done_on <= ctx.end)
                .order_by(we.c.done_on.desc(), we.c.id.desc()).limit(1).scalar_subquery())

    def parts(ctx, conn):
        return tuple((s, s) for alts in stored_steps(conn, register) for s in alts)
    return Dim("step_at", label, expr, parts)


def started(register: str, ctx: Ctx, t) -> sa.ColumnElement:
    """The row had its first step by the last day of the period."""
    we = workflow_events
    return sa.exists().where(we.c.register == register, we.c.record_id == t.c.id,
                             we.c.done_on <= ctx.end)


def final_steps(register: str):
    """SELECT of the workflow's last step(s) as stored (read by the query, so a database whose
    procedure was changed, e.g. to 四议两公开, is counted by its own steps)."""
    ws, ws2 = workflow_steps, workflow_steps.alias("ws_last")
    key = _workflow_key(register)
    last = sa.select(sa.func.max(ws2.c.position)).where(ws2.c.workflow == key).scalar_subquery()
    return sa.select(ws.c.name).where(ws.c.workflow == key, ws.c.position == last)


def reached_within(register: str, steps, ctx: Ctx, t) -> sa.ColumnElement:
    """The row reached one of ``steps`` (names, or a SELECT of names) during the period."""
    we = workflow_events
    return sa.exists().where(we.c.register == register, we.c.record_id == t.c.id,
                             we.c.step.in_(steps if isinstance(steps, sa.Select) else list(steps)),
                             ctx.within(we.c.done_on))


# -- ages and calendar ---------------------------------------------------------------------

#: Age bands (lower bound of each band in years) and their labels.
AGE_BANDS = ((0, "35岁及以下"), (36, "36–45岁"), (46, "46–55岁"), (56, "56–65岁"),
             (66, "66岁及以上"))
AGE_UNKNOWN = "出生日期未填"


def age_band(birth: callable) -> Dim:
    """A person's age band on the last day of the period; ``birth(t)`` is the birth date."""
    def expr(ctx, t):
        b = birth(t)
        whens = []
        # Born after the day someone turning N had their birthday: younger than N.
        for (lower, label), (upper, _) in zip(AGE_BANDS, AGE_BANDS[1:]):
            whens.append((b > shift_year(ctx.end, -upper), label))
        return sa.case((b.is_(None), AGE_UNKNOWN), *whens, else_=AGE_BANDS[-1][1])
    return Dim("age_band", "年龄段", expr, tuple((lb, lb) for _, lb in AGE_BANDS))


def person_birth():
    """The birth date of the row's person (the Rows must declare ``person``)."""
    return lambda t: PERSON.c.birth_date


def _months(ctx: Ctx) -> list[tuple[int, int]]:
    out, y, m = [], ctx.start.year, ctx.start.month
    while (y, m) <= (ctx.end.year, ctx.end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_buckets(ctx: Ctx, col, key) -> sa.ColumnElement:
    """``key(year, month)`` of the month of the period ``col`` falls in, as a CASE over the
    months' first days: plain comparisons, cheaper than EXTRACT on every row."""
    months = _months(ctx)
    whens = []
    for (y, m), (ny, nm) in zip(months, months[1:] + [(None, None)]):
        if ny is None:
            whens.append((sa.true(), key(y, m)))
        else:
            first = dt.date(ny, nm, 1)
            bound = dt.datetime.combine(first, dt.time()) if isinstance(col.type, sa.DateTime) \
                else first
            whens.append((col < bound, key(y, m)))
    return sa.case(*whens[:-1], else_=whens[-1][1]) if len(whens) > 1 else sa.literal(whens[0][1])


def month(field: str) -> Dim:
    """Year × 100 + month of a date; parts are the months of the period."""
    def expr(ctx, t):
        return month_buckets(ctx, t.c[field], lambda y, m: y * 100 + m)

    def parts(ctx, conn):
        many_years = ctx.start.year != ctx.end.year
        return tuple((y * 100 + m, f"{y}年{m}月" if many_years else f"{m}月")
                     for y, m in _months(ctx))
    return Dim("month", "月份", expr, parts)


def quarter(field: str) -> Dim:
    """Year × 10 + quarter of a date; parts are the quarters the period touches."""
    def expr(ctx, t):
        return month_buckets(ctx, t.c[field], lambda y, m: y * 10 + (m + 2) // 3)

    def parts(ctx, conn):
        seen = dict.fromkeys((y, (m + 2) // 3) for y, m in _months(ctx))
        many_years = ctx.start.year != ctx.end.year
        return tuple((y * 10 + q, (f"{y}年" if many_years else "") + f"第{'一二三四'[q - 1]}季度")
                     for y, q in seen)
    return Dim("quarter", "季度", expr, parts)


def anniversary_within(ctx: Ctx, col) -> sa.ColumnElement:
    """An anniversary of the date ``col`` (a later year, same month and day) falls in the
    period: 政治生日 of members who joined on that day."""
    md = sa.extract("month", col) * 100 + sa.extract("day", col)
    year = sa.extract("year", col)
    ors = []
    for y in range(ctx.start.year, ctx.end.year + 1):
        lo = ctx.start if y == ctx.start.year else dt.date(y, 1, 1)
        hi = ctx.end if y == ctx.end.year else dt.date(y, 12, 31)
        ors.append(sa.and_(md.between(lo.month * 100 + lo.day, hi.month * 100 + hi.day),
                           year < y))
    return sa.or_(*ors)
