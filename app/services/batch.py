"""The one write path: create, update, soft-delete, restore and advance many records of one
register in one transaction.

Everything that changes data — a form, an import, an undo, the demo — ends here, so what a
write implies is computed in exactly one place:

- defaults, and derived values (:func:`hooks.derive`: birth date and gender from the ID
  number, 楼栋/单元/户 names and places, the yearly 案件编号, a meeting's label), with the
  database lookups they need asked once per batch (:class:`hooks.Lookups`);
- a workflow's first step and its history row;
- who and when on the row, one ``audit_log`` row per record with ``{field: [before, after]}``;
- the flags other registers keep in step (党员户), reported with the rest in a
  :class:`~app.services.changes.Changes`.

The single-record functions of :mod:`app.services.records` validate with queries and then
call these; an import has validated every row in memory with the same rule functions
(:mod:`app.services.rules`) and calls these directly.  The database's own constraints (UNIQUE,
foreign keys) still refuse a row that became a duplicate since.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

import sqlalchemy as sa

from ..registry import get as get_register
from ..registry import base as k
from ..registry.base import Register
from ..storage import bulk as sql
from ..storage.bulk import insert_many, insert_many_ids, lock_rows, select_rows
from ..storage.schema import TABLES, audit_log, workflow_events, workflow_steps
from . import hooks
from .changes import Changes
from .errors import FieldIssue, NotFound, StaleRecord, ValidationError, WorkflowError

#: Rows per INSERT batch (and per progress report).
CHUNK = 2000

#: One encoder for every audit row (``json.dumps`` builds a new one per call); dates are
#: written as ISO text by ``default``, so only they cost a call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=lambda v: v.isoformat()).encode
_DATES = (dt.date, dt.datetime)


@dataclass
class Written:
    """What a batch wrote: the ids (in the order of the items; for updates only the rows
    that really changed), every register and id changed (hooks included), and the stored
    rows before the write (updates, deletes, restores, advances)."""

    ids: list[int] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    befores: dict[int, dict] = field(default_factory=dict)
    #: The stored rows after the write (every column, as a SELECT of the table reads them),
    #: for creates and updates: an import's log hashes them without reading them back.
    afters: dict[int, dict] = field(default_factory=dict)


def now_stamp(now: dt.datetime | None = None) -> dt.datetime:
    """The time written on rows and audit entries (seconds; injectable for the demo/tests)."""
    return (now or dt.datetime.now()).replace(microsecond=0)


def audit_text(changes: dict) -> str | None:
    """``{field: (before, after)}`` as the audit log stores it."""
    if not changes:
        return None
    return _ENCODE({c: [b, a] for c, (b, a) in changes.items()})


@lru_cache(maxsize=None)
def _shape(key: str) -> tuple[frozenset, tuple[tuple[str, object], ...], tuple[str, ...]]:
    """A register's field keys, its declared defaults, and its field keys in order.  A yes/no
    field not given starts as 否 (False), not blank: 已挂牌 of a new member is "no", not
    "unknown" (derived flags are left to their derivation)."""
    reg = get_register(key)
    defaults = tuple((f.key, False if f.default is None and f.kind == k.BOOL else f.default)
                     for f in reg.fields
                     if f.default is not None or (f.kind == k.BOOL and not f.derived))
    return (frozenset(f.key for f in reg.fields), defaults,
            tuple(f.key for f in reg.fields))


def workflow_steps_of(conn: sa.Connection, reg: Register) -> list[tuple[str, ...]]:
    """The workflow's steps as stored (data, not code), grouped by position."""
    ws = workflow_steps
    rows = conn.execute(sa.select(ws.c.position, ws.c.name).where(
        ws.c.workflow == reg.workflow.key).order_by(ws.c.position, ws.c.id)).all()
    grouped: dict[int, list[str]] = {}
    for pos, name in rows:
        grouped.setdefault(pos, []).append(name)
    return [tuple(grouped[p]) for p in sorted(grouped)]


def prepare_new(ctx: hooks.Lookups, reg: Register, values: dict) -> tuple[dict, list]:
    """The stored values of a new row: the given ones, declared defaults for fields not
    given, then derived values.  Returns them with the derivations' warnings."""
    fields, defaults, _order = _shape(reg.key)
    clean = {fk: v for fk, v in values.items() if fk in fields}
    for fk, default in defaults:
        if fk not in clean and fk not in values:
            clean[fk] = default
    issues = hooks.derive(ctx, reg, dict(clean), clean, None) if reg.key in hooks.DERIVE \
        else []
    return clean, issues


