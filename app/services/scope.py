"""社区 scope: which rows an account limited to some communities may see and change.

A row belongs to a community through its own ``community_id`` or the one reference that
reaches one (:func:`app.services.query.link`: 党员 → 人员 → 社区, 小区 → 社区 …); a 社区 row
is its own community.  Registers whose rows reach no community (街道, 单元, 服务清单, 干部培训)
are street-wide: a limited account may read them but not change them.
"""

from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa

from ..registry.base import Register
from ..storage.schema import TABLES
from .access import Actor, scope_refusal

COMMUNITY = "community_id"
COMMUNITIES = "communities"


def read_clause(reg: Register, t, aliases: dict, actor: Actor | None):
    """The WHERE clause keeping the rows ``actor`` may see (``true`` when unlimited)."""
    from .query import link
    if actor is None or actor.communities is None:
        return sa.true()
    allowed = sorted(actor.communities)
    if reg.key == COMMUNITIES:
        return t.c.id.in_(allowed)
    f = link(reg, COMMUNITY)
    if f is None:
        return sa.true()  # street-wide: readable by everyone
    if f.key == COMMUNITY:
        return t.c[COMMUNITY].in_(allowed)
    target = TABLES[f.ref]
    if f.key in aliases:
        return aliases[f.key].c[COMMUNITY].in_(allowed)
    return t.c[f.key].in_(sa.select(target.c.id).where(target.c[COMMUNITY].in_(allowed)))


def communities_of(conn: sa.Connection, reg: Register, rows: Iterable[dict]) -> list:
    """The community of each row (None when it reaches none); ``...`` (Ellipsis) for a
    street-wide register's rows."""
    from .query import link
    rows = list(rows)
    if reg.key == COMMUNITIES:
        return [r.get("id") for r in rows]
    f = link(reg, COMMUNITY)
    if f is None:
        return [...] * len(rows)
    if f.key == COMMUNITY:
        return [r.get(COMMUNITY) for r in rows]
    refs = {r.get(f.key) for r in rows} - {None}
    target = TABLES[f.ref]
    found: dict = {}
    for chunk in _chunks(sorted(refs), 900):
        found.update(conn.execute(sa.select(target.c.id, target.c[COMMUNITY])
                                  .where(target.c.id.in_(chunk))).tuples().all())
    return [found.get(r.get(f.key)) for r in rows]


def check_rows(conn: sa.Connection, actor: Actor, reg: Register, rows: Iterable[dict]) -> None:
    """PermissionDenied unless every row belongs to one of ``actor``'s communities."""
    if actor.communities is None:
        return
    for cid in communities_of(conn, reg, rows):
        if cid is ... or cid not in actor.communities:
            raise scope_refusal(actor, reg.label)


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]
