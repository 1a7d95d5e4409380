"""Inserting and updating many records at once, for imports of thousands of rows.

``records.create`` validates with a few queries, inserts, writes the audit row and reads the
row back: about 2 ms a row, 100 s for a 50,000-row roster with its people.  The plan has
already validated every row in memory against the same rules, so new rows of registers whose
derived values need no query (人员: birth date and gender from the ID number; registers without
derivations or a workflow) are inserted here with ``executemany`` in the same transaction,
writing exactly what ``records.create`` writes: the row with its uuid and who/when, the
defaults, the derived values, one ``audit_log`` row ``create`` with ``{field: [null, value]}``,
and the 党员户 flags of the households concerned.  Updated rows likewise (:func:`bulk_update`,
as ``records.update``: only differing values, ``{field: [before, after]}`` in the audit row).
Tests compare both paths column by column.

Registers whose derivations read the database row by row (楼栋/单元/户 names, the yearly
mediation case number) or that start a workflow keep going through ``records.create``.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import uuid as uuidlib
from functools import lru_cache
from typing import Callable

import sqlalchemy as sa

from ..registry import get as get_register
from ..services import hooks
from ..storage.schema import TABLES, audit_log

#: Registers whose ``hooks.derive`` is pure (no query) or absent.
_PURE_DERIVE = {"people"}
CHUNK = 2000


def supported(key: str) -> bool:
    reg = get_register(key)
    return reg.workflow is None and (key not in hooks.DERIVE or key in _PURE_DERIVE)


def insert_many(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """``INSERT`` of many rows with the same keys.  Values go through each column type's
    bind processor (so they are stored exactly as SQLAlchemy stores them) and then to the
    driver's ``executemany`` in one call: SQLAlchemy's own executemany spends most of its
    time building a parameter dict per row."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":  # pragma: no cover - other drivers: the portable way
        conn.execute(table.insert(), rows)
        return
    cols = [table.c[name] for name in rows[0]]
    prep = dialect.identifier_preparer
    sql = (f"INSERT INTO {prep.format_table(table)} "
           f"({', '.join(prep.format_column(c) for c in cols)}) "
           f"VALUES ({', '.join('?' * len(cols))})")
    get = operator.itemgetter(*[c.name for c in cols])
    convert = _converters(dialect, cols)
    params = []
    for r in rows:
        values = list(get(r)) if len(cols) > 1 else [get(r)]
        for i, p in convert:
            if values[i] is not None:
                values[i] = p(values[i])
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


def _converters(dialect, cols: list[sa.Column]) -> list[tuple[int, Callable]]:
    """(position, memoised bind processor) of the columns whose type converts values."""
    procs = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in cols]
    return [(i, _memo(p)) for i, p in enumerate(procs) if p is not None]


def update_many(conn: sa.Connection, table: sa.Table, names: tuple[str, ...],
                params: list[list]) -> None:
    """``UPDATE table SET names… WHERE id = ?`` for many rows: each ``params`` item holds
    the new values in the order of ``names`` and then the id.  Values are converted by
    the column types as :func:`insert_many` does."""
    if not params:
        return
    dialect = conn.dialect
    cols = [table.c[n] for n in names]
    if dialect.paramstyle != "qmark":  # pragma: no cover - other drivers: the portable way
        for p in params:
            conn.execute(table.update().where(table.c.id == p[-1]).values(
                dict(zip(names, p[:-1]))))
        return
    prep = dialect.identifier_preparer
    sql = (f"UPDATE {prep.format_table(table)} SET "
           f"{', '.join(prep.format_column(c) + ' = ?' for c in cols)} WHERE id = ?")
    convert = _converters(dialect, cols)
    out = []
    for p in params:
        values = list(p)
        for i, proc in convert:
            if values[i] is not None:
                values[i] = proc(values[i])
        out.append(tuple(values))
    conn.exec_driver_sql(sql, out)


def bulk_update(conn: sa.Connection, key: str, items: list[tuple[int, dict]], actor: str,
                befores: dict[int, dict]) -> list[int]:
    """Change the given fields of many rows of register ``key`` as ``records.update`` does:
    derived values recomputed, only values that differ written (with ``updated_at/by``),
    one ``audit_log`` row ``update`` with ``{field: [before, after]}`` per changed row, the
    党员户 flags of the households concerned refreshed.  ``befores`` holds the stored rows
    (a SELECT of the table) by id; the caller has checked they exist and are not deleted.
    Rows with the same changed columns share one ``executemany``.  Returns the changed ids."""
    t = TABLES[key]
    reg = get_register(key)
    derive = key in hooks.DERIVE
    now = dt.datetime.now().replace(microsecond=0)
    groups: dict[tuple[str, ...], list[list]] = {}
    audits: list[dict] = []
    changed: list[int] = []
    for rid, values in items:
        existing = befores[rid]
        clean = {fk: v for fk, v in values.items() if reg.has_field(fk)}
        if derive:
            hooks.derive(conn, reg, {**existing, **clean}, clean, existing)
        changes = {c: (existing.get(c), v) for c, v in clean.items() if existing.get(c) != v}
        if not changes:
            continue
        names = ("updated_at", "updated_by", *changes)
        groups.setdefault(names, []).append(
            [now, actor, *(after for _b, after in changes.values()), rid])
        audits.append({"at": now, "actor": actor, "register": key, "record_id": rid,
                       "action": "update", "changes": _ENCODE(
                           {c: [_jsonable(b), _jsonable(a)] for c, (b, a) in changes.items()})})
        changed.append(rid)
    for names, params in groups.items():
        update_many(conn, t, names, params)
    insert_many(conn, audit_log, audits)
    if key == "people":  # the household a person left counts too
        _refresh_households(conn, key, changed, {befores[i].get("household_id")
                                                 for i in changed})
    else:
        _refresh_households(conn, key, changed)
    return changed


