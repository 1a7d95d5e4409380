"""Shared fixtures: a fresh database file per test, and a community-scale demo database built
once per session and copied for each test that wants one."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests: a bounded number of examples so the suite keeps its time on CI's two cores
# (also under faketime); no per-example deadline (a slow shared machine is not a failure).
# HYPOTHESIS_PROFILE=thorough explores more on a developer's machine.
settings.register_profile("ci", max_examples=60, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: The day the demo data is built for, so that tests are the same on any day.
DEMO_TODAY = dt.date(2026, 11, 25)


def in_ci() -> bool:
    """CI sets CI=true: there every external tool the tests use must be installed."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_tool(tool: str, package: str) -> None:
    """Skip the calling test on a developer's machine without ``tool``, but fail it in CI: a
    missing install step must not turn 40 tests into silent skips."""
    if shutil.which(tool) is None:
        message = f"{tool} not found (Debian package {package})"
        if in_ci():
            pytest.fail(f"CI=true but {message}: .ci/run must install it", pytrace=False)
        pytest.skip(message)


def pytest_runtest_setup(item):
    """``@pytest.mark.needs_tool("pdftotext", "poppler-utils")``: :func:`require_tool`."""
    for mark in item.iter_markers("needs_tool"):
        require_tool(*mark.args)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user data folder."""
    monkeypatch.setenv("TAIZHANG_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def db(tmp_path):
    from app.storage import Database
    database = Database(tmp_path / "test.db")
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    from app.demo import build_demo
    from app.storage import Database
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database(path)
    build_demo(database, "community", seed=1, today=DEMO_TODAY)
    database.close()
    # Fold the WAL into the main file so a plain file copy is complete.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


@pytest.fixture
def demo_db(demo_db_template, tmp_path):
    from app.storage import Database
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_db_template, path)
    database = Database(path)
    yield database
    database.close()