def create_many(conn: sa.Connection, key: str, items: list[dict], actor: str, *,
                uuids: list[str | None] | None = None, now: dt.datetime | None = None,
                today: dt.date | None = None, prepared: bool = False,
                progress: Callable[[int], object] | None = None,
                ctx: hooks.Lookups | None = None,
                on_rows: Callable[[int, list[int], list[dict]], None] | None = None
                ) -> Written:
    """Insert ``items`` (field values) into register ``key``; returns the new ids in order.

    ``prepared``: the values already hold defaults and derived values (the caller validated
    them with :func:`app.services.records.validate`).  ``progress(n_done)`` returning False
    stops between chunks (the caller rolls back).  ``on_rows(first item index, ids, stored
    rows)`` receives each chunk's rows as stored; without it they are kept in ``afters``
    (an import logs them chunk by chunk instead, so 100,000 rows are not all held)."""
    reg = get_register(key)
    t = TABLES[key]
    stamp = now_stamp(now)
    hooks.before_write(conn, key)
    ctx = ctx or hooks.Lookups(conn)
    first_step = workflow_steps_of(conn, reg)[0][0] if reg.workflow else None
    today = today or stamp.date()
    _fields, _defaults, order = _shape(key)
    out = Written()
    for start in range(0, len(items), CHUNK):
        rows, audits = [], []
        for i in range(start, min(start + CHUNK, len(items))):
            clean = dict(items[i]) if prepared else prepare_new(ctx, reg, items[i])[0]
            if first_step is not None:
                clean["step"] = first_step
                if clean.get("step_date") is None:
                    clean["step_date"] = hooks.start_date(reg, clean) or today
            row = dict.fromkeys(order)
            row.update(clean)
            row.update(uuid=(uuids[i] if uuids else None) or str(uuidlib.uuid4()),
                       created_at=stamp, created_by=actor, updated_at=stamp, updated_by=actor,
                       version=1)
            rows.append(row)
            audits.append(_ENCODE({c: [None, v] for c, v in clean.items()})
                          if clean else None)
        new_ids = insert_many_ids(conn, t, rows)
        for rid, r in zip(new_ids, rows):
            r["id"] = rid
        if on_rows is not None:
            on_rows(start, new_ids, rows)
        else:
            out.afters.update(zip(new_ids, rows))
        insert_many(conn, audit_log, [
            {"at": stamp, "actor": actor, "register": key, "record_id": rid,
             "action": "create", "changes": a} for rid, a in zip(new_ids, audits)])
        if first_step is not None:
            insert_many(conn, workflow_events, [
                {"register": key, "record_id": rid, "step": first_step,
                 "done_on": r["step_date"], "note": None, "actor": actor, "at": stamp}
                for rid, r in zip(new_ids, rows)])
        out.ids += new_ids
        if progress is not None and progress(len(out.ids)) is False:
            break
    out.changes.add(key, out.ids)
    out.changes.merge(hooks.after_write(conn, key, out.ids))
    return out


def _stored(conn: sa.Connection, reg: Register, ids: Iterable[int], *,
            live: bool = True) -> dict[int, dict]:
    """The stored rows about to change, locked until the transaction ends (another PC's write
    to them waits, and ours is based on what is read here); a missing (or, with ``live``,
    deleted) one stops the batch with a Chinese message."""
    ids = list(ids)
    lock_rows(conn, TABLES[reg.key], ids)
    rows = select_rows(conn, TABLES[reg.key], ids)
    for rid in ids:
        row = rows.get(rid)
        if row is None:
            raise NotFound(reg.label, rid)
        if live and row["deleted_at"] is not None:
            raise ValidationError([FieldIssue("", reg.label,
                                              f"编号 {rid} 已删除，请先恢复再修改")])
    return rows


def check_versions(conn: sa.Connection, reg: Register, befores: dict[int, dict],
                   versions: dict[int, int] | None, *, reread: bool = False) -> None:
    """Refuse (:class:`StaleRecord`, nothing written) when a row's stored version is not the
    one the caller read it at (``versions``: id → version).  ``reread``: ``befores`` came
    from the caller, read before the rows were locked: their versions must still be the
    stored ones too."""
    if reread and befores:
        t = TABLES[reg.key]
        lock_rows(conn, t, befores)
        now = {}
        for where in sql.id_chunks(t.c.id, befores):
            now.update(conn.execute(sa.select(t.c.id, t.c.version).where(where))
                       .tuples().all())
        for rid, row in befores.items():
            if rid in now and row.get("version") is not None and now[rid] != row["version"]:
                current = select_rows(conn, t, [rid])[rid]
                raise StaleRecord(reg.label, rid, row["version"], current,
                                  _differences(reg, row, current))
    for rid, expected in (versions or {}).items():
        row = befores.get(rid)
        if row is not None and expected is not None and row.get("version") != expected:
            raise StaleRecord(reg.label, rid, expected, row)


