"""Writing a plan: one transaction through the services' batch operations, recorded as an
import batch.

New people, edits of linked people, updated rows and new rows of any register are each written
by one call of :mod:`app.services.batch` — the same path a form takes, so defaults, derived
values (楼栋/单元/户 names, 案件编号), workflow starts, audit rows and 党员户 flags are the
services' own.  The plan has validated every row in memory with the services' rules; the
database's constraints still refuse a row that became a duplicate since.  If any row fails,
or the user cancels, the transaction is rolled back and nothing at all is written.

The batch (:mod:`app.services.imports`) keeps each written record's image before and a hash
of its image after, so that the import can be undone exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Callable

import datetime as dt

import sqlalchemy as sa

from ..registry import get as get_register
from ..services import access, audit, batch, hooks, records
from ..services.access import Actor
from ..services.changes import Changes
from ..services.imports import BatchLog, record_batch
from ..storage.bulk import select_rows
from ..storage.schema import TABLES
from .columns import PEOPLE
from .errors import Cancelled
from .plan import NewRef, Plan, PlanRow
from .speed import gc_paused


class CommitError(Exception):
    """A row could not be written; the whole import was rolled back.  Chinese message."""


class NothingToImport(CommitError):
    """The plan has no row to write (every row unchanged, skipped, invalid or in conflict):
    nothing is written and no import batch is recorded (an empty batch would only clutter
    the history and could be "undone" to no effect)."""


def nothing_message(plan: Plan) -> str:
    """Why nothing will be written, with the plan's counts."""
    from .plan import STATUS_LABELS
    c = plan.counts
    parts = "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in c.items() if n)
    if not parts:
        why = "文件中没有数据行"
    elif c.get("unchanged") and not (c.get("invalid") or c.get("conflict")):
        why = f"文件中的行与数据库中已有的完全一致（{parts}）"
    else:
        why = f"没有可以导入的行（{parts}）"
    return (f"“{plan.file_name}”{why}，没有需要写入的行。未写入任何数据，也没有记录导入批次。"
            + ("请先改正有问题的行（可用 --rejected 另存后修改）再导入。"
               if c.get("invalid") or c.get("conflict") else ""))


@dataclass
class CommitResult:
    batch_id: int
    created: int
    updated: int
    people_created: int
    people_updated: int
    #: Every register and record the import changed (党员户 flags included).
    changes: Changes = field(default_factory=Changes)


def commit_plan(target, plan: Plan, actor: Actor, *,
                progress: Callable[[int, int], bool] | None = None) -> CommitResult:
    """Write the ``new`` and ``update`` rows of ``plan`` in one transaction.

    ``target`` is a Database or an open Connection.  ``progress(done, total)`` returning
    False cancels: :class:`Cancelled` is raised and nothing is written.  A row the database
    refuses (changed by someone else since the plan) raises :class:`CommitError`; a plan
    with no ``new`` or ``update`` row raises :class:`NothingToImport` and writes nothing."""
    access.require(actor, access.IMPORT)
    if not plan.rows_with("new", "update"):
        raise NothingToImport(nothing_message(plan))
    try:
        with gc_paused():
            return _commit(target, plan, actor, progress)
    except sa.exc.IntegrityError as exc:
        raise CommitError("写入时数据库拒绝了其中一行（可能在预览之后又有人修改了数据："
                          f"{exc.orig}）。整个导入已撤回，没有写入任何数据；请重新预览后再导入。"
                          ) from None


def _commit(target, plan: Plan, actor: Actor,
            progress: Callable[[int, int], bool] | None) -> CommitResult:
    todo = plan.rows_with("new", "update")
    log = BatchLog()
    result = CommitResult(0, 0, 0, 0, 0)
    stop = _stopper(progress, len(todo))
    with records.transaction(target) as conn:
        w = _Writer(conn, plan, actor, log, result)
        w.new_refs()
        w.new_people(todo)
        w.person_updates(todo)
        stop(0)
        updates = [pr for pr in todo if pr.record_id is not None]
        w.updates(updates)
        stop(len(updates))
        w.creates([pr for pr in todo if pr.record_id is None],
                  lambda n: stop(len(updates) + n))
        w.arrived_steps()
        result.batch_id = record_batch(
            conn, register=plan.register, file_name=plan.file_name,
            sheets="、".join(dict.fromkeys(s.layout.sheet for s in plan.sheets)),
            policy=plan.policy.as_dict(), counts=plan.counts, actor=actor, log=log)
        audit.record(conn, actor, audit.IMPORT, register=plan.register,
                     record_id=result.batch_id,
                     detail={"文件": plan.file_name, "新增": result.created,
                             "更新": result.updated})
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


