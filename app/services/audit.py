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
BACKUP, ACCOUNT, DENIED = "backup", "account", "denied"
#: A database replaced by a backup.  Older logs wrote ``restore`` for it too (the name a record
#: brought back from the 回收站 keeps): such a row names no register (:func:`action_label`).
RESTORE = "db-restore"
#: A record brought back from the 回收站 (written by :mod:`app.services.batch`).
RECORD_RESTORE = "restore"
#: Undo markers are ``undo N`` (N: the audit row undone); ``undo`` selects them all in
#: :func:`read`.
UNDO = "undo"
ENCRYPT = "encrypt"
#: Security settings (:mod:`app.services.security`): the idle time changed, a new recovery
#: key.  Older logs wrote ``account`` and ``encrypt`` for them; those rows read as they did.
SECURITY, RECOVERY_KEY = "security", "recovery-key"

ACTION_LABELS = {
    "create": "新增", "update": "修改", "delete": "删除", RECORD_RESTORE: "恢复",
    "advance": "推进",
    "undo-import": "撤销导入", LOGIN: "登录", LOGIN_FAILED: "登录失败", LOGOUT: "退出",
    LOCKED: "账号锁定", EXPORT: "导出", IMPORT: "导入", PRINT: "打印", VIEW_FULL: "查看完整号码",
    BACKUP: "备份", RESTORE: "用备份恢复数据库", ACCOUNT: "账号管理", DENIED: "被拒绝",
    UNDO: "撤销",
    ENCRYPT: "加密数据库", SECURITY: "修改安全设置", RECOVERY_KEY: "生成新的恢复密钥",
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
         search: str | None = None, limit: int | None = 5000) -> list[dict]:
    """Audit rows, newest first, as dicts (``changes`` decoded).  Administrators only; one
    limited to some 社区 reads only the rows within them (:func:`scope_clause`).

    Every filter is part of the query, so ``limit`` (the newest rows) applies after them:
    ``search`` (words that must all occur, :func:`search_clause`) finds old rows too."""
    from .records import reading
    access.require(actor, access.AUDIT)
    t = audit_log
    with reading(target) as conn:
        stmt = sa.select(t).where(*_filters(conn, actor, user=user, actions=actions,
                                            since=since, until=until, register=register,
                                            search=search))
        stmt = stmt.order_by(t.c.id.desc())
        if limit:
            stmt = stmt.limit(limit)
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    for r in rows:
        try:
            r["changes"] = json.loads(r["changes"]) if r["changes"] else None
        except ValueError:
            pass
    return rows


def _filters(conn, actor: access.Actor, *, user=None, actions=None, since=None, until=None,
             register=None, search=None) -> list:
    """The WHERE clauses of :func:`read`."""
    t = audit_log
    out = []
    scoped = scope_clause(conn, actor)
    if scoped is not None:
        out.append(scoped)
    if user:
        out.append(t.c.actor == user)
    acts = [a for a in (actions or ()) if a]
    if acts:
        out.append(sa.or_(*(_action_clause(a) for a in dict.fromkeys(acts))))
    if since is not None:
        out.append(t.c.at >= _as_datetime(since))
    if until is not None:
        upper = _as_datetime(until)
        if not isinstance(until, dt.datetime):
            upper += dt.timedelta(days=1)
        out.append(t.c.at < upper)
    if register:
        out.append(t.c.register == register)
    if search and search.strip():
        out.append(search_clause(search))
    return out


def _of_a_register():
    """Rows naming a register (a record restored from the 回收站, not a database)."""
    return audit_log.c.register.in_(sorted(BY_KEY))


def _action_clause(action: str):
    """The rows of one action as the 操作 filter means it."""
    t = audit_log
    if action == UNDO:  # every undo marker (``undo N``: N is the row undone)
        return sa.or_(t.c.action == UNDO, t.c.action.like(UNDO + " %"))
    if action == RECORD_RESTORE:  # older logs wrote ``restore`` for a database too
        return sa.and_(t.c.action == RECORD_RESTORE, _of_a_register())
    if action == RESTORE:
        return sa.or_(t.c.action == RESTORE,
                      sa.and_(t.c.action == RECORD_RESTORE, sa.not_(_of_a_register())))
    return t.c.action == action


def mask_text(text: str) -> str:
    """Free text for a detail (a search as typed) with every run of digits that looks like a
    身份证号 or a mobile number masked as the log masks such fields (``110105********002X``,
    ``138****5678``).  Text without one is returned as typed."""
    from ..core.validators import clean_text
    from ..logsetup import mask_sensitive
    if not text:
        return text
    cleaned = clean_text(text)  # full-width digits, zero-width characters between them
    masked = mask_sensitive(cleaned)
    return text if masked == cleaned else masked


