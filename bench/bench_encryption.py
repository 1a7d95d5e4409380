"""What encryption at rest costs: the same database plain and encrypted (SQLCipher), measured
in the same run on this machine, alternated, and the ratio printed.

* start-up: opening the database as the program does (file checks, ``quick_check``, schema
  version) and the first read (people counted);
* unlock: unwrapping an account's key slot (argon2id) — paid once per sign-in, by the
  encrypted file only (the sign-in's own password check is the same for both);
* search: 人员 by part of a name (the register view's search, first page of 200, and the
  count of all matches);
* import: a 党员花名册 of ``--rows`` rows (with new people) planned and committed;
* integrity_check: a read of every page;
* and, once, converting the plain file (``taizhang encrypt``: verified plain copy, export,
  rows and checksums compared).

Usage: ``PYTHONPATH=. python bench/bench_encryption.py [--scale street|community]
[--rows N] [--runs R]`` (defaults: street — 20 社区, about 100,000 people —, 5,000, 5).
Medians of ``R`` runs; the machine's other load shows as noise, so read the ratios of a quiet
run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_excel import make_roster  # noqa: E402  (the district roster of bench_excel)

TODAY = dt.date(2026, 11, 25)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def median_pair(runs: int, plain_fn, enc_fn) -> tuple[float, float]:
    """Medians of ``runs`` timings of each, alternated so both see the same machine."""
    a, b = [], []
    for i in range(runs):
        order = ((a, plain_fn), (b, enc_fn)) if i % 2 == 0 else ((b, enc_fn), (a, plain_fn))
        for bucket, fn in order:
            bucket.append(timed(fn)[1])
    return statistics.median(a), statistics.median(b)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", choices=("street", "community"), default="street")
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from app.demo import build_demo
    from app.excel.commit import commit_plan
    from app.excel.importer import plan_file
    from app.services import accounts, query, records
    from app.services.access import system
    from app.storage import Database, cipher, encryption, keyslots

    if not cipher.available():
        print(cipher.UNAVAILABLE)
        return
    mod = cipher.module()
    print(f"SQLCipher {mod.connect(':memory:').execute('PRAGMA cipher_version').fetchone()[0]}"
          f" (SQLite {mod.sqlite_version}); plain: Python sqlite3 (SQLite "
          f"{__import__('sqlite3').sqlite_version})")
    work = Path(tempfile.mkdtemp(prefix="bench_encryption_"))
    try:
        plain = work / "plain.db"
        t0 = time.perf_counter()
        db = Database(plain)
        db.actor = system("bench")
        build_demo(db, args.scale, seed=1, today=TODAY)
        people = records.count(db, "people")
        db.close()
        print(f"demo ({args.scale}): {people:,} people, {plain.stat().st_size / 1e6:.0f} MB, "
              f"built in {time.perf_counter() - t0:.0f} s")
        enc = work / "enc.db"
        shutil.copy(plain, enc)
        done, t_conv = timed(lambda: encryption.convert(enc, "admin", "demo"))
        print(f"conversion (taizhang encrypt): {t_conv:.1f} s for {len(done.tables)} tables, "
              f"{sum(done.tables.values()):,} rows, verified")
        done.plain_copy.unlink()
        rows: list[tuple[str, float, float]] = []

        def start(path):
            def run():
                d = Database(path)
                d.actor = system("bench")
                records.count(d, "people")
                d.close()
            return run
        rows.append(("start-up (open + first count)",
                     *median_pair(args.runs, start(plain), start(enc))))

        def unlock():
            keyslots.forget_all()
            encryption.unlock(enc, "admin", "demo")
        t_unlock = statistics.median(timed(unlock)[1] for _ in range(args.runs))
        t_sign = statistics.median(
            timed(lambda: accounts.hash_password("demo"))[1] for _ in range(args.runs))
        rows.append(("sign-in: unlock the key slot (argon2id)", 0.0, t_unlock))

        dbs = {}
        for name, path in (("plain", plain), ("enc", enc)):
            dbs[name] = Database(path)
            dbs[name].actor = system("bench")

        def search(d, limit):
            return lambda: query.list_rows(d, "people", search="王", limit=limit)
        rows.append(("search 人员 “王” (first page, 200)",
                     *median_pair(args.runs, search(dbs["plain"], 200),
                                  search(dbs["enc"], 200))))
        rows.append(("search 人员 “王” (every match)",
                     *median_pair(args.runs, search(dbs["plain"], None),
                                  search(dbs["enc"], None))))

        def integrity(d):
            return lambda: d.integrity_check()
        rows.append(("integrity_check (every page)",
                     *median_pair(max(1, args.runs // 2), integrity(dbs["plain"]),
                                  integrity(dbs["enc"]))))

        orgs = [r["name"] for r in records.list_rows(dbs["plain"], "party_orgs")
                if r["org_type"] in ("党支部", "党总支")]
        # A new roster (new people) for every import, the same one for both files.
        rosters = []
        for i in range(args.runs):
            rosters.append(work / f"roster-{i}.xlsx")
            make_roster(rosters[-1], args.rows, orgs, seed=100 + i)
        turn = {"plain": 0, "enc": 0}

        def importing(name):
            def run():
                src = rosters[turn[name]]
                turn[name] += 1
                plan = plan_file(dbs[name], "party_members", src, today=TODAY)
                commit_plan(dbs[name], plan, system("bench"))
            return run
        rows.append((f"import {args.rows:,}-row 党员花名册 (plan + commit)",
                     *median_pair(args.runs, importing("plain"), importing("enc"))))
        for d in dbs.values():
            d.close()

        print(f"\n{'':44}{'plain':>10}{'encrypted':>12}{'ratio':>8}")
        for label, a, b in rows:
            ratio = f"{b / a:.2f}×" if a else "—"
            pad = 44 - sum(2 if ord(ch) > 0x2e7f else 1 for ch in label)
            print(f"{label}{' ' * max(pad, 1)}{a * 1e3:>8.0f}ms{b * 1e3:>10.0f}ms{ratio:>8}")
        print(f"(for comparison, the sign-in's password check itself: {t_sign * 1e3:.0f} ms, "
              "both files)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
