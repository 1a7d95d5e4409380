"""kill -9 in the middle of committing a large import: the database file is never damaged
and holds either none or all of the import, never part of it.

A 20,000-member roster is imported by the CLI (``--apply``) into copies of the demo
database.  A first run measures when the commit starts (the first bytes in the WAL; the plan
before it only reads) and how long it lasts; then each run is killed with SIGKILL at its own
moment spread over that commit, a few before it and a few at its very end.  After each,
``PRAGMA integrity_check`` is ``ok`` and the members and import batches are exactly the
before or the after state.
"""

from __future__ import annotations

import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .roster_run import make_roster, start_import, state, wait_for_commit

ROWS = 20_000
#: Moments spread over the first 90 % of the commit (a run a little faster than the
#: measuring one still ends after them), and a few before it and at its end.
DURING = 24


@pytest.mark.slow
def test_kill_9_during_a_large_commit_leaves_all_or_nothing(demo_db_template, sqlite_only,
                                                           tmp_path, tmp_path_factory, capsys):
    from app.services import records
    from app.storage import Database
    started = time.perf_counter()
    base = tmp_path / "base.db"
    shutil.copyfile(demo_db_template, base)
    db = Database(base)
    from app.services.access import system
    db.actor = system("测试")
    orgs = [r["name"] for r in records.list_rows(db, "party_orgs")][1:]
    db.close()
    roster = make_roster(tmp_path / "roster.xlsx", ROWS, orgs)
    home, pycache = tmp_path / "home", tmp_path_factory.getbasetemp() / "pycache"
    home.mkdir()
    check, members0, people0, batches0 = state(base)
    assert check == "ok"

    # The full run: when the commit starts and how long it takes, and the after state.
    full = tmp_path / "full.db"
    shutil.copyfile(base, full)
    proc = start_import(full, roster, home, pycache)
    t0 = wait_for_commit(proc, full)
    assert t0 is not None, proc.stderr.read().decode()
    _out, err = proc.communicate(timeout=300)
    commit = time.monotonic() - t0
    assert proc.returncode == 0, err.decode()
    after = state(full)
    assert after[0] == "ok" and after[1] == members0 + ROWS and after[3] == batches0 + 1
    before = ("ok", members0, people0, batches0)

    # (label, seconds after the commit's start; negative: while planning)
    moments = [("plan", -0.5), ("plan", -0.05)] + \
        [("commit", 0.9 * commit * (i + 0.5) / DURING) for i in range(DURING)] + \
        [("end", commit * 0.995), ("end", commit * 1.02)]

    def one(item):
        i, (label, at) = item
        path = tmp_path / f"k{i:02d}.db"
        shutil.copyfile(base, path)
        proc = start_import(path, roster, home, pycache)
        if at < 0:
            # Before the commit: time the plan from the process start instead.
            time.sleep(max(0.0, plan_time + at))
            t = None
        else:
            t = wait_for_commit(proc, path)
            if t is not None:
                time.sleep(max(0.0, t + at - time.monotonic()))
        alive = proc.poll() is None
        if alive:
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        return label, at, alive, state(path)

    plan_time = 2.0  # a lower bound: the plan of 20,000 rows takes longer than this
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, enumerate(moments)))
    killed_in_commit = 0
    lines = []
    problems = []
    for label, at, alive, st in results:
        outcome = "before" if st == before else "after" if st == after else "PARTIAL"
        lines.append(f"  {label:6s} {at:+6.2f} s  {'killed' if alive else 'ended '}  "
                     f"integrity={st[0]}  members={st[1]}  batches={st[3]}  → {outcome}")
        if st[0] != "ok" or outcome == "PARTIAL":
            problems.append(lines[-1])
        if alive and label == "commit":
            killed_in_commit += 1
    with capsys.disabled():
        print(f"\nkill -9: commit of {ROWS:,} rows took {commit:.2f} s; "
              f"{len(results)} runs in {time.perf_counter() - started:.0f} s")
        print("\n".join(lines))
    assert not problems, "\n".join(problems)
    assert killed_in_commit >= 20, f"only {killed_in_commit} kills landed during the commit"
