"""A period and scope counted: every figure beside the same period a year earlier.

:func:`compute` gives a :class:`Report` (what the screen, the workbook and the brief show);
:func:`compute_all` its plain dict, keyed by area then figure key — what ``taizhang stats
--json`` prints.  ``today`` is a parameter all the way down: it decides where a running period
ends, and nothing below reads the clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..storage.schema import app_settings
from . import catalogue
from .engine import compute_values, drill_ids, today_or
from .model import TIMING_LABELS, Ctx, Figure
from .period import Period, parse_period
from .scope import resolve, scope_label

log = logging.getLogger(__name__)

#: Settings (``app_settings``) the outputs take their title from.
OFFICE_KEY, TITLE_KEY = "office_name", "stats_title"
DEFAULT_TITLE = "党建引领基层治理数据简报"


@dataclass(frozen=True)
class Line:
    """One figure in a report."""

    figure: Figure
    value: object
    previous: object


@dataclass
class Report:
    period: Period            # as counted (a running period ends today)
    previous: Period          # the same days a year earlier
    scope: str                # 全街道 or the communities' names
    office: str
    title: str
    today: dt.date
    ctx: Ctx
    values: dict[str, object]
    previous_values: dict[str, object]
    seconds: float = 0.0
    lines: dict[str, Line] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in catalogue.FIGURES:
            prev = self.previous_values.get(f.key) if f.has_history else None
            self.lines[f.key] = Line(f, self.values.get(f.key), prev)

    def area(self, area: str) -> list[Line]:
        return [self.lines[f.key] for f in catalogue.BY_AREA[area]]

    def as_dict(self) -> dict:
        """{area: {figure key: {label, value, unit, previous, timing, register}}}."""
        return {area: {line.figure.key: {
            "label": line.figure.label, "value": line.value, "unit": line.figure.unit,
            "previous": line.previous, "timing": TIMING_LABELS[line.figure.timing_of],
            "register": line.figure.register_key,
        } for line in self.area(area)} for area in catalogue.AREAS}

    @property
    def heading(self) -> str:
        """e.g. 和平街道 · 2026年第三季度 · 全街道"""
        return " · ".join(x for x in (self.office, self.period.label, self.scope) if x)


def _reading(target):
    from ..services.records import reading
    return reading(target)


def read_setting(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(app_settings.c.value)
                        .where(app_settings.c.key == key)).scalar()


def make_ctx(conn: sa.Connection, period: Period, communities: list[str] | None,
             today: dt.date) -> Ctx:
    """The counting context: the period as counted up to ``today``, the scope resolved."""
    ids, names = resolve(conn, communities)
    eff = period.effective(today)
    return Ctx(eff.start, eff.end, ids, names, today)


def compute(target, period: str | Period, communities: list[str] | None = None,
            today: dt.date | None = None) -> Report:
    """Count every figure for ``period`` and ``communities`` (None: the whole 街道), and the
    same figures a year earlier.  Raises PeriodError / ScopeError with Chinese messages."""
    t0 = time.perf_counter()
    today = today_or(today)
    per = parse_period(period) if isinstance(period, str) else period
    with _reading(target) as conn:
        ctx = make_ctx(conn, per, communities, today)
        values = compute_values(conn, list(catalogue.FIGURES), ctx)
        prev_values = compute_values(conn, list(catalogue.FIGURES), ctx.year_earlier())
        office = read_setting(conn, OFFICE_KEY) or ""
        title = read_setting(conn, TITLE_KEY) or DEFAULT_TITLE
    eff = per.effective(today)
    report = Report(eff, eff.previous(), scope_label(ctx.names, ctx.communities is None),
                    office, title, today, ctx,
                    {k: v for k, v in values.items() if not k.startswith("_")},
                    {k: v for k, v in prev_values.items() if not k.startswith("_")})
    report.seconds = time.perf_counter() - t0
    log.debug("stats %s %s: %.1f ms", report.period.label, report.scope, report.seconds * 1000)
    return report


def compute_all(target, period: str, communities: list[str] | None = None,
                today: dt.date | None = None) -> dict:
    """Every figure of the six areas: {area: {figure key: {label, value, unit, previous, …}}}.

    ``target`` is an :class:`app.storage.Database` or an open SQLAlchemy Connection; ``period``
    is 2026 | 2026Q3 | 2026-09 | 2026-01-01..2026-06-30; ``previous`` is the same period a year
    earlier (None where the rows carry no dates)."""
    return compute(target, period, communities, today).as_dict()


def drill(target, key: str, period: str | Period, communities: list[str] | None = None,
          today: dt.date | None = None, part=None, previous: bool = False
          ) -> tuple[str, list[int]]:
    """The register and ids of the rows behind figure ``key`` (one part of a breakdown if
    ``part`` is given; ``previous``: a year earlier).  The register view filtered to these ids
    shows as many rows as the figure counts."""
    today = today_or(today)
    per = parse_period(period) if isinstance(period, str) else period
    fig = catalogue.get(key)
    with _reading(target) as conn:
        ctx = make_ctx(conn, per, communities, today)
        if previous:
            ctx = ctx.year_earlier()
        return drill_ids(conn, fig, ctx, part, catalogue.BY_KEY)
