"""Several PCs at once (issue 14): 8 clients against a local PostgreSQL server, each working
at a clerk's pace for 60 s — opening records, searching, saving forms, advancing steps,
registering cases and members — and one of them importing a 5,000-row 党员花名册 halfway.
Then the same run against the SQLite file (one writer at a time) for comparison.

Prints, per backend: operations per second; p50/p95 latency per operation; saves refused
because another client saved the record first (expected: the version check working);
deadlocks, serialization failures or busy timeouts retried; lost updates (goal 0: every
client increments shared counters read from a form, and the counters must end exactly as
many steps on as increments were saved); and whether the derived values are all right
afterwards (党员户 from the roll, 户数/常住人口 of 社区 and 小区 from the rows, each year's
案件编号 unique and consecutive, each workflow row's step the last one in its history).

Each client is a process of its own (its own engine and connections, as a PC would be).

Usage: ``PYTHONPATH=. python bench/bench_server.py [--server postgresql://user@host:port/db]
[--clients 8] [--seconds 60] [--import-rows 5000] [--no-sqlite]``.  Without ``--server`` a
throwaway cluster is started with ``.ci/pgcluster`` (Debian's postgresql package) and removed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTOR = __import__("app.services.access", fromlist=["system"]).system("bench")
TODAY = dt.date(2026, 11, 25)

#: Operation → weight: what a clerk does most.
OPS = {"open": 30, "search": 20, "increment": 15, "edit": 10, "advance": 10,
       "new_case": 5, "member": 5, "home": 5}
#: Seconds between two operations of one client (reading the screen, typing).
THINK = (0.15, 0.5)


# -- one client ----------------------------------------------------------------------------------

def _retryable(exc: BaseException) -> bool:
    """Deadlock, serialization failure, or SQLite's busy timeout: try the action again."""
    text = f"{type(exc).__name__} {getattr(exc, 'orig', '')} {exc}".lower()
    return any(w in text for w in ("deadlock", "serializ", "database is locked", "could not "
                                   "obtain lock"))


def client(n: int, location: str, seconds: float, import_file: str | None, out) -> None:
    sys.path.insert(0, str(ROOT))
    from app.services import records
    from app.services.errors import StaleRecord, ValidationError, WorkflowError
    from app.storage import Database
    rng = random.Random(1000 + n)
    db = Database(location)
    db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
    lat: dict[str, list[float]] = {k: [] for k in (*OPS, "import")}
    tally = {"stale": 0, "refused": 0, "retried": 0, "errors": 0, "increments": {}}
    people = [r["id"] for r in records.list_rows(db, "people")]
    members = [r["id"] for r in records.list_rows(db, "party_members")]
    # Shared counters: 社区社会组织 成员数 (a plain number, nothing derives it).
    counters = [r["id"] for r in records.list_rows(db, "social_orgs")][:3]
    compounds = records.list_rows(db, "compounds")
    orgs = [r["id"] for r in records.list_rows(db, "party_orgs")]
    community = records.list_rows(db, "communities")[0]["id"]
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    paused = [0.0]

    def pause(a: float, b: float) -> None:
        """The clerk at the open form: not counted in the operation's latency."""
        d = rng.uniform(a, b)
        time.sleep(d)
        paused[0] += d

    def open_():
        records.get(db, "people", rng.choice(people))

    def search():
        records.list_rows(db, "people", search=rng.choice(surnames), limit=200)

    def increment():
        # A form opened, a number changed by one, saved: the classic lost-update shape.
        cid = rng.choice(counters)  # three hot rows: clients do collide
        row = records.get(db, "social_orgs", cid)
        pause(0.1, 0.6)  # the form is open
        records.update(db, "social_orgs", cid,
                       {"members_count": (row["members_count"] or 0) + 1}, ACTOR,
                       version=row["version"])
        tally["increments"][cid] = tally["increments"].get(cid, 0) + 1

    def edit():
        mid = rng.choice(members)
        row = records.get(db, "party_members", mid)
        pause(0.1, 0.6)
        records.update(db, "party_members", mid, {"work_unit": f"单位{n}-{rng.randrange(99)}"},
                       ACTOR, version=row["version"])

    def advance():
        key = rng.choice(("mediation_cases", "consultations"))
        open_rows = records.list_rows(db, key, limit=400)
        open_rows = [r for r in open_rows if records.next_steps(db, key, r["step"])]
        if not open_rows:
            return
        row = rng.choice(open_rows)
        step = rng.choice(records.next_steps(db, key, row["step"]))
        done = max(row["step_date"] or TODAY, TODAY)
        records.advance(db, key, row["id"], step, ACTOR, done, version=row["version"])

    def new_case():
        records.create(db, "mediation_cases", {
            "community_id": community, "category": "邻里纠纷", "summary": f"客户端{n}登记",
            "applicant_id": rng.choice(people), "received_on": TODAY.isoformat()}, ACTOR)

    def member():
        if rng.random() < 0.5 and members:
            mid = rng.choice(members)
            row = records.get(db, "party_members", mid)
            if row["status"] == "在册":
                records.update(db, "party_members", mid, {"status": "转出",
                               "status_date": TODAY.isoformat()}, ACTOR,
                               version=row["version"])
                return
        pid = rng.choice(people)
        if records.list_rows(db, "party_members", filters={"person_id": pid}):
            return
        m = records.create(db, "party_members", {"person_id": pid, "org_id": rng.choice(orgs),
                                                 "joined_on": "2015-07-01"}, ACTOR)
        members.append(m["id"])

    def home():
        # A new 户 in a 小区 and its first resident: 小区/社区 户数 and 常住人口 follow.
        comp = rng.choice(compounds)
        h = records.create(db, "households", {"compound_id": comp["id"],
                                              "community_id": comp["community_id"],
                                              "room": f"新{n}-{rng.randrange(10**6)}"}, ACTOR)
        records.create(db, "people", {"name": f"新住户{n}", "household_id": h["id"],
                                      "community_id": comp["community_id"]}, ACTOR)

    def do_import():
        from app.excel.commit import commit_plan
        from app.excel.importer import plan_file
        plan = plan_file(db, "party_members", import_file)
        commit_plan(db, plan, ACTOR)

    fns = {"open": open_, "search": search, "increment": increment, "edit": edit,
           "advance": advance, "new_case": new_case, "member": member, "home": home}
    names, weights = list(OPS), list(OPS.values())
    start = time.perf_counter()
    deadline = start + seconds
    import_at = start + seconds / 2 if import_file else None
    while time.perf_counter() < deadline:
        if import_at is not None and time.perf_counter() >= import_at:
            op, fn, import_at = "import", do_import, None
        else:
            op = rng.choices(names, weights)[0]
            fn = fns[op]
        for _attempt in range(5):
            paused[0] = 0.0
            t0 = time.perf_counter()
            try:
                fn()
            except StaleRecord:
                tally["stale"] += 1
            except (WorkflowError, ValidationError):
                tally["refused"] += 1
            except Exception as exc:  # noqa: BLE001 - counted, retried when that is the cure
                if _retryable(exc):
                    tally["retried"] += 1
                    continue
                tally["errors"] += 1
                print(f"  client {n}: {op}: {type(exc).__name__}: {exc}"[:300], flush=True)
            lat[op].append(time.perf_counter() - t0 - paused[0])
            break
        time.sleep(rng.uniform(*THINK))
    db.close()
    out.put((n, lat, tally, time.perf_counter() - start))


