"""What a figure is made of, declared once and read by every output.

A :class:`Rows` is a set of rows of one register for a period and scope — "the rows behind" —
as SQLAlchemy Core conditions on the register's table, counted either at the end of the period
(``STOCK``: members on the roll on 30 September) or within it (``FLOW``: cases received in the
quarter).  Its :class:`Dim` s are named expressions over those rows (a member's category *at the
end of the period*, a case's outcome, an age band).

A :class:`Figure` is one number (or one breakdown) over a Rows: the rows where some dims have
given values, counted or summed, optionally broken down by a dim.  Ratios and a few figures that
need more than one query (``compute``) refer to other figures.  The screen, the charts, the
workbook, the brief, ``taizhang stats --json`` and the drill-down all read these declarations;
the drill-down of a figure selects its rows with the very same conditions as its count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import sqlalchemy as sa

STOCK = "stock"   # counted on the last day of the period
FLOW = "flow"     # counted over the days of the period
TIMING_LABELS = {STOCK: "期末", FLOW: "期内"}

#: The part shown for rows whose value of a dim is not filled in.
BLANK = "未填写"


def _person_alias():
    from ..storage.schema import TABLES
    return TABLES["people"].alias("person")


#: 人员 joined to rows that declare ``person`` (one join instead of a sub-select per use).
PERSON = _person_alias()


@dataclass(frozen=True)
class Ctx:
    """One period and scope to count in.  ``end`` is the last day counted (the period's end,
    or today while it is running); ``communities`` are ids, None for the whole 街道."""

    start: dt.date
    end: dt.date
    communities: tuple[int, ...] | None
    names: tuple[tuple[int, str], ...]  # (id, name) of the communities in scope, in order
    today: dt.date

    def year_earlier(self) -> "Ctx":
        from .period import shift_year
        return replace(self, start=shift_year(self.start, -1), end=shift_year(self.end, -1))

    @property
    def end_next(self) -> dt.datetime:
        """Midnight after the last day (upper bound for date-time columns)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    def within(self, col) -> sa.ColumnElement:
        """``col`` falls in the period (dates and date-times alike)."""
        if isinstance(col.type, sa.DateTime):
            return sa.and_(col >= dt.datetime.combine(self.start, dt.time()), col < self.end_next)
        return col.between(self.start, self.end)

    def by_end(self, col, *, blank_ok: bool = False) -> sa.ColumnElement:
        """``col`` is on or before the last day (``blank_ok``: or not filled in)."""
        cond = col < self.end_next if isinstance(col.type, sa.DateTime) else col <= self.end
        return sa.or_(col.is_(None), cond) if blank_ok else cond


Expr = Callable[[Ctx, sa.Table], Any]
Parts = tuple[tuple[Any, str], ...]


@dataclass(frozen=True)
class Dim:
    """A named expression over a register's rows.

    ``parts`` are the (value, label) pairs a breakdown shows, in order, zeros included; a
    callable ``parts(ctx, conn)`` gives them at count time (communities in scope, the months
    of the period, the workflow's stored steps).  Values met that are not in ``parts`` are
    shown after them (e.g. 未填写).  ``contains`` marks a multi-choice field: a row counts
    under every part its value lists, so the parts do not add up to the rows.
    """

    key: str
    label: str
    expr: Expr
    parts: Parts | Callable[[Ctx, sa.Connection], Parts] = ()
    contains: bool = False

    def parts_for(self, ctx: Ctx, conn: sa.Connection) -> Parts:
        return self.parts(ctx, conn) if callable(self.parts) else self.parts

    def condition(self, ctx: Ctx, t: sa.Table, value) -> sa.ColumnElement:
        """Rows whose value of this dim is ``value`` (a tuple: any of them)."""
        expr = self.expr(ctx, t)
        if self.contains:  # the stored text is "a、b、c": match a whole item
            values = value if isinstance(value, tuple) else (value,)
            return sa.or_(*[(sa.literal("、") + sa.func.coalesce(expr, "") + "、")
                            .like(f"%、{v}、%") for v in values])
        if isinstance(value, tuple):
            return expr.in_(value)
        return expr.is_(None) if value is None else expr == value


