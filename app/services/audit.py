"""The audit log: events besides record writes (sign-ins, failed sign-ins, exports, imports,
prints, full-number views, backups …), and reading the log back with filters.

Record writes are logged by :mod:`app.services.batch` (one row per record, ``{field: [before,
after]}``).  Both keep 身份证号 and phone numbers masked: the log says that a number changed,
not what it is.  The log is append-only: the application has no function that changes or
removes a row, and the database refuses UPDATE and DELETE on it (migration 0006).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Iterable

import sqlalchemy as sa

from ..registry import BY_KEY
from ..registry import base as k
from ..storage.schema import audit_log
from . import access

log = logging.getLogger(__name__)

#: Actions besides the record writes (create/update/delete/restore/advance/undo-import).
LOGIN, LOGIN_FAILED, LOGOUT, LOCKED = "login", "login-failed", "logout", "lockout"
EXPORT, IMPORT, PRINT, VIEW_FULL = "export", "import", "print", "view-full"
BACKUP, RESTORE, ACCOUNT, DENIED = "backup", "restore", "account", "denied"
ENCRYPT = "encrypt"

ACTION_LABELS = {
    "create": "新增", "update": "修改", "delete": "删除", "restore": "恢复", "advance": "推进",
    "undo-import": "撤销导入", LOGIN: "登录", LOGIN_FAILED: "登录失败", LOGOUT: "退出",
    LOCKED: "账号锁定", EXPORT: "导出", IMPORT: "导入", PRINT: "打印", VIEW_FULL: "查看完整号码",
    BACKUP: "备份", RESTORE: "恢复数据库", ACCOUNT: "账号管理", DENIED: "被拒绝",
    ENCRYPT: "加密数据库",
}

_SENSITIVE_WORDS = ("id_number", "phone")


def sensitive_fields(key: str) -> frozenset[str]:
    """Field keys of register ``key`` whose values the log masks (身份证号, phones)."""
    reg = BY_KEY.get(key)
    if reg is None:
        return frozenset()
    return frozenset(f.key for f in reg.fields if f.kind in (k.ID_NUMBER, k.PHONE))


def mask_changes(key: str, changes: dict) -> dict:
    """``{field: [before, after]}`` with the sensitive values masked."""
    reg = BY_KEY.get(key)
    if reg is None:
        return changes
    out = {}
    for fk, pair in changes.items():
        if reg.has_field(fk) and reg.field(fk).kind in (k.ID_NUMBER, k.PHONE):
            kind = reg.field(fk).kind
            out[fk] = [access.mask_value(kind, v) for v in pair]
        else:
            out[fk] = pair
    return out


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def record(target, actor: access.Actor | str, action: str, *, register: str = "",
           record_id: int = 0, detail: dict | None = None) -> None:
    """Append one event.  ``target`` is a Database (own transaction: the event stays even
    when the caller's work fails afterwards) or a Connection (the caller's transaction)."""
    from .records import transaction
    name = actor.name if isinstance(actor, access.Actor) else str(actor)
    text = json.dumps(detail, ensure_ascii=False, default=str) if detail else None
    with transaction(target) as conn:
        conn.execute(audit_log.insert().values(
            at=_now(), actor=name[:40], register=register, record_id=record_id,
            action=action, changes=text))


def record_detached(target, actor: access.Actor | str, action: str, *,
                    register: str = "", record_id: int = 0, detail: dict | None = None) -> None:
    """:func:`record` in a transaction of its own even when ``target`` is a connection that
    is only reading (its transaction would never be committed)."""
    engine = getattr(target, "engine", None)
    if engine is None:
        return record(target, actor, action, register=register, record_id=record_id,
                      detail=detail)
    with engine.begin() as conn:
        record(conn, actor, action, register=register, record_id=record_id, detail=detail)


def read(target, actor: access.Actor, *, user: str | None = None,
         actions: Iterable[str] | None = None, since: dt.date | dt.datetime | None = None,
         until: dt.date | dt.datetime | None = None, register: str | None = None,
         limit: int | None = 5000) -> list[dict]:
    """Audit rows, newest first, as dicts (``changes`` decoded).  Administrators only."""
    from .records import reading
    access.require(actor, access.AUDIT)
    t = audit_log
    stmt = sa.select(t)
    if user:
        stmt = stmt.where(t.c.actor == user)
    acts = [a for a in (actions or ()) if a]
    if acts:
        stmt = stmt.where(t.c.action.in_(acts))
    if since is not None:
        stmt = stmt.where(t.c.at >= _as_datetime(since))
    if until is not None:
        upper = _as_datetime(until)
        if not isinstance(until, dt.datetime):
            upper += dt.timedelta(days=1)
        stmt = stmt.where(t.c.at < upper)
    if register:
        stmt = stmt.where(t.c.register == register)
    stmt = stmt.order_by(t.c.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    with reading(target) as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    for r in rows:
        try:
            r["changes"] = json.loads(r["changes"]) if r["changes"] else None
        except ValueError:
            pass
    return rows


def _as_datetime(d: dt.date | dt.datetime) -> dt.datetime:
    return d if isinstance(d, dt.datetime) else dt.datetime.combine(d, dt.time())


def describe(row: dict) -> str:
    """One audit row's what, as a person reads it."""
    reg = BY_KEY.get(row.get("register") or "")
    parts = []
    if reg is not None:
        parts.append(f"{reg.label}#{row['record_id']}")
    ch = row.get("changes")
    if isinstance(ch, dict):
        items = []
        for fk, v in ch.items():
            label = reg.field(fk).label if reg is not None and reg.has_field(fk) else fk
            if isinstance(v, list) and len(v) == 2:
                items.append(f"{label}：{_text(v[0])} → {_text(v[1])}")
            else:
                items.append(f"{label}：{_text(v)}")
        parts.append("；".join(items))
    return " ".join(p for p in parts if p)


def _text(v: object) -> str:
    return "（空）" if v is None or v == "" else str(v)
