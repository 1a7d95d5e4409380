"""Counting the figures: one grouped query per set of rows, then every figure of that set read
off its result; ratios and computed figures after, in declaration order.

The rows of a :class:`~app.stats.model.Rows` are grouped by every dim its figures use (a
"cube" of a few hundred cells at most), so the 党员 figures of a 街道 — category, identity,
报到, 挂牌, age — cost one scan of the roll instead of one each.  The drill-down selects the
rows of one figure with exactly the same conditions.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..storage.schema import TABLES
from .model import BLANK, PERSON, Ctx, Figure, Rows
from .scope import in_scope, scoped

log = logging.getLogger(__name__)


def from_clause(rows: Rows, t: sa.Table) -> sa.FromClause:
    """The register's table, with 人员 joined in for rows that declare ``person``."""
    if rows.person is None:
        return t
    return t.outerjoin(PERSON, PERSON.c.id == t.c[rows.person])


def base_conditions(rows: Rows, ctx: Ctx, t: sa.Table) -> list:
    """Not deleted, in scope, and the Rows' own conditions."""
    conds = [t.c.deleted_at.is_(None), *rows.where(ctx, t)]
    if ctx.communities is not None and scoped(rows.register):
        conds.append(in_scope(rows.register, t, ctx.communities))
    return conds


#: "No part": the whole figure (None is a part: the rows whose value is blank).
WHOLE = object()


def figure_conditions(fig: Figure, ctx: Ctx, t: sa.Table, part=WHOLE) -> list:
    """The conditions selecting exactly the rows behind ``fig`` (and one of its parts)."""
    rows = fig.rows
    conds = base_conditions(rows, ctx, t)
    for dim_key, value in fig.when:
        conds.append(rows.dim(dim_key).condition(ctx, t, value))
    if part is not WHOLE:
        parts = part if isinstance(part, tuple) else (part,)
        for dim_key, value in zip(fig.by, parts):
            conds.append(rows.dim(dim_key).condition(ctx, t, value))
    return conds


@dataclass
class _Cube:
    """Grouped counts of one Rows: dim values → [count, measure sums…]."""

    dims: list[str]
    measures: list[str]
    cells: list[tuple]  # (dim values…, count, sums…)

    def select(self, conditions: dict[str, object]):
        idx = {d: i for i, d in enumerate(self.dims)}
        for cell in self.cells:
            ok = True
            for d, v in conditions.items():
                got = cell[idx[d]]
                if isinstance(v, tuple):
                    ok = got in v
                else:
                    ok = got == v
                if not ok:
                    break
            if ok:
                yield cell

    def amount(self, cell: tuple, measure: str | None):
        pos = len(self.dims) + (0 if measure is None else 1 + self.measures.index(measure))
        return cell[pos] or 0


def _cube(conn: sa.Connection, rows: Rows, figs: list[Figure], ctx: Ctx) -> _Cube:
    t = TABLES[rows.register]
    dims = sorted({d for f in figs for d, _ in f.when if not rows.dim(d).contains}
                  | {d for f in figs for d in f.by if not rows.dim(d).contains})
    measures = sorted({f.total for f in figs if f.total})
    # Dims are computed once per row in an inner select, then grouped outside: a correlated
    # sub-select (a member's birth date) is not evaluated twice.
    inner = sa.select(*[rows.dim(d).expr(ctx, t).label(f"d_{d}") for d in dims],
                      *[rows.measures[m](ctx, t).label(f"m_{m}") for m in measures],
                      t.c.id.label("row_id")) \
        .select_from(from_clause(rows, t)).where(*base_conditions(rows, ctx, t)).subquery()
    group = [inner.c[f"d_{d}"] for d in dims]
    stmt = sa.select(*group, sa.func.count(inner.c.row_id),
                     *[sa.func.sum(inner.c[f"m_{m}"]) for m in measures])
    if group:
        stmt = stmt.group_by(*group)
    return _Cube(dims, measures, [tuple(r) for r in conn.execute(stmt).all()])


def _contains_counts(conn, fig: Figure, ctx: Ctx, parts) -> dict:
    """A breakdown over a multi-choice field: one SUM(CASE …) per part, in one query."""
    t = TABLES[fig.rows.register]
    dim = fig.rows.dim(fig.by[0])
    conds = figure_conditions(fig, ctx, t)
    what = (lambda c: sa.case((c, fig.rows.measures[fig.total](ctx, t)), else_=0)) \
        if fig.total else (lambda c: sa.case((c, 1), else_=0))
    cols = [sa.func.sum(what(dim.condition(ctx, t, value))) for value, _ in parts]
    got = conn.execute(sa.select(*cols).select_from(from_clause(fig.rows, t))
                       .where(*conds)).one()
    return {label: (n or 0) for (_, label), n in zip(parts, got)}


