"""Create / update / soft-delete / restore / list / search for every register, generically.

One user action is one transaction.  Each write records who and when (``actor``) on the row and
in ``audit_log``.  Functions take a *target*: a :class:`~app.storage.Database` (a transaction is
opened and committed) or an open :class:`sqlalchemy.Connection` (the caller's transaction, e.g.
a whole Excel import).  Rows come back as plain dicts — never live ORM objects — so the GUI
can hold them on any thread.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa

from ..core.validators import InvalidValue
from ..registry import get as get_register
from ..registry import base as k
from ..registry.base import Register
from ..storage import Database
from ..storage.schema import TABLES, audit_log, workflow_events
from . import hooks, query
from .coerce import coerce_value, is_blank
from .errors import FieldIssue, NotFound, ValidationError, WorkflowError

__all__ = ["create", "update", "soft_delete", "restore", "get", "list_rows", "advance",
           "validate", "ValidationError", "FieldIssue", "NotFound", "WorkflowError",
           "transaction", "count"]

list_rows = query.list_rows
count = query.count


@contextmanager
def transaction(target: Database | sa.Connection) -> Iterator[sa.Connection]:
    """A connection inside a transaction: a new one for a Database, the same for a Connection."""
    if isinstance(target, sa.Connection):
        yield target
    else:
        with target.begin() as conn:
            yield conn


@contextmanager
def reading(target: Database | sa.Connection) -> Iterator[sa.Connection]:
    if isinstance(target, sa.Connection):
        yield target
    else:
        with target.connect() as conn:
            yield conn


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _jsonable(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _audit(conn: sa.Connection, reg: Register, record_id: int, action: str, actor: str,
           changes: dict | None) -> None:
    conn.execute(audit_log.insert().values(
        at=_now(), actor=actor, register=reg.key, record_id=record_id, action=action,
        changes=json.dumps({key: [_jsonable(a), _jsonable(b)] for key, (a, b) in
                            (changes or {}).items()}, ensure_ascii=False) if changes else None))


def validate(conn: sa.Connection, key: str, values: dict, existing: dict | None = None
             ) -> tuple[dict, list[FieldIssue]]:
    """Check ``values`` for register ``key`` without writing.

    ``existing`` is the current row for an update (only the given keys change).  Returns the
    coerced values to write and every issue found (errors and warnings)."""
    reg = get_register(key)
    issues: list[FieldIssue] = []
    clean: dict = {}
    for name, raw in values.items():
        if not reg.has_field(name):
            issues.append(FieldIssue(name, name, "不是这个台账的字段"))
            continue
        f = reg.field(name)
        if f.kind == k.STEP and existing is not None and raw != existing.get(name):
            issues.append(FieldIssue(name, f.label, "步骤只能通过“推进”按顺序改变"))
            continue
        try:
            clean[name] = coerce_value(f, raw)
        except InvalidValue as exc:
            issues.append(FieldIssue(name, f.label, str(exc)))
    merged = {**(existing or {}), **clean}
    if existing is None:
        for f in reg.fields:
            if f.key not in clean and f.default is not None and f.key not in values:
                merged[f.key] = clean[f.key] = f.default
    bad = {i.field for i in issues}
    issues += hooks.derive(conn, reg, merged, clean, existing)
    for f in reg.fields:
        if f.required and f.kind != k.STEP and f.key not in bad and is_blank(merged.get(f.key)):
            issues.append(FieldIssue(f.key, f.label, "必须填写"))
    for f in reg.fields:
        val = clean.get(f.key)
        if val is None or f.key in bad:
            continue
        if f.kind == k.REF:
            issues += _check_ref(conn, reg, f, val)
        if f.unique:
            issues += _check_unique(conn, reg, f, val, existing)
    if reg.validate:
        issues += [FieldIssue(fk, reg.field(fk).label, msg)
                   for fk, msg in reg.validate(merged)]
    return clean, issues


def _check_ref(conn: sa.Connection, reg: Register, f: k.Field, val: int) -> list[FieldIssue]:
    t = TABLES[f.ref]
    row = conn.execute(sa.select(t.c.id, t.c.deleted_at).where(t.c.id == val)).first()
    target = get_register(f.ref).label
    if row is None:
        return [FieldIssue(f.key, f.label, f"所选{target}（编号 {val}）不存在")]
    if row.deleted_at is not None:
        return [FieldIssue(f.key, f.label, f"所选{target}已删除，请先恢复或另选")]
    return []


def _check_unique(conn, reg: Register, f: k.Field, val, existing) -> list[FieldIssue]:
    t = TABLES[reg.key]
    stmt = sa.select(t.c.id, t.c.deleted_at).where(t.c[f.key] == val)
    if existing is not None:
        stmt = stmt.where(t.c.id != existing["id"])
    other = conn.execute(stmt).first()
    if other is None:
        return []
    title = query.title_of(conn, reg, other.id)
    extra = "（该记录已删除，可在“显示已删除”中恢复）" if other.deleted_at else ""
    return [FieldIssue(f.key, f.label, f"“{val}”已登记在“{title}”（编号 {other.id}）{extra}，"
                                       "请勿重复录入")]


def _raise_if_errors(issues: list[FieldIssue], accept_warnings: bool) -> None:
    errors = [i for i in issues if i.level == "error" or not accept_warnings]
    if errors:
        raise ValidationError(errors)


def create(target: Database | sa.Connection, key: str, values: dict, actor: str, *,
           accept_warnings: bool = True, uuid: str | None = None) -> dict:
    """Insert a row; returns it as a dict.  Raises :class:`ValidationError`."""
    reg = get_register(key)
    t = TABLES[key]
    with transaction(target) as conn:
        clean, issues = validate(conn, key, values)
        _raise_if_errors(issues, accept_warnings)
        now = _now()
        first_step = None
        if reg.workflow:
            first_step = _steps(conn, reg)[0][0]
            clean["step"] = first_step
            clean.setdefault("step_date", hooks.start_date(reg, clean) or dt.date.today())
        row_id = conn.execute(t.insert().values(
            uuid=uuid or str(uuidlib.uuid4()), created_at=now, created_by=actor,
            updated_at=now, updated_by=actor, **clean)).inserted_primary_key[0]
        hooks.after_write(conn, reg, row_id)
        if first_step:
            conn.execute(workflow_events.insert().values(
                register=key, record_id=row_id, step=first_step, done_on=clean["step_date"],
                note=None, actor=actor, at=now))
        _audit(conn, reg, row_id, "create", actor, {c: (None, v) for c, v in clean.items()})
        return query.get_row(conn, reg, row_id)


def update(target: Database | sa.Connection, key: str, record_id: int, values: dict,
           actor: str, *, accept_warnings: bool = True) -> dict:
    """Change the given fields of a row; returns the row.  Unchanged values are not written."""
    reg = get_register(key)
    t = TABLES[key]
    with transaction(target) as conn:
        existing = query.get_row(conn, reg, record_id)
        if existing["deleted_at"] is not None:
            raise ValidationError([FieldIssue("", reg.label, "该记录已删除，请先恢复再修改")])
        clean, issues = validate(conn, key, values, existing)
        _raise_if_errors(issues, accept_warnings)
        changes = {c: (existing.get(c), v) for c, v in clean.items() if existing.get(c) != v}
        if changes:
            conn.execute(t.update().where(t.c.id == record_id).values(
                updated_at=_now(), updated_by=actor, **{c: v for c, (_, v) in changes.items()}))
            hooks.after_write(conn, reg, record_id, existing)
            _audit(conn, reg, record_id, "update", actor, changes)
        return query.get_row(conn, reg, record_id)


def soft_delete(target: Database | sa.Connection, key: str, record_id: int, actor: str,
                reason: str = "") -> dict:
    """Mark a row deleted (never removed: history may refer to it)."""
    reg = get_register(key)
    t = TABLES[key]
    with transaction(target) as conn:
        row = query.get_row(conn, reg, record_id)
        if row["deleted_at"] is not None:
            return row
        conn.execute(t.update().where(t.c.id == record_id).values(
            deleted_at=_now(), deleted_by=actor, deleted_reason=reason or None,
            updated_at=_now(), updated_by=actor))
        hooks.after_write(conn, reg, record_id)
        _audit(conn, reg, record_id, "delete", actor, {"deleted_reason": (None, reason)})
        return query.get_row(conn, reg, record_id)


def restore(target: Database | sa.Connection, key: str, record_id: int, actor: str) -> dict:
    """Undo a soft delete, after checking that unique values are still free."""
    reg = get_register(key)
    t = TABLES[key]
    with transaction(target) as conn:
        row = query.get_row(conn, reg, record_id)
        if row["deleted_at"] is None:
            return row
        issues = []
        for f in reg.fields:
            if f.unique and row.get(f.key) is not None:
                issues += _check_unique(conn, reg, f, row[f.key], row)
        if issues:
            raise ValidationError(issues)
        conn.execute(t.update().where(t.c.id == record_id).values(
            deleted_at=None, deleted_by=None, deleted_reason=None, updated_at=_now(),
            updated_by=actor))
        hooks.after_write(conn, reg, record_id)
        _audit(conn, reg, record_id, "restore", actor, None)
        return query.get_row(conn, reg, record_id)


def get(target: Database | sa.Connection, key: str, record_id: int) -> dict:
    with reading(target) as conn:
        return query.get_row(conn, get_register(key), record_id)


def _steps(conn: sa.Connection, reg: Register) -> list[tuple[str, ...]]:
    """The workflow's steps as stored (data, not code), grouped by position."""
    from ..storage.schema import workflow_steps as ws
    rows = conn.execute(sa.select(ws.c.position, ws.c.name).where(
        ws.c.workflow == reg.workflow.key).order_by(ws.c.position, ws.c.id)).all()
    grouped: dict[int, list[str]] = {}
    for pos, name in rows:
        grouped.setdefault(pos, []).append(name)
    return [tuple(grouped[p]) for p in sorted(grouped)]


