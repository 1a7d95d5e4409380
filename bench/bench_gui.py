"""GUI benchmark on the street-scale demo database (100,000 people).

(a) Process start → main window painted, against a bare PySide6 QMainWindow started the same way
    (a fresh ``python`` process each, same interpreter, offscreen platform, the same first-paint
    spy on the window, bytecode cached as after an install) in the same run, after one warm-up
    start of each.  Goal: ≤ 1.5 × the bare window.
(b) Search-as-you-type over the 100,000 people of the 人员信息 table: time per keystroke
    (filter + the table view's repaint), median and maximum.  Goal: ≤ 50 ms.  The floor is a
    bare Python substring scan over the same 100,000 strings.

Run:  python bench/bench_gui.py [--db PATH] [--runs N]
The street-scale database is built once into bench/out/ (``python -m app demo --scale street``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


# -- child processes ---------------------------------------------------------------------------

def _child(mode: str, db_path: str, settings_path: str) -> None:
    """Runs in a fresh process: show a window and print the time of its first paint."""
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class FirstPaint(QObject):
        """Prints when the main window paints first; the app then waits for its data."""

        def __init__(self, window, wait_for_data: bool) -> None:
            super().__init__()
            self.window, self.wait, self.painted = window, wait_for_data, False

        def eventFilter(self, obj, event):
            if obj is self.window and event.type() == QEvent.Type.Paint and not self.painted:
                self.painted = True
                print(f"PAINTED {time.time():.6f}", flush=True)
                if not self.wait:
                    QApplication.instance().quit()
            return False

    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1280, 800)
        spy = FirstPaint(window, False)
        window.installEventFilter(spy)
        window.show()
    else:
        # Exactly what `taizhang --db X` does, minus the event loop's end.
        sys.path.insert(0, str(ROOT))
        from app.ui import app as gui
        from app.ui.settings import Settings
        settings = Settings(QSettings(settings_path, QSettings.Format.IniFormat))
        settings.set("window/geometry", None)
        app, window = gui.start_gui(Path(db_path), settings, offer_demo=False)
        # The same spy as the bare window's, on the window itself: show() only queues the
        # first paint, which happens once the event loop below runs.  (An application-wide
        # filter would make PySide wrap every internal Qt object it sees, creating the
        # Python types and enums of most of QtWidgets — ~25 ms the bare window never pays.)
        spy = FirstPaint(window, True)
        window.installEventFilter(spy)

        def ready(_db) -> None:
            # The tabs are built and the first register is showing: the window is usable.
            def done():
                print(f"READY {time.time():.6f}", flush=True)
                app.quit()
            QTimer.singleShot(0, done)
        window.database_changed.connect(ready)
    app.exec()


def _spawn(mode: str, db_path: Path, settings: Path) -> tuple[float, float]:
    """Seconds from spawning one process to the first paint of its window, and to the data
    being shown (the same for the bare window)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONPATH": str(ROOT),
           # Compiled bytecode, as an installed program has it (pip compiles on install), kept
           # out of the source tree; PYTHONDONTWRITEBYTECODE would recompile every module on
           # every start, a cost the bare window (no modules of its own) never pays.
           "PYTHONPYCACHEPREFIX": str(OUT / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    settings.unlink(missing_ok=True)
    t0 = time.time()
    proc = subprocess.run([sys.executable, __file__, "--child", mode, "--db", str(db_path),
                           "--settings", str(settings)],
                          capture_output=True, text=True, env=env, timeout=120)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("PAINTED")), None)
    if line is None:
        raise SystemExit(f"{mode} window never painted:\n{proc.stdout}\n{proc.stderr}")
    done = next((ln for ln in proc.stdout.splitlines() if ln.startswith("READY")), line)
    return float(line.split()[1]) - t0, float(done.split()[1]) - t0


def time_start(db_path: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    """Bare and full start-ups alternated, so a busy machine slows both alike."""
    OUT.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[tuple[float, float]]] = {"bare": [], "app": []}
    for mode in ("bare", "app"):  # warm-up: bytecode written, files in the disk cache
        _spawn(mode, db_path, OUT / f"bench-settings-{mode}-warm.ini")
    for i in range(runs):
        for mode in ("bare", "app"):
            out[mode].append(_spawn(mode, db_path, OUT / f"bench-settings-{mode}-{i}.ini"))
    return out