class _Writer:
    """The four batch calls of one import, sharing the derivations' lookups."""

    def __init__(self, conn: sa.Connection, plan: Plan, actor: Actor, log: BatchLog,
                 result: CommitResult) -> None:
        self.conn, self.plan, self.actor, self.log, self.result = conn, plan, actor, log, result
        self.ctx = hooks.Lookups(conn)
        self.reg = get_register(plan.register)
        self.fields = frozenset(f.key for f in self.reg.fields)
        self.created_people: dict[tuple, int] = {}
        self.created_refs: dict[NewRef, int] = {}
        #: (record id, plan row) of rows that arrive at a later workflow step.
        self.steps: list[tuple[int, PlanRow]] = []

    def _log_chunk(self, register: str, owners: list[PlanRow]):
        """``on_rows`` for create_many: log each chunk of new rows as it is stored."""
        def log(start: int, ids: list[int], rows: list[dict]) -> None:
            for j, (rid, row) in enumerate(zip(ids, rows)):
                self.log.record(register, rid, "create", None, row,
                                _source(self.plan, owners[start + j]))
        return log

    def _logged(self, register: str, action: str, written: batch.Written,
                owners: list[tuple[int, PlanRow]]) -> None:
        missing = {rid for rid, _pr in owners} - written.afters.keys()
        after = {**written.afters, **select_rows(self.conn, TABLES[register], missing)}
        for rid, pr in owners:
            self.log.record(register, rid, action, written.befores.get(rid), after[rid],
                            _source(self.plan, pr))
        self.result.changes.merge(written.changes)

    def arrived_steps(self) -> None:
        """Records that arrive already at a later step (调解成功 in the file) are moved
        there in one step recorded as 导入, dated by the file's own date when it has one."""
        if not self.steps:
            return
        stored = select_rows(self.conn, TABLES[self.plan.register], {r for r, _ in self.steps})
        items = []
        for rid, pr in self.steps:
            _ck, step, day = pr.step_to
            start = stored[rid].get("step_date")
            day = max(day, start) if day and start else day or start or dt.date.today()
            items.append((rid, step, day, "导入"))
        w = batch.advance_many(self.conn, self.plan.register, items, self.actor, jump=True)
        after = select_rows(self.conn, TABLES[self.plan.register], w.ids)
        for rid, pr in self.steps:
            self.log.record(self.plan.register, rid, "update", None, after[rid],
                            _source(self.plan, pr))
        self.result.changes.merge(w.changes)

    def new_refs(self) -> None:
        """Records the rows name but that were not registered (``--create-missing``), before
        the rows; each register in one batch, logged with the import so undo removes them."""
        by_register: dict[str, list[NewRef]] = {}
        for ref in self.plan.new_refs:
            by_register.setdefault(ref.register, []).append(ref)
        for register, refs in by_register.items():
            w = batch.create_many(self.conn, register, [self.plan.new_refs[r] for r in refs],
                                  self.actor, ctx=self.ctx)
            self.created_refs.update(zip(refs, w.ids))
            after = select_rows(self.conn, TABLES[register], w.ids)
            for rid in w.ids:
                self.log.record(register, rid, "create", None, after[rid],
                                f"{self.plan.file_name}（导入时按名称新建）")
            self.result.changes.merge(w.changes)

    def new_people(self, todo: list[PlanRow]) -> None:
        """Every new person of the plan at once (each once, however many rows name it)."""
        items, tokens, owners = [], [], []
        for pr in todo:
            for op in pr.persons:
                if op.person_id is None and op.token not in self.created_people:
                    self.created_people[op.token] = -1
                    items.append(op.create)
                    tokens.append(op.token)
                    owners.append(pr)
        if not items:
            return
        w = batch.create_many(self.conn, PEOPLE, items, self.actor, ctx=self.ctx,
                              on_rows=self._log_chunk(PEOPLE, owners))
        self.created_people.update(zip(tokens, w.ids))
        self.result.changes.merge(w.changes)
        self.result.people_created += len(w.ids)

    def _befores(self, register: str, owners: list[tuple[int, PlanRow]]) -> dict[int, dict]:
        """The stored rows about to be updated; a row gone or deleted since the plan stops
        the import with the row's place in the file."""
        stored = select_rows(self.conn, TABLES[register], {rid for rid, _pr in owners})
        for rid, pr in owners:
            row = stored.get(rid)
            if row is None or row["deleted_at"] is not None:
                raise CommitError(f"{pr.loc}写入时出错：{get_register(register).label}"
                                  f"（编号 {rid}）已被删除，请先恢复再修改。"
                                  "整个导入已撤回，没有写入任何数据。")
        return stored

    def person_updates(self, todo: list[PlanRow]) -> None:
        """Edits of existing people's columns, all at once (a person named by several rows
        is written once: the plan has checked that those rows agree)."""
        owners = [(op.person_id, pr) for pr in todo for op in pr.persons
                  if op.person_id is not None and op.update]
        if not owners:
            return
        merged: dict[int, dict] = {}
        for pr in todo:
            for op in pr.persons:
                if op.person_id is not None and op.update:
                    merged.setdefault(op.person_id, {}).update(op.update)
        befores = self._befores(PEOPLE, owners)
        w = batch.update_many(self.conn, PEOPLE, list(merged.items()), self.actor,
                              befores=befores, ctx=self.ctx)
        self._logged(PEOPLE, "update", w, owners)
        self.result.people_updated += len(owners)

    def _values(self, pr: PlanRow) -> dict:
        fields = self.fields
        values = {fk: v for fk, v in pr.values.items() if fk in fields}
        if self.created_refs:
            for fk, v in values.items():
                if isinstance(v, NewRef):
                    values[fk] = self.created_refs[v]
        for op in pr.persons:
            if op.person_id is None:
                values[op.via] = self.created_people[op.token]
            elif pr.record_id is None or op.via in values:
                # A linked person that stays the same is not a change of this record.
                values[op.via] = op.person_id
        return values

    def updates(self, rows: list[PlanRow]) -> None:
        """The register's own changed rows."""
        items, owners = [], []
        for pr in rows:
            values = self._values(pr)
            if values or pr.step_to:  # else only the person's own columns changed
                items.append((pr.record_id, values))
                owners.append((pr.record_id, pr))
        if not items:
            return
        befores = self._befores(self.plan.register, owners)
        w = batch.update_many(self.conn, self.plan.register, items, self.actor,
                              befores=befores, ctx=self.ctx)
        self._logged(self.plan.register, "update", w, owners)
        self.result.updated += len(items)
        self.steps += [(rid, pr) for rid, pr in owners if pr.step_to]

    def creates(self, rows: list[PlanRow], progress: Callable[[int], None]) -> None:
        if not rows:
            return
        # Each row's values are made as its chunk is written, not all 100,000 at once.
        w = batch.create_many(self.conn, self.plan.register, _Lazy(rows, self._values),
                              self.actor, uuids=[pr.uuid for pr in rows], ctx=self.ctx,
                              progress=lambda n: progress(n) is not False,
                              on_rows=self._log_chunk(self.plan.register, rows))
        self.result.changes.merge(w.changes)
        self.result.created += len(w.ids)
        self.steps += [(rid, pr) for rid, pr in zip(w.ids, rows) if pr.step_to]


class _Lazy(Sequence):
    """``fn(rows[i])`` made when item ``i`` is asked for (and then let go)."""

    def __init__(self, rows: list, fn: Callable) -> None:
        self.rows, self.fn = rows, fn

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.fn(r) for r in self.rows[i]]
        return self.fn(self.rows[i])
