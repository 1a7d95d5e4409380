"""The hostile corpus (:mod:`.hostile`), each file imported with ``taizhang import … --apply``
in a process of its own: refused with a Chinese message that names the file and says what is
wrong, exit status 1, no traceback, nothing written, and the process's peak memory bounded."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import add_admin

from . import hostile

ROOT = Path(__file__).resolve().parents[3]
#: Peak resident memory allowed to the whole import process refusing one file (the
#: interpreter with the app loaded is ~100 MB of it); the goal for any import is 500 MB.
PEAK_MB = 200


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        # The command's sign-in is logged (audit_log "login"): everything else must stay.
        return {t: con.execute(f'SELECT count(*) FROM "{t}"' + (
            " WHERE action <> 'login'" if t == "audit_log" else "")).fetchone()[0]
            for t in tables}
    finally:
        con.close()


#: The child: ``taizhang import`` (the Excel commands' own entry, without the window's and the
#: statistics' imports), then its own peak resident memory.  ``VmHWM`` is this process's
#: high-water mark since exec; ``ru_maxrss`` of a child would count the forked pytest too.
CHILD = """
import sys
from app.excel.cli import main
try:
    rc = main(sys.argv[2:])
finally:
    with open("/proc/self/status") as fh:
        hwm = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
    with open(sys.argv[1], "w") as fh:
        fh.write(hwm)
sys.exit(rc)
"""


def child_env(home: Path, pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
            "TAIZHANG_HOME": str(home), "PYTHONPYCACHEPREFIX": str(pycache)}


def run_import(path: Path, db: Path, home: Path, pycache: Path, register: str = "people"):
    """(exit status, stderr, peak RSS in MB, seconds) of one CLI import in a new process."""
    tag = f"{path.name}.{time.monotonic_ns()}"
    err, peak = home / f"{tag}.err", home / f"{tag}.peak"
    start = time.perf_counter()
    with open(os.devnull, "wb") as out, err.open("wb") as fh:
        rc = subprocess.run([sys.executable, "-c", CHILD, str(peak), "--db", str(db),
                             "import", register, str(path), "--apply"], stdout=out,
                            stderr=fh, cwd=ROOT, env=child_env(home, pycache),
                            timeout=120).returncode
    return (rc, err.read_text("utf-8", "replace"), int(peak.read_text()) / 1024,
            time.perf_counter() - start)


@pytest.fixture(scope="module")
def fresh_db(tmp_path_factory):
    from app.storage import Database
    path = tmp_path_factory.mktemp("hostile_db") / "base.db"
    db = Database(path)
    add_admin(db)  # the CLI signs in as admin/demo
    db.close()
    return path


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_hostile_corpus_is_refused_with_bounded_memory(tmp_path, tmp_path_factory, fresh_db,
                                                      capsys):
    assert len(hostile.CORPUS) >= 40
    started = time.perf_counter()
    folder = tmp_path / "corpus"
    folder.mkdir()
    cases = []
    for i, (maker, words) in enumerate(hostile.CORPUS):
        d = folder / f"{i:02d}"
        d.mkdir()
        cases.append((maker.__name__[5:], maker(d), words, i))
    built = time.perf_counter() - started
    home = tmp_path / "home"
    home.mkdir()
    pycache = tmp_path_factory.getbasetemp() / "pycache"
    before = _counts(fresh_db)

    def one(case):
        kind, path, words, i = case
        db = tmp_path / f"db{i:02d}.db"
        shutil.copy(fresh_db, db)
        rc, err, peak, secs = run_import(path, db, home, pycache)
        return kind, path, words, rc, err, peak, secs, _counts(db)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, cases))
    problems = []
    with capsys.disabled():
        print(f"\nhostile corpus: {len(cases)} files built in {built:.1f} s")
    for kind, path, words, rc, err, peak, secs, counts in results:
        line = err.strip().splitlines()[-1] if err.strip() else ""
        with capsys.disabled():
            print(f"  {kind:32s} rc={rc} peak={peak:6.1f} MB {secs:4.1f} s  {line[:70]}")
        if rc != 1:
            problems.append(f"{kind}: exit {rc}: {err[-300:]}")
        if "Traceback" in err or not line.startswith("错误："):
            problems.append(f"{kind}: not one clear message: {err[-500:]}")
        if path.name not in err:
            problems.append(f"{kind}: the message does not name {path.name}: {line}")
        if not any(w in err for w in words.split("|")):
            problems.append(f"{kind}: expected {words!r} in: {line}")
        if peak > PEAK_MB:
            problems.append(f"{kind}: peak memory {peak:.0f} MB > {PEAK_MB} MB")
        if counts != before:
            problems.append(f"{kind}: the database changed: {counts} != {before}")
    with capsys.disabled():
        print(f"hostile corpus: {time.perf_counter() - started:.1f} s in all; largest peak "
              f"{max(r[5] for r in results):.0f} MB")
    assert not problems, "\n".join(problems)