# -- a run ---------------------------------------------------------------------------------------

def run(label: str, location: str, clients: int, seconds: float, import_file: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from app.services import records
    from app.storage import Database
    db = Database(location)
    db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
    before = {r["id"]: r["members_count"] or 0 for r in records.list_rows(db, "social_orgs")}
    db.close()
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=client, args=(i, location, seconds,
                                              str(import_file) if i == 0 else None, q))
             for i in range(clients)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - t0
    lat: dict[str, list[float]] = {}
    tally = {"stale": 0, "refused": 0, "retried": 0, "errors": 0}
    increments: dict[int, int] = {}
    for _n, l, t, _took in results:
        for op, xs in l.items():
            lat.setdefault(op, []).extend(xs)
        for k in tally:
            tally[k] += t[k]
        for cid, c in t["increments"].items():
            increments[cid] = increments.get(cid, 0) + c
    total = sum(len(xs) for xs in lat.values())
    print(f"\n== {label}: {clients} clients × {seconds:.0f} s ==")
    print(f"operations: {total:,} in {wall:.1f} s wall → {total / seconds:.1f} ops/s")
    print(f"{'operation':<10} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for op in (*OPS, "import"):
        xs = sorted(lat.get(op, []))
        if not xs:
            continue
        p50 = statistics.median(xs) * 1000
        p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))] * 1000
        print(f"{op:<10} {len(xs):>6} {p50:>8.1f} {p95:>8.1f} {xs[-1] * 1000:>8.1f}")
    print(f"saves refused as stale (another client saved first): {tally['stale']}")
    print(f"steps refused (already taken by another client): {tally['refused']}")
    print(f"deadlocks / serialization failures / busy timeouts retried: {tally['retried']}")
    print(f"unexpected errors: {tally['errors']}")
    lost, derived = verify(location, before, increments)
    print(f"lost updates: {lost}")
    print("derived values: " + ("all right" if not derived else "; ".join(derived)))