# -- 社区 scope -------------------------------------------------------------------------------

def accounts_within(conn, actor: access.Actor) -> tuple[set[int], set[str]]:
    """(ids, names) of the accounts whose 社区 all lie within ``actor``'s, ``actor``'s own
    included.  An account of the whole street is within no limited account's scope."""
    from ..storage.schema import accounts
    allowed = actor.communities or frozenset()
    ids: set[int] = set()
    names = {actor.name}
    if actor.account_id is not None:
        ids.add(actor.account_id)
    for aid, name, comms in conn.execute(sa.select(accounts.c.id, accounts.c.name,
                                                   accounts.c.communities)):
        try:
            mine = json.loads(comms) if comms else None
        except ValueError:
            mine = None
        if name == actor.name or (mine and set(mine) <= allowed):
            ids.add(aid)
            names.add(name)
    return ids, names


def scope_clause(conn, actor: access.Actor):
    """The WHERE clause keeping the rows an account limited to some 社区 may read (None for a
    street-wide one: every row):

    * a row about a record (a write, an undo, a full-number view of it) when the record
      belongs to one of its 社区 now (:func:`app.services.scope.read_clause`), whoever wrote
      it.  Records of street-wide registers (街道, 单元, 服务清单, 干部培训) belong to none;
    * a row about an account (sign-ins, failed ones, lockouts, account changes) when that
      account, or the one who acted, is its own or one whose 社区 all lie within its own;
    * any other event (exports, prints, imports, backups …) when such an account did it.
    """
    from ..registry import REGISTERS
    from ..storage.schema import TABLES
    from . import scope
    if actor.communities is None:
        return None
    t = audit_log
    ids, names = accounts_within(conn, actor)
    about_record = sa.and_(_of_a_register(), t.c.record_id != 0, t.c.action != IMPORT)
    in_scope = []
    for reg in REGISTERS:
        rt = TABLES[reg.key]
        clause = scope.read_clause(reg, rt, {}, actor)
        if isinstance(clause, sa.sql.elements.True_):
            continue  # street-wide: its records belong to no 社区
        in_scope.append(sa.and_(t.c.register == reg.key,
                                t.c.record_id.in_(sa.select(rt.c.id).where(clause))))
    people = sorted(names)
    return sa.or_(
        sa.and_(about_record, sa.or_(*in_scope) if in_scope else sa.false()),
        sa.and_(t.c.register == "accounts",
                sa.or_(t.c.record_id.in_(sorted(ids)), t.c.actor.in_(people))),
        sa.and_(sa.not_(about_record), t.c.register != "accounts", t.c.actor.in_(people)))


# -- text search -----------------------------------------------------------------------------

def search_terms(text: str) -> tuple[str, ...]:
    """What a search box holds, as lowercase words that must all occur (full-width digits
    and letters as half-width)."""
    from ..core.validators import clean_text
    return tuple(clean_text(text).lower().split())


def search_clause(text: str):
    """Rows containing every word of ``text`` in what the viewer shows of them: the account,
    the action's or the register's name, a field's name or a value in the stored details,
    the record's number or title, the time.  Values are matched as stored, that is masked:
    a full 身份证号 finds nothing, its stored masked form (``110105********002X``) does."""
    return sa.and_(*(_term_clause(term) for term in search_terms(text)))


_TIME_CHARS = frozenset("0123456789-: ")


def _term_clause(term: str):
    from ..registry import REGISTERS
    t = audit_log
    alts = [t.c.actor.icontains(term, autoescape=True),
            t.c.changes.icontains(term, autoescape=True)]
    # The action in words.
    labels = {**_MORE_LABELS, **ACTION_LABELS}
    acts = [a for a, label in labels.items() if term in label.lower()]
    alts += [_action_label_clause(a) for a in acts]
    if term in "恢复数据库":  # a database restore in an older log (its own label)
        alts.append(sa.and_(t.c.action == RECORD_RESTORE, sa.not_(_of_a_register())))
    # The register in words; a field's name where the details name its key.
    regs = [r.key for r in REGISTERS if term in r.label.lower()]
    if term in "账号":
        regs.append("accounts")
    if regs:
        alts.append(t.c.register.in_(regs))
    common = [c for c, label in COLUMN_LABELS.items() if term in label.lower()]
    for c in common:
        alts.append(t.c.changes.contains(json.dumps(c) + ":", autoescape=True))
    for reg in REGISTERS:
        keys = [f.key for f in reg.fields if term in f.label.lower() and f.key not in common]
        for key in keys:
            alts.append(sa.and_(t.c.register == reg.key,
                                t.c.changes.contains(json.dumps(key) + ":", autoescape=True)))
    # The record: its number, its title (never a 身份证号 or a phone).
    if term.isdigit():
        alts.append(sa.cast(t.c.record_id, sa.String).contains(term, autoescape=True))
    alts += _title_clauses(term)
    if set(term) <= _TIME_CHARS and any(ch.isdigit() for ch in term):
        alts.append(sa.cast(t.c.at, sa.String).contains(term, autoescape=True))
    return sa.or_(*alts)