# -- keystrokes --------------------------------------------------------------------------------

def time_keystrokes(db_path: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication, QTableView

    from app.registry import get
    from app.services import records
    from app.storage import Database
    from app.ui.table_model import RegisterTableModel, build_haystacks

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = Database(db_path)
    db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
    reg = get("people")
    t0 = time.perf_counter()
    rows = records.list_rows(db, "people")
    t1 = time.perf_counter()
    hay = build_haystacks(reg, rows)
    t2 = time.perf_counter()
    model = RegisterTableModel(reg)
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    model.set_rows(rows, hay)
    app.processEvents()
    t3 = time.perf_counter()
    some_id = next(r["id_number"] for r in rows[5000:] if r["id_number"])
    sequences = ["王秀英", some_id[:10], "1381234", "阳光 王"]
    per_key: list[float] = []
    floor: list[float] = []
    for word in sequences:
        typed = ""
        for ch in word:
            typed += ch
            t = time.perf_counter()
            model.set_search(typed)
            view.repaint()           # the visible rows are drawn, as after a real keystroke
            app.processEvents()
            per_key.append(time.perf_counter() - t)
            term = typed.split()[-1].lower()
            t = time.perf_counter()
            [i for i, h in enumerate(hay) if term in h]
            floor.append(time.perf_counter() - t)
        for _ in word:                # and erasing it again, one backspace at a time
            typed = typed[:-1]
            t = time.perf_counter()
            model.set_search(typed)
            view.repaint()
            app.processEvents()
            per_key.append(time.perf_counter() - t)
    db.close()
    return {"rows": len(rows), "query_s": t1 - t0, "haystack_s": t2 - t1, "show_s": t3 - t2,
            "keys": per_key, "floor": floor}


def ensure_street_db(path: Path | None) -> Path:
    if path:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "street.db"
    if not path.exists():
        print("生成街道规模演示数据库（约 10 秒）…", flush=True)
        subprocess.run([sys.executable, "-m", "app", "demo", "--scale", "street", "--db",
                        str(path)], check=True, cwd=ROOT, capture_output=True)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--settings", default="")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if args.child:
        _child(args.child, str(args.db), args.settings)
        return
    db_path = ensure_street_db(args.db)
    runs = time_start(db_path, args.runs)
    b = statistics.median(t for t, _ in runs["bare"])
    f = statistics.median(t for t, _ in runs["app"])
    r = statistics.median(t for _, t in runs["app"])
    print(f"(a) start → window painted, median of {args.runs} "
          f"(street-scale database {db_path.name}):")
    print(f"    bare PySide6 QMainWindow  {b * 1000:7.0f} ms")
    print(f"    taizhang main window      {f * 1000:7.0f} ms   ratio {f / b:.2f} ×   "
          "(goal ≤ 1.5 ×)")
    pairs = [a / b_ for (a, _), (b_, _) in zip(runs["app"], runs["bare"])]
    print(f"    ratio of each alternated pair: {min(pairs):.2f}–{max(pairs):.2f} ×")
    print(f"    … with the database open and the first tab's data shown "
          f"{r * 1000:7.0f} ms   ratio {r / b:.2f} ×")
    k = time_keystrokes(db_path)
    keys_ms = [x * 1000 for x in k["keys"]]
    floor_ms = [x * 1000 for x in k["floor"]]
    print(f"(b) search-as-you-type over {k['rows']:,} people "
          f"(loaded once in {k['query_s']:.2f} s query + {k['haystack_s']:.2f} s index, "
          f"in the background in the app):")
    print(f"    per keystroke  median {statistics.median(keys_ms):6.1f} ms   "
          f"max {max(keys_ms):6.1f} ms   over {len(keys_ms)} keystrokes   (goal ≤ 50 ms)")
    print(f"    floor (bare substring scan of the same strings) median "
          f"{statistics.median(floor_ms):6.1f} ms → ratio "
          f"{statistics.median(keys_ms) / statistics.median(floor_ms):.2f} ×")


if __name__ == "__main__":
    main()
