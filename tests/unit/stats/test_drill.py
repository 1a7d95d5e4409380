"""The rows behind figures that are not plain counts, on the hand-built 街道 of conftest.py
(reading guide in test_figures.py): a rate opens the rows it is a share of, a computed figure
opens its own rows, a breakdown opened whole shows every part."""

from __future__ import annotations

from app.services import records
from app.stats import drill

from .conftest import TODAY


def _names(street, register, ids, field):
    return sorted(r[field] for r in records.list_rows(street, register, filters={"id": ids}))


def test_a_rate_opens_the_rows_it_is_a_share_of(street):
    # 党组织覆盖小区的比例: the share of the three compounds.
    register, ids = drill(street, "compound_coverage", "2026Q3", today=TODAY)
    assert register == "compounds"
    assert _names(street, register, ids, "name") == ["乙一小区", "甲一小区", "甲二小区"]
    # 按期召开率 opens the meetings held (drill_to), not the meetings required.
    register, ids = drill(street, "schedule_rate", "2026Q3", today=TODAY)
    assert register == "party_meetings" and len(ids) == 6


def test_a_computed_figure_opens_its_own_rows(street):
    register, ids = drill(street, "meetings_required", "2026Q3", today=TODAY)
    assert register == "party_orgs"
    assert _names(street, register, ids, "name") == ["乙一小区党支部", "甲一小区1栋党小组",
                                                     "甲一小区党支部"]
    # and one part of a computed breakdown: 甲一小区党支部's four meetings of the quarter
    register, ids = drill(street, "meetings_by_branch", "2026Q3", today=TODAY,
                          part="甲一小区党支部")
    assert register == "party_meetings" and len(ids) == 4
    register, everything = drill(street, "meetings_by_branch", "2026Q3", today=TODAY)
    assert len(everything) == 6 and set(ids) < set(everything)


def test_a_figure_computed_from_another_opens_that_one_s_rows(street):
    # 每季度沙龙次数 opens the 主题沙龙 of the quarter: 加装电梯难题 (7/15).
    register, ids = drill(street, "salons_per_quarter", "2026Q3", today=TODAY)
    assert register == "trainings"
    assert _names(street, register, ids, "topic") == ["加装电梯难题"]


def test_a_breakdown_opened_whole_shows_every_part(street):
    register, ids = drill(street, "members_by_category", "2026Q3", today=TODAY)
    assert register == "party_members" and len(ids) == 4           # m1 m2 m4 m5
    register, ids = drill(street, "members_by_category", "2026Q3", today=TODAY,
                          part="预备党员")
    assert len(ids) == 2                                            # m2 m4


def test_one_part_of_a_rate_opens_that_part_s_rows(street):
    # 各社区小区覆盖率, 甲社区: its two compounds (甲一 and 甲二), not 乙社区's.
    register, ids = drill(street, "coverage_by_community", "2026Q3", today=TODAY, part="甲社区")
    assert register == "compounds"
    assert _names(street, register, ids, "name") == ["甲一小区", "甲二小区"]


def test_a_figure_with_no_rows_of_its_own_opens_its_register_empty(street):
    # 按期召开的次数 is worked out per branch and month: there is no list of rows behind it.
    assert drill(street, "meetings_on_schedule", "2026Q3", today=TODAY) == ("party_orgs", [])
