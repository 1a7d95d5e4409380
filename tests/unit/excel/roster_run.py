"""Helpers of the tests that run a large CLI import in a process of its own and interrupt
it (kill -9, Ctrl+C): a generated 党员花名册, the database's state, the moment the commit
starts."""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import xlsxwriter

from tests.data.ids import check_char

ROOT = Path(__file__).resolve().parents[3]
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
