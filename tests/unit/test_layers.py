"""The layers hold: import-linter's contracts in pyproject.toml (ui → excel/printing/demo →
services → storage → registry → core; Qt only under app.ui), and no SQL write anywhere but
the services and storage (the one write path)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITE_SQL = re.compile(r"INSERT INTO|UPDATE [a-zA-Z_]+ SET|executemany\(|exec_driver_sql\("
                       r"|\.(insert|update|delete)\(\)|sa\.(insert|update|delete)\(")


def test_import_linter_contracts_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    # --no-cache: a cache left by an earlier run once hid a broken contract.
    run = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_no_sql_writes_outside_services_and_storage():
    found = []
    for path in (ROOT / "app").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("app/services/", "app/storage/")):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITE_SQL.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_no_register_key_literals_in_ui():
    """Register-specific behaviour is declared on the register, not keyed by name in views."""
    from app.registry import BY_KEY
    keys = "|".join(map(re.escape, BY_KEY))
    literal = re.compile(rf"""["']({keys})["']""")
    found = [f"{p.relative_to(ROOT).as_posix()}:{n}: {line.strip()}"
             for p in (ROOT / "app" / "ui").rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if literal.search(line)]
    assert not found, "\n".join(found)
