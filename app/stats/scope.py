"""Which 社区 a register's rows belong to, and the scope a clerk asks for by name.

A row belongs to a community through its own ``community_id`` or through a chain of
references (党员 → 党组织, 单元 → 楼栋 → 小区, 参会记录 → 会议 → 党组织).  Registers of the
街道 itself (干部培训, 服务清单) belong to none: they are counted street-wide in every scope.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..registry import get as get_register
from ..storage.schema import TABLES

#: The reference followed towards a community, for registers without a community_id.
VIA = {
    "party_members": "org_id", "party_transfers": "org_id", "party_development": "org_id",
    "party_meetings": "org_id", "meeting_attendance": "meeting_id", "buildings": "compound_id",
    "units": "building_id", "venue_usage": "venue_id",
}


class ScopeError(ValueError):
    """Unknown community names; ``str(exc)`` is a Chinese message for the user."""


def scoped(register: str) -> bool:
    """Whether rows of ``register`` belong to a community at all."""
    reg = get_register(register)
    return reg.has_field("community_id") or register in VIA or register == "communities"


def community_expr(register: str, t: sa.FromClause):
    """The community id of each row of ``t`` (a correlated scalar subquery past one hop)."""
    if register == "communities":
        return t.c.id
    reg = get_register(register)
    if reg.has_field("community_id"):
        return t.c.community_id
    via = VIA.get(register)
    if via is None:
        return sa.null()
    target = reg.field(via).ref
    inner = TABLES[target].alias(f"{target}_c")
    return (sa.select(community_expr(target, inner)).where(inner.c.id == t.c[via])
            .scalar_subquery())


def in_scope(register: str, t: sa.FromClause, communities: tuple[int, ...]):
    """Rows of ``t`` in the given communities (IN sub-selects along the reference chain)."""
    if register == "communities":
        return t.c.id.in_(communities)
    reg = get_register(register)
    if reg.has_field("community_id"):
        return t.c.community_id.in_(communities)
    via = VIA.get(register)
    if via is None:
        return sa.true()
    target = reg.field(via).ref
    inner = TABLES[target]
    return t.c[via].in_(sa.select(inner.c.id).where(
        inner.c.deleted_at.is_(None), in_scope(target, inner, communities)))


def communities(conn: sa.Connection) -> list[tuple[int, str]]:
    """(id, name) of every community not deleted, by name."""
    c = TABLES["communities"]
    return [(r.id, r.name) for r in conn.execute(
        sa.select(c.c.id, c.c.name).where(c.c.deleted_at.is_(None)).order_by(c.c.name, c.c.id))]


def resolve(conn: sa.Connection, names: list[str] | None) -> tuple[tuple[int, ...] | None,
                                                                   tuple[tuple[int, str], ...]]:
    """Community ids for ``names`` (None or empty: the whole 街道) and the (id, name) pairs
    in scope.  Unknown names raise :class:`ScopeError` naming the known ones."""
    known = communities(conn)
    if not names:
        return None, tuple(known)
    by_name = {n: i for i, n in known}
    wanted = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    missing = [n for n in wanted if n not in by_name]
    if missing:
        have = "、".join(n for _, n in known) or "（数据库里还没有社区）"
        raise ScopeError(f"没有名为“{'、'.join(missing)}”的社区。已有的社区：{have}")
    chosen = tuple(by_name[n] for n in wanted)
    return chosen, tuple((i, n) for i, n in known if i in chosen)


def scope_label(names: tuple[tuple[int, str], ...], whole: bool, street: str = "") -> str:
    """全街道 (or the 街道's name) or the communities' names."""
    if whole:
        return f"全街道（{street}）" if street else "全街道"
    return "、".join(n for _, n in names)
