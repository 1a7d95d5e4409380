"""``taizhang stats``: every figure for a period and scope, as an aligned table, JSON, a
statistics workbook or a 数据简报.

    taizhang stats [--db PATH] [--period 2026|2026Q3|2026-09|2026-01-01..2026-06-30]
                   [--community NAME …] [--json] [--xlsx OUT.xlsx] [--brief OUT.docx|OUT.pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def add_stats_parser(sub, db_arg) -> None:
    p = sub.add_parser(
        "stats", help="统计：六个方面的全部指标（与上年同期对比），可导出统计表和数据简报",
        description="按期间和范围统计六个方面的全部指标，并与上年同期对比。",
        epilog="期间写法：2026（全年）、2026Q3（第三季度）、2026-09（9月）、"
               "2026-01-01..2026-06-30（任意日期范围）。尚未结束的期间统计到今天为止，"
               "上年同期取上一年的相同日期。")
    db_arg(p)
    p.add_argument("--period", metavar="期间", default=None,
                   help="统计期间（默认今年，到今天为止）")
    p.add_argument("--community", metavar="社区", nargs="+", action="extend", default=None,
                   help="只统计这些社区（可写多个；默认全街道）")
    p.add_argument("--json", action="store_true",
                   help="输出一个 JSON 对象：按板块、指标键，每项含 label、value、unit、previous")
    p.add_argument("--xlsx", metavar="OUT.xlsx", type=Path, default=None,
                   help="同时写出统计表（Excel，每个板块一张表）")
    p.add_argument("--brief", metavar="OUT.docx|OUT.pdf", type=Path, default=None,
                   help="同时写出数据简报（.docx 可在 WPS/Word 中编辑，或 .pdf）")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_stats)


def _fail(message: str, code: int) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def cmd_stats(args) -> int:
    from ..paths import default_db_path
    from ..storage import Database, DatabaseError
    from .period import PeriodError, parse_period
    from .report import compute
    from .scope import ScopeError

    today = args.today or dt.date.today()
    try:
        period = parse_period(args.period) if args.period else parse_period(str(today.year))
    except PeriodError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if args.brief is not None and args.brief.suffix.lower() not in (".docx", ".pdf"):
        return _fail(f"简报文件应以 .docx 或 .pdf 结尾：{args.brief}", EXIT_USAGE)
    if args.xlsx is not None and args.xlsx.suffix.lower() != ".xlsx":
        return _fail(f"统计表文件应以 .xlsx 结尾：{args.xlsx}", EXIT_USAGE)
    path = getattr(args, "db", None) or default_db_path()
    if isinstance(path, Path) and not path.exists():  # a server address is not a file
        return _fail(f"数据库文件不存在：{path}", EXIT_PROBLEM)
    try:
        db = Database(path)
    except DatabaseError as exc:
        return _fail(str(exc), EXIT_PROBLEM)
    try:
        report = compute(db, period, args.community, today)
    except (PeriodError, ScopeError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    finally:
        db.close()
    written = []
    if args.xlsx is not None:
        from .workbook import write_workbook
        written.append(("统计表", write_workbook(report, args.xlsx)))
    if args.brief is not None:
        from .brief import write_brief
        written.append(("数据简报", write_brief(report, args.brief)))
    if args.json:
        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        for what, where in written:
            print(f"已写出{what}：{where}", file=sys.stderr)
    else:
        sys.stdout.write(table(report))
        for what, where in written:
            print(f"已写出{what}：{where}")
    return EXIT_OK


def table(report) -> str:
    """Every figure as an aligned Chinese table, area by area; a breakdown's parts indented
    under it."""
    from . import catalogue
    from .fmt import NONE, change, digits_of, number, pad, summable, total, width
    rows: list[tuple[str, str, str, str, str]] = []
    heads: dict[int, str] = {}
    for area in catalogue.AREAS:
        heads[len(rows)] = catalogue.area_label(area)
        for line in report.area(area):
            f, v, p = line.figure, line.value, line.previous
            d = digits_of(f)
            if isinstance(v, dict):
                sums = summable(f) and not any(isinstance(x, dict) for x in v.values())
                cur = number(total(v), d) if sums else ""
                old = (number(total(p), d) if isinstance(p, dict) else NONE) if sums else ""
                rows.append((f.label, cur, old, "", f.unit))
                for part, pv in v.items():
                    prev = p.get(part) if isinstance(p, dict) else None
                    if isinstance(pv, dict):
                        cur_t = "、".join(f"{k}{number(x, d)}" for k, x in pv.items())
                        old_t = "、".join(f"{k}{number(x, d)}" for k, x in prev.items()) \
                            if isinstance(prev, dict) else NONE
                        rows.append((f"　{part}", cur_t, old_t, "", f.unit))
                    else:
                        rows.append((f"　{part}", number(pv, d), number(prev, d),
                                     change(f, pv, prev), f.unit))
            else:
                rows.append((f.label, number(v, d), number(p, d), change(f, v, p), f.unit))
    head = ("指标", "本期", "上年同期", "增减", "单位")
    cols = [max([width(head[i])] + [width(r[i]) for r in rows if width(r[i]) < 60])
            for i in range(5)]
    out = [f"{report.office or '统计'} · {report.period.label} · {report.scope}",
           f"上年同期：{report.previous.label}；期末指标按期间最后一天计，期内指标按期间内发生的计",
           ""]

    def fmt_row(r):
        return "  ".join(pad(x, cols[i], right=0 < i < 4) for i, x in enumerate(r)).rstrip()
    for i, r in enumerate(rows):
        if i in heads:
            out += ["", f"【{heads[i]}】", fmt_row(head)]
        out.append(fmt_row(r))
    return "\n".join(out) + "\n"
