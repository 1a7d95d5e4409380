"""Statistics (总览): every figure of the six areas for a period and scope, beside the same
period a year earlier, with the rows behind each one.

    >>> from app.stats import compute_all
    >>> compute_all(db, "2026Q3")["party"]["compound_coverage"]
    {'label': '党组织对小区的覆盖率', 'value': 75.0, 'unit': '%', 'previous': 62.5, …}

No Qt here (the 总览 tab is ``app/ui/overview_tab.py``); only SELECT queries.  The figures are
declared once, per area, in ``party``, ``autonomy``, ``law``, ``virtue``, ``service`` and
``cadre``; the screen, charts, workbook, brief, ``taizhang stats`` and the drill-down read them.
"""

from __future__ import annotations

from .period import Period, PeriodError, parse_period
from .report import Line, Report, compute, compute_all, drill
from .scope import ScopeError

__all__ = ["Line", "Period", "PeriodError", "Report", "ScopeError", "compute", "compute_all",
           "drill", "parse_period"]