def _label_of(parts, value) -> str:
    for v, label in parts:
        if v == value:
            return label
    return BLANK if value is None else str(value)


def _from_cube(cube: _Cube, fig: Figure, ctx: Ctx, conn) -> object:
    conds = {d: v for d, v in fig.when}
    if not fig.by:
        return sum(cube.amount(c, fig.total) for c in cube.select(conds))
    dims = [fig.rows.dim(d) for d in fig.by]
    parts = [d.parts_for(ctx, conn) for d in dims]
    out: dict = {}
    if len(dims) == 1:
        out = {label: 0 for _, label in parts[0]}
        for c in cube.select(conds):
            key = _label_of(parts[0], c[cube.dims.index(fig.by[0])])
            out[key] = out.get(key, 0) + cube.amount(c, fig.total)
        return out
    inner_labels = [label for _, label in parts[1]]
    out = {label: {x: 0 for x in inner_labels} for _, label in parts[0]}
    for c in cube.select(conds):
        a = _label_of(parts[0], c[cube.dims.index(fig.by[0])])
        b = _label_of(parts[1], c[cube.dims.index(fig.by[1])])
        row = out.setdefault(a, {x: 0 for x in inner_labels})
        row[b] = row.get(b, 0) + cube.amount(c, fig.total)
    return out


def ratio(num, den, scale: int, digits: int = 1):
    """``scale`` × num / den, rounded; a breakdown part by part; None where den is 0."""
    if isinstance(num, dict) or isinstance(den, dict):
        return {k: ratio((num or {}).get(k, 0), d, scale, digits) for k, d in (den or {}).items()}
    if not den:
        return None
    return round(scale * num / den, digits)


def compute_values(conn: sa.Connection, figures: list[Figure], ctx: Ctx) -> dict[str, object]:
    """Every figure's value for one period and scope."""
    by_rows: dict[str, list[Figure]] = defaultdict(list)
    rows_of: dict[str, Rows] = {}
    for f in figures:
        if f.rows is not None:
            by_rows[f.rows.key].append(f)
            rows_of[f.rows.key] = f.rows
    values: dict[str, object] = {}
    for key, figs in by_rows.items():
        rows = rows_of[key]
        plain = [f for f in figs if not any(rows.dim(d).contains for d in f.by)]
        cube = _cube(conn, rows, plain, ctx) if plain else None
        for f in figs:
            if f in plain:
                values[f.key] = _from_cube(cube, f, ctx, conn)
            else:
                values[f.key] = _contains_counts(
                    conn, f, ctx, rows.dim(f.by[0]).parts_for(ctx, conn))
    for f in figures:
        if f.ratio is not None:
            num, den, scale = f.ratio
            values[f.key] = ratio(values[num], values[den], scale, f.digits or 1)
        elif f.compute is not None:
            values[f.key] = f.compute(ctx, conn, values)
    return values


def drill_ids(conn: sa.Connection, fig: Figure, ctx: Ctx, part=None,
              figures: dict[str, Figure] | None = None) -> tuple[str, list[int]]:
    """The register and ids of the rows behind ``fig`` (one part of a breakdown if given)."""
    if fig.ratio is not None:
        target = (figures or {})[fig.drill_to or fig.ratio[1]]
        return drill_ids(conn, target, ctx, part, figures)
    if fig.rows is None:
        if fig.drill is None:
            if fig.drill_to:
                return drill_ids(conn, (figures or {})[fig.drill_to], ctx, part, figures)
            return fig.register or "", []
        return fig.register, sorted(fig.drill(ctx, conn, part))
    t = TABLES[fig.rows.register]
    dims = [fig.rows.dim(d) for d in fig.by]
    value = WHOLE
    if part is not None:
        labels = part if isinstance(part, tuple) else (part,)
        value = tuple(_value_of(d.parts_for(ctx, conn), lb) for d, lb in zip(dims, labels))
        value = value if len(value) > 1 else value[0]
    ids = conn.execute(sa.select(t.c.id).select_from(from_clause(fig.rows, t))
                       .where(*figure_conditions(fig, ctx, t, value))
                       .order_by(t.c.id)).scalars().all()
    return fig.rows.register, list(ids)


def _value_of(parts, label):
    for v, lb in parts:
        if lb == label:
            return v
    return None if label == BLANK else label


def today_or(today: dt.date | None) -> dt.date:
    """``today`` as given, else the calendar's today: read once, at the outermost call."""
    return today or dt.date.today()
