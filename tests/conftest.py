"""Shared fixtures: a fresh database file per test, and a community-scale demo database built
once per session and copied for each test that wants one."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The day the demo data is built for, so that tests are the same on any day.
DEMO_TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user data folder."""
    monkeypatch.setenv("TAIZHANG_HOME", str(tmp_path_factory.mktemp("home")))
    # The demo database's administrator: CLI commands sign in as it (tests that need
    # another account or none change these).
    monkeypatch.setenv("TAIZHANG_USER", "admin")
    monkeypatch.setenv("TAIZHANG_PASSWORD", "demo")
    monkeypatch.delenv("TAIZHANG_NEW_PASSWORD", raising=False)


@pytest.fixture(scope="session")
def admin_hash() -> str:
    """The argon2id hash of the tests' administrator password (hashed once: ≈0.1 s)."""
    from app.services.accounts import hash_password
    return hash_password("demo")


@pytest.fixture
def db(tmp_path, admin_hash):
    """A fresh database with the administrator ``admin``/``demo`` (as the demo has), the
    program signed in on it."""
    from app.services.access import SYSTEM
    from app.storage import Database
    from app.storage.schema import accounts
    database = Database(tmp_path / "test.db")
    with database.begin() as conn:
        conn.execute(accounts.insert().values(
            name="admin", role="管理员", password_hash=admin_hash, must_change=False,
            failed_count=0, created_at=dt.datetime(2026, 1, 1), created_by="admin"))
    database.actor = SYSTEM
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
    from app.services.access import SYSTEM
    database = Database(path)
    database.actor = SYSTEM
    yield database
    database.close()
