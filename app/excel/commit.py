"""Writing a plan: one transaction through the record services, recorded as an import batch.

For registers whose derived values need no query and that have no workflow (人员, 党员 …)
new rows, updated rows and edited people are written together by :mod:`app.excel.bulk`
(``executemany``: inserts, then ``UPDATE … WHERE id = ?`` grouped by the columns that change),
which writes exactly what ``records.create`` / ``records.update`` write — the same values,
who/when, audit rows and 党员户 flags; tests compare both paths.  The plan has validated every
row in memory with the services' rules; the database's constraints still refuse a row that
became a duplicate since.  Other registers go row by row through the record services on the
one open connection.  If any row fails, or the user cancels, the transaction is rolled back
and nothing at all is written.

Each written record gets a batch row with its image before (updates, as JSON) and a hash of
its image after, so that :func:`app.excel.history.undo_batch` can restore exactly the state
before the import, and can refuse when a record was changed again since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import sqlalchemy as sa

from ..services import records
from ..services.errors import ValidationError
from ..storage.schema import TABLES, import_batch_rows, import_batches
from . import bulk
from .columns import PEOPLE
from .errors import Cancelled
from .plan import Plan, PlanRow
from .speed import gc_paused


class CommitError(Exception):
    """A row could not be written; the whole import was rolled back.  Chinese message."""


@dataclass
class CommitResult:
    batch_id: int
    created: int
    updated: int
    people_created: int
    people_updated: int


def encode_row(register: str, row: dict) -> str:
    """The stored columns of a row as JSON (dates as ISO text)."""
    t = TABLES[register]
    out = {}
    for c in t.c:
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
    t = TABLES[register]
    raw = json.loads(text)
    out = {}
    for c in t.c:
        v = raw.get(c.name)
        if v is not None and isinstance(c.type, sa.DateTime):
            v = dt.datetime.fromisoformat(v)
        elif v is not None and isinstance(c.type, sa.Date):
            v = dt.date.fromisoformat(v)
        elif v is not None and isinstance(c.type, sa.Boolean):
            v = bool(v)
        out[c.name] = v
    return out


class _BatchLog:
    """Batch rows kept in memory (a record written twice keeps its first before-image and
    its last after-image) and inserted at the end in one executemany."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], dict] = {}

    def record(self, register: str, record_id: int, action: str, before: dict | None,
               after: dict, source: str) -> None:
        keyt = (register, record_id)
        if keyt in self.rows:
            self.rows[keyt]["after"] = row_hash(register, after)
            return
        self.rows[keyt] = {
            "seq": len(self.rows), "register": register, "record_id": record_id,
            "action": action, "before": encode_row(register, before) if before else None,
            "after": row_hash(register, after), "source": source[:300] or None}


def commit_plan(target, plan: Plan, actor: str, *,
                progress: Callable[[int, int], bool] | None = None) -> CommitResult:
    """Write the ``new`` and ``update`` rows of ``plan`` in one transaction.

    ``target`` is a Database or an open Connection.  ``progress(done, total)`` returning
    False cancels: :class:`Cancelled` is raised and nothing is written.  A row the database
    refuses (changed by someone else since the plan) raises :class:`CommitError`."""
    try:
        with gc_paused():
            return _commit(target, plan, actor, progress)
    except sa.exc.IntegrityError as exc:
        raise CommitError("写入时数据库拒绝了其中一行（可能在预览之后又有人修改了数据："
                          f"{exc.orig}）。整个导入已撤回，没有写入任何数据；请重新预览后再导入。"
                          ) from None


