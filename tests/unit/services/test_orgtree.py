"""The party organisation tree with member counts."""

from __future__ import annotations

import datetime as dt

from app.services import orgtree, records
from app.services.access import system
from tests.data.ids import make_id

ACTOR = system("测试")


def _id(seq: int) -> str:
    return make_id("19800101", seq)


def test_tree_counts_and_subtree(db):
    com = records.create(db, "communities", {"name": "幸福社区", "community_type": "城市社区"},
                         ACTOR)["id"]
    com2 = records.create(db, "communities", {"name": "和平社区", "community_type": "村改居社区"},
                          ACTOR)["id"]

    def org(name, kind, parent=None, c=com):
        return records.create(db, "party_orgs", {"name": name, "org_type": kind,
                                                 "parent_id": parent, "community_id": c},
                              ACTOR)["id"]

    top = org("幸福社区党委", "党委")
    b1 = org("幸福第二支部", "党支部", top)
    b0 = org("幸福第一支部", "党支部", top)
    g1 = org("第一党小组", "党小组", b0)
    other = org("和平社区党总支", "党总支", c=com2)
    seq = iter(range(1, 100))

    def member(org_id, status="在册"):
        p = records.create(db, "people", {"name": "党员", "id_number": _id(next(seq))}, ACTOR)
        extra = {"status_date": dt.date(2026, 1, 1)} if status != "在册" else {}
        return records.create(db, "party_members", {
            "person_id": p["id"], "org_id": org_id, "joined_on": dt.date(2000, 1, 1),
            "status": status, **extra}, ACTOR)

    member(g1)
    member(g1)
    member(b0)
    member(b1)
    member(b1, status="转出")   # not counted
    gone = member(b1)
    records.soft_delete(db, "party_members", gone["id"], ACTOR)  # not counted

    roots = orgtree.build_tree(db)
    assert [r.name for r in roots] == ["和平社区党总支", "幸福社区党委"]
    top_node = roots[1]
    assert [c.name for c in top_node.children] == ["幸福第一支部", "幸福第二支部"]
    first = top_node.children[0]
    assert (first.members, first.total) == (1, 3)
    assert top_node.children[1].members == 1
    assert top_node.total == 4 and top_node.members == 0
    assert set(first.subtree_ids()) == {b0, g1}
    assert orgtree.find(roots, g1).name == "第一党小组"
    assert [r.id for r in orgtree.build_tree(db, community_id=com2)] == [other]


def test_deleted_parent_makes_a_root(db):
    com = records.create(db, "communities", {"name": "幸福社区", "community_type": "城市社区"},
                         ACTOR)["id"]
    top = records.create(db, "party_orgs", {"name": "党委", "org_type": "党委",
                                            "community_id": com}, ACTOR)["id"]
    child = records.create(db, "party_orgs", {"name": "支部", "org_type": "党支部",
                                              "parent_id": top, "community_id": com},
                           ACTOR)["id"]
    records.soft_delete(db, "party_orgs", top, ACTOR)
    assert [r.id for r in orgtree.build_tree(db)] == [child]
