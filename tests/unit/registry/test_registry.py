"""The register declarations: fixed keys, all six areas covered, sane fields."""

import re

from app.registry import AREAS, BY_KEY, REGISTERS, by_area, get
from app.registry import base as k

FIXED_KEYS = {"people", "party_orgs", "party_members", "party_meetings", "mediation_cases",
              "petitions"}


def test_fixed_keys_exist():
    assert FIXED_KEYS <= set(BY_KEY)


def test_every_area_has_registers():
    for area, _label in AREAS:
        assert by_area(area), area


def test_keys_are_english_snake_case_and_labels_chinese():
    for reg in REGISTERS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", reg.key), reg.key
        assert re.search(r"[\u4e00-\u9fff]", reg.label), reg.key
        for f in reg.fields:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", f.key), (reg.key, f.key)
            assert re.search(r"[\u4e00-\u9fff]", f.label), (reg.key, f.key)


def test_headers_unique_within_a_register():
    """Two fields claiming the same header text would make import mapping ambiguous."""
    for reg in REGISTERS:
        seen = {}
        for f in reg.fields:
            for h in f.headers:
                assert h not in seen, f"{reg.key}: header {h} on {seen.get(h)} and {f.key}"
                seen[h] = f.key


def test_workflow_registers_have_step_and_date():
    for reg in REGISTERS:
        if reg.workflow:
            assert reg.field("step").kind == k.STEP
            assert reg.field("step_date").kind == k.DATE


def test_every_register_prints_a_roster_column():
    for reg in REGISTERS:
        assert reg.roster_columns, reg.key


def test_domain_registers_present():
    expected = {"committee_members", "consultations", "conventions", "social_orgs",
                "legal_activities", "honours", "culture_events", "service_records", "venues",
                "needs", "resources", "projects", "trainings", "cadre_assignments",
                "party_transfers", "party_development", "meeting_attendance"}
    assert expected <= set(BY_KEY)


def test_get_unknown_key_names_the_known_ones():
    try:
        get("nope")
    except KeyError as exc:
        assert "party_members" in str(exc)
    else:
        raise AssertionError("no KeyError")