def _differences(reg: Register, old: dict, new: dict) -> dict:
    """{field label: (old, new)} of the declared fields that differ."""
    return {f.label: (old.get(f.key), new.get(f.key)) for f in reg.fields
            if old.get(f.key) != new.get(f.key)}


def update_many(conn: sa.Connection, key: str, items: list[tuple[int, dict]], actor: str, *,
                befores: dict[int, dict] | None = None, now: dt.datetime | None = None,
                prepared: bool = False, ctx: hooks.Lookups | None = None,
                versions: dict[int, int] | None = None) -> Written:
    """Change the given fields of many rows: derived values recomputed, only values that
    differ written, one audit row ``update`` per changed row.  ``befores``: the stored rows
    (a SELECT of the table) if the caller has them.  Rows with the same changed columns share
    one ``executemany``.  ``ids`` of the result are the rows that changed.  ``versions``
    (id → the version the caller read): a row saved by someone else since is refused with
    :class:`StaleRecord`, and so is one whose ``befores`` are no longer what is stored."""
    reg = get_register(key)
    t = TABLES[key]
    stamp = now_stamp(now)
    fields = _shape(key)[0]
    hooks.before_write(conn, key)
    if befores is None:
        befores = _stored(conn, reg, [rid for rid, _v in items])
        check_versions(conn, reg, befores, versions)
    else:
        check_versions(conn, reg, befores, versions, reread=True)
    ctx = ctx or hooks.Lookups(conn)
    derives = key in hooks.DERIVE and not prepared
    groups: dict[tuple[str, ...], list[list]] = {}
    audits: list[dict] = []
    out = Written(befores=befores)
    for rid, values in items:
        existing = befores[rid]
        clean = {fk: v for fk, v in values.items() if fk in fields}
        if derives:
            hooks.derive(ctx, reg, {**existing, **clean}, clean, existing)
        changes = {c: (existing.get(c), v) for c, v in clean.items() if existing.get(c) != v}
        if not changes:
            continue
        names = ("updated_at", "updated_by", *changes)
        groups.setdefault(names, []).append(
            [stamp, actor, *(after for _b, after in changes.values()), rid])
        after = dict(existing)
        after.update(updated_at=stamp, updated_by=actor,
                     version=(existing.get("version") or 1) + 1)
        after.update((c, a) for c, (_b, a) in changes.items())
        out.afters[rid] = after
        audits.append({"at": stamp, "actor": actor, "register": key, "record_id": rid,
                       "action": "update", "changes": audit_text(changes)})
        out.ids.append(rid)
    for names, params in groups.items():
        sql.update_many(conn, t, names, params)
    insert_many(conn, audit_log, audits)
    out.changes.add(key, out.ids)
    out.changes.merge(hooks.after_write(conn, key, out.ids,
                                        {i: befores[i] for i in out.ids}))
    return out


def _set_deleted(conn: sa.Connection, key: str, ids: list[int], actor: str, *,
                 delete: bool, reason: str, now: dt.datetime | None,
                 versions: dict[int, int] | None = None) -> Written:
    reg = get_register(key)
    t = TABLES[key]
    stamp = now_stamp(now)
    hooks.before_write(conn, key)
    befores = _stored(conn, reg, ids, live=False)
    check_versions(conn, reg, befores, versions)
    todo = [i for i in dict.fromkeys(ids) if (befores[i]["deleted_at"] is None) == delete]
    if delete:
        values = {"deleted_at": stamp, "deleted_by": actor, "deleted_reason": reason or None}
        action, change = "delete", {"deleted_reason": (None, reason)}
    else:
        values = {"deleted_at": None, "deleted_by": None, "deleted_reason": None}
        action, change = "restore", {}
    names = ("updated_at", "updated_by", *values)
    sql.update_many(conn, t, names, [[stamp, actor, *values.values(), rid] for rid in todo])
    text = audit_text(change)
    insert_many(conn, audit_log, [{"at": stamp, "actor": actor, "register": key,
                                   "record_id": rid, "action": action, "changes": text}
                                  for rid in todo])
    out = Written(ids=todo, befores=befores)
    out.changes.add(key, todo)
    out.changes.merge(hooks.after_write(conn, key, todo, {i: befores[i] for i in todo}))
    return out


