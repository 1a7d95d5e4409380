"""Create / update / soft-delete / restore / list / search for every register, generically.

One user action is one transaction.  Each write records who and when (``actor``) on the row and
in ``audit_log``.  Functions take a *target*: a :class:`~app.storage.Database` (a transaction is
opened and committed) or an open :class:`sqlalchemy.Connection` (the caller's transaction, e.g.
a whole Excel import).  Rows come back as plain dicts — never live ORM objects — so the GUI
can hold them on any thread.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa

from ..core.validators import InvalidValue
from ..registry import get as get_register
from ..registry import base as k
from ..registry.base import Register
from ..storage import Database
from ..storage.schema import TABLES, workflow_events
from . import batch, hooks, query, rules
from .changes import Changes, Record
from .coerce import coerce_value
from ..storage.bulk import lock_rows
from .errors import FieldIssue, NotFound, StaleRecord, ValidationError, WorkflowError

__all__ = ["create", "update", "soft_delete", "restore", "get", "list_rows", "advance",
           "validate", "ValidationError", "FieldIssue", "NotFound", "WorkflowError",
           "StaleRecord", "transaction", "count", "Changes", "Record"]

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


def validate(conn: sa.Connection, key: str, values: dict, existing: dict | None = None,
             *, today: dt.date | None = None) -> tuple[dict, list[FieldIssue]]:
    """Check ``values`` for register ``key`` without writing.

    ``existing`` is the current row for an update (only the given keys change).  ``today``
    (default: the system date) is the day the values are judged on (no birth after it).
    Returns the coerced values to write and every issue found (errors and warnings)."""
    reg = get_register(key)
    issues: list[FieldIssue] = []
    clean: dict = {}
    for name, raw in values.items():
        if not reg.has_field(name):
            issues.append(FieldIssue(name, name, "不是这个台账的字段"))
            continue
        f = reg.field(name)
        if rules.step_changed(f, existing, raw):
            issues.append(FieldIssue(name, f.label, rules.STEP_BY_ADVANCE))
            continue
        try:
            clean[name] = coerce_value(f, raw, today)
        except InvalidValue as exc:
            issues.append(FieldIssue(name, f.label, str(exc)))
    bad = {i.field for i in issues}
    if existing is None:
        given = {**values, **clean}
        clean, derived = batch.prepare_new(hooks.lookups(conn), reg,
                                           {fk: v for fk, v in given.items() if fk not in bad})
        merged = dict(clean)
        issues += derived
    else:
        merged = {**existing, **clean}
        issues += hooks.derive(conn, reg, merged, clean, existing)
    issues += [FieldIssue(f.key, f.label, rules.REQUIRED)
               for f in rules.missing_required(reg, merged, bad)]
    for f in reg.fields:
        val = clean.get(f.key)
        if val is None or f.key in bad:
            continue
        if f.kind == k.REF:
            issues += _check_ref(conn, reg, f, val)
        if f.unique:
            issues += _check_unique(conn, reg, f, val, existing)
    issues += [FieldIssue(fk, reg.field(fk).label, msg)
               for fk, msg in rules.row_issues(reg, merged)]
    issues += [FieldIssue(fk, reg.field(fk).label, msg, "warning")
               for fk, msg in rules.month_only(reg, clean)]
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
    if other is None or not rules.unique_clash(other.id, existing):
        return []
    title = query.title_of(conn, reg, other.id)
    return [FieldIssue(f.key, f.label, rules.unique_message(
        val, other.id, title, other.deleted_at is not None))]


def _raise_if_errors(issues: list[FieldIssue], accept_warnings: bool) -> None:
    errors = [i for i in issues if i.level == "error" or not accept_warnings]
    if errors:
        raise ValidationError(errors)


def check(target: Database | sa.Connection, key: str, values: dict,
          record_id: int | None = None, *, today: dt.date | None = None
          ) -> tuple[dict, list[FieldIssue]]:
    """:func:`validate` on its own connection: the stored values and every issue, no write."""
    with reading(target) as conn:
        existing = query.get_row(conn, get_register(key), record_id) if record_id else None
        return validate(conn, key, values, existing, today=today)


def create(target: Database | sa.Connection, key: str, values: dict, actor: str, *,
           accept_warnings: bool = True, uuid: str | None = None,
           now: dt.datetime | None = None, today: dt.date | None = None,
           followups: bool = False) -> Record:
    """Insert a row; returns it, with ``.changes``.  Raises :class:`ValidationError`.
    ``followups``: also write what the register's declared follow-ups imply (the user said
    yes to :func:`app.services.followups.offer`), in the same transaction."""
    reg = get_register(key)
    with transaction(target) as conn:
        hooks.before_write(conn, key)  # before validate derives the 案件编号
        clean, issues = validate(conn, key, values, today=today or (now and now.date()))
        _raise_if_errors(issues, accept_warnings)
        w = batch.create_many(conn, key, [clean], actor, uuids=[uuid], now=now, prepared=True)
        row = query.get_row(conn, reg, w.ids[0])
        if followups and reg.followups:
            from . import followups as fu  # it reads through this module
            w.changes.merge(fu.apply(conn, key, row, actor))
        return Record(row, w.changes)


def update(target: Database | sa.Connection, key: str, record_id: int, values: dict,
           actor: str, *, accept_warnings: bool = True, now: dt.datetime | None = None,
           today: dt.date | None = None, version: int | None = None) -> Record:
    """Change the given fields of a row; returns it, with ``.changes`` (empty when nothing
    differed: unchanged values are not written).  ``version``: the row's version when the
    form read it; if someone saved it since, :class:`StaleRecord` and nothing is written."""
    reg = get_register(key)
    with transaction(target) as conn:
        hooks.before_write(conn, key)
        lock_rows(conn, TABLES[key], [record_id])
        existing = query.get_row(conn, reg, record_id)
        batch.check_versions(conn, reg, {record_id: existing}, {record_id: version})
        if existing["deleted_at"] is not None:
            raise ValidationError([FieldIssue("", reg.label, "该记录已删除，请先恢复再修改")])
        clean, issues = validate(conn, key, values, existing,
                                 today=today or (now and now.date()))
        _raise_if_errors(issues, accept_warnings)
        stored = {record_id: {c.name: existing.get(c.name) for c in TABLES[key].c}}
        w = batch.update_many(conn, key, [(record_id, clean)], actor, befores=stored, now=now,
                              prepared=True)
        return Record(query.get_row(conn, reg, record_id), w.changes)


def soft_delete(target: Database | sa.Connection, key: str, record_id: int, actor: str,
                reason: str = "", *, now: dt.datetime | None = None,
                version: int | None = None) -> Record:
    """Mark a row deleted (never removed: history may refer to it)."""
    reg = get_register(key)
    with transaction(target) as conn:
        w = batch.delete_many(conn, key, [record_id], actor, reason, now=now,
                              versions={record_id: version})
        return Record(query.get_row(conn, reg, record_id), w.changes)


def restore(target: Database | sa.Connection, key: str, record_id: int, actor: str, *,
            now: dt.datetime | None = None, version: int | None = None) -> Record:
    """Undo a soft delete, after checking that unique values are still free."""
    reg = get_register(key)
    with transaction(target) as conn:
        hooks.before_write(conn, key)
        lock_rows(conn, TABLES[key], [record_id])
        row = query.get_row(conn, reg, record_id)
        batch.check_versions(conn, reg, {record_id: row}, {record_id: version})
        issues = []
        if row["deleted_at"] is not None:
            for f in reg.fields:
                if f.unique and row.get(f.key) is not None:
                    issues += _check_unique(conn, reg, f, row[f.key], row)
        if issues:
            raise ValidationError(issues)
        w = batch.restore_many(conn, key, [record_id], actor, now=now)
        return Record(query.get_row(conn, reg, record_id), w.changes)


def get(target: Database | sa.Connection, key: str, record_id: int) -> dict:
    with reading(target) as conn:
        return query.get_row(conn, get_register(key), record_id)


def person_roles(target: Database | sa.Connection, person_ids) -> dict[int, list[str]]:
    """Who each person already is (党员, 调解员, 信访人 …): :func:`query.person_roles`."""
    with reading(target) as conn:
        return query.person_roles(conn, person_ids)


def next_steps(target: Database | sa.Connection, key: str, current: str | None) -> tuple:
    """The steps a row at ``current`` may go to next (alternatives share a position)."""
    reg = get_register(key)
    with reading(target) as conn:
        return batch.next_of(batch.workflow_steps_of(conn, reg), current)


def history(target: Database | sa.Connection, key: str, record_id: int) -> list[dict]:
    """The steps a row went through, oldest first."""
    with reading(target) as conn:
        rows = conn.execute(sa.select(workflow_events).where(
            workflow_events.c.register == key, workflow_events.c.record_id == record_id
        ).order_by(workflow_events.c.id)).mappings().all()
    return [dict(r) for r in rows]


def advance(target: Database | sa.Connection, key: str, record_id: int, step: str, actor: str,
            done_on: dt.date | None = None, note: str = "", *,
            now: dt.datetime | None = None, version: int | None = None) -> Record:
    """Move a workflow row to ``step``, which must be the next one (no skipping).
    ``version``: as for :func:`update` (a step another PC advanced since is refused)."""
    reg = get_register(key)
    done_on = done_on or batch.now_stamp(now).date()
    with transaction(target) as conn:
        w = batch.advance_many(conn, key, [(record_id, step, done_on, note)], actor, now=now,
                               versions={record_id: version})
        return Record(query.get_row(conn, reg, record_id), w.changes)