def next_steps(target: Database | sa.Connection, key: str, current: str | None) -> tuple:
    """The steps a row at ``current`` may go to next (alternatives share a position)."""
    reg = get_register(key)
    with reading(target) as conn:
        steps = _steps(conn, reg)
    for i, alts in enumerate(steps):
        if current in alts:
            return steps[i + 1] if i + 1 < len(steps) else ()
    return steps[0] if current is None and steps else ()


def history(target: Database | sa.Connection, key: str, record_id: int) -> list[dict]:
    """The steps a row went through, oldest first."""
    with reading(target) as conn:
        rows = conn.execute(sa.select(workflow_events).where(
            workflow_events.c.register == key, workflow_events.c.record_id == record_id
        ).order_by(workflow_events.c.id)).mappings().all()
    return [dict(r) for r in rows]


def advance(target: Database | sa.Connection, key: str, record_id: int, step: str, actor: str,
            done_on: dt.date | None = None, note: str = "") -> dict:
    """Move a workflow row to ``step``, which must be the next one (no skipping)."""
    reg = get_register(key)
    if reg.workflow is None:
        raise WorkflowError(f"{reg.label}没有流程步骤")
    t = TABLES[key]
    done_on = done_on or dt.date.today()
    with transaction(target) as conn:
        row = query.get_row(conn, reg, record_id)
        if row["deleted_at"] is not None:
            raise WorkflowError("该记录已删除，不能推进")
        allowed = next_steps(conn, key, row["step"])
        if step not in allowed:
            if not allowed:
                raise WorkflowError(f"“{row['step']}”已是最后一步，不能再推进")
            raise WorkflowError(f"当前步骤是“{row['step']}”，下一步只能是“{'/'.join(allowed)}”，"
                                f"不能跳到“{step}”")
        if row.get("step_date") and done_on < row["step_date"]:
            raise WorkflowError(f"日期 {done_on:%Y-%m-%d} 早于上一步的日期 "
                                f"{row['step_date']:%Y-%m-%d}")
        values = {"step": step, "step_date": done_on}
        values.update(hooks.on_advance(reg, row, step, done_on))
        conn.execute(t.update().where(t.c.id == record_id).values(
            updated_at=_now(), updated_by=actor, **values))
        conn.execute(workflow_events.insert().values(
            register=key, record_id=record_id, step=step, done_on=done_on, note=note or None,
            actor=actor, at=_now()))
        _audit(conn, reg, record_id, "advance", actor,
               {"step": (row["step"], step), "step_date": (row.get("step_date"), done_on)})
        return query.get_row(conn, reg, record_id)
