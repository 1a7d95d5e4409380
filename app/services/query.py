"""Reading registers: one SELECT per list, with each reference's display title and the
declared lookups joined in, so a table of 100,000 people is one query."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..registry import get as get_register
from ..registry import base as k
from ..registry.base import Register
from ..storage.schema import TABLES
from . import access, scope
from ..storage.sqlfn import matches
from .errors import NotFound

_TEXT_KINDS = (k.TEXT, k.LONGTEXT, k.CHOICE, k.MULTI, k.ID_NUMBER, k.PHONE, k.STEP)


def title_expr(reg: Register, alias: sa.FromClause, joins: list, depth: int = 0):
    """The column that names a row of ``reg`` (following a ref title one more level)."""
    f = reg.field(reg.title)
    if f.kind == k.REF and depth < 2:
        target = get_register(f.ref)
        inner = TABLES[f.ref].alias(f"{alias.name}_t")
        joins.append((inner, inner.c.id == alias.c[f.key]))
        return title_expr(target, inner, joins, depth + 1)
    col = alias.c[f.key]
    return sa.cast(col, sa.String) if f.kind != k.TEXT else col


def link(reg: Register, column: str) -> k.Field | None:
    """How rows of ``reg`` belong to a place (``community_id`` or ``compound_id``): the field
    itself, or the one reference whose target has it (党员 → 党组织 → 社区, 人员 → 户 → 小区).
    None if they do not.  Filters, rosters and figures all ask this one function."""
    if reg.has_field(column):
        return reg.field(column)
    return next((f for f in reg.fields if f.kind == k.REF
                 and get_register(f.ref).has_field(column)), None)


def place_register(reg: Register, column: str) -> str | None:
    """The register of the places ``reg`` can be filtered by (``communities`` for
    ``community_id``), or None when its rows do not reach one."""
    f = link(reg, column)
    if f is None:
        return None
    holder = reg if f.key == column else get_register(f.ref)
    return holder.field(column).ref


def place_filter(reg: Register, t, aliases: dict, column: str, value: int):
    """The WHERE clause keeping rows of ``reg`` in place ``value`` of ``column``."""
    f = link(reg, column)
    if f is None:
        return sa.true()
    if f.key == column:
        return t.c[column] == value
    return aliases[f.key].c[column] == value


def base_select(reg: Register, *, with_titles: bool = True):
    """SELECT of every stored column, ref titles (``<key>__title``) and lookups."""
    t = TABLES[reg.key]
    cols = list(t.c)
    joins: list = []
    aliases: dict[str, sa.FromClause] = {}
    if with_titles:
        for f in reg.fields:
            if f.kind != k.REF:
                continue
            a = TABLES[f.ref].alias(f"r_{f.key}")
            aliases[f.key] = a
            joins.append((a, a.c.id == t.c[f.key]))
            cols.append(title_expr(get_register(f.ref), a, joins).label(f"{f.key}__title"))
        for lk in reg.lookups:
            cols.append(aliases[lk.via].c[lk.field].label(lk.key))
    frm = t
    for a, on in joins:
        frm = frm.outerjoin(a, on)
    return sa.select(*cols).select_from(frm), t, aliases


def _search_clause(reg: Register, t, aliases, text: str, stmt):
    like = f"%{text}%"
    ors = [matches(t.c[f.key], like) for f in reg.fields if f.kind in _TEXT_KINDS]
    for f in reg.fields:
        if f.kind == k.REF:
            sel = stmt.selected_columns
            ors.append(matches(sel[f"{f.key}__title"], like))
    for lk in reg.lookups:
        ors.append(matches(stmt.selected_columns[lk.key], like))
    return sa.or_(*ors) if ors else sa.true()


def list_rows(target, key: str, *, search: str | None = None, filters: dict | None = None,
              community_id: int | None = None, compound_id: int | None = None,
              date_field: str | None = None,
              date_from: dt.date | None = None, date_to: dt.date | None = None,
              include_deleted: bool = False, order: tuple[str, ...] | None = None,
              limit: int | None = None, offset: int = 0, reveal: bool = False
              ) -> list[dict]:
    """Rows of register ``key`` the signed-in account may see, as dicts, filtered and sorted.

    身份证号 and phone numbers (the register's own and its lookups) come masked unless
    ``reveal``: full numbers need the right to see them, and each such read is audited.
    An account limited to some 社区 gets only their rows.

    ``filters`` maps field keys to a value (equality) or a tuple/list of values (IN).
    ``search`` matches any text column, ref title or lookup (substring).
    ``community_id`` / ``compound_id`` keep rows of one community / 小区 (directly or through
    the reference :func:`link` names).
    ``date_field`` with ``date_from``/``date_to`` keeps rows in that (inclusive) range."""
    from .records import reading
    reg = get_register(key)
    viewer = access.viewer(target)
    if reveal:
        access.require(viewer, access.VIEW_FULL)
    stmt, t, aliases = base_select(reg)
    stmt = stmt.where(scope.read_clause(reg, t, aliases, viewer))
    if not include_deleted:
        stmt = stmt.where(t.c.deleted_at.is_(None))
    for fk, val in (filters or {}).items():
        col = t.c[fk]
        if isinstance(val, (list, tuple, set)):
            stmt = stmt.where(col.in_(list(val)))
        elif val is None:
            stmt = stmt.where(col.is_(None))
        else:
            stmt = stmt.where(col == val)
    for column, value in (("community_id", community_id), ("compound_id", compound_id)):
        if value is not None:
            stmt = stmt.where(place_filter(reg, t, aliases, column, value))
    if date_field:
        col = t.c[date_field]
        if date_from:
            stmt = stmt.where(col >= date_from)
        if date_to:
            upper = date_to + dt.timedelta(days=1)
            stmt = stmt.where(col < upper)
    if search:
        stmt = stmt.where(_search_clause(reg, t, aliases, search.strip(), stmt))
    for o in order or reg.order:
        desc = o.startswith("-")
        col = t.c[o.lstrip("-")]
        stmt = stmt.order_by(col.desc() if desc else col)
    stmt = stmt.order_by(t.c.id)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    with reading(target) as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    if reveal:
        from . import audit
        audit.record_detached(target, viewer, audit.VIEW_FULL, register=key,
                              detail={"行数": len(rows), "查找": audit.mask_text(search or ""),
                                      "筛选": {k_: audit.mask_text(str(v))
                                             for k_, v in (filters or {}).items()}})
        return rows
    return mask_rows(reg, rows)


def sensitive_columns(reg: Register) -> tuple[tuple[str, str], ...]:
    """(column, kind) of the values :func:`mask_rows` masks: the register's 身份证号 and
    phone fields, and lookups that show one of another register."""
    out = [(f.key, f.kind) for f in reg.fields if f.kind in (k.ID_NUMBER, k.PHONE)]
    for lk in reg.lookups:
        src = get_register(reg.field(lk.via).ref)
        if src.has_field(lk.field) and src.field(lk.field).kind in (k.ID_NUMBER, k.PHONE):
            out.append((lk.key, src.field(lk.field).kind))
    return tuple(out)


def mask_rows(reg: Register, rows: list[dict]) -> list[dict]:
    """``rows`` with their sensitive values masked (in place; returned for convenience)."""
    cols = sensitive_columns(reg)
    if cols:
        for row in rows:
            for col, kind in cols:
                v = row.get(col)
                if v:
                    row[col] = access.mask_value(kind, v)
    return rows


def count(target, key: str, *, include_deleted: bool = False,
          filters: dict | None = None) -> int:
    """Rows of ``key`` the signed-in account may see; ``filters`` are column = value
    conditions (e.g. status 在册)."""
    from .records import reading
    reg = get_register(key)
    viewer = access.viewer(target)
    t = TABLES[key]
    stmt = sa.select(sa.func.count()).select_from(t)
    stmt = stmt.where(scope.read_clause(reg, t, {}, viewer))
    if not include_deleted:
        stmt = stmt.where(t.c.deleted_at.is_(None))
    for column, value in (filters or {}).items():
        stmt = stmt.where(t.c[column] == value)
    with reading(target) as conn:
        return conn.execute(stmt).scalar_one()


def get_row(conn: sa.Connection, reg: Register, record_id: int) -> dict:
    stmt, t, _ = base_select(reg)
    row = conn.execute(stmt.where(t.c.id == record_id)).mappings().first()
    if row is None:
        raise NotFound(reg.label, record_id)
    return dict(row)


def title_of(conn: sa.Connection, reg: Register, record_id: int) -> str:
    joins: list = []
    a = TABLES[reg.key].alias("x")
    expr = title_expr(reg, a, joins)
    frm = a
    for j, on in joins:
        frm = frm.outerjoin(j, on)
    val = conn.execute(sa.select(expr).select_from(frm).where(a.c.id == record_id)).scalar()
    return "" if val is None else str(val)


def person_roles(conn: sa.Connection, person_ids) -> dict[int, list[str]]:
    """Who each of ``person_ids`` already is: the ``role`` of every person reference that
    points at them from a live row (党员, 调解员, 信访人 …), in register order, each once.  A
    role whose register declares ``active`` says the status when the row is not current:
    党员（转出）.  One query per declaring field, for the few rows a picker shows."""
    from ..registry import REGISTERS
    ids = sorted({i for i in person_ids if i is not None})
    out: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    for reg in REGISTERS:
        t = TABLES[reg.key]
        for f in reg.fields:
            if not f.role or f.kind != k.REF:
                continue
            active = reg.active if reg.active and reg.has_field(reg.active[0]) else None
            cols = [t.c[f.key]] + ([t.c[active[0]]] if active else [])
            rows = conn.execute(sa.select(*cols).distinct().where(
                t.c[f.key].in_(ids), t.c.deleted_at.is_(None)))
            for pid, *state in rows:
                text = f.role
                if active and state and state[0] != active[1]:
                    text = f"{f.role}（{state[0]}）"
                if text not in out[pid] and f.role not in out[pid]:
                    out[pid].append(text)
    return out
