"""A shared PostgreSQL server instead of the file (several PCs of one office, issue 14).

This is the only module that knows it is talking to PostgreSQL, as :mod:`.database` is the
only one that knows SQLite.  What the rest of the program sees is the same
:class:`~app.storage.Database`; what differs lives here:

- addresses: ``postgresql://user@host:port/dbname`` (the password never written anywhere by
  us: it comes from the address the user typed, from the dialog's memory for the session, or
  from libpq's own ``PGPASSWORD`` / ``~/.pgpass``);
- the engine (psycopg 3, READ COMMITTED) and the locks that keep derived values right under
  several writers: row locks on the records a write is about to change, and transaction-scoped
  advisory locks for values computed from other rows (the yearly 案件编号, 党员户);
- the integrity check, the schema lock during a migration, and ``pg_dump`` backups.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from ..paths import SERVER_SCHEMES, is_server_address, location_arg  # noqa: F401 (re-exported)

#: The schema lock held while one PC migrates (others wait, then find the schema current).
MIGRATION_LOCK = "taizhang:migrate"


def parse(address: str, password: str | None = None) -> URL:
    """The SQLAlchemy URL of a server address, driven by psycopg 3."""
    url = make_url(address.strip())
    url = url.set(drivername="postgresql+psycopg")
    if password:
        url = url.set(password=password)
    return url


def display(url: URL | str) -> str:
    """The address as shown and remembered: never with the password."""
    url = make_url(url) if isinstance(url, str) else url
    # (URL.set ignores None: replace the field itself.)
    url = url._replace(password=None, drivername="postgresql")
    return url.render_as_string(hide_password=False)


def short_name(url: URL) -> str:
    """A short name for titles: ``dbname@host``."""
    return f"{url.database or ''}@{url.host or 'localhost'}"


def make_engine(url: URL) -> sa.Engine:
    # pre_ping: a PC that slept keeps its pool; a dropped connection is replaced, not reported.
    return sa.create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=8,
                            connect_args={"application_name": "taizhang",
                                          "connect_timeout": 10})


def connect_error(url: URL, exc: BaseException) -> str:
    """A Chinese message for a server that cannot be reached or refuses us."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if "password" in text.lower() or "authentication" in text.lower():
        why = "用户名或密码不对"
    elif "does not exist" in text and "database" in text:
        why = f"服务器上没有数据库 {url.database}，请让管理员先创建（CREATE DATABASE）"
    elif "timeout" in text.lower() or "refused" in text.lower() or "could not" in text.lower():
        why = "连不上服务器（地址、端口不对，服务器没有启动，或防火墙挡住了）"
    else:
        why = "服务器拒绝了连接"
    return f"无法连接数据库服务器 {display(url)}：{why}。（{text}）"


# -- locks ---------------------------------------------------------------------------------------

def _key(name: str) -> int:
    """A stable 63-bit advisory-lock key for ``name`` (the same on every PC)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") >> 1


def advisory_xact_lock(conn: sa.Connection, name: str) -> None:
    """Hold the lock ``name`` until this transaction ends: writers computing the same derived
    value queue here, and each then reads what the one before it committed (READ COMMITTED
    takes a fresh snapshot per statement)."""
    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_key(name))))


def lock_rows(conn: sa.Connection, table: sa.Table, ids: Iterable[int]) -> None:
    """Row locks on ``ids`` in id order (one order for everyone: no deadlock between two
    writers of overlapping rows) until the transaction ends."""
    ids = sorted(set(ids))
    for i in range(0, len(ids), 5000):
        conn.execute(sa.select(table.c.id).where(table.c.id.in_(ids[i:i + 5000]))
                     .order_by(table.c.id).with_for_update()).all()


def migration_lock(conn: sa.Connection) -> None:
    advisory_xact_lock(conn, MIGRATION_LOCK)


# -- integrity -----------------------------------------------------------------------------------

def integrity_problems(conn: sa.Connection, metadata: sa.MetaData) -> list[str]:
    """The server's equivalent of ``PRAGMA integrity_check``: every table readable, the id
    sequences ahead of the ids stored (a copied database whose sequences lag would refuse the
    next new row), and no row referring to a missing one."""
    problems: list[str] = []
    present = set(sa.inspect(conn).get_table_names())
    for t in metadata.sorted_tables:
        if t.name not in present:
            problems.append(f"缺少表 {t.name}")
            continue
        try:
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        except sa.exc.DBAPIError as exc:
            problems.append(f"表 {t.name} 无法读取：{exc.orig}")
            continue
        pk = list(t.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, sa.Integer):
            seq = conn.execute(sa.select(sa.func.pg_get_serial_sequence(
                t.name, pk[0].name))).scalar()
            if seq:
                top = conn.execute(sa.select(sa.func.max(pk[0]))).scalar() or 0
                last = conn.execute(sa.text(f"SELECT last_value, is_called FROM {seq}")).one()
                nxt = last[0] + 1 if last[1] else last[0]
                if nxt <= top:
                    problems.append(f"表 {t.name} 的编号序列落后（下一个 {nxt}，已有 {top}）")
    return problems


def reset_sequences(conn: sa.Connection, metadata: sa.MetaData) -> None:
    """Move each id sequence past the largest id stored (after rows were copied with their
    ids)."""
    for t in metadata.sorted_tables:
        pk = list(t.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        seq = conn.execute(sa.select(sa.func.pg_get_serial_sequence(t.name, pk[0].name))
                           ).scalar()
        if seq:
            top = conn.execute(sa.select(sa.func.max(pk[0]))).scalar()
            conn.execute(sa.select(sa.func.setval(seq, top or 1, top is not None)))


# -- backups -------------------------------------------------------------------------------------

class ToolMissing(RuntimeError):
    """``pg_dump`` (or ``pg_restore``) is not installed; ``str(exc)`` says what to install."""


def find_tool(name: str) -> str | None:
    """A PostgreSQL client program: on PATH, else the newest of Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                         reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return None


def _libpq_env(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for the client programs, the password in the environment (never on
    the command line, where other users of the PC could see it)."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432),
            "--username", url.username or os.environ.get("PGUSER", ""),
            "--dbname", url.database or ""]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return [a for a in args if a != ""], env


def dump(url: URL, out: Path) -> Path:
    """``pg_dump -Fc`` of the whole database to ``out``."""
    tool = find_tool("pg_dump")
    if tool is None:
        raise ToolMissing("找不到 pg_dump：请安装 PostgreSQL 客户端程序（Debian/统信/麒麟："
                          "sudo apt install postgresql-client；Windows：安装 PostgreSQL 时勾选"
                          " Command Line Tools，并把其 bin 文件夹加入 PATH）后再备份。")
    args, env = _libpq_env(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([tool, "-Fc", "--no-owner", "-f", str(out), *args], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        out.unlink(missing_ok=True)
        raise RuntimeError(f"pg_dump 失败：{proc.stderr.strip()}")
    return out


def backup_name(url: URL, label: str) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{url.database}.备份-{label}-{stamp}.dump"
