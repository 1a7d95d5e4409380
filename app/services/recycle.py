"""回收站: the soft-deleted records of every register, and bringing some of them back.

A deleted row is never removed (history may refer to it): ``deleted_at`` / ``deleted_by`` /
``deleted_reason`` say when, by whom and why.  :func:`deleted_rows` lists them for the
signed-in account, within its 社区 scope, as plain dicts; :func:`restore` brings back a
selection through :func:`app.services.records.restore` — the one write path, with its
uniqueness check — in one transaction, so a refusal leaves every row as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Iterable

import sqlalchemy as sa

from ..registry import REGISTERS
from ..registry import get as get_register
from ..storage.schema import TABLES
from . import access, scope
from .access import Actor
from .changes import Changes

log = logging.getLogger(__name__)


def deleted_rows(target, keys: Iterable[str] | None = None, *,
                 since: dt.date | None = None, limit: int | None = 5000) -> list[dict]:
    """Deleted records of the registers ``keys`` (None: all) the signed-in account may see,
    newest deletion first: ``{register, label, id, title, deleted_at, deleted_by,
    deleted_reason, version}``.  ``since``: deleted on or after that day."""
    from .query import title_expr
    from .records import reading
    viewer = access.require(access.viewer(target), access.READ)
    regs = [get_register(k) for k in keys] if keys is not None else list(REGISTERS)
    out: list[dict] = []
    with reading(target) as conn:
        for reg in regs:
            t = TABLES[reg.key]
            a = t.alias("d")
            joins: list = []
            title = title_expr(reg, a, joins).label("title")
            frm = a
            for j, on in joins:
                frm = frm.outerjoin(j, on)
            stmt = (sa.select(a.c.id, title, a.c.deleted_at, a.c.deleted_by,
                              a.c.deleted_reason, a.c.version)
                    .select_from(frm)
                    .where(a.c.deleted_at.is_not(None))
                    .where(scope.read_clause(reg, a, {}, viewer)))
            if since is not None:
                stmt = stmt.where(a.c.deleted_at >= dt.datetime.combine(since, dt.time()))
            stmt = stmt.order_by(a.c.deleted_at.desc(), a.c.id.desc())
            if limit:
                stmt = stmt.limit(limit)
            for r in conn.execute(stmt).mappings():
                out.append({"register": reg.key, "label": reg.label, **r,
                            "title": "" if r["title"] is None else str(r["title"])})
    out.sort(key=lambda r: (r["deleted_at"], r["register"], r["id"]), reverse=True)
    return out[:limit] if limit else out


def restore(target, items: Iterable[tuple[str, int, int | None]], actor: Actor) -> Changes:
    """Bring back the deleted records ``items`` (register key, id, version as listed) in one
    transaction: all or, on the first refusal, none.  Raises what
    :func:`app.services.records.restore` raises (ValidationError when a unique value is
    taken by a live record meanwhile, StaleRecord when someone changed the row since it was
    listed, PermissionDenied outside the account's role or 社区)."""
    from . import records
    access.require(actor, access.WRITE)
    changes = Changes()
    with records.transaction(target) as conn:
        for key, rid, version in items:
            changes.merge(records.restore(conn, key, rid, actor, version=version).changes)
    log.info("restored %s by %s", changes, actor.name)
    return changes
