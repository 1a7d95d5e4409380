"""Benchmark: a 2,000-row 党员花名册 to PDF (issue 5 goal: ≤ 1.5 s on this machine).

Builds the street-scale demo (5,000 members) in a temporary folder, takes the first 2,000
members as the roster screen would list them, and times each stage: reading the rows, building
the spec (cell texts, masking), layout (measuring, wrapping, paginating) and writing the PDF
(drawing, font subsetting, compression).  Prints seconds, pages per second and the ratio to a
floor measured in the same run: reportlab drawing the very same strings at fixed positions on
the same number of pages with the same embedded font, with no measuring, wrapping or rules.

    python bench/bench_print.py [--rows 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from app.demo import build_demo  # noqa: E402
from app.printing.fonts import FONT_NAME, reportlab_font  # noqa: E402
from app.printing.layout import Text, layout  # noqa: E402
from app.printing.pdf import write_pdf  # noqa: E402
from app.printing.roster import roster_spec  # noqa: E402
from app.registry import get  # noqa: E402
from app.services.records import list_rows  # noqa: E402
from app.storage import Database  # noqa: E402

GOAL_SECONDS = 1.5


def floor_seconds(pages: list[list[str]], size: tuple[float, float]) -> float:
    """reportlab alone: the same strings per page, drawn in a fixed grid, same font."""
    t0 = time.perf_counter()
    c = Canvas(io.BytesIO(), pagesize=size, pageCompression=1)
    for strings in pages:
        t = c.beginText()
        t.setFont(FONT_NAME, 9)
        for i, s in enumerate(strings):
            t.setTextOrigin(20 + (i % 12) * 60, 20 + (i // 12) * 12)
            t.textOut(s)
        c.drawText(t)
        c.showPage()
    c.save()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = ap.parse_args()
    reportlab_font()  # load the font once, as a running app would have
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database(folder / "bench.db")
        db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
        build_demo(db, "street", seed=1, today=dt.date(2026, 11, 25))
        reg = get("party_members")
        best = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            rows = list_rows(db, "party_members", limit=args.rows)
            t1 = time.perf_counter()
            spec = roster_spec(reg, rows, office="和平街道", scope="范围：全部社区")
            t2 = time.perf_counter()
            doc = layout(spec)
            t3 = time.perf_counter()
            out = folder / "roster.pdf"
            write_pdf(doc, out, title=spec.full_title)
            t4 = time.perf_counter()
            run = (t4 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3)
            if best is None or run[0] < best[0]:
                best = run
        total, read, build, lay, draw = best
        strings = [[op.text for op in p.ops if isinstance(op, Text)] for p in doc.pages]
        floor = min(floor_seconds(strings, (doc.width, doc.height))
                    for _ in range(args.repeat))
        n = len(rows)
        size_kib = out.stat().st_size / 1024
        print(f"party roster: {n:,} rows → {doc.page_count} pages "
              f"({doc.orientation}, {doc.body_size:g} pt), PDF {size_kib:,.0f} KiB")
        print(f"  read rows {read:.3f} s, build spec {build:.3f} s, layout {lay:.3f} s, "
              f"write PDF {draw:.3f} s")
        print(f"total {total:.3f} s = {doc.page_count / total:,.0f} pages/s, "
              f"{n / total:,.0f} rows/s (best of {args.repeat})")
        print(f"floor (reportlab drawing the same {sum(map(len, strings)):,} strings, "
              f"no layout): {floor:.3f} s; ratio to floor {total / floor:.1f}x")
        print(f"goal ≤ {GOAL_SECONDS} s: {'met' if total <= GOAL_SECONDS else 'NOT met'}")
        db.close()


if __name__ == "__main__":
    main()