def delete_many(conn: sa.Connection, key: str, ids: list[int], actor: str, reason: str = "",
                *, now: dt.datetime | None = None,
                versions: dict[int, int] | None = None) -> Written:
    """Mark rows deleted (never removed: history may refer to them)."""
    return _set_deleted(conn, key, ids, actor, delete=True, reason=reason, now=now,
                        versions=versions)


def restore_many(conn: sa.Connection, key: str, ids: list[int], actor: str, *,
                 now: dt.datetime | None = None,
                 versions: dict[int, int] | None = None) -> Written:
    """Undo soft deletes (the caller has checked that unique values are still free)."""
    return _set_deleted(conn, key, ids, actor, delete=False, reason="", now=now,
                        versions=versions)


def step_error(steps: list[tuple[str, ...]], current: str | None, step: str,
               last_date: dt.date | None, done_on: dt.date, jump: bool = False) -> str | None:
    """Why a row at ``current`` (dated ``last_date``) may not go to ``step`` on ``done_on``:
    the next step only (``jump``: any later step, for a record imported in its real state),
    never back in time (the same day is fine).  None if it may."""
    allowed = next_of(steps, current)
    if jump:
        pos = {s: i for i, alts in enumerate(steps) for s in alts}
        here = pos.get(current, -1)
        allowed = tuple(s for s, i in pos.items() if i > here)
    if step not in allowed:
        if not allowed:
            return f"“{current}”已是最后一步，不能再推进"
        return (f"当前步骤是“{current}”，下一步只能是“{'/'.join(allowed)}”，"
                f"不能跳到“{step}”")
    if last_date and done_on < last_date:
        return f"日期 {done_on:%Y-%m-%d} 早于上一步的日期 {last_date:%Y-%m-%d}"
    return None


def next_of(steps: list[tuple[str, ...]], current: str | None) -> tuple[str, ...]:
    """The steps that may follow ``current`` (alternatives share a position)."""
    for i, alts in enumerate(steps):
        if current in alts:
            return steps[i + 1] if i + 1 < len(steps) else ()
    return steps[0] if current is None and steps else ()


def advance_many(conn: sa.Connection, key: str, items: list[tuple[int, str, dt.date, str]],
                 actor: str, *, now: dt.datetime | None = None, jump: bool = False,
                 versions: dict[int, int] | None = None) -> Written:
    """Move workflow rows on: ``items`` are (id, step, done on, note).  Each must be the
    row's next step (``jump``: any later one — a record that arrives from a file in its
    real state), dated no earlier than the step before; a row may appear several times
    (its steps in order).  Any refusal raises :class:`WorkflowError` and nothing is kept;
    ``versions`` as for :func:`update_many` (a step advanced from another PC since is
    refused with :class:`StaleRecord`)."""
    reg = get_register(key)
    if reg.workflow is None:
        raise WorkflowError(f"{reg.label}没有流程步骤")
    t = TABLES[key]
    stamp = now_stamp(now)
    steps = workflow_steps_of(conn, reg)
    hooks.before_write(conn, key)
    befores = _stored(conn, reg, [i for i, *_ in items], live=False)
    check_versions(conn, reg, befores, versions)
    current = {rid: dict(row) for rid, row in befores.items()}
    events, audits = [], []
    for rid, step, done_on, note in items:
        row = current[rid]
        if row["deleted_at"] is not None:
            raise WorkflowError("该记录已删除，不能推进")
        problem = step_error(steps, row["step"], step, row.get("step_date"), done_on, jump)
        if problem:
            raise WorkflowError(problem)
        values = {"step": step, "step_date": done_on}
        values.update(hooks.on_advance(reg, row, step, done_on))
        audits.append({"at": stamp, "actor": actor, "register": key, "record_id": rid,
                       "action": "advance", "changes": audit_text(
                           {"step": (row["step"], step),
                            "step_date": (row.get("step_date"), done_on)})})
        events.append({"register": key, "record_id": rid, "step": step, "done_on": done_on,
                       "note": note or None, "actor": actor, "at": stamp})
        row.update(values)
        row["_touched"] = tuple(dict.fromkeys((*row.get("_touched", ()), *values)))
    groups: dict[tuple[str, ...], list[list]] = {}
    for rid, row in current.items():
        touched = row.pop("_touched", ())
        if touched:
            names = ("updated_at", "updated_by", *touched)
            groups.setdefault(names, []).append(
                [stamp, actor, *(row[n] for n in touched), rid])
    for names, params in groups.items():
        sql.update_many(conn, t, names, params)
    insert_many(conn, workflow_events, events)
    insert_many(conn, audit_log, audits)
    out = Written(ids=list(dict.fromkeys(i for i, *_ in items)), befores=befores)
    out.changes.add(key, out.ids)
    return out
