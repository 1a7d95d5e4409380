"""Consolidation: the same register from many community workbooks in one district view.

Every file goes through the same checks, layout detection, mapping and normalising as an
import, against the database (so references and people are recognised), but nothing is
written: the result is one workbook with a row per data row, each keeping its source (file,
sheet, Excel row), its status as an import would see it, and the problems; the same record in
two files (by 系统编号, 身份证号 or the register's match keys) is reported as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from ..registry import base as k
from ..registry.display import format_value
from ..services.records import reading
from .columns import excel_columns
from .importer import prepare_sheets
from .plan import STATUS_LABELS, Plan, build_plan
from .reader import Workbook
from .writer import _Formats, excel_width


@dataclass
class ConsolidateResult:
    plan: Plan
    rows: int = 0
    per_file: dict[str, int] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"register": self.plan.register, "rows": self.rows, "per_file": self.per_file,
                "counts": self.plan.counts, "duplicates": self.duplicates,
                "problems": self.problems}


def consolidate(target, key: str, files: list[Path | str], out: Path | str | None = None
                ) -> ConsolidateResult:
    """Read ``files`` as register ``key``; write the district view to ``out`` if given."""
    sheets = []
    with reading(target) as conn:
        for f in files:
            with Workbook(f) as wb:
                for s in prepare_sheets(conn, wb, key):
                    # The sheet label names the file too: 各社区的表都叫 Sheet1.
                    s.layout.sheet = f"{Path(f).name}/{s.layout.sheet}"
                    s.source = Path(f).name
                    sheets.append(s)
        plan = build_plan(conn, key, sheets, file_name="、".join(Path(f).name for f in files))
    res = ConsolidateResult(plan, rows=len(plan.rows))
    for r in plan.rows:
        res.per_file[r.source] = res.per_file.get(r.source, 0) + 1
        for m in r.messages:
            (res.duplicates if "重复" in m else res.problems).append(m) \
                if r.status in ("invalid", "conflict") else None
    if out is not None:
        write_view(out, plan)
    return res


def write_view(path: Path | str, plan: Plan) -> None:
    cols = [c for c in excel_columns(plan.register) if not c.is_uuid]
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    fmts = _Formats(wb)
    ws = wb.add_worksheet("汇总")
    heads = ["来源文件", "工作表", "行号", "状态", *[c.label for c in cols], "问题"]
    for c, h in enumerate(heads):
        ws.write_string(0, c, h, fmts.header)
    ws.set_column(0, 0, 22)
    for i, col in enumerate(cols, start=4):
        ws.set_column(i, i, excel_width(col.width), fmts.text if col.text_format else None)
    ws.set_column(len(heads) - 1, len(heads) - 1, 60)
    for r, pr in enumerate(plan.rows, start=1):
        ws.write_string(r, 0, pr.source)
        ws.write_string(r, 1, pr.sheet.split("/", 1)[-1])
        ws.write_number(r, 2, pr.row)
        ws.write_string(r, 3, STATUS_LABELS[pr.status])
        for c, col in enumerate(cols, start=4):
            v = pr.cells.get(col.key)
            if v is None:
                continue
            text = v if col.kind == k.REF else format_value(col.kind, v)
            ws.write_string(r, c, text)
        if pr.messages:
            ws.write_string(r, len(heads) - 1, "\n".join(pr.messages))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(plan.rows), 1), len(heads) - 1)
    wb.close()
