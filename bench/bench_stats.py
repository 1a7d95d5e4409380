"""Statistics benchmark on the street-scale demo database (100,000 people, 5,000 members).

(a) ``taizhang stats --period 2026Q3 --json`` (every figure of the six areas, with the same
    quarter a year earlier) against a bare CLI start (``taizhang --version``), fresh processes
    alternated, medians.  Goal: ≤ 100 ms above the bare start.  Also shown: the same with the
    data layer's floor — a CLI start that opens the database and counts one register
    (``taizhang stats`` cannot open a database for less).
(b) In one process: computing every figure (both years) warm, and the floor of touching the
    data at all (one count(*) per register the figures read).
(c) The 总览 tab (offscreen): switching period or scope until the whole tab shows the new
    figures and charts.  Goal: ≤ 200 ms.  Floor: the count alone, without widgets.

Run:  python bench/bench_stats.py [--runs N]
The database is built once into bench/out/ for a fixed day (2026-11-25), so the quarter counted
is the same whenever the benchmark runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
TODAY = dt.date(2026, 11, 25)
PERIOD = "2026Q3"


def ensure_db() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"street-{TODAY}.db"
    if not path.exists():
        print("生成街道规模演示数据库（约 10 秒）…", flush=True)
        subprocess.run([sys.executable, "-m", "app", "demo", "--scale", "street", "--db",
                        str(path), "--today", TODAY.isoformat()], check=True, cwd=ROOT,
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return path


def _env() -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(OUT / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


FLOOR_DB = ("import sys; from app.cli import main; from app.storage import Database; "
            "from app.services.query import count; from app.services.access import system; "
            "db = Database(sys.argv[1]); db.actor = system('bench'); "
            "count(db, 'party_members')")


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def time_cli(db: Path, runs: int) -> dict[str, list[float]]:
    cmds = {
        "bare": [sys.executable, "-m", "app", "--version"],
        "db": [sys.executable, "-c", FLOOR_DB, str(db)],
        "stats": [sys.executable, "-m", "app", "stats", "--db", str(db), "--period", PERIOD,
                  "--json", "--today", TODAY.isoformat()],
    }
    out: dict[str, list[float]] = {k: [] for k in cmds}
    for cmd in cmds.values():  # warm-up: bytecode written, files in the disk cache
        _time(cmd)
    for _ in range(runs):
        for k, cmd in cmds.items():  # alternated: a busy machine slows all alike
            out[k].append(_time(cmd))
    return out


def time_compute(db_path: Path, runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import sqlalchemy as sa
    from app.stats import catalogue, compute
    from app.storage import Database
    from app.storage.schema import TABLES
    db = Database(db_path)
    db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
    compute(db, PERIOD, today=TODAY)  # statement compilation cached, as after one use
    times = [compute(db, PERIOD, today=TODAY).seconds for _ in range(runs)]
    registers = sorted({f.register_key for f in catalogue.FIGURES if f.register_key})
    floors = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with db.connect() as conn:
            for key in registers:
                conn.execute(sa.select(sa.func.count()).select_from(TABLES[key])).scalar()
        floors.append(time.perf_counter() - t0)
    db.close()
    return {"compute": times, "floor": floors, "registers": len(registers),
            "figures": len(catalogue.FIGURES)}


def time_gui(db_path: Path, runs: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from app.stats import compute
    from app.storage import Database
    from app.ui.overview_tab import OverviewTab
    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = Database(db_path)
    db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
    tab = OverviewTab(db, today=TODAY)
    tab.resize(1366, 700)

    def wait() -> float:
        loop = QEventLoop()
        tab.updated.connect(loop.quit)
        QTimer.singleShot(30000, loop.quit)
        loop.exec()
        tab.updated.disconnect(loop.quit)
        tab.repaint()  # the new tree and charts painted
        for c in tab.charts_box.findChildren(type(tab.charts_box)):
            c.repaint()
        app.processEvents()
        return time.perf_counter()

    tab.show()
    wait()
    communities = [a.text() for a in tab.scope.menu().actions()][2:4]
    steps = [lambda: tab.set_period("2026Q3"), lambda: tab.set_period("2026Q2"),
             lambda: tab.set_scope(communities[:1]), lambda: tab.set_period("2026-09"),
             lambda: tab.set_scope([]), lambda: tab.set_period("2026")]
    for s in steps:  # warm-up
        s()
        wait()
    switches = []
    for i in range(runs):
        for s in steps:
            t0 = time.perf_counter()
            s()
            switches.append(wait() - t0)
    floor = []
    for p in ("2026Q3", "2026Q2", "2026-09", "2026"):
        t0 = time.perf_counter()
        compute(db, p, today=TODAY)
        floor.append(time.perf_counter() - t0)
    tab.close()
    db.close()
    return {"switch": switches, "floor": floor}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    db = ensure_db()
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    print(f"街道规模演示数据库 {db.name}，期间 {PERIOD}（含上年同期），今天 {TODAY}")
    cli = time_cli(db, args.runs)
    bare, floor_db, stats = ms(cli["bare"]), ms(cli["db"]), ms(cli["stats"])
    print(f"(a) CLI, fresh processes, median of {args.runs}:")
    print(f"    bare CLI start (taizhang --version)              {bare:7.0f} ms")
    print(f"    CLI start + open database + one count (floor)    {floor_db:7.0f} ms")
    print(f"    taizhang stats --period {PERIOD} --json            {stats:7.0f} ms   "
          f"= bare + {stats - bare:.0f} ms (goal ≤ 100 ms above bare); "
          f"floor + {stats - floor_db:.0f} ms")
    c = time_compute(db, args.runs)
    print(f"(b) in one process, warm: {c['figures']} figures of the six areas, both years")
    print(f"    compute                                          {ms(c['compute']):7.1f} ms")
    print(f"    floor: count(*) of the {c['registers']} registers read          "
          f"{ms(c['floor']):7.1f} ms   ratio {ms(c['compute']) / ms(c['floor']):.1f} ×")
    g = time_gui(db, args.runs)
    print(f"(c) 总览 tab, switching period or scope until the tab shows it "
          f"({len(g['switch'])} switches):")
    print(f"    median {ms(g['switch']):6.0f} ms   max {max(g['switch']) * 1000:6.0f} ms   "
          f"(goal ≤ 200 ms)")
    print(f"    floor: the count alone, no widgets  median {ms(g['floor']):6.0f} ms")


if __name__ == "__main__":
    main()