def _action_label_clause(action: str):
    t = audit_log
    if action == UNDO:
        return sa.or_(t.c.action == UNDO, t.c.action.like(UNDO + " %"))
    if action == RECORD_RESTORE:
        return sa.and_(t.c.action == RECORD_RESTORE, _of_a_register())
    return t.c.action == action


def _title_clauses(term: str) -> list:
    """Rows about a record of a register whose title contains ``term``."""
    from ..registry import REGISTERS
    from ..storage.schema import TABLES
    from .query import title_expr
    t = audit_log
    out = []
    for reg in REGISTERS:
        if reg.field(reg.title).kind in (k.ID_NUMBER, k.PHONE):
            continue
        a = TABLES[reg.key].alias("titled")
        joins: list = []
        expr = title_expr(reg, a, joins)
        frm = a
        for j, on in joins:
            frm = frm.outerjoin(j, on)
        ids = sa.select(a.c.id).select_from(frm).where(expr.icontains(term, autoescape=True))
        out.append(sa.and_(t.c.register == reg.key, t.c.action != IMPORT,
                           t.c.record_id.in_(ids)))
    return out


def _as_datetime(d: dt.date | dt.datetime) -> dt.datetime:
    return d if isinstance(d, dt.datetime) else dt.datetime.combine(d, dt.time())


#: The bookkeeping columns every register table has, as :func:`describe` names them.
COLUMN_LABELS = {"deleted_reason": "删除原因", "deleted_at": "删除时间", "deleted_by": "删除人",
                 "created_at": "创建时间", "created_by": "创建人", "updated_at": "修改时间",
                 "updated_by": "修改人", "uuid": "系统编号"}


def describe(row: dict, titles: dict | None = None) -> str:
    """One audit row's what, as a person reads it.  ``titles`` (``{(register, id): title}``,
    :func:`record_titles`) names the records a reference points at instead of their
    numbers."""
    reg = BY_KEY.get(row.get("register") or "")
    parts = []
    if reg is not None:
        parts.append(f"{reg.label}#{row['record_id']}")
    ch = row.get("changes")
    if isinstance(ch, dict):
        items = []
        for fk, v in ch.items():
            f = reg.field(fk) if reg is not None and reg.has_field(fk) else None
            label = f.label if f is not None else COLUMN_LABELS.get(fk, fk)

            def shown(value, f=f):
                if f is not None and f.kind == k.REF and titles and (f.ref, value) in titles:
                    return titles[(f.ref, value)] or f"编号 {value}"
                return _text(value)
            if isinstance(v, list) and len(v) == 2 and v[0] is None and \
                    row.get("action") == "create":
                if v[1] not in (None, "", []):  # a new record had nothing before
                    items.append(f"{label}：{shown(v[1])}")
            elif isinstance(v, list) and len(v) == 2:
                items.append(f"{label}：{shown(v[0])} → {shown(v[1])}")
            else:
                items.append(f"{label}：{shown(v)}")
        parts.append("；".join(items))
    return " ".join(p for p in parts if p)


def _text(v: object) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    return "（空）" if v is None or v == "" else str(v)


# -- the log as a table (the window's viewer and its export share these) ----------------------

#: The columns of the log as people read it: the viewer's table and its exported workbook.
COLUMNS = ("时间", "账号", "操作", "台账", "记录", "内容")

#: Record writes (by :mod:`app.services.batch`) and events, for the viewer's 操作 filter.
RECORD_ACTIONS = ("create", "update", "delete", RECORD_RESTORE, "advance", UNDO,
                  "undo-import")


def action_label(row: dict) -> str:
    """The action of an audit row in Chinese words.  A database replaced by a backup is
    ``db-restore``; older logs wrote ``restore`` for it too, told apart from a record brought
    back by naming no register (read as they always were: 恢复数据库)."""
    action = row.get("action") or ""
    if action == RECORD_RESTORE:
        return "恢复" if row.get("register") in BY_KEY else "恢复数据库"
    if action.startswith(UNDO + " "):
        return f"撤销（第 {action.split(' ', 1)[1]} 条）"
    return ACTION_LABELS.get(action) or _MORE_LABELS.get(action, action)


#: Actions other modules record under a name of their own.
_MORE_LABELS = {"move-to": "迁移到服务器"}


