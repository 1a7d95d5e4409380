"""Undo of the last edit (编辑 → 撤销, Ctrl+Z), read from the audit log.

Every write leaves one ``audit_log`` row per record with its before and after values; undoing
one writes the before-image back through the same batch operations as any other write
(derived values, 党员户 and place totals follow), so an undo is itself audited.  Its audit
rows say ``undo <id>`` (the audit row undone): the next undo skips both, and goes one edit
further back.

What can be undone: a new record (it is deleted again — soft, as always), a change (the
values before it come back), a delete (restored) and a restore (deleted again).  Workflow
steps are history, and an import is undone as a whole batch elsewhere (导入记录与撤销), so
``floor`` lets the window start after them.  An edit whose record has changed since is not
undone: the later change would be lost.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa

from ..core.validators import InvalidValue
from ..registry import BY_KEY
from ..registry import get as get_register
from ..storage import Database
from ..storage.bulk import lock_rows
from ..storage.schema import TABLES, audit_log
from . import batch, hooks, query
from .changes import Changes
from .coerce import coerce_value
from .errors import FieldIssue, ValidationError
from .records import _check_unique, reading, transaction

UNDOABLE = ("create", "update", "delete", "restore")
_VERB = {"create": "新增", "update": "修改", "delete": "删除", "restore": "恢复",
         "advance": "推进"}


@dataclass(frozen=True)
class Edit:
    """An audited write that could be undone: its audit row and what it was."""

    audit_id: int
    register: str
    record_id: int
    action: str
    title: str
    at: dt.datetime

    @property
    def text(self) -> str:
        """修改党员“张三” — for the menu and the status bar."""
        label = get_register(self.register).label
        return f"{_VERB.get(self.action, self.action)}{label}“{self.title}”"


def latest_id(target: Database | sa.Connection) -> int:
    """The newest audit row (an undo floor: nothing up to it will be offered)."""
    with reading(target) as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(audit_log.c.id), 0))
                            ).scalar_one()


def _undone(conn: sa.Connection, actor: str, floor: int) -> set[int]:
    rows = conn.execute(sa.select(audit_log.c.action).where(
        audit_log.c.id > floor, audit_log.c.actor == actor,
        audit_log.c.action.like("undo %"))).scalars()
    return {int(a.split()[1]) for a in rows}


def last_edit(target: Database | sa.Connection, actor: str, floor: int = 0) -> Edit | None:
    """The newest write by ``actor`` after audit row ``floor`` not undone yet (None if none)."""
    with reading(target) as conn:
        skip = _undone(conn, actor, floor)
        rows = conn.execute(sa.select(audit_log).where(
            audit_log.c.id > floor, audit_log.c.actor == actor,
            audit_log.c.register.in_(list(BY_KEY)),
            audit_log.c.action.not_like("undo %")).order_by(audit_log.c.id.desc())
            .limit(len(skip) + 1)).mappings().all()
        row = next((r for r in rows if r["id"] not in skip), None)
        if row is None:
            return None
        reg = get_register(row["register"])
        try:
            title = query.title_of(conn, reg, row["record_id"]) or f"编号 {row['record_id']}"
        except Exception:  # the record's title cannot be read: say its number
            title = f"编号 {row['record_id']}"
        return Edit(row["id"], row["register"], row["record_id"], row["action"], str(title),
                    row["at"])


def _before_values(reg, changes: dict) -> dict:
    """The audit row's before-values as the services take them (dates parsed back)."""
    values = {}
    for key, (before, _after) in changes.items():
        if not reg.has_field(key) or key in ("step", "step_date"):
            continue
        f = reg.field(key)
        try:
            values[key] = coerce_value(f, before) if before is not None else None
        except InvalidValue:
            values[key] = before
    return values


def undo(target: Database | sa.Connection, edit: Edit, actor: str, *,
         now: dt.datetime | None = None) -> Changes:
    """Write back the before-image of ``edit``; returns what changed.  Raises
    :class:`ValidationError` (in Chinese) when it cannot be undone."""
    reg = get_register(edit.register)
    refuse = lambda why: ValidationError([FieldIssue("", reg.label, why)])  # noqa: E731
    if edit.action not in UNDOABLE:
        raise refuse(f"“{edit.text}”是流程记录，不能撤销；如有错误请修改该记录")
    with transaction(target) as conn:
        # The record locked first (several PCs, issue 14): no one else's change can come in
        # between the check that nothing changed since and the write below.
        hooks.before_write(conn, reg.key)
        lock_rows(conn, TABLES[reg.key], [edit.record_id])
        row = conn.execute(sa.select(audit_log).where(audit_log.c.id == edit.audit_id)
                           ).mappings().first()
        undone = _undone(conn, row["actor"], 0) if row else set()
        later = conn.execute(sa.select(audit_log.c.id, audit_log.c.action).where(
            audit_log.c.register == edit.register, audit_log.c.record_id == edit.record_id,
            audit_log.c.id > edit.audit_id)).all()
        if row is None or edit.audit_id in undone or any(
                a_id not in undone and not action.startswith("undo ") for a_id, action in later):
            raise refuse(f"“{edit.text}”之后这条记录又有改动，不能再撤销这一步")
        mark = conn.execute(sa.select(sa.func.coalesce(sa.func.max(audit_log.c.id), 0))
                            ).scalar_one()
        rid = edit.record_id
        if edit.action == "create":
            w = batch.delete_many(conn, reg.key, [rid], actor, "撤销新增", now=now)
        elif edit.action == "delete":
            stored = query.get_row(conn, reg, rid)
            issues = [i for f in reg.fields if f.unique and stored.get(f.key) is not None
                      for i in _check_unique(conn, reg, f, stored[f.key], stored)]
            if issues:
                raise ValidationError(issues)
            w = batch.restore_many(conn, reg.key, [rid], actor, now=now)
        elif edit.action == "restore":
            w = batch.delete_many(conn, reg.key, [rid], actor, "撤销恢复", now=now)
        else:
            values = _before_values(reg, json.loads(row["changes"] or "{}"))
            w = batch.update_many(conn, reg.key, [(rid, values)], actor, now=now)
        # Say which edit these rows undo, so the next undo goes one further back (a marker
        # row when nothing differed: the values were already back).
        marked = conn.execute(audit_log.update().where(
            audit_log.c.id > mark, audit_log.c.register == reg.key,
            audit_log.c.record_id == rid).values(action=f"undo {edit.audit_id}")).rowcount
        if not marked:
            conn.execute(audit_log.insert().values(
                at=batch.now_stamp(now), actor=actor, register=reg.key, record_id=rid,
                action=f"undo {edit.audit_id}", changes=None))
        return w.changes or Changes().add(reg.key, [rid])


def undo_last(target: Database | sa.Connection, actor: str, floor: int = 0
              ) -> tuple[Edit | None, Changes]:
    """Undo the newest edit of ``actor`` after ``floor``: (the edit, what changed), or
    (None, empty Changes) when there is nothing to undo."""
    edit = last_edit(target, actor, floor)
    if edit is None:
        return None, Changes()
    return edit, undo(target, edit, actor)


__all__ = ["Edit", "last_edit", "undo", "undo_last", "latest_id", "UNDOABLE"]