def _commit(target, plan: Plan, actor: str,
            progress: Callable[[int, int], bool] | None) -> CommitResult:
    todo = plan.rows_with("new", "update")
    log = _BatchLog()
    result = CommitResult(0, 0, 0, 0, 0)
    with records.transaction(target) as conn:
        now = dt.datetime.now().replace(microsecond=0)
        counts = plan.counts
        result.batch_id = conn.execute(import_batches.insert().values(
            register=plan.register, file_name=plan.file_name[:260] or "(未命名)",
            sheets="、".join(dict.fromkeys(s.layout.sheet for s in plan.sheets))[:400],
            policy=json.dumps(plan.policy.as_dict(), ensure_ascii=False),
            counts=json.dumps(counts, ensure_ascii=False), actor=actor, at=now,
        )).inserted_primary_key[0]
        created_people: dict[tuple, int] = {}
        cache: dict[tuple[str, int], dict] = {}
        fast = bulk.supported(plan.register) and bulk.supported(PEOPLE)
        stop = _stopper(progress, len(todo))
        if fast:
            _bulk_people(conn, plan, todo, actor, log, created_people, result)
            _bulk_person_updates(conn, plan, todo, actor, log, result)
            stop(0)
            updates = [pr for pr in todo if pr.record_id is not None]
            pending = [pr for pr in todo if pr.record_id is None]
            _bulk_updates(conn, plan, updates, actor, log, created_people, result)
            stop(len(updates))
            if pending:
                _bulk_rows(conn, plan, pending, actor, log, created_people, result,
                           lambda n: stop(len(updates) + n))
        else:
            for i, pr in enumerate(todo):
                try:
                    _write_row(conn, plan, pr, actor, log, created_people, cache, result)
                except ValidationError as exc:
                    raise CommitError(f"{pr.loc}写入时出错：{exc}。"
                                      "整个导入已撤回，没有写入任何数据。") from None
                if (i + 1) % 200 == 0:
                    stop(i + 1)
        if log.rows:
            bulk.insert_many(conn, import_batch_rows,
                             [{"batch_id": result.batch_id, **r} for r in log.rows.values()])
        if progress is not None and progress(len(todo), len(todo)) is False:
            raise Cancelled()
    return result


def _stopper(progress, total: int):
    def stop(done: int) -> None:
        if progress is not None and progress(done, total) is False:
            raise Cancelled()
    return stop


def _source(plan: Plan, pr: PlanRow) -> str:
    return f"{plan.file_name}「{pr.sheet}」第{pr.row}行"


def _bulk_people(conn, plan: Plan, todo: list[PlanRow], actor: str, log: _BatchLog,
                 created_people: dict, result: CommitResult) -> None:
    """Create every new person of the plan at once (each once, however many rows name it)."""
    items, tokens, sources = [], [], []
    for pr in todo:
        for op in pr.persons:
            if op.person_id is None and op.token not in created_people:
                created_people[op.token] = -1
                items.append((op.create, None))
                tokens.append(op.token)
                sources.append(_source(plan, pr))
    if not items:
        return
    ids = bulk.bulk_create(conn, PEOPLE, items, actor)
    rows = bulk.select_rows(conn, PEOPLE, ids)
    for token, pid, src in zip(tokens, ids, sources):
        created_people[token] = pid
        log.record(PEOPLE, pid, "create", None, rows[pid], src)
    result.people_created += len(ids)


def _stored(conn, register: str, ids: list[int], rows: list[PlanRow]) -> dict[int, dict]:
    """The stored rows about to be updated; a row gone or deleted since the plan stops the
    import as ``records.update`` would."""
    from ..registry import get as get_register
    stored = bulk.select_rows(conn, register, sorted(set(ids)))
    for rid, pr in zip(ids, rows):
        row = stored.get(rid)
        if row is None or row["deleted_at"] is not None:
            raise CommitError(f"{pr.loc}写入时出错：{get_register(register).label}（编号 {rid}）"
                              "已被删除，请先恢复再修改。整个导入已撤回，没有写入任何数据。")
    return stored


def _bulk_person_updates(conn, plan: Plan, todo: list[PlanRow], actor: str, log: _BatchLog,
                         result: CommitResult) -> None:
    """Edits of existing people's columns, all at once (a person named by several rows is
    written once: the plan has checked that those rows agree)."""
    ops = [(pr, op) for pr in todo for op in pr.persons
           if op.person_id is not None and op.update]
    if not ops:
        return
    befores = _stored(conn, PEOPLE, [op.person_id for _pr, op in ops], [pr for pr, _ in ops])
    merged: dict[int, dict] = {}
    for _pr, op in ops:
        merged.setdefault(op.person_id, {}).update(op.update)
    bulk.bulk_update(conn, PEOPLE, list(merged.items()), actor, befores)
    after = bulk.select_rows(conn, PEOPLE, list(merged))
    for pr, op in ops:
        log.record(PEOPLE, op.person_id, "update", befores[op.person_id],
                   after[op.person_id], _source(plan, pr))
    result.people_updated += len(ops)