def action_choices() -> list[tuple[str, str]]:
    """(action, label) pairs for a filter: record writes first, then the other events."""
    events = [a for a in ACTION_LABELS if a not in RECORD_ACTIONS]
    return [(a, ACTION_LABELS[a]) for a in (*RECORD_ACTIONS, *events)]


def register_label(row: dict) -> str:
    reg = BY_KEY.get(row.get("register") or "")
    if reg is not None:
        return reg.label
    return "账号" if row.get("register") == "accounts" else (row.get("register") or "")


def row_texts(row: dict, titles: dict | None = None) -> tuple[str, ...]:
    """One audit row as the :data:`COLUMNS` read it.  ``titles``: ``{(register, id): title}``
    (:func:`record_titles`) to name the record, else its number only."""
    rid = row.get("record_id") or 0
    key = row.get("register") or ""
    title = (titles or {}).get((key, rid), "")
    record_text = (f"{title}（编号 {rid}）" if title else f"编号 {rid}") if rid else ""
    what = describe(row, titles)
    reg = BY_KEY.get(key)
    if reg is not None and what.startswith(f"{reg.label}#{rid}"):
        # 台账 and 记录 have columns of their own: 内容 says what happened.
        what = what[len(f"{reg.label}#{rid}"):].strip()
    ch = row.get("changes")
    action = str(row.get("action", ""))
    if action.startswith(UNDO + " ") and isinstance(ch, dict) and set(ch) == {"rows"}:
        what = "撤销了上述修改，写入操作日志第 " + "、".join(map(str, ch["rows"])) + " 条"
    elif action == "delete" and isinstance(ch, dict) and set(ch) <= {"deleted_reason"}:
        # Stored as a change from nothing to the reason given (or to nothing).
        reason = (ch.get("deleted_reason") or [None, None])[-1]
        what = f"删除原因：{reason}" if reason else "（未填写删除原因）"
    at = row.get("at")
    return (f"{at:%Y-%m-%d %H:%M:%S}" if isinstance(at, dt.datetime) else str(at or ""),
            str(row.get("actor") or ""), action_label(row), register_label(row),
            record_text, what)


def record_titles(target, actor: access.Actor, rows: Iterable[dict]) -> dict:
    """``{(register, record id): title}`` of the records ``rows`` name and of those their
    changed references point at (deleted ones too): one query per register.  Administrators
    only, as the log itself."""
    from .query import title_expr
    from .records import reading
    from . import scope
    from ..storage.schema import TABLES
    access.require(actor, access.AUDIT)
    wanted: dict[str, set[int]] = {}
    for r in rows:
        reg = BY_KEY.get(r.get("register") or "")
        if reg is None:
            continue
        if r.get("record_id"):
            wanted.setdefault(reg.key, set()).add(r["record_id"])
        ch = r.get("changes")
        for fk, v in (ch.items() if isinstance(ch, dict) else ()):
            if reg.has_field(fk) and reg.field(fk).kind == k.REF:
                for ref_id in (v if isinstance(v, list) else [v]):
                    if isinstance(ref_id, int):
                        wanted.setdefault(reg.field(fk).ref, set()).add(ref_id)
    out: dict = {}
    with reading(target) as conn:
        for key, ids in wanted.items():
            reg = BY_KEY[key]
            a = TABLES[key].alias("x")
            joins: list = []
            expr = title_expr(reg, a, joins)
            frm = a
            for j, on in joins:
                frm = frm.outerjoin(j, on)
            ordered = sorted(ids)
            for i in range(0, len(ordered), 900):  # SQLite's parameter limit
                chunk = ordered[i:i + 900]
                # A limited account: only the titles of records it may read.
                mine = scope.read_clause(reg, a, {}, actor)
                for rid, title in conn.execute(sa.select(a.c.id, expr).select_from(frm)
                                               .where(a.c.id.in_(chunk), mine)):
                    out[(key, rid)] = "" if title is None else str(title)
    return out


def actors(target, actor: access.Actor) -> list[str]:
    """Every name the log records (accounts, failed sign-in names, 系统), sorted; for an
    account limited to some 社区, those of the rows it may read."""
    from .records import reading
    access.require(actor, access.AUDIT)
    with reading(target) as conn:
        scoped = scope_clause(conn, actor)
        stmt = sa.select(audit_log.c.actor).distinct()
        if scoped is not None:
            stmt = stmt.where(scoped)
        return sorted(conn.execute(stmt).scalars())


def check_export(actor: access.Actor) -> access.Actor:
    """Whether ``actor`` may export the log: read it (AUDIT) and export (EXPORT)."""
    access.require(actor, access.AUDIT)
    return access.require(actor, access.EXPORT)
