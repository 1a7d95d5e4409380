"""The one write path at import scale: every import commit goes through the services' batch
operations.  Prints, measured in this run on this machine:

* a 50,000-row 党员花名册 (with 50,000 new people): the commit, and the raw floor — a bare
  ``sqlite3.executemany`` of the very rows and audit rows the commit stored (same pragmas:
  WAL, synchronous=FULL, foreign keys) into a copy of the database as it was before;
  goal ≤ 2× the floor (the old bulk path: about 3.8×);
* the same roster re-sent with 工作单位 changed on every row: 50,000 updates, against the
  floor of executing the same UPDATE statements and audit rows;
* a 20,000-row 户 import and a 5,000-row 调解 import (with their applicants as new people and
  a workflow start each) — before this path they went row by row through ``records.create``;
* the peak memory of the whole 50,000-row import, in a process of its own (goal ≤ 400 MB).

Usage: ``PYTHONPATH=. python bench/bench_write_path.py [ROWS]`` (default 50,000).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_excel import make_roster  # noqa: E402  (the same district roster as bench_excel)
from app.services.access import system

GOAL_COMMIT = 2.0
GOAL_MEMORY_MB = 400
TODAY = dt.date(2026, 11, 25)


def verdict(value: float, goal: float, unit: str = "×") -> str:
    return f"goal ≤ {goal:g}{unit} {'MET' if value <= goal else 'NOT MET'}"


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def insert_floor(after: Path, before: Path, since: dict[str, int]) -> float:
    """Raw executemany of every row the commit added (ids above ``since`` per table, audit
    rows and workflow events included) into a copy of ``before``, in one transaction."""
    src = sqlite3.connect(after)
    payload = []
    for table, last in since.items():
        cur = src.execute(f"SELECT * FROM {table} WHERE id > ?", (last,))
        cols = [d[0] for d in cur.description]
        payload.append((f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                        f"({', '.join('?' * len(cols))})", cur.fetchall()))
    src.close()
    copy = before.with_name("floor.db")
    shutil.copy(before, copy)
    dst = _connect(copy)
    t = time.perf_counter()
    dst.execute("BEGIN IMMEDIATE")
    for sql, rows in payload:
        dst.executemany(sql, rows)
    dst.execute("COMMIT")
    out = time.perf_counter() - t
    dst.close()
    return out


def update_floor(after: Path, before: Path, table: str, columns: list[str],
                 since: dict[str, int]) -> float:
    """Raw executemany of the UPDATEs the commit made (the changed columns with who/when),
    of its audit rows and of the import batch with its before-images, into a copy of
    ``before``."""
    since_audit = since["audit_log"]
    src = sqlite3.connect(after)
    cols = ["updated_at", "updated_by", *columns]
    ids = [r[0] for r in src.execute(
        "SELECT record_id FROM audit_log WHERE id > ? AND register = ? AND action = 'update'",
        (since_audit, table))]
    rows = {r[-1]: r for r in src.execute(f"SELECT {', '.join(cols)}, id FROM {table}")}
    params = [rows[i] for i in ids]
    audits = src.execute("SELECT at, actor, register, record_id, action, changes FROM "
                         "audit_log WHERE id > ?", (since_audit,)).fetchall()
    batches = []
    for name in ("import_batches", "import_batch_rows"):
        cur = src.execute(f"SELECT * FROM {name} WHERE id > ?", (since[name],))
        names = [d[0] for d in cur.description]
        batches.append((f"INSERT INTO {name} ({', '.join(names)}) VALUES "
                        f"({', '.join('?' * len(names))})", cur.fetchall()))
    src.close()
    copy = before.with_name("floor-u.db")
    shutil.copy(before, copy)
    dst = _connect(copy)
    t = time.perf_counter()
    dst.execute("BEGIN IMMEDIATE")
    dst.executemany(f"UPDATE {table} SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                    params)
    dst.executemany("INSERT INTO audit_log (at, actor, register, record_id, action, changes) "
                    "VALUES (?, ?, ?, ?, ?, ?)", audits)
    for sql, rows in batches:
        dst.executemany(sql, rows)
    dst.execute("COMMIT")
    out = time.perf_counter() - t
    dst.close()
    return out


def last_ids(db_path: Path, tables) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    out = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
           for t in tables}
    conn.close()
    return out


def make_households(path: Path, n: int, units: list[tuple[str, str]]) -> None:
    """A 户 sheet as a 社区 keeps it: 所属社区, 所属单元, 门牌/房号, 户主."""
    rng = random.Random(3)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("住户")
    ws.write_row(0, 0, ["所属社区", "所属单元", "门牌/房号", "户主"])
    for i in range(n):
        community, unit = units[i % len(units)]
        ws.write_row(i + 1, 0, [community, unit, f"B{i // len(units) + 1:04d}",
                                rng.choice("王李张刘陈杨") + rng.choice(["伟", "芳", "强", "敏"])])
    wb.close()


def make_mediation(path: Path, n: int, communities: list[str]) -> None:
    """A 调解 ledger: 受理日期, 社区, 纠纷类别, 申请人 with ID number, 纠纷简要情况."""
    from app.core.validators import id_check_digit
    rng = random.Random(5)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("调解登记")
    ws.write_row(0, 0, ["受理日期", "社区", "纠纷类别", "申请人姓名", "申请人公民身份号码",
                        "纠纷简要情况"])
    for i in range(n):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=i // 1000 * 97)  # unique with i % 1000
        first17 = f"320102{birth:%Y%m%d}{i % 1000:03d}"
        ws.write_row(i + 1, 0, [
            (dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)).isoformat(),
            communities[i % len(communities)], rng.choice(["邻里纠纷", "家庭纠纷", "物业纠纷"]),
            "申请人" + str(i), first17 + id_check_digit(first17), "楼上漏水，协商赔偿。"])
    wb.close()


def peak_mb() -> float:
    """This process's peak resident memory.  ``VmHWM`` belongs to the process image, unlike
    ``ru_maxrss``, which a child started by fork+exec inherits from its (larger) parent."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_only(db_path: str, src: str) -> None:
    """Child process: plan and commit one roster; prints peak RSS."""
    from app.excel.commit import commit_plan
    from app.excel.importer import plan_file
    from app.storage import Database
    db = Database(Path(db_path))
    plan = plan_file(db, "party_members", Path(src))
    after_plan = peak_mb()
    res = commit_plan(db, plan, system("bench"))
    rss = peak_mb()
    print(json.dumps({"created": res.created, "rss_mb": rss, "after_plan_mb": after_plan}))