def _bulk_updates(conn, plan: Plan, rows: list[PlanRow], actor: str, log: _BatchLog,
                  created_people: dict, result: CommitResult) -> None:
    """The register's own changed rows, written as ``_write_row`` would, all at once."""
    from ..registry import get as get_register
    reg = get_register(plan.register)
    items, owners = [], []
    for pr in rows:
        values = {fk: v for fk, v in pr.values.items() if reg.has_field(fk)}
        for op in pr.persons:
            # A linked person that stays the same is not a change of this record.
            if op.person_id is None:
                values[op.via] = created_people[op.token]
            elif op.via in values:
                values[op.via] = op.person_id
        if values:  # else only the person's own columns changed
            items.append((pr.record_id, values))
            owners.append(pr)
    if not items:
        return
    ids = [rid for rid, _v in items]
    befores = _stored(conn, plan.register, ids, owners)
    bulk.bulk_update(conn, plan.register, items, actor, befores)
    after = bulk.select_rows(conn, plan.register, sorted(set(ids)))
    for pr, rid in zip(owners, ids):
        log.record(plan.register, rid, "update", befores[rid], after[rid], _source(plan, pr))
    result.updated += len(items)


def _bulk_rows(conn, plan: Plan, rows: list[PlanRow], actor: str, log: _BatchLog,
               created_people: dict, result: CommitResult, progress) -> None:
    from ..registry import get as get_register
    fields = {f.key for f in get_register(plan.register).fields}
    items = []
    for pr in rows:
        values = {fk: v for fk, v in pr.values.items() if fk in fields}
        for op in pr.persons:
            values[op.via] = op.person_id if op.person_id is not None else \
                created_people[op.token]
        items.append((values, pr.uuid))
    ids = bulk.bulk_create(conn, plan.register, items, actor,
                           progress=lambda n: progress(n) is not False)
    stored = bulk.select_rows(conn, plan.register, ids)
    for pr, rid in zip(rows, ids):
        log.record(plan.register, rid, "create", None, stored[rid], _source(plan, pr))
    result.created += len(ids)


def _before(conn, register: str, record_id: int, cache: dict) -> dict:
    keyt = (register, record_id)
    if keyt not in cache:
        t = TABLES[register]
        cache[keyt] = dict(conn.execute(sa.select(t).where(t.c.id == record_id)).mappings()
                           .one())
    return cache[keyt]


def _persons(conn, plan: Plan, pr: PlanRow, actor: str, log: _BatchLog,
             created_people: dict, cache: dict, result: CommitResult) -> dict[str, int]:
    """Create or update the people a row points at; returns ref field → person id."""
    source = _source(plan, pr)
    vias: dict[str, int] = {}
    for op in pr.persons:
        if op.person_id is None:
            pid = created_people.get(op.token)
            if pid is None:
                rec = records.create(conn, PEOPLE, op.create, actor)
                pid = created_people[op.token] = rec["id"]
                log.record(PEOPLE, pid, "create", None, rec, source)
                cache[(PEOPLE, pid)] = rec
                result.people_created += 1
        else:
            pid = op.person_id
            if op.update:
                before = _before(conn, PEOPLE, pid, cache)
                rec = records.update(conn, PEOPLE, pid, op.update, actor)
                log.record(PEOPLE, pid, "update", before, rec, source)
                cache[(PEOPLE, pid)] = rec
                result.people_updated += 1
        vias[op.via] = pid
    return vias


def _write_row(conn, plan: Plan, pr: PlanRow, actor: str, log: _BatchLog,
               created_people: dict, cache: dict, result: CommitResult) -> None:
    from ..registry import get as get_register
    reg = get_register(plan.register)
    source = _source(plan, pr)
    vias = _persons(conn, plan, pr, actor, log, created_people, cache, result)
    values = {fk: v for fk, v in pr.values.items() if reg.has_field(fk)}
    new_people = {op.via for op in pr.persons if op.person_id is None}
    for via, pid in vias.items():
        # A linked person that stays the same is not a change of this record.
        if pr.record_id is None or via in values or via in new_people:
            values[via] = pid
    if pr.record_id is not None and not values:
        return  # only the person's own columns changed
    if pr.record_id is None:
        rec = records.create(conn, plan.register, values, actor, uuid=pr.uuid)
        log.record(plan.register, rec["id"], "create", None, rec, source)
        cache[(plan.register, rec["id"])] = rec
        result.created += 1
    else:
        before = _before(conn, plan.register, pr.record_id, cache)
        rec = records.update(conn, plan.register, pr.record_id, values, actor)
        log.record(plan.register, pr.record_id, "update", before, rec, source)
        cache[(plan.register, pr.record_id)] = rec
        result.updated += 1
