"""Import batches: the record of what one import wrote, and its exact undo.

Each record an import writes gets a batch row with its image before (updates, as JSON) and a
hash of its image after.  :func:`undo_batch` restores every updated record to its image before
the import (all stored columns, including who/when) and removes the records it created, in
reverse order, in one transaction.  It refuses — writing nothing — when a record was changed
again after the import (its current image is not the one the import left), or when a created
record is now referred to by other data; the message lists the rows concerned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from ..registry import get as get_register
from ..storage.bulk import insert_many, lock_rows, serialize
from ..storage.schema import TABLES, audit_log, import_batch_rows, import_batches, \
    workflow_events
from . import hooks
from .batch import now_stamp
from .changes import Changes
from .records import reading, transaction


class UndoRefused(Exception):
    """The batch cannot be undone exactly; nothing was changed.  Chinese message."""


@dataclass
class Undone:
    """An undone batch: how many records were restored or removed, and what changed."""

    count: int
    changes: Changes


def encode_row(register: str, row: dict) -> str:
    """The stored columns of a row as JSON (dates as ISO text)."""
    out = {}
    for c in TABLES[register].c:
        v = row.get(c.name)
        out[c.name] = v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=None)
def _column_names(register: str) -> tuple[str, ...]:
    return tuple(c.name for c in TABLES[register].c)


def row_hash(register: str, row: dict) -> str:
    """A short hash of a row's stored columns: the after-image undo compares against (rows
    read the same way — a SELECT of the table — give the same Python values and repr)."""
    text = repr(tuple(map(row.get, _column_names(register))))
    return "h:" + hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def decode_row(register: str, text: str) -> dict:
    """Back from :func:`encode_row` to Python values by the column types."""
    raw = json.loads(text)
    out = {}
    for c in TABLES[register].c:
        v = raw.get(c.name)
        if v is not None and isinstance(c.type, sa.DateTime):
            v = dt.datetime.fromisoformat(v)
        elif v is not None and isinstance(c.type, sa.Date):
            v = dt.date.fromisoformat(v)
        elif v is not None and isinstance(c.type, sa.Boolean):
            v = bool(v)
        out[c.name] = v
    return out


class BatchLog:
    """The records one import writes, kept in memory (a record written twice keeps its first
    before-image and its last after-image) and stored with :func:`record_batch`."""

    def __init__(self) -> None:
        #: (register, id) → [seq, action, before JSON, after hash, source]: a short list
        #: rather than a dict per record (100,000 records of an import stay small).
        self.rows: dict[tuple[str, int], list] = {}

    def record(self, register: str, record_id: int, action: str, before: dict | None,
               after: dict, source: str) -> None:
        keyt = (register, record_id)
        entry = self.rows.get(keyt)
        if entry is not None:
            entry[3] = row_hash(register, after)
            return
        self.rows[keyt] = [len(self.rows), action,
                           encode_row(register, before) if before else None,
                           row_hash(register, after), source[:300] or None]

    def dicts(self, batch_id: int, start: int, stop: int) -> list[dict]:
        """Batch rows ``start:stop`` as the table stores them."""
        keys = list(self.rows)[start:stop]
        return [{"batch_id": batch_id, "seq": e[0], "register": reg, "record_id": rid,
                 "action": e[1], "before": e[2], "after": e[3], "source": e[4]}
                for (reg, rid), e in zip(keys, map(self.rows.__getitem__, keys))]


def record_batch(conn: sa.Connection, *, register: str, file_name: str, sheets: str,
                 policy: dict, counts: dict, actor: str, log: BatchLog,
                 now: dt.datetime | None = None) -> int:
    """Store an import batch and its rows (in the import's transaction); returns its id."""
    batch_id = conn.execute(import_batches.insert().values(
        register=register, file_name=file_name[:260] or "(未命名)", sheets=sheets[:400],
        policy=json.dumps(policy, ensure_ascii=False),
        counts=json.dumps(counts, ensure_ascii=False), actor=actor, at=now_stamp(now),
    )).inserted_primary_key[0]
    for start in range(0, len(log.rows), 5000):
        insert_many(conn, import_batch_rows, log.dicts(batch_id, start, start + 5000))
    return batch_id


def list_batches(target, register: str | None = None) -> list[dict]:
    """Import batches, newest first, with their counts decoded."""
    with reading(target) as conn:
        written = dict(conn.execute(
            sa.select(import_batch_rows.c.batch_id, sa.func.count())
            .group_by(import_batch_rows.c.batch_id)).all())
        stmt = sa.select(import_batches).order_by(import_batches.c.id.desc())
        if register:
            stmt = stmt.where(import_batches.c.register == register)
        out = []
        for r in conn.execute(stmt).mappings():
            d = dict(r)
            d["counts"] = json.loads(d["counts"] or "{}")
            d["policy"] = json.loads(d["policy"] or "{}")
            d["rows_written"] = written.get(d["id"], 0)
            out.append(d)
        return out


def undo_batch(target, batch_id: int, actor: str, *,
               now: dt.datetime | None = None) -> Undone:
    """Undo import batch ``batch_id``; returns what changed (every record restored or
    removed, and the 党员户 flags that flipped back)."""
    with transaction(target) as conn:
        # Locked: two PCs undoing the same import one after the other, the second finds it
        # undone; the rows it wrote are locked before they are compared.
        batch = conn.execute(sa.select(import_batches).where(
            import_batches.c.id == batch_id).with_for_update()).mappings().first()
        if batch is None:
            raise UndoRefused(f"没有编号为 {batch_id} 的导入记录。")
        if batch["undone_at"] is not None:
            raise UndoRefused(f"这次导入已于 {batch['undone_at']:%Y-%m-%d %H:%M} 撤销过。")
        rows = conn.execute(sa.select(import_batch_rows).where(
            import_batch_rows.c.batch_id == batch_id).order_by(
            import_batch_rows.c.seq.desc())).mappings().all()
        serialize(conn, "party_households")
        serialize(conn, "place_totals")
        by_register: dict[str, list[int]] = {}
        for br in rows:
            by_register.setdefault(br["register"], []).append(br["record_id"])
        for key, ids in by_register.items():
            lock_rows(conn, TABLES[key], ids)
        _refuse_if_changed(conn, rows)
        stamp = now_stamp(now)
        changes = Changes()
        homes: set[int] = set()
        for br in rows:
            key, rid = br["register"], br["record_id"]
            t = TABLES[key]
            if key == "people":  # the households its people lived in before and after
                homes.add(conn.execute(sa.select(t.c.household_id).where(t.c.id == rid))
                          .scalar())
            if br["action"] == "create":
                conn.execute(workflow_events.delete().where(
                    workflow_events.c.register == key, workflow_events.c.record_id == rid))
                try:
                    with conn.begin_nested():
                        conn.execute(t.delete().where(t.c.id == rid))
                except sa.exc.IntegrityError:
                    raise UndoRefused(
                        f"无法撤销：导入新增的{get_register(key).label}（编号 {rid}）已被其他记录"
                        "引用。请先处理引用它的记录。未做任何改动。") from None
            else:
                # Steps an import moved the record to (recorded as 导入) go with it.
                conn.execute(workflow_events.delete().where(
                    workflow_events.c.register == key, workflow_events.c.record_id == rid,
                    workflow_events.c.note == "导入", workflow_events.c.at >= batch["at"]))
                before = decode_row(key, br["before"])
                homes.add(before.get("household_id"))
                # Every column as before, but a new version: a form still holding the
                # version the import wrote must not save over the restored row.
                conn.execute(t.update().where(t.c.id == rid).values(
                    **{c: v for c, v in before.items() if c not in ("id", "version")},
                    version=t.c.version + 1))
            conn.execute(audit_log.insert().values(
                at=stamp, actor=actor, register=key, record_id=rid, action="undo-import",
                changes=json.dumps({"import_batch": [batch_id, None]}, ensure_ascii=False)))
            changes.add(key, [rid])
        homes.discard(None)
        if "party_members" in changes.ids:
            homes = None  # members moved between homes: check every household
        changes.merge(hooks.refresh_party_households(conn, homes))
        conn.execute(import_batches.update().where(import_batches.c.id == batch_id).values(
            undone_at=stamp, undone_by=actor))
        return Undone(len(rows), changes)


def _refuse_if_changed(conn: sa.Connection, rows) -> None:
    problems = []
    for br in rows:
        t = TABLES[br["register"]]
        current = conn.execute(sa.select(t).where(t.c.id == br["record_id"])).mappings().first()
        label = get_register(br["register"]).label
        if current is None:
            problems.append(f"{label}（编号 {br['record_id']}）已不存在")
        elif row_hash(br["register"], dict(current)) != br["after"]:
            problems.append(f"{label}（编号 {br['record_id']}，来自{br['source'] or '导入'}）"
                            "在导入后又被修改过")
    if problems:
        more = f"等 {len(problems)} 处" if len(problems) > 10 else ""
        raise UndoRefused("无法撤销这次导入，因为导入后数据又有变动：" +
                          "；".join(problems[:10]) + more + "。为免丢失后来的修改，未做任何改动。")