def verify(location: str, before: dict[int, int], increments: dict[int, int]
           ) -> tuple[int, list[str]]:
    """(lost updates, problems with derived values)."""
    import sqlalchemy as sa
    from app.services import hooks, records
    from app.storage import Database
    from app.storage.schema import TABLES, workflow_events
    db = Database(location)
    db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
    try:
        after = {r["id"]: r["members_count"] or 0 for r in records.list_rows(db, "social_orgs")}
        lost = sum(abs(before[c] + increments.get(c, 0) - after[c]) for c in before)
        problems = []
        with db.begin() as conn:
            # Recomputing from the rows changes nothing when every stored value was right.
            flips = hooks.refresh_party_households(conn)
            if flips:
                problems.append(f"党员户 wrong on {len(flips.ids['households'])} households")
            for owner in ("communities", "compounds"):
                wrong = hooks.refresh_totals(conn, owner)
                if wrong:
                    problems.append(f"{owner} totals wrong on {len(wrong.ids[owner])} rows")
            conn.rollback()
        with db.connect() as conn:
            t = TABLES["mediation_cases"]
            nos = [n for (n,) in conn.execute(sa.select(t.c.case_no)) if n]
            by_year: dict[str, list[int]] = {}
            for no in nos:
                year, _, seq = no.partition("-")
                by_year.setdefault(year, []).append(int(seq))
            for year, seqs in by_year.items():
                if len(seqs) != len(set(seqs)):
                    problems.append(f"案件编号 repeated in {year}")
                if year == str(TODAY.year) and sorted(seqs) != list(range(1, len(seqs) + 1)):
                    problems.append(f"案件编号 of {year} not consecutive")
            for key in ("mediation_cases", "consultations"):
                t = TABLES[key]
                e = workflow_events
                last = (sa.select(e.c.record_id, sa.func.max(e.c.id).label("last"))
                        .where(e.c.register == key).group_by(e.c.record_id).subquery())
                rows = conn.execute(sa.select(t.c.id, t.c.step, e.c.step)
                                    .join(last, last.c.record_id == t.c.id)
                                    .join(e, e.c.id == last.c.last)).all()
                wrong = [r for r in rows if r[1] != r[2]]
                if wrong:
                    problems.append(f"{key}: {len(wrong)} rows' step differs from history")
        return lost, problems
    finally:
        db.close()


# -- set-up --------------------------------------------------------------------------------------

def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", help="a PostgreSQL server's maintenance database address")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--import-rows", type=int, default=5000)
    ap.add_argument("--no-sqlite", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TAIZHANG_HOME", tempfile.mkdtemp(prefix="taizhang-bench-home-"))
    import sqlalchemy as sa
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_excel import make_roster
    from app.demo import build_demo
    from app.services import records
    from app.storage import Database
    from app.storage.move import move_to_server
    tmp = Path(tempfile.mkdtemp(prefix="taizhang-bench-"))
    cluster = None
    try:
        server = args.server
        if not server:
            # The cluster runs as an unprivileged user when we are root (initdb refuses
            # root): it must be able to reach its folder inside ours.
            tmp.chmod(0o755)
            cluster = tmp / "pg"
            server = subprocess.run([str(ROOT / ".ci" / "pgcluster"), "start", str(cluster),
                                     str(free_port())], check=True, capture_output=True,
                                    text=True).stdout.strip()
        demo = tmp / "demo.db"
        t0 = time.perf_counter()
        db = Database(demo)
        db.actor = __import__("app.services.access", fromlist=["system"]).system("bench")
        build_demo(db, "community", seed=1, today=TODAY)
        orgs = [r["name"] for r in records.list_rows(db, "party_orgs",
                                                      filters={"org_type": "党支部"})]
        db.close()
        roster = tmp / "roster.xlsx"
        make_roster(roster, args.import_rows, orgs)
        print(f"demo data (2 社区, 2,400 people) and a {args.import_rows:,}-row roster: "
              f"{time.perf_counter() - t0:.1f} s")
        admin = sa.create_engine(sa.engine.make_url(server).set(drivername="postgresql+psycopg"),
                                 isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        name = f"taizhang_bench_{os.getpid()}"
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            c.exec_driver_sql(f"CREATE DATABASE {name}")
        url = (sa.engine.make_url(server).set(database=name)
               .render_as_string(hide_password=False))
        moved = move_to_server(demo, url)
        print(f"moved to the server with every table verified: {moved.ok} "
              f"({moved.rows:,} rows, {moved.seconds:.1f} s)")
        copy = tmp / "sqlite.db"
        shutil.copyfile(demo, copy)
        for suffix in ("-wal", "-shm"):
            if Path(f"{demo}{suffix}").exists():
                shutil.copyfile(f"{demo}{suffix}", f"{copy}{suffix}")
        run("PostgreSQL (row locks, advisory locks for derived values)", url, args.clients,
            args.seconds, roster)
        if not args.no_sqlite:
            run("SQLite (one writer at a time: BEGIN IMMEDIATE)", str(copy), args.clients,
                args.seconds, roster)
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
    finally:
        if cluster is not None:
            subprocess.run([str(ROOT / ".ci" / "pgcluster"), "stop", str(cluster)])
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