def _memo(proc: Callable[[object], object]) -> Callable[[object], object]:
    """A bind processor remembering its results: the same timestamp and the same dates come
    again and again in one import."""
    cache: dict = {}

    def run(value: object) -> object:
        out = cache.get(value)
        if out is None:
            out = cache[value] = proc(value)
        return out
    return run


_DATES = (dt.date, dt.datetime)


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


#: One encoder for every audit row: ``json.dumps(..., ensure_ascii=False)`` builds a new
#: encoder per call; this one gives the same text.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


@lru_cache(maxsize=None)
def _shape(key: str) -> tuple[frozenset, tuple[tuple[str, object], ...], bool]:
    """A register's field keys, its declared defaults and whether it derives values."""
    reg = get_register(key)
    return (frozenset(f.key for f in reg.fields),
            tuple((f.key, f.default) for f in reg.fields if f.default is not None),
            key in hooks.DERIVE)


def prepare(conn: sa.Connection, key: str, values: dict) -> dict:
    """The stored values of a new row as ``records.create`` computes them: given values,
    then declared defaults for the fields not given, then derived values."""
    fields, defaults, derives = _shape(key)
    clean = {fk: v for fk, v in values.items() if fk in fields}
    for fk, default in defaults:
        if fk not in clean and fk not in values:
            clean[fk] = default
    if derives:
        hooks.derive(conn, get_register(key), dict(clean), clean, None)
    return clean


def bulk_create(conn: sa.Connection, key: str, items: list[tuple[dict, str | None]],
                actor: str, progress: Callable[[int], bool] | None = None) -> list[int]:
    """Insert ``[(values, uuid or None)]`` into register ``key``; returns the new ids in
    order.  ``progress(n_done)`` returning False stops (the caller rolls back)."""
    t = TABLES[key]
    reg = get_register(key)
    fields = [f.key for f in reg.fields]
    now = dt.datetime.now().replace(microsecond=0)
    ids: list[int] = []
    for start in range(0, len(items), CHUNK):
        chunk = items[start:start + CHUNK]
        rows, audits = [], []
        for values, uuid in chunk:
            clean = prepare(conn, key, values)
            row = dict.fromkeys(fields)
            row.update(clean)
            row.update(uuid=uuid or str(uuidlib.uuid4()), created_at=now, created_by=actor,
                       updated_at=now, updated_by=actor)
            rows.append(row)
            audits.append(_ENCODE({c: [None, v.isoformat() if isinstance(v, _DATES) else v]
                                   for c, v in clean.items()}) if clean else None)
        # The transaction already holds the write lock: every row with an id above the
        # largest before this insert is one of ours; map them back by the uuids we chose
        # (executemany with RETURNING goes row by row on SQLite).
        before = conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.id), 0))).scalar_one()
        insert_many(conn, t, rows)
        by_uuid = dict(conn.execute(sa.select(t.c.uuid, t.c.id).where(t.c.id > before))
                       .tuples().all())
        new_ids = [by_uuid[r["uuid"]] for r in rows]
        insert_many(conn, audit_log, [
            {"at": now, "actor": actor, "register": key, "record_id": rid, "action": "create",
             "changes": a} for rid, a in zip(new_ids, audits)])
        ids += new_ids
        if progress is not None and progress(len(ids)) is False:
            break
    _refresh_households(conn, key, ids)
    return ids


def _refresh_households(conn: sa.Connection, key: str, ids: list[int],
                        also: set | None = None) -> None:
    """What ``hooks.after_write`` does per row, once for all rows written (``also``: more
    households to refresh, e.g. those people moved out of)."""
    if key not in ("people", "party_members") or not ids:
        return
    p = TABLES["people"]
    homes: set[int] = {h for h in also or () if h is not None}
    m = TABLES["party_members"]
    rid = p.c.id if key == "people" else m.c.id
    base = sa.select(p.c.household_id).distinct().where(p.c.household_id.is_not(None))
    if key != "people":
        base = base.select_from(m.join(p, p.c.id == m.c.person_id))
    # One range query for the contiguous ids of a bulk insert, else chunks of 900.
    parts = [rid.between(min(ids), max(ids))] if max(ids) - min(ids) + 1 == len(set(ids)) \
        else [rid.in_(ids[i:i + 900]) for i in range(0, len(ids), 900)]
    for where in parts:
        homes.update(h for (h,) in conn.execute(base.where(where)))
    if homes:
        hooks.refresh_party_households(conn, homes)


def select_rows(conn: sa.Connection, key: str, ids: list[int]) -> dict[int, dict]:
    """Stored rows by id (for the batch's after-images): one range query when the ids are
    contiguous, as a bulk insert makes them."""
    from .dbstate import fetch_dicts
    t = TABLES[key]
    out: dict[int, dict] = {}
    if ids and max(ids) - min(ids) + 1 == len(ids):
        stmt = sa.select(t).where(t.c.id.between(min(ids), max(ids)))
        return {r["id"]: r for r in fetch_dicts(conn, stmt)}
    for start in range(0, len(ids), 900):
        part = ids[start:start + 900]
        for r in fetch_dicts(conn, sa.select(t).where(t.c.id.in_(part))):
            out[r["id"]] = r
    return out
