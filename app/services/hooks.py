"""Register-specific rules that a declaration alone cannot say: values derived from others
(birth date and gender from the ID number, a building's full name, a household's address, the
yearly case number) and flags kept in step with other registers (党员户)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..core import validators as v
from ..registry.base import Register
from ..storage.schema import TABLES
from .errors import FieldIssue


def derive(conn: sa.Connection, reg: Register, merged: dict, clean: dict,
           existing: dict | None) -> list[FieldIssue]:
    """Fill derived values into ``clean`` (and ``merged``); return warnings/errors found."""
    fn = DERIVE.get(reg.key)
    return fn(conn, merged, clean, existing) if fn else []


def _set(merged: dict, clean: dict, key: str, value) -> None:
    merged[key] = clean[key] = value


def _people(conn, merged, clean, existing) -> list[FieldIssue]:
    issues = []
    idn = merged.get("id_number")
    if not idn:
        return issues
    try:
        birth, gender = v.id_birth_date(idn), v.id_gender(idn)
    except ValueError:
        return issues
    if merged.get("birth_date") is None:
        _set(merged, clean, "birth_date", birth)
    elif merged["birth_date"] != birth and ("birth_date" in clean or "id_number" in clean):
        issues.append(FieldIssue("birth_date", "出生日期",
                                 f"与身份证号不一致（身份证号为 {birth:%Y-%m-%d}），请核对",
                                 "warning"))
    if merged.get("gender") is None:
        _set(merged, clean, "gender", gender)
    elif merged["gender"] != gender and ("gender" in clean or "id_number" in clean):
        issues.append(FieldIssue("gender", "性别", f"与身份证号不一致（身份证号为{gender}），请核对",
                                 "warning"))
    return issues


def _name_of(conn, key: str, record_id, column: str = "name") -> str | None:
    if record_id is None:
        return None
    t = TABLES[key]
    return conn.execute(sa.select(t.c[column]).where(t.c.id == record_id)).scalar()


def _buildings(conn, merged, clean, existing) -> list[FieldIssue]:
    if "name" in clean or "compound_id" in clean or existing is None:
        compound = _name_of(conn, "compounds", merged.get("compound_id")) or ""
        name = merged.get("name") or ""
        _set(merged, clean, "label", f"{compound}{name}" + ("" if name.endswith("栋") or
                                                            name.endswith("号楼") else "栋"))
    return []


def _units(conn, merged, clean, existing) -> list[FieldIssue]:
    if "name" in clean or "building_id" in clean or existing is None:
        building = _name_of(conn, "buildings", merged.get("building_id"), "label") or ""
        name = merged.get("name") or ""
        _set(merged, clean, "label", f"{building}{name}" + ("" if name.endswith("单元")
                                                            else "单元"))
    return []


def _households(conn, merged, clean, existing) -> list[FieldIssue]:
    """A household in a unit takes its compound and community from the unit, and its address
    from the unit's full name and the room, unless the clerk typed an address."""
    unit_id = merged.get("unit_id")
    if unit_id is not None and ("unit_id" in clean or existing is None):
        u, b, c = TABLES["units"], TABLES["buildings"], TABLES["compounds"]
        row = conn.execute(
            sa.select(u.c.label, c.c.id, c.c.community_id)
            .select_from(u.join(b, b.c.id == u.c.building_id).join(c, c.c.id == b.c.compound_id))
            .where(u.c.id == unit_id)).first()
        if row is not None:
            _set(merged, clean, "compound_id", row[1])
            _set(merged, clean, "community_id", row[2])
            if "address" not in clean:
                _set(merged, clean, "address", f"{row[0]}{merged.get('room') or ''}")
    if not merged.get("address") and merged.get("room"):
        _set(merged, clean, "address", merged["room"])
    return []


def meeting_label(held_at, meeting_type, topic) -> str:
    """How a meeting is named where others refer to it: date, type and topic."""
    day = f"{held_at:%Y-%m-%d}" if held_at else ""
    return " ".join(x for x in (day, meeting_type or "", topic or "") if x)


def _meetings(conn, merged, clean, existing) -> list[FieldIssue]:
    if existing is None or {"held_at", "meeting_type", "topic"} & clean.keys():
        _set(merged, clean, "label", meeting_label(merged.get("held_at"),
                                                   merged.get("meeting_type"),
                                                   merged.get("topic")))
    return []


def _mediation(conn, merged, clean, existing) -> list[FieldIssue]:
    """Number a new case per year of receipt: 2026-0001, 2026-0002, …"""
    if merged.get("case_no") or not merged.get("received_on"):
        return []
    year = merged["received_on"].year
    t = TABLES["mediation_cases"]
    prefix = f"{year}-"
    last = conn.execute(sa.select(sa.func.max(t.c.case_no)).where(
        t.c.case_no.like(prefix + "%"))).scalar()
    n = int(last.split("-")[1]) + 1 if last and last.split("-")[1].isdigit() else 1
    _set(merged, clean, "case_no", f"{prefix}{n:04d}")
    return []


#: Registers whose rows get derived values on write (used by the Excel plan too).
DERIVE = {"people": _people, "buildings": _buildings, "units": _units,
           "households": _households, "mediation_cases": _mediation,
           "party_meetings": _meetings}

#: The date a workflow row starts from, by register.
_START_FIELDS = {"consultations": "raised_on", "mediation_cases": "received_on"}


def start_date(reg: Register, values: dict) -> dt.date | None:
    key = _START_FIELDS.get(reg.key)
    return values.get(key) if key else None


def on_advance(reg: Register, row: dict, step: str, done_on: dt.date) -> dict:
    """Extra values written when a row reaches ``step``."""
    if reg.key == "mediation_cases" and step in ("调解成功", "调解不成功", "终止", "转办"):
        return {"closed_on": done_on}
    return {}


def after_write(conn: sa.Connection, reg: Register, record_id: int,
                before: dict | None = None) -> None:
    """Keep derived flags of other registers in step (党员户 follows the member roster)."""
    p = TABLES["people"]
    homes: set[int] = set()
    if reg.key == "people":
        homes.add(conn.execute(sa.select(p.c.household_id).where(p.c.id == record_id)).scalar())
        homes.add((before or {}).get("household_id"))
    elif reg.key == "party_members":
        m = TABLES["party_members"]
        homes.add(conn.execute(sa.select(p.c.household_id).select_from(
            m.join(p, p.c.id == m.c.person_id)).where(m.c.id == record_id)).scalar())
    homes.discard(None)
    if homes:
        refresh_party_households(conn, homes)


def refresh_party_households(conn: sa.Connection, only: set[int] | None = None) -> None:
    """households.is_party_household = some 在册 party member lives there."""
    h, p, m = TABLES["households"], TABLES["people"], TABLES["party_members"]
    member_homes = (sa.select(p.c.household_id)
                    .select_from(m.join(p, p.c.id == m.c.person_id))
                    .where(m.c.deleted_at.is_(None), m.c.status == "在册",
                           p.c.household_id.is_not(None)))
    stmt = h.update().values(is_party_household=h.c.id.in_(member_homes))
    if only is not None:
        stmt = stmt.where(h.c.id.in_(sorted(only)))
    conn.execute(stmt)
