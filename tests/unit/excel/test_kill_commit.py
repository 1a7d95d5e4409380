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

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import xlsxwriter

from tests.data.ids import check_char

ROOT = Path(__file__).resolve().parents[3]
ROWS = 20_000
#: Moments spread over the first 90 % of the commit (a run a little faster than the
#: measuring one still ends after them), and a few before it and at its end.
DURING = 24
HEADERS = ["序号", "姓名", "性别", "出生日期", "公民身份号码", "联系电话", "学历", "所在党组织",
           "党员类别", "入党日期", "党员身份", "状态"]


def make_roster(path: Path, n: int, orgs: list[str], seed: int = 11) -> Path:
    """A district-style 党员花名册 of ``n`` distinct members (title, header, data rows)."""
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("党员花名册")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_string(0, 0, "某某街道党员花名册")
    ws.write_row(1, 0, HEADERS)
    used: set[str] = set()
    for i in range(n):
        while True:
            birth = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(0, 55 * 365))
            first17 = f"310104{birth:%Y%m%d}{rng.randrange(1000):03d}"
            if first17 not in used:
                used.add(first17)
                break
        r = 2 + i
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, "赵钱孙李周吴郑王"[i % 8] + "一二三四五六七八"[(i // 8) % 8] + str(i))
        ws.write_string(r, 2, "男" if int(first17[-1]) % 2 else "女")
        ws.write_datetime(r, 3, birth, date_fmt)
        ws.write_string(r, 4, first17 + check_char(first17))
        ws.write_string(r, 5, f"139{rng.randrange(10**8):08d}")
        ws.write_string(r, 6, rng.choice(("大学本科", "大学专科", "高中")))
        ws.write_string(r, 7, orgs[i % len(orgs)])
        ws.write_string(r, 8, "正式党员")
        ws.write_datetime(r, 9, birth + dt.timedelta(days=365 * 22), date_fmt)
        ws.write_string(r, 10, "社区党员")
        ws.write_string(r, 11, "在册")
    wb.close()
    return path


def state(db: Path) -> tuple[str, int, int, int]:
    """(integrity_check, members, people, import batches) of a database file."""
    con = sqlite3.connect(db)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        members, people, batches = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                    for t in ("party_members", "people", "import_batches"))
        return check, members, people, batches
    finally:
        con.close()


def start_import(db: Path, roster: Path, home: Path, pycache: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", TAIZHANG_HOME=str(home),
               PYTHONPYCACHEPREFIX=str(pycache))
    return subprocess.Popen([sys.executable, "-m", "app.excel.cli", "--db", str(db), "import",
                             "party_members", str(roster), "--apply"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_commit(proc: subprocess.Popen, db: Path, limit: float = 120.0) -> float | None:
    """The moment the first page reaches the WAL (the commit has begun), or None if the
    process ended first."""
    wal = Path(f"{db}-wal")
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            if wal.stat().st_size > 0:
                return time.monotonic()
        except FileNotFoundError:
            pass
        if proc.poll() is not None:
            return None
        time.sleep(0.002)
    raise AssertionError("the import did not start writing within the limit")


@pytest.mark.slow
def test_kill_9_during_a_large_commit_leaves_all_or_nothing(demo_db_template, sqlite_only,
                                                           tmp_path, tmp_path_factory, capsys):
    from app.services import records
    from app.storage import Database
    started = time.perf_counter()
    base = tmp_path / "base.db"
    shutil.copyfile(demo_db_template, base)
    db = Database(base)
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
