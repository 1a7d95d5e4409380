"""Shared fixtures: a fresh database file per test, and a community-scale demo database built
once per session and copied for each test that wants one.

With ``TAIZHANG_TEST_PG=postgresql://user@host:port/maintenance_db`` set, the same fixtures
give PostgreSQL databases on that server instead (issue 14): each test gets a database of its
own, created from a migrated template (and the demo from a demo template), dropped afterwards.
Tests that are about the SQLite file itself ask for ``sqlite_only``.
"""

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


#: The PostgreSQL server the suite runs against, or None for SQLite files.
PG_SERVER = os.environ.get("TAIZHANG_TEST_PG") or None


def pytest_report_header(config):
    return f"database backend: {'PostgreSQL ' + PG_SERVER if PG_SERVER else 'SQLite'}"


class PgDatabases:
    """Creates and drops databases on the test server (AUTOCOMMIT: CREATE DATABASE cannot run
    in a transaction).  Names carry the process id so that two runs never collide."""

    def __init__(self, server: str) -> None:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url
        self.sa = sa
        self.base = make_url(server).set(drivername="postgresql+psycopg")
        self.admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT",
                                      poolclass=sa.pool.NullPool)
        self.n = 0

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None, prefix: str = "t") -> str:
        self.n += 1
        name = f"tz_{prefix}_{os.getpid()}_{self.n}"
        tpl = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.exec_driver_sql(f"CREATE DATABASE {name}{tpl}")
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def pg_databases():
    if not PG_SERVER:
        pytest.skip("needs TAIZHANG_TEST_PG (a PostgreSQL server)")
    dbs = PgDatabases(PG_SERVER)
    yield dbs
    dbs.admin.dispose()


@pytest.fixture
def sqlite_only():
    """For tests of the SQLite file itself (PRAGMAs, file copies, damaged files)."""
    if PG_SERVER:
        pytest.skip("about the SQLite file")


@pytest.fixture
def pg_only():
    if not PG_SERVER:
        pytest.skip("needs TAIZHANG_TEST_PG (a PostgreSQL server)")


@pytest.fixture(scope="session")
def _pg_empty_template(request):
    """A migrated, empty database to copy for each test (CREATE DATABASE … TEMPLATE)."""
    from app.storage import Database
    dbs = request.getfixturevalue("pg_databases")
    name = dbs.create(prefix="empty")
    Database(dbs.url(name)).close()
    yield name
    dbs.drop(name)


@pytest.fixture
def new_db_location(request, tmp_path):
    """Where a new, empty (migrated) database for this test lives: a file path, or on the
    test server a database's address."""
    if not PG_SERVER:
        yield tmp_path / "test.db"
        return
    dbs = request.getfixturevalue("pg_databases")
    name = dbs.create(request.getfixturevalue("_pg_empty_template"))
    yield dbs.url(name)
    dbs.drop(name)


@pytest.fixture
def db(new_db_location):
    from app.storage import Database
    database = Database(new_db_location)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory, request):
    from app.demo import build_demo
    from app.storage import Database
    if PG_SERVER:
        dbs = request.getfixturevalue("pg_databases")
        name = dbs.create(prefix="demo")
        database = Database(dbs.url(name))
        build_demo(database, "community", seed=1, today=DEMO_TODAY)
        database.close()
        yield name
        dbs.drop(name)
        return
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database(path)
    build_demo(database, "community", seed=1, today=DEMO_TODAY)
    database.close()
    # Fold the WAL into the main file so a plain file copy is complete.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    yield path


def copy_database(template, tmp_path: Path, request, filename: str = "demo.db"):
    """A copy of a template database (file or server database) for one test; the copy's
    location, and a function that removes it (nothing to do for files)."""
    if PG_SERVER:
        dbs = request.getfixturevalue("pg_databases")
        name = dbs.create(template)
        return dbs.url(name), (lambda: dbs.drop(name))
    path = tmp_path / filename
    shutil.copyfile(template, path)
    return path, (lambda: None)


@pytest.fixture
def demo_db(demo_db_template, tmp_path, request):
    from app.storage import Database
    location, remove = copy_database(demo_db_template, tmp_path, request)
    database = Database(location)
    yield database
    database.close()
    remove()