def main(n: int = 50_000) -> None:
    from app.demo import build_demo
    from app.excel.commit import commit_plan
    from app.excel.importer import plan_file
    from app.services import records
    from app.storage import Database

    work = Path(tempfile.mkdtemp(prefix="bench_write_"))
    try:
        db = Database(work / "bench.db")
        db.actor = system("bench")
        build_demo(db, "community", seed=1, today=TODAY)
        orgs = [r["name"] for r in records.list_rows(db, "party_orgs")
                if r["org_type"] in ("党支部", "党总支")]
        communities = [r["name"] for r in records.list_rows(db, "communities")]
        comm_of_unit = {}
        for h in records.list_rows(db, "households"):
            comm_of_unit.setdefault(h["unit_id"], h["community_id__title"])
        units = [(comm_of_unit[r["id"]], r["label"]) for r in records.list_rows(db, "units")
                 if r["id"] in comm_of_unit]
        db.close()
        pristine = work / "pristine.db"
        shutil.copy(work / "bench.db", pristine)

        roster = work / "roster.xlsx"
        make_roster(roster, n, orgs)
        tables = ("people", "party_members", "audit_log", "import_batches", "import_batch_rows",
                  "households", "mediation_cases", "workflow_events")

        # 1. New members with their people.
        shutil.copy(pristine, work / "before.db")
        db = Database(work / "bench.db")
        plan = plan_file(db, "party_members", roster)
        since = last_ids(work / "bench.db", tables)
        res, t = timed(lambda: commit_plan(db, plan, system("bench")))
        del plan
        db.close()
        floor = min(insert_floor(work / "bench.db", work / "before.db",
                                 {k: since[k] for k in ("people", "party_members", "audit_log",
                                                        "import_batches", "import_batch_rows")})
                    for _ in range(2))
        print(f"党员花名册 {n:,} rows: commit {t:.2f} s ({res.created:,} members + "
              f"{res.people_created:,} people); raw executemany floor of the same rows, "
              f"audit and batch rows {floor:.2f} s; ratio {t / floor:.2f}× "
              f"({verdict(t / floor, GOAL_COMMIT)}; old bulk path ≈ 3.8×)")

        # 2. The roster re-sent with 工作单位 changed on every row: updates only.
        shutil.copy(work / "bench.db", work / "before-u.db")
        roster2 = work / "roster2.xlsx"
        make_roster(roster2, n, orgs, unit="某某新公司")
        db = Database(work / "bench.db")
        plan = plan_file(db, "party_members", roster2)
        since = last_ids(work / "bench.db", tables)
        res, t = timed(lambda: commit_plan(db, plan, system("bench")))
        del plan
        db.close()
        floor = min(update_floor(work / "bench.db", work / "before-u.db", "party_members",
                                 ["work_unit"], since) for _ in range(2))
        print(f"re-sent roster, {res.updated:,} updates: commit {t:.2f} s; raw floor (UPDATEs "
              f"+ audit rows + batch rows with before-images) {floor:.2f} s; ratio {t / floor:.2f}× "
              f"({verdict(t / floor, GOAL_COMMIT)})")

        # 3. 20,000 households and 5,000 mediation cases (row by row before this path).
        for label, key, count, make, arg, keys in (
                ("户", "households", 20_000, make_households, units,
                 ("households", "audit_log", "import_batches", "import_batch_rows")),
                ("调解", "mediation_cases", 5_000, make_mediation, communities,
                 ("people", "mediation_cases", "audit_log", "workflow_events",
                  "import_batches", "import_batch_rows"))):
            shutil.copy(pristine, work / "bench.db")
            shutil.copy(pristine, work / "before.db")
            src = work / f"{key}.xlsx"
            make(src, count, arg)
            db = Database(work / "bench.db")
            plan = plan_file(db, key, src)
            assert plan.counts["new"] == count, plan.counts
            since = last_ids(work / "bench.db", tables)
            res, t = timed(lambda: commit_plan(db, plan, system("bench")))
            del plan
            db.close()
            floor = min(insert_floor(work / "bench.db", work / "before.db",
                                     {k: since[k] for k in keys}) for _ in range(2))
            print(f"{label} {count:,} rows: commit {t:.2f} s ({t / count * 1e3:.3f} ms per row); "
                  f"raw floor {floor:.2f} s; ratio {t / floor:.2f}× "
                  f"({verdict(t / floor, GOAL_COMMIT)})")

        # 4. Peak memory of the whole 50,000-row import, alone in a fresh process.
        shutil.copy(pristine, work / "mem.db")
        out = subprocess.run([sys.executable, __file__, "--import-only", str(work / "mem.db"),
                              str(roster)], capture_output=True, text=True, check=True)
        mem = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"peak memory of the {n:,}-row import (plan + commit, own process): "
              f"{mem['rss_mb']:.0f} MB, {mem['after_plan_mb']:.0f} MB once planned "
              f"({verdict(mem['rss_mb'], GOAL_MEMORY_MB, ' MB')}; "
              f"before this path 793 MB for the whole bench_excel run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--import-only":
        import_only(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
