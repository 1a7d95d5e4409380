"""Opening the database file: engine with the SQLite settings, and schema migration.

This is the only module that knows it is talking to SQLite (the PRAGMAs and the file backup).
A missing database is created at the newest schema; an older one is backed up, then upgraded;
one made by a newer taizhang is refused with a message that says what to do.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ..paths import default_db_path, migrations_dir


class DatabaseError(Exception):
    """A database that cannot be opened; ``str(exc)`` is a Chinese message for the user."""


class DatabaseTooNew(DatabaseError):
    pass


def _on_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    sa.event.listen(engine, "connect", _on_connect)
    return engine


def alembic_config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_file(path: Path, label: str) -> Path:
    """A consistent copy of the database next to it (SQLite online backup)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.备份-{label}-{stamp}{path.suffix}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


class Database:
    """One database file.  ``begin()`` gives a connection inside one transaction (one user
    action); ``connect()`` a connection for reading.  Connections belong to one thread."""

    def __init__(self, path: Path | str | None = None, *, migrate: bool = True,
                 to_revision: str = "head") -> None:
        self.path = Path(path) if path else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(self.path)
        self.backup_path: Path | None = None
        if migrate:
            self._migrate(to_revision)

    # -- migration ---------------------------------------------------------------------------
    def _migrate(self, to_revision: str) -> None:
        script = ScriptDirectory.from_config(alembic_config())
        current = current_revision(self.engine)
        with self.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
        if current is None and tables - {"alembic_version"}:
            raise DatabaseError(
                f"文件 {self.path} 不是社区治理台账的数据库（里面已有其他表）。"
                "请选择正确的数据库文件，或换一个新文件名。")
        if current is not None:
            try:
                script.get_revision(current)
            except Exception:
                raise DatabaseTooNew(
                    f"数据库 {self.path.name} 由更新版本的社区治理台账创建（结构版本 {current}），"
                    "本程序无法打开。请安装最新版本后再打开；为保护数据，本程序未做任何修改。"
                ) from None
            if to_revision == "head" and current == script.get_current_head():
                return
            self.backup_path = backup_file(self.path, current)
        with self.engine.begin() as conn:
            command.upgrade(alembic_config(conn), to_revision)

    @property
    def revision(self) -> str | None:
        return current_revision(self.engine)

    # -- connections -------------------------------------------------------------------------
    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` and ``foreign_key_check``: [] when healthy."""
        problems: list[str] = []
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            if rows != ["ok"]:
                problems += rows
            for r in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(f"外键错误：表 {r[0]} 第 {r[1]} 行引用了不存在的 {r[2]}")
        return problems

    def integrity_result(self) -> str:
        with self.engine.connect() as conn:
            return "; ".join(r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check"))

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str | None = None) -> Database:
    return Database(path)


def file_is_empty(path: Path) -> bool:
    return not path.exists() or os.path.getsize(path) == 0
