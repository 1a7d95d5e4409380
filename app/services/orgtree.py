"""The party organisation tree (党委/党总支 → 党支部 → 党小组) with member counts.

Built with two queries (organisations, member counts per organisation) so the GUI can show the
tree of a whole street at once.  Plain dataclasses, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..storage import Database
from ..storage.schema import TABLES
from .records import reading as _reading

#: Member statuses that count as "in the organisation" (转出/失联/去世 do not).
COUNTED_STATUSES = ("在册",)


@dataclass
class OrgNode:
    """One organisation; ``members`` are its own 在册 members, ``total`` includes every
    organisation below it."""

    id: int
    name: str
    org_type: str
    parent_id: int | None
    community_id: int | None
    community: str
    members: int = 0
    children: list["OrgNode"] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.members + sum(c.total for c in self.children)

    def subtree_ids(self) -> list[int]:
        """This organisation's id and those of every organisation below it."""
        out = [self.id]
        for c in self.children:
            out += c.subtree_ids()
        return out

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


def build_tree(target: Database | sa.Connection, community_id: int | None = None
               ) -> list[OrgNode]:
    """The roots of the organisation tree (organisations whose parent is missing, deleted or
    outside the chosen community), children sorted by type then name."""
    o, m, c = TABLES["party_orgs"], TABLES["party_members"], TABLES["communities"]
    stmt = (sa.select(o.c.id, o.c.name, o.c.org_type, o.c.parent_id, o.c.community_id,
                      c.c.name.label("community"))
            .select_from(o.outerjoin(c, c.c.id == o.c.community_id))
            .where(o.c.deleted_at.is_(None)))
    if community_id is not None:
        stmt = stmt.where(o.c.community_id == community_id)
    counts_stmt = (sa.select(m.c.org_id, sa.func.count())
                   .where(m.c.deleted_at.is_(None), m.c.status.in_(COUNTED_STATUSES))
                   .group_by(m.c.org_id))
    with _reading(target) as conn:
        orgs = conn.execute(stmt).all()
        counts = dict(conn.execute(counts_stmt).all())
    nodes = {r.id: OrgNode(r.id, r.name, r.org_type or "", r.parent_id, r.community_id,
                           r.community or "", counts.get(r.id, 0)) for r in orgs}
    roots: list[OrgNode] = []
    for n in nodes.values():
        parent = nodes.get(n.parent_id) if n.parent_id is not None else None
        # A cycle (A under B under A) would loop forever when walking; treat as a root.
        if parent is not None and not _is_ancestor(n, parent, nodes):
            parent.children.append(n)
        else:
            roots.append(n)
    rank = {t: i for i, t in enumerate(("党委", "党总支", "党支部", "党小组"))}

    def sort(items: list[OrgNode]) -> None:
        items.sort(key=lambda n: (n.community, rank.get(n.org_type, 9), n.name))
        for it in items:
            sort(it.children)

    sort(roots)
    return roots


def _is_ancestor(node: OrgNode, candidate: OrgNode, nodes: dict[int, OrgNode]) -> bool:
    """True if ``node`` is ``candidate`` or one of its ancestors (would make a cycle)."""
    seen = set()
    cur: OrgNode | None = candidate
    while cur is not None and cur.id not in seen:
        if cur.id == node.id:
            return True
        seen.add(cur.id)
        cur = nodes.get(cur.parent_id) if cur.parent_id is not None else None
    return False


def find(roots: list[OrgNode], org_id: int) -> OrgNode | None:
    for r in roots:
        for n in r.walk():
            if n.id == org_id:
                return n
    return None
