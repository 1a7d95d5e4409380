"""Rosters (花名册) from the demo database, read back from the PDF with poppler: title, header
labels and 第 X 页 共 Y 页 on every page, every name, masked IDs, embedded font, grouping."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core.validators import mask_id_number
from app.printing.pdf import spec_to_pdf
from app.printing.roster import (FULL_ID_NOTE, MASK_NOTE, RosterError, office_name,
                                 roster_from_db, roster_spec)
from app.registry import get
from app.services import records
from app.storage.schema import app_settings

from .print_helpers import needs_poppler, pdf_fonts, pdf_page_count, pdf_pages, squash

TODAY = dt.date(2026, 11, 25)
pytestmark = needs_poppler

#: The rosters the issue names, by register key.
ROSTERS = {"party_members": "党员花名册", "party_orgs": "党组织一览",
           "committee_members": "居委会成员名册", "legal_volunteers": "调解员/普法志愿者名册",
           "honours": "典型选树名单", "mediation_cases": "矛盾纠纷调解登记表",
           "petitions": "信访登记表"}


def _members(db, **filters):
    return records.list_rows(db, "party_members", filters=filters or None, reveal=True)


def test_party_roster_pdf_reads_back_completely(demo_db, tmp_path):
    rows = _members(demo_db, status="在册")
    assert len(rows) > 100
    spec = roster_from_db(demo_db, "party_members", filters={"status": "在册"},
                          printed_on=TODAY)
    out = tmp_path / "党员花名册.pdf"
    doc = spec_to_pdf(spec, out)
    pages = pdf_pages(out)
    assert len(pages) == doc.page_count == pdf_page_count(out) > 1
    office = office_name_of(demo_db)
    assert f"{office}党员花名册" in squash(pages[0])
    labels = [c.label for c in get("party_members").roster_columns]
    for n, page in enumerate(pages, start=1):
        flat = squash(page)
        for label in labels:
            assert label in flat, (n, label)
        assert f"第{n}页共{len(pages)}页" in flat
        assert "制表人" in flat and "审核人" in flat and "打印日期：2026年11月25日" in flat
    everything = squash("".join(pages))
    with_ids = [r for r in rows if r["person_id_number"]]
    assert len(with_ids) > 50
    for r in rows:
        assert r["person_name"] in everything
    for r in with_ids:
        assert mask_id_number(r["person_id_number"]) in everything
        assert r["person_id_number"] not in everything  # never the full number by default
    assert MASK_NOTE.replace(" ", "") in everything
    assert f"共{len(rows)}人" in everything
    # rows in the order given, numbered 1..n
    serials = [int(m) for p in pages for m in re.findall(r"^\s*(\d+)\s", p, re.M)]
    assert serials == list(range(1, len(rows) + 1))


def office_name_of(db) -> str:
    with db.connect() as conn:
        return office_name(conn)


def test_font_is_embedded(demo_db, tmp_path):
    out = tmp_path / "r.pdf"
    spec_to_pdf(roster_from_db(demo_db, "party_orgs"), out)
    fonts = pdf_fonts(out)
    assert fonts, "no font in the PDF"
    for row in fonts:
        assert "WenQuanYiMicroHei" in row[0]
        assert row[-5] == "yes" and row[-4] == "yes"  # emb, sub


def test_full_ids_only_when_asked(demo_db, tmp_path):
    rows = [r for r in _members(demo_db, status="在册") if r["person_id_number"]][:10]
    reg = get("party_members")
    out = tmp_path / "full.pdf"
    spec_to_pdf(roster_spec(reg, rows, office="和平街道", mask_ids=False), out)
    text = squash("".join(pdf_pages(out)))
    for r in rows:
        assert r["person_id_number"] in text
    assert FULL_ID_NOTE.replace(" ", "") in text


@pytest.mark.parametrize("key", sorted(ROSTERS))
def test_every_named_roster_prints(demo_db, tmp_path, key):
    reg = get(key)
    rows = records.list_rows(demo_db, key)
    assert rows, f"demo data has no {key}"
    spec = roster_from_db(demo_db, key)
    out = tmp_path / f"{key}.pdf"
    spec_to_pdf(spec, out)
    pages = pdf_pages(out)
    assert ROSTERS[key] in squash(pages[0])
    header = squash(pdf_pages(out, raw=True)[0])
    for label in (c.label for c in reg.roster_columns):
        assert squash(label) in header
    # the first cell of every row is printed somewhere
    everything = squash("".join(pages))
    first = reg.roster_columns[0]
    from app.registry.display import cell_text
    for r in rows:
        assert squash(cell_text(reg, first, r, mask_ids=True)) in everything


def test_grouping_by_branch_starts_new_pages(demo_db, tmp_path):
    rows = _members(demo_db, status="在册")
    by_org: dict[str, list[str]] = {}
    for r in rows:
        by_org.setdefault(r["org_id__title"], []).append(r["person_name"])
    assert len(by_org) >= 3
    spec = roster_from_db(demo_db, "party_members", filters={"status": "在册"},
                          group_by="org_id")
    out = tmp_path / "grouped.pdf"
    doc = spec_to_pdf(spec, out)
    pages = [squash(p) for p in pdf_pages(out)]
    # the 所在党组织 column is dropped: it is the heading of each section
    assert "所在党组织" not in [c.label for c in spec.columns]
    starts = []
    for i, page in enumerate(doc.pages):
        if i == 0 or page.section != doc.pages[i - 1].section:
            starts.append(i)
    assert len(starts) == len(by_org) == len(spec.sections)
    for sec_index, i in enumerate(starts):
        heading = spec.sections[sec_index].heading
        org = heading.split("：", 1)[1].rsplit("（", 1)[0]
        assert squash(heading) in pages[i]
        assert f"共 {len(by_org[org])} 人" in heading
        # a new group's first page holds no other group's heading
        others = [o for o in by_org if o != org and not o.startswith(org) and org not in o]
        assert not any(f"所在党组织：{o}（" in pages[i] for o in others)
    assert len(pages) >= len(by_org)


def test_grouping_party_roster_by_community(demo_db):
    spec = roster_from_db(demo_db, "party_members", group_by="community_id")
    headings = [s.heading for s in spec.sections]
    assert len(headings) == 2 and all(h.startswith("社区：") for h in headings)
    assert sum(len(s.rows) for s in spec.sections) == len(_members(demo_db))


def test_grouping_by_a_text_field_is_refused_with_the_allowed_keys(demo_db):
    with pytest.raises(RosterError, match="org_id"):
        roster_from_db(demo_db, "party_members", group_by="work_unit")


def test_office_name_setting_wins(demo_db):
    with demo_db.begin() as conn:
        conn.execute(app_settings.delete().where(app_settings.c.key == "office_name"))
        conn.execute(app_settings.insert().values(key="office_name", value="某某街道党工委"))
    spec = roster_from_db(demo_db, "party_orgs")
    assert spec.full_title == "某某街道党工委党组织一览"


def test_office_name_falls_back_to_the_street(demo_db):
    with demo_db.begin() as conn:
        conn.execute(app_settings.delete().where(app_settings.c.key == "office_name"))
    street = records.list_rows(demo_db, "streets")[0]["name"]
    assert roster_from_db(demo_db, "party_orgs").office == street


def test_office_name_falls_back_to_a_neutral_default(db):
    spec = roster_from_db(db, "party_orgs")
    assert spec.full_title == "社区治理台账党组织一览"
    assert spec.row_count == 0


def test_scope_line_names_filters_and_count(demo_db):
    com = records.list_rows(demo_db, "communities")[0]
    spec = roster_from_db(demo_db, "mediation_cases", filters={"community_id": com["id"]})
    assert f"社区：{com['name']}" in spec.scope
    n = len(records.list_rows(demo_db, "mediation_cases", filters={"community_id": com["id"]}))
    assert spec.scope.endswith(f"共 {n} 条")


def test_roster_for_rows_keeps_the_screen_order_and_groups_by_community(demo_db):
    from app.printing.roster import roster_for_rows
    rows = records.list_rows(demo_db, "party_members", order=("-joined_on",))[:30]
    spec = roster_for_rows(demo_db, "party_members", rows, scope="状态：在册")
    names = [r[0] for r in spec.sections[0].rows]
    assert names == [r["person_name"] for r in rows]
    assert spec.scope == "状态：在册　共 30 人"  # as an office writes it
    grouped = roster_for_rows(demo_db, "party_members", rows, group_by="community_id")
    assert sum(len(s.rows) for s in grouped.sections) == 30
    assert "community_id" not in rows[0]  # the caller's rows are left alone