@dataclass(frozen=True)
class Rows:
    """A set of rows of ``register``: ``where(ctx, t)`` gives the conditions (besides not
    deleted and in scope).  ``measures`` are summable expressions (participants, hours).
    ``history`` is False for rows that carry no dates (小区, 资源): last year's value cannot be
    known and is shown as —.  ``note`` says in words what the rows are (口径).  ``person``
    names a reference to 人员 that is joined in (as :data:`PERSON`) for dims over the person.
    """

    key: str
    register: str
    timing: str
    where: Callable[[Ctx, sa.Table], list]
    dims: tuple[Dim, ...] = ()
    measures: dict[str, Expr] = field(default_factory=dict)
    history: bool = True
    note: str = ""
    person: str | None = None  # a ref to 人员 joined in as PERSON (age, education)

    def dim(self, key: str) -> Dim:
        for d in self.dims:
            if d.key == key:
                return d
        raise KeyError(f"{self.key}: no dim {key}")


@dataclass(frozen=True)
class Chart:
    """How a figure is drawn: ``bars`` (a breakdown, upright), ``hbars`` (a breakdown, lying:
    long labels such as community names), ``stacked`` (a breakdown of breakdowns: months ×
    channels), ``pairs`` (two numbers per part, e.g. held vs required per branch)."""

    kind: str
    title: str
    limit: int = 0  # at most this many parts (the largest), 0 = all


@dataclass(frozen=True)
class Figure:
    """One figure.  Exactly one of ``rows`` (count or sum over rows), ``ratio`` (two other
    figures) and ``compute`` (anything else) says how it is counted.

    ``when``       ((dim key, value or tuple of values), …): which of the rows count
    ``by``         dim key(s) to break the figure down by (two for a table of tables)
    ``total``      a measure of the rows to add up instead of counting them
    ``ratio``      (numerator key, denominator key, scale): 100 gives a percentage
    ``compute``    fn(ctx, conn, values) → value, for figures one query cannot give;
                   ``values`` holds the figures computed before it
    ``drill``      fn(ctx, conn, part) → ids of ``register`` rows behind a computed figure
    ``drill_to``   key of the figure whose rows a ratio opens (its denominator by default)
    ``is_count``   a computed figure whose value is the number of rows its drill-down shows
    ``compare``    drawn in the chart of this period against the same period a year earlier
    ``phrase``     the figure in a sentence of the brief: ``{v}`` is the value with its unit,
                   ``{parts}`` a breakdown's parts (正式党员150名、预备党员10名)
    """

    key: str
    label: str
    unit: str
    rows: Rows | None = None
    when: tuple[tuple[str, Any], ...] = ()
    by: tuple[str, ...] = ()
    total: str | None = None
    ratio: tuple[str, str, int] | None = None
    compute: Callable[[Ctx, sa.Connection, dict], Any] | None = None
    drill: Callable[[Ctx, sa.Connection, Any], list[int]] | None = None
    register: str | None = None
    timing: str | None = None
    drill_to: str | None = None
    chart: Chart | None = None
    compare: bool = False
    phrase: str = ""
    note: str = ""
    digits: int = 0
    history: bool | None = None
    is_count: bool = False
    area: str = ""  # set when the area's figures are collected

    def __post_init__(self) -> None:
        ways = sum(x is not None for x in (self.rows, self.ratio, self.compute))
        if ways != 1:
            raise ValueError(f"figure {self.key}: give exactly one of rows, ratio, compute")
        if self.rows is not None:
            for dim_key, _ in self.when:
                self.rows.dim(dim_key)
            for dim_key in self.by:
                self.rows.dim(dim_key)
            if self.total and self.total not in self.rows.measures:
                raise ValueError(f"figure {self.key}: no measure {self.total}")

    @property
    def register_key(self) -> str | None:
        """The register the figure's rows (and its drill-down) are in."""
        return self.rows.register if self.rows is not None else self.register

    @property
    def timing_of(self) -> str:
        return self.timing or (self.rows.timing if self.rows is not None else FLOW)

    @property
    def counts_rows(self) -> bool:
        """True when the value is a number of rows of its register (drill-down = value)."""
        if self.rows is not None:
            return self.total is None
        return self.is_count

    @property
    def has_history(self) -> bool:
        if self.history is not None:
            return self.history
        return self.rows.history if self.rows is not None else True
