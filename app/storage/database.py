"""Opening the database file: engine with the SQLite settings, and schema migration.

This is the only module that knows it is talking to SQLite (the PRAGMAs and the file backup).
A missing database is created at the newest schema; an older one is backed up, then upgraded;
one made by a newer taizhang is refused with a message that says what to do.  A server address
(``postgresql://…``) opens the same way through :mod:`.pg`.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import re
from functools import lru_cache

import sqlalchemy as sa

from ..paths import default_db_path, migrations_dir
from . import pg, probe

log = logging.getLogger(__name__)


class DatabaseError(Exception):
    """A database that cannot be opened; ``str(exc)`` is a Chinese message for the user."""


class DatabaseTooNew(DatabaseError):
    pass


class DatabaseReadOnly(DatabaseError):
    """The file (or its folder) cannot be written."""


def read_only_message(path: Path) -> str:
    return (f"数据库文件 {path} 是只读的（或它所在的文件夹不可写，例如只读的 U 盘或光盘）："
            "不能修改数据。请把文件复制到可写的位置，或取消文件的只读属性后再打开。")


class DatabaseLocked(DatabaseError):
    """An encrypted file whose key has not been unlocked (sign in, or the recovery key)."""


def locked_message(path: Path) -> str:
    return (f"数据库 {path.name} 已加密：请先用账号和密码登录，或输入恢复密钥。")


class DatabaseDamaged(DatabaseError):
    """``quick_check`` failed: the file is left exactly as it is."""


def _on_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(path: Path, key: bytes | None = None) -> sa.Engine:
    """The engine of a database file; with ``key``, through SQLCipher (the key is the first
    statement on every new connection, before the PRAGMAs above)."""
    if key is None:
        engine = sa.create_engine(f"sqlite:///{path}", future=True)
    else:
        from . import cipher
        engine = sa.create_engine(
            f"sqlite:///{path}", future=True, module=cipher.module(),
            creator=lambda: cipher.connect(path, key, check_same_thread=False))
    sa.event.listen(engine, "connect", _on_connect)
    return engine


def begin_write(conn: sa.Connection) -> None:
    """Take SQLite's write lock at the start of a write transaction (BEGIN IMMEDIATE) rather
    than at its first write: what it reads to decide (the year's last 案件编号, a row's version,
    who lives in a household) cannot change before it commits.  Writers queue on busy_timeout;
    readers are not blocked (WAL)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(connection: sa.Connection | None = None):
    from alembic.config import Config  # imported only when a migration runs (start-up time)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def known_revisions() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files as text.

    Deciding whether a database needs migrating happens at every start; reading a few small
    files is much cheaper than importing Alembic, which is loaded only to actually migrate."""
    out: dict[str, str | None] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        rev = re.search(r"""^revision\s*=\s*["']([^"']+)["']""", text, re.M)
        down = re.search(r"""^down_revision\s*=\s*(None|["']([^"']+)["'])""", text, re.M)
        if rev and down:
            out[rev.group(1)] = down.group(2)
    return out


def head_revision() -> str:
    revs = known_revisions()
    parents = {d for d in revs.values() if d}
    heads = [r for r in revs if r not in parents]
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {heads}")
    return heads[0]


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def backup_file(path: Path, label: str) -> Path:
    """A consistent copy of the database next to it (SQLite online backup to a temporary
    file, checked, then renamed)."""
    from .backup import copy_database
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.备份-{label}-{stamp}{path.suffix}")
    return copy_database(path, target)


def snapshot(path: Path, target: Path, *, read_only: bool = True) -> Path:
    """A consistent copy of the database file ``path`` at ``target`` (SQLite online backup:
    complete even while another window writes).  ``read_only``: opened read-only, so that not
    even a checkpoint at close rewrites ``path`` (used by ``move-to``)."""
    from . import cipher, keyslots
    # An encrypted file's snapshot stays encrypted under the same key, its slots beside it.
    key = keyslots.key_for(path) if cipher.is_encrypted(path) else None
    if key is not None:
        keyslots.copy(path, target)
        src = cipher.connect(path, key, read_only=read_only)
    elif read_only:
        src = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    else:
        src = sqlite3.connect(path)
    try:
        dst = cipher.open_any(target, key)
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
                 to_revision: str = "head", check: bool = True,
                 password: str | None = None, key: bytes | None = None,
                 encrypt: bool = False) -> None:
        """``key``: the data key of an encrypted file (else the one unlocked for it in this
        process, :func:`keyslots.key_for`).  ``encrypt``: a file that does not exist yet is
        created encrypted under a new key when SQLCipher is available; its recovery key is
        then in ``recovery_code`` (to be shown once).  Existing files keep what they are."""
        self.backup_path: Path | None = None
        self.url = None
        self.key: bytes | None = None
        self.recovery_code: str | None = None
        #: The signed-in account (``app.services.access.Actor``) the services read and write
        #: for; None until someone signs in, and then every read is refused.
        self.actor = None
        if pg.is_server_address(path):
            self.url = pg.parse(str(path), password)
            self.path = None
            self.engine = pg.make_engine(self.url)
        else:
            self.path = Path(path) if path else default_db_path()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Every way the file can be wrong gets its own message, before SQLite touches it
            # (which would, for a 0-byte file, silently make a fresh database of it).
            bad = probe.problem(self.path, must_exist=False)
            if bad is not None:
                raise DatabaseError(str(bad))
            self.key = self._file_key(key, encrypt)
            if check and self.path.exists():
                findings = probe.quick_check(self.path, key=self.key)
                if findings:
                    from .backup import list_backups
                    raise DatabaseDamaged(probe.damaged_message(
                        self.path, findings, [(f"{w:%Y-%m-%d %H:%M}", p)
                                              for w, p in list_backups(self.path)]))
            self.engine = make_engine(self.path, self.key)
        if migrate:
            try:
                self._migrate(to_revision)
            except BaseException:
                self.engine.dispose()  # refused: no connection left open behind it
                raise

    def _file_key(self, key: bytes | None, encrypt: bool) -> bytes | None:
        from . import cipher, keyslots
        if not self.path.exists():
            if not encrypt:
                return None
            if not cipher.available():
                log.warning("new database %s stored unencrypted: no SQLCipher", self.path)
                return None
            if keyslots.exists(self.path):
                # The slots of a file no longer here: kept aside, never overwritten.
                stale = keyslots.sidecar(self.path)
                stale.replace(stale.with_name(
                    f"{stale.name}.旧-{dt.datetime.now():%Y%m%d-%H%M%S}"))
            key = keyslots.new_key()
            self.recovery_code = keyslots.create(self.path, key)
            keyslots.remember(key)
            log.info("new encrypted database %s", self.path)
            return key
        if not cipher.is_encrypted(self.path):
            return None
        if not cipher.available():
            raise DatabaseError(f"数据库 {self.path.name} 已加密，但{cipher.UNAVAILABLE}"
                                "这台电脑无法打开它。")
        try:
            key = key or keyslots.key_for(self.path)
        except keyslots.KeySlotError as exc:
            raise DatabaseError(str(exc)) from None
        if key is None:
            raise DatabaseLocked(locked_message(self.path))
        return key

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def encrypt_in_place(self, admin: str, password: str, *, progress=None, cancelled=None):
        """Convert this plain file to an encrypted one (:func:`encryption.convert`, with its
        ``progress`` and ``cancelled``) and go on with the same object under the new key.
        The caller holds the writer lock; nothing else may have the file open.  Returns the
        :class:`encryption.Conversion`."""
        from . import encryption, keyslots
        self.engine.dispose()
        try:
            done = encryption.convert(self.path, admin, password, progress=progress,
                                      cancelled=cancelled)
        finally:
            self.key = keyslots.key_for(self.path) if self.path.exists() else None
            self.engine = make_engine(self.path, self.key)
        return done

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def name(self) -> str:
        """Short name for titles: the file name, or ``dbname@host``."""
        return pg.short_name(self.url) if self.url is not None else self.path.name

    @property
    def location(self) -> str:
        """Where the data is, as shown and remembered: the file path, or the server address
        without its password."""
        return pg.display(self.url) if self.url is not None else str(self.path)

    # -- migration ---------------------------------------------------------------------------
    def _migrate(self, to_revision: str) -> None:
        if self.url is not None:
            return self._migrate_server(to_revision)
        try:
            current = current_revision(self.engine)
            with self.engine.connect() as conn:
                tables = set(sa.inspect(conn).get_table_names())
        except sa.exc.DatabaseError as exc:
            if self.path.exists() and probe.read_only(self.path):
                raise DatabaseReadOnly(read_only_message(self.path)) from None
            raise DatabaseError(
                f"无法打开 {self.path}：它不是数据库文件，或已经损坏（{exc.orig}）。"
                "请选择正确的文件；如有备份，可用备份文件替换。") from None
        if current is None and tables - {"alembic_version"}:
            raise DatabaseError(
                f"文件 {self.path} 不是社区治理台账的数据库（里面已有其他表）。"
                "请选择正确的数据库文件，或换一个新文件名。")
        if current is not None:
            if current not in known_revisions():
                raise DatabaseTooNew(
                    f"数据库 {self.path.name} 由更新版本的社区治理台账创建（结构版本 {current}），"
                    "本程序无法打开。请安装最新版本后再打开；为保护数据，本程序未做任何修改。")
            if to_revision == "head" and current == head_revision():
                return
            if probe.read_only(self.path):
                raise DatabaseReadOnly(read_only_message(self.path) +
                                       "（这个文件需要先升级到新版本的结构。）")
            self.backup_path = backup_file(self.path, current)
        from alembic import command
        with self.engine.begin() as conn:
            command.upgrade(alembic_config(conn), to_revision)

    def _migrate_server(self, to_revision: str) -> None:
        """The same checks and migrations on a server; the PCs that start together take turns
        (a schema lock), and a failed migration leaves nothing behind (PostgreSQL's DDL is
        transactional).  An upgrade is preceded by a pg_dump when the tool is installed."""
        where = pg.display(self.url)
        try:
            with self.engine.begin() as conn:
                pg.migration_lock(conn)
                current = (conn.execute(sa.text("SELECT version_num FROM alembic_version"))
                           .scalar() if sa.inspect(conn).has_table("alembic_version")
                           else None)
                tables = set(sa.inspect(conn).get_table_names())
                if current is None and tables - {"alembic_version"}:
                    raise DatabaseError(
                        f"服务器上的数据库 {where} 不是社区治理台账的数据库（里面已有其他表）。"
                        "请换一个数据库名。")
                if current is not None:
                    if current not in known_revisions():
                        raise DatabaseTooNew(
                            f"服务器上的数据库 {where} 由更新版本的社区治理台账创建（结构版本 "
                            f"{current}），本程序无法打开。请安装最新版本后再打开；"
                            "为保护数据，本程序未做任何修改。")
                    if to_revision == "head" and current == head_revision():
                        return
                    self.backup_path = self._server_backup(current)
                from alembic import command
                command.upgrade(alembic_config(conn), to_revision)
        except sa.exc.OperationalError as exc:
            raise DatabaseError(pg.connect_error(self.url, exc)) from None

    def _server_backup(self, label: str) -> Path | None:
        from ..paths import data_dir
        target = data_dir() / "备份" / pg.backup_name(self.url, label)
        try:
            return pg.dump(self.url, target)
        except (pg.ToolMissing, RuntimeError) as exc:
            # The upgrade is one transaction: if it fails, the server is as it was.
            log.warning("升级前未能备份服务器数据库：%s", exc)
            return None

    @property
    def revision(self) -> str | None:
        return current_revision(self.engine)

    # -- connections -------------------------------------------------------------------------
    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as conn:
            if self.url is None:
                begin_write(conn)
            self._sign(conn)
            yield conn

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            self._sign(conn)
            yield conn

    def _sign(self, conn: sa.Connection) -> None:
        # The services read who is working from the connection they are handed.
        conn.info["signed"] = True
        conn.info["actor"] = self.actor

    def backup_to(self, target: Path | str) -> Path:
        """A consistent copy of the whole database at ``target`` (SQLite online backup: the
        program may go on writing meanwhile, and what the WAL file holds is included).  A
        server database: ``pg_dump -Fc`` (:class:`pg.ToolMissing` says what to install)."""
        target = Path(target)
        if self.url is not None:
            tmp = target.with_name(target.name + ".part")
            pg.dump(self.url, tmp)
            tmp.replace(target)
            return target
        if target.resolve() == self.path.resolve():
            raise ValueError("备份文件不能是正在使用的数据库本身，请换一个文件名或位置")
        from .backup import copy_database
        return copy_database(self.path, target)  # checked, then renamed: never half a backup

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` and ``foreign_key_check``: [] when healthy."""
        problems: list[str] = []
        if self.url is not None:
            from .schema import metadata
            with self.engine.connect() as conn:
                return pg.integrity_problems(conn, metadata)
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            if rows != ["ok"]:
                problems += rows
            for r in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(f"外键错误：表 {r[0]} 第 {r[1]} 行引用了不存在的 {r[2]}")
        return problems

    def integrity_result(self) -> str:
        if self.url is not None:
            return "; ".join(self.integrity_check()) or "ok"
        with self.engine.connect() as conn:
            return "; ".join(r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check"))

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str | None = None) -> Database:
    return Database(path)

