"""Peak memory of an import, whatever the file (issue 11: goal ≤ 500 MB).

Each case runs in a fresh process (``VmHWM``: that process's own peak resident memory) on a
copy of a community-scale demo database:

* the largest import accepted — 100,000 rows × 15 filled columns (``MAX_IMPORT_ROWS``), and
  1,500,000 filled cells in fewer, wider rows (``MAX_IMPORT_CELLS``) — planned and committed;
* files refused for their size: a sheet at the reading cap (2,000,000 cells of distinct
  texts, read then refused by the import cap), one just over the reading cap (refused before
  reading), and 109,990 rows × 18 columns (over the import cap).

The floor is the same process doing nothing but importing the application and reading the
file's sheet with python-calamine (``to_python``), measured in the same run: the ratio says
what planning and committing add on top of merely holding the cells.

    python bench/bench_import_memory.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

GOAL_MB = 500
TODAY = None


def peak_mb() -> float:
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, db_path: str, src: str) -> None:
    """One case in this (fresh) process; prints a JSON line."""
    from app.excel.errors import FileRefused
    from app.services.access import system
    from app.storage import Database
    out: dict = {}
    if mode == "floor":
        from python_calamine import CalamineWorkbook
        wb = CalamineWorkbook.from_path(src)
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        out["cells"] = sum(len(r) for r in rows)
    else:
        from app.excel.commit import commit_plan
        from app.excel.importer import plan_file
        db = Database(Path(db_path))
        db.actor = system("bench")
        try:
            plan = plan_file(db, "party_members", Path(src))
            out["planned"] = plan.counts["new"]
            out["created"] = commit_plan(db, plan, db.actor).created
        except FileRefused as exc:
            out["refused"] = str(exc)
        db.close()
    out["peak_mb"] = peak_mb()
    print(json.dumps(out, ensure_ascii=False))


def run(mode: str, db: Path, src: Path) -> dict:
    res = subprocess.run([sys.executable, __file__, "--child", mode, str(db), str(src)],
                         capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise SystemExit(res.stderr[-2000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def make_wide(path: Path, n: int, extra: int, orgs: list[str]) -> None:
    """The district roster of bench_excel with ``extra`` more filled columns (备注1 …)."""
    import xlsxwriter
    import bench_excel
    close = xlsxwriter.Workbook.close
    width = len(bench_excel.HEADERS)

    def add_columns(self):
        ws = self.worksheets()[0]
        for j in range(extra):
            ws.write_string(2, width + j, f"备注{j + 1}")
            for i in range(n):
                ws.write_string(3 + i, width + j, f"其他说明{i}-{j}")
        return close(self)
    xlsxwriter.Workbook.close = add_columns
    try:
        bench_excel.make_roster(path, n, orgs)
    finally:
        xlsxwriter.Workbook.close = close


def main() -> None:
    from app.demo import build_demo
    from app.excel import limits
    from app.services import records
    from app.services.access import system
    from app.storage import Database

    work = Path(tempfile.mkdtemp(prefix="bench_mem_"))
    try:
        db = Database(work / "pristine.db")
        db.actor = system("bench")
        build_demo(db, "community", seed=1)
        orgs = [r["name"] for r in records.list_rows(db, "party_orgs")
                if r["org_type"] in ("党支部", "党总支")]
        db.close()
        cases = [
            ("100,000 rows × 15 columns (the row cap)", 100_000, 0, "accept"),
            ("60,000 rows × 25 columns = 1,500,000 filled cells (the cell cap)", 60_000, 10,
             "accept"),
            ("109,990 rows × 18 columns (over the import cap)", 109_990, 3, "refuse"),
            ("74,000 rows × 27 columns = 1,998,000 cells (at the reading cap)", 74_000, 12,
             "refuse"),
            ("100,000 rows × 27 columns (over the reading cap)", 100_000, 12, "refuse"),
        ]
        worst = 0.0
        print(f"caps: reading {limits.MAX_CELLS:,} cells a sheet / {limits.MAX_BOOK_CELLS:,} a "
              f"file; one import {limits.MAX_IMPORT_ROWS:,} rows, {limits.MAX_IMPORT_CELLS:,} "
              "filled cells")
        for label, n, extra, expect in cases:
            src = work / "case.xlsx"
            make_wide(src, n, extra, orgs)
            shutil.copy(work / "pristine.db", work / "case.db")
            floor = run("floor", work / "case.db", src)
            got = run("import", work / "case.db", src)
            worst = max(worst, got["peak_mb"])
            what = (f"refused ({got['refused'][:60]}…)" if "refused" in got
                    else f"planned {got['planned']:,}, written {got['created']:,}")
            ok = ("refused" in got) == (expect == "refuse")
            print(f"{label}: peak {got['peak_mb']:.0f} MB; floor (read the sheet only) "
                  f"{floor['peak_mb']:.0f} MB, ratio {got['peak_mb'] / floor['peak_mb']:.2f}×; "
                  f"{what}{'' if ok else '  UNEXPECTED'}")
        print(f"worst peak of any case: {worst:.0f} MB (goal ≤ {GOAL_MB} MB: "
              f"{'met' if worst <= GOAL_MB else 'NOT MET'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
