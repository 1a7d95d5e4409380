"""Qt lives only under app/ui/: no other module imports it, and the headless commands work
with PySide6 not importable at all."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_qt_import_outside_app_ui():
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[:2] == ("app", "ui"):
            continue
        for name in _imports(path):
            if name.split(".")[0] in QT_MODULES:
                offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_the_boundary_check_would_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import Qt\n", encoding="utf-8")
    assert "PySide6.QtCore" in list(_imports(bad))


def _run_without_qt(tmp_path, *args):
    """Run ``python -m app ARGS`` where importing PySide6 fails."""
    blocker = tmp_path / "blocker"
    (blocker / "PySide6").mkdir(parents=True, exist_ok=True)
    (blocker / "PySide6" / "__init__.py").write_text(
        "raise ImportError('PySide6 is blocked for this test')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocker), str(ROOT)]),
           "TAIZHANG_HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_headless_commands_work_without_pyside6(tmp_path):
    db = str(tmp_path / "x.db")
    r = _run_without_qt(tmp_path, "demo", "--db", db)
    assert r.returncode == 0, r.stderr
    r = _run_without_qt(tmp_path, "check", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "party_members\t党员\t" in r.stdout
    r = _run_without_qt(tmp_path, "registers")
    assert r.returncode == 0 and "mediation_cases" in r.stdout
    r = _run_without_qt(tmp_path, "stats", "--db", db, "--json")
    assert r.returncode == 0 and '"party"' in r.stdout, r.stderr


def test_gui_without_pyside6_says_so(tmp_path):
    r = _run_without_qt(tmp_path, "--db", str(tmp_path / "y.db"))
    assert r.returncode != 0
    assert "图形界面" in r.stderr
