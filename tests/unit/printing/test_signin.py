"""The 签到表 of a 组织生活 meeting: expected members of the organisation and everything below
it, blank 签名/备注 columns, 列席 lines, meeting details at the top."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.printing.pdf import spec_to_pdf
from app.printing.roster import RosterError
from app.printing.signin import expected_members, org_subtree, signin_spec
from app.services import records
from app.storage.schema import TABLES

from .print_helpers import needs_poppler, pdf_pages, squash

ACTOR = "测试"


def _subtree_ids(conn, org_id):
    """Independent of the code under test: a recursive CTE over party_orgs."""
    sql = sa.text("""WITH RECURSIVE sub(id) AS (SELECT CAST(:root AS INTEGER) UNION
                     SELECT o.id FROM party_orgs o JOIN sub ON o.parent_id = sub.id
                     WHERE o.deleted_at IS NULL) SELECT id FROM sub""")
    return {r[0] for r in conn.execute(sql, {"root": org_id})}


def _expected_names(db, org_id):
    with db.connect() as conn:
        ids = _subtree_ids(conn, org_id)
    rows = records.list_rows(db, "party_members", filters={"org_id": list(ids)})
    return ([r["person_name"] for r in rows if r["status"] == "在册"],
            [r["person_name"] for r in rows if r["status"] != "在册"])


def _meeting(db, org_type_prefix):
    """A demo meeting of a branch (党支部) that has 党小组 below it, or of a top org."""
    orgs = records.list_rows(db, "party_orgs")
    parents = {o["parent_id"] for o in orgs}
    for m in records.list_rows(db, "party_meetings"):
        org = next(o for o in orgs if o["id"] == m["org_id"])
        if org["org_type"].startswith(org_type_prefix) and org["id"] in parents:
            return m
    pytest.fail(f"no demo meeting of a {org_type_prefix} with sub-organisations")


@needs_poppler
def test_branch_sign_in_sheet_lists_its_members_and_its_groups(demo_db, tmp_path):
    m = _meeting(demo_db, "党支部")
    expected, gone = _expected_names(demo_db, m["org_id"])
    assert expected
    spec = signin_spec(demo_db, m["id"])
    assert spec.sections[0].heading == f"应到人员（{len(expected)} 人）"
    assert sorted(r[0] for r in spec.sections[0].rows) == sorted(expected)
    # members of the 党小组 under the branch are listed, with their group's name
    orgs_listed = {r[1] for r in spec.sections[0].rows}
    assert len(orgs_listed) >= 2
    out = tmp_path / "签到表.pdf"
    spec_to_pdf(spec, out)
    pages = pdf_pages(out)
    first = squash(pages[0])
    assert f"{m['meeting_type']}签到表" in first
    assert m["org_id__title"] in first
    assert squash(m["topic"]) in first and squash(m["place"]) in first
    held = m["held_at"]
    assert f"{held.year}年{held.month}月{held.day}日" in first
    assert f"应到人数：{len(expected)}人" in first
    everything = squash("".join(pages))
    for name in expected:
        assert name in everything
    for name in set(gone) - set(expected):
        assert name not in everything  # 转出/失联/去世 are not expected
    for n, page in enumerate(pages, start=1):
        flat = squash(page)
        assert "签名" in flat and "备注" in flat and f"第{n}页共{len(pages)}页" in flat
    assert "列席人员" in everything


def test_sign_in_for_a_party_committee_includes_every_level(demo_db):
    top = next(o for o in records.list_rows(demo_db, "party_orgs")
               if o["org_type"] in ("党委", "党总支"))
    m = records.create(demo_db, "party_meetings", {
        "org_id": top["id"], "meeting_type": "党课", "held_at": dt.datetime(2026, 12, 1, 14, 30),
        "topic": "学习党的二十届四中全会精神", "place": "党群服务中心"}, ACTOR)
    expected, _ = _expected_names(demo_db, top["id"])
    spec = signin_spec(demo_db, m["id"])
    assert len(spec.sections[0].rows) == len(expected) > 20
    # the secretaries (书记) come before ordinary members within an organisation
    posts = [r[2] for r in spec.sections[0].rows]
    first_org = spec.sections[0].rows[0][1]
    block = [r[2] for r in spec.sections[0].rows if r[1] == first_org]
    assert block == sorted(block, key=lambda p: p != "书记")
    assert ("时间", "2026年12月1日 14:30") in spec.info
    assert "" in posts  # ordinary members hold no post (issue 12: 党员 is not a post)


def test_sign_in_sheet_has_blank_signature_columns_and_observer_lines(demo_db):
    m = records.list_rows(demo_db, "party_meetings")[0]
    spec = signin_spec(demo_db, m["id"])
    labels = [c.label for c in spec.columns]
    sig, note = labels.index("签名"), labels.index("备注")
    assert all(r[sig] == "" and r[note] == "" for r in spec.sections[0].rows)
    observers = spec.sections[1]
    assert observers.heading == "列席人员" and not observers.new_page
    assert observers.blank_rows >= 4


def test_recorded_observers_are_printed(demo_db):
    m = records.list_rows(demo_db, "party_meetings")[0]
    person = records.create(demo_db, "people", {"name": "列席甲", "gender": "女"}, ACTOR)
    records.create(demo_db, "meeting_attendance", {"meeting_id": m["id"],
                                                   "person_id": person["id"],
                                                   "attendance": "列席"}, ACTOR)
    spec = signin_spec(demo_db, m["id"])
    assert ["列席甲", "", "", "", "列席"] in spec.sections[1].rows


def test_unknown_or_deleted_meeting_is_a_clear_error(demo_db):
    with pytest.raises(RosterError, match="没有编号为 999999 的组织生活记录"):
        signin_spec(demo_db, 999999)
    m = records.list_rows(demo_db, "party_meetings")[0]
    records.soft_delete(demo_db, "party_meetings", m["id"], ACTOR, "录错")
    with pytest.raises(RosterError, match="已删除"):
        signin_spec(demo_db, m["id"])


def test_subtree_survives_a_cycle(db):
    com = records.create(db, "communities", {"name": "幸福社区", "community_type": "城市社区"},
                         ACTOR)["id"]
    a = records.create(db, "party_orgs", {"name": "甲支部", "org_type": "党支部",
                                          "community_id": com}, ACTOR)["id"]
    b = records.create(db, "party_orgs", {"name": "乙小组", "org_type": "党小组",
                                          "community_id": com, "parent_id": a}, ACTOR)["id"]
    with db.begin() as conn:  # bad data written behind the services' back
        t = TABLES["party_orgs"]
        conn.execute(t.update().where(t.c.id == a).values(parent_id=b))
    with db.connect() as conn:
        assert [oid for oid, _ in org_subtree(conn, a)] == [a, b]
        assert expected_members(conn, a) == []


def test_a_title_does_not_repeat_the_end_of_the_organisation_name():
    from app.printing.spec import RosterSpec
    spec = RosterSpec(title="党小组会签到表", office="和谐嘉园4栋党小组", columns=[],
                      sections=[])
    assert spec.full_title == "和谐嘉园4栋党小组会签到表"
    spec = RosterSpec(title="支委会签到表", office="阳光社区第一党支部", columns=[],
                      sections=[])
    assert spec.full_title == "阳光社区第一党支部支委会签到表"
