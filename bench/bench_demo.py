"""Benchmark: build the street-scale demo database (about 100,000 people).

Prints the build time, rows per second, and the ratio to a floor measured in the same run: the
same number of rows written by plain ``sqlite3.executemany`` into tables of the same width with
no ORM, no validation and no generation logic.  Goal (issue 2): "well under a minute".

    python bench/bench_demo.py [--scale street|community] [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.demo import build_demo  # noqa: E402
from app.storage import Database  # noqa: E402
from app.storage.schema import TABLES  # noqa: E402


def floor_seconds(counts: dict[str, int], folder: Path) -> float:
    """Raw sqlite3: the same row counts, same column counts, one transaction, WAL + FULL."""
    con = sqlite3.connect(folder / "floor.db")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    t0 = time.perf_counter()
    with con:
        for key, n in counts.items():
            width = len(TABLES[key].c)
            cols = ", ".join(f"c{i}" for i in range(width))
            con.execute(f"CREATE TABLE {key} (id INTEGER PRIMARY KEY, {cols})")
            marks = ", ".join("?" * width)
            row = tuple(f"v{i}" for i in range(width))
            con.executemany(f"INSERT INTO {key} ({cols}) VALUES ({marks})", (row,) * n)
    took = time.perf_counter() - t0
    con.close()
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="street")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database(folder / "bench.db")
        db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
        t0 = time.perf_counter()
        counts = build_demo(db, args.scale, seed=args.seed, today=dt.date(2026, 11, 25))
        took = time.perf_counter() - t0
        rows = sum(counts.values())
        floor = floor_seconds(counts, folder)
        size = (folder / "bench.db").stat().st_size / 2**20
        print(f"demo build ({args.scale}): {took:.2f} s for {rows:,} rows "
              f"({counts['people']:,} people, {counts['party_members']:,} members) "
              f"= {rows / took:,.0f} rows/s, database {size:.0f} MiB")
        print(f"floor (raw sqlite3 executemany, same rows): {floor:.2f} s")
        print(f"ratio to floor: {took / floor:.1f}x; goal well under 60 s: "
              f"{'met' if took < 30 else 'NOT met'}")


if __name__ == "__main__":
    main()
