"""Moving an office from its database file to a server (``taizhang move-to``, issue 14).

Every table is copied — the registers, the audit log, workflow history, import batches and
their rows, mappings, settings — with its ids, in one transaction on the server (all or
nothing), then verified: the number of rows and a checksum per table, computed the same way
on both sides from the values as the program reads them.  The file is never written: the copy
is read from a snapshot taken with SQLite's backup API (a consistent picture even if a window
still has the file open), and a file of an older version is upgraded in that snapshot only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlalchemy as sa

from . import pg
from .bulk import serialize
from .database import Database, DatabaseError, snapshot
from .schema import TABLES, metadata

#: Rows read and written per round trip.
CHUNK = 5000


class MoveError(DatabaseError):
    """The move was refused or failed; nothing was kept on the server.  Chinese message."""


@dataclass
class TableCheck:
    name: str
    rows_file: int
    rows_server: int
    sum_file: str
    sum_server: str

    @property
    def ok(self) -> bool:
        return self.rows_file == self.rows_server and self.sum_file == self.sum_server


@dataclass
class Moved:
    """What was copied, and the verification of every table."""

    tables: list[TableCheck] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.rows_server for t in self.tables)


def _canonical(value) -> object:
    """One spelling of a value for the checksum, whichever backend it came from."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value)
    return value


def table_checksum(conn: sa.Connection, table: sa.Table) -> tuple[int, str]:
    """(rows, checksum) of ``table`` as read through SQLAlchemy: the sha256 of the sorted
    sha256 of each row's values (sorted, so that the two backends' orders of text keys —
    collations differ — do not matter)."""
    rows = []
    result = conn.execution_options(yield_per=CHUNK).execute(sa.select(table))
    for row in result:
        rows.append(hashlib.sha256(json.dumps([_canonical(v) for v in row],
                                              ensure_ascii=False).encode("utf-8")).digest())
    rows.sort()
    return len(rows), hashlib.sha256(b"".join(rows)).hexdigest()


def _self_refs(table: sa.Table) -> list[str]:
    """Columns of ``table`` referring to its own rows (党组织 → 上级党组织): written after
    all the rows, as a parent may come after its child."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def move_to_server(source: Path, address: str, *, password: str | None = None,
                   progress: Callable[[str], object] | None = None) -> Moved:
    """Copy the database file ``source`` into the empty server database ``address``, then
    verify it.  Raises :class:`MoveError` (nothing kept on the server) when refused."""
    import time
    say = progress or (lambda _text: None)
    t0 = time.perf_counter()
    if not Path(source).exists():
        raise MoveError(f"数据库文件不存在：{source}")
    with tempfile.TemporaryDirectory(prefix="taizhang-move-") as tmp:
        copy = Path(tmp) / "snapshot.db"
        say(f"读取 {source} 的快照（原文件不做任何改动）…")
        snapshot(Path(source), copy)
        src = Database(copy)  # upgrades the snapshot if the file is of an older version
        try:
            dst = Database(address, password=password)
        except DatabaseError:
            src.close()
            raise
        try:
            out = copy_database(src, dst, say)
        finally:
            src.close()
            dst.close()
    out.seconds = time.perf_counter() - t0
    return out


def copy_database(src: Database, dst: Database,
                  say: Callable[[str], object] = lambda _text: None) -> Moved:
    """Copy every table of ``src`` into the empty database ``dst`` (same schema version) in
    one transaction, then compare row counts and checksums table by table.  ``dst`` is a
    server in ``move-to``; any Database works (the tests copy between files too)."""
    if src.revision != dst.revision:
        raise MoveError(f"两个数据库的结构版本不同（{src.revision} / {dst.revision}），"
                        "请先用同一版本的程序分别打开一次。")
    tables = metadata.sorted_tables
    with dst.begin() as out:
        serialize(out, pg.MIGRATION_LOCK)  # no other PC migrating or moving into it meanwhile
        busy = [t.name for t in TABLES.values()
                if out.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()]
        if busy:
            raise MoveError(
                f"服务器上的数据库 {dst.location} 已有数据（{'、'.join(busy[:5])}…），"
                "为免混在一起，只能迁入一个新建的空数据库。请让管理员新建一个数据库"
                "（CREATE DATABASE）后再迁移。")
        # A new database holds what its migrations seeded (the workflow steps): the file's
        # own rows replace them.
        for t in reversed(tables):
            out.execute(t.delete())
        with src.connect() as inp:
            for t in tables:
                later = _self_refs(t)
                n = 0
                res = inp.execution_options(yield_per=CHUNK).execute(
                    sa.select(t).order_by(*t.primary_key.columns))
                for part in res.mappings().partitions(CHUNK):
                    rows = [dict(r) for r in part]
                    if later:
                        rows = [{**r, **dict.fromkeys(later)} for r in rows]
                    try:
                        out.execute(t.insert(), rows)
                    except sa.exc.DataError as exc:
                        # The file never enforced a text column's length; the server does.
                        raise MoveError(
                            f"表 {t.name} 中有服务器不接受的值（{exc.orig}）。"
                            "服务器上没有留下任何数据；请改正后再迁移。") from None
                    n += len(rows)
                if later:
                    _restore_self_refs(inp, out, t, later)
                say(f"  {t.name}: {n:,} 行")
        if out.dialect.name == "postgresql":
            pg.reset_sequences(out, metadata)  # SQLite's next id is the largest + 1 anyway
    say("核对行数和校验和…")
    moved = Moved()
    with src.connect() as a, dst.connect() as b:
        for t in tables:
            rf, sf = table_checksum(a, t)
            rs, ss = table_checksum(b, t)
            moved.tables.append(TableCheck(t.name, rf, rs, sf, ss))
    return moved


def _restore_self_refs(inp: sa.Connection, out: sa.Connection, t: sa.Table,
                       cols: list[str]) -> None:
    pk = list(t.primary_key.columns)[0]
    rows = inp.execute(sa.select(pk, *[t.c[c] for c in cols]).where(
        sa.or_(*[t.c[c].is_not(None) for c in cols]))).all()
    if not rows:
        return
    stmt = t.update().where(pk == sa.bindparam("_pk")).values(
        {c: sa.bindparam(f"_v_{c}") for c in cols})
    out.execute(stmt, [{"_pk": r[0], **{f"_v_{c}": v for c, v in zip(cols, r[1:])}}
                       for r in rows])
