"""Import history: list the batches, undo one exactly.

Undo restores every record a batch updated to its image before the import (all stored
columns, including who/when) and removes the records it created, in reverse order, in one
transaction.  It refuses — writing nothing — when a record was changed again after the import
(its current image is not the one the import left), or when a created record is now referred
to by other data; the message lists the rows concerned.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from ..registry import get as get_register
from ..services import hooks
from ..services.records import transaction
from ..storage.schema import TABLES, audit_log, import_batch_rows, import_batches, \
    workflow_events
from .commit import decode_row, row_hash


class UndoRefused(Exception):
    """The batch cannot be undone exactly; nothing was changed.  Chinese message."""


def list_batches(target, register: str | None = None) -> list[dict]:
    """Import batches, newest first, with their counts decoded."""
    with transaction(target) as conn:
        stmt = sa.select(import_batches).order_by(import_batches.c.id.desc())
        if register:
            stmt = stmt.where(import_batches.c.register == register)
        out = []
        for r in conn.execute(stmt).mappings():
            d = dict(r)
            d["counts"] = json.loads(d["counts"] or "{}")
            d["policy"] = json.loads(d["policy"] or "{}")
            d["rows_written"] = conn.execute(sa.select(sa.func.count()).where(
                import_batch_rows.c.batch_id == d["id"])).scalar_one()
            out.append(d)
        return out


def undo_batch(target, batch_id: int, actor: str) -> int:
    """Undo import batch ``batch_id``; returns how many records were restored or removed."""
    with transaction(target) as conn:
        batch = conn.execute(sa.select(import_batches).where(
            import_batches.c.id == batch_id)).mappings().first()
        if batch is None:
            raise UndoRefused(f"没有编号为 {batch_id} 的导入记录。")
        if batch["undone_at"] is not None:
            raise UndoRefused(f"这次导入已于 {batch['undone_at']:%Y-%m-%d %H:%M} 撤销过。")
        rows = conn.execute(sa.select(import_batch_rows).where(
            import_batch_rows.c.batch_id == batch_id).order_by(
            import_batch_rows.c.seq.desc())).mappings().all()
        problems = []
        for br in rows:
            t = TABLES[br["register"]]
            current = conn.execute(sa.select(t).where(t.c.id == br["record_id"])).mappings() \
                .first()
            label = get_register(br["register"]).label
            if current is None:
                problems.append(f"{label}（编号 {br['record_id']}）已不存在")
            elif row_hash(br["register"], dict(current)) != br["after"]:
                problems.append(f"{label}（编号 {br['record_id']}，来自{br['source'] or '导入'}）"
                                "在导入后又被修改过")
        if problems:
            more = f"等 {len(problems)} 处" if len(problems) > 10 else ""
            raise UndoRefused("无法撤销这次导入，因为导入后数据又有变动：" +
                              "；".join(problems[:10]) + more +
                              "。为免丢失后来的修改，未做任何改动。")
        now = dt.datetime.now().replace(microsecond=0)
        for br in rows:
            key, rid = br["register"], br["record_id"]
            t = TABLES[key]
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
                changes = {"import_batch": [batch_id, None]}
            else:
                before = decode_row(key, br["before"])
                conn.execute(t.update().where(t.c.id == rid).values(
                    **{c: v for c, v in before.items() if c != "id"}))
                changes = {"import_batch": [batch_id, None]}
            conn.execute(audit_log.insert().values(
                at=now, actor=actor, register=key, record_id=rid, action="undo-import",
                changes=json.dumps(changes, ensure_ascii=False)))
        hooks.refresh_party_households(conn)
        conn.execute(import_batches.update().where(import_batches.c.id == batch_id).values(
            undone_at=now, undone_by=actor))
        return len(rows)
