"""Register-specific rules that a declaration alone cannot say: values derived from others
(birth date and gender from the ID number, a building's full name, a household's address, the
yearly case number) and flags kept in step with other registers (党员户)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..core import validators as v
from ..registry.base import Register
from ..storage.schema import TABLES
from ..storage.bulk import id_chunks, serialize
from .changes import Changes
from .errors import FieldIssue


class Lookups:
    """What derivations read from the database, asked once per batch: the names of compounds
    and buildings, the place of a unit, the last case number of a year.  A batch of 20,000
    households in 300 units asks 300 times, not 20,000; a batch of new mediation cases numbers
    them on from the year's last number, as one-by-one creation would."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._names: dict[tuple, str | None] = {}
        self._units: dict[int, tuple | None] = {}
        self._case_no: dict[int, int] = {}
        self._homes: dict[str, int | None] = {}

    def name_of(self, key: str, record_id, column: str = "name") -> str | None:
        if record_id is None:
            return None
        k = (key, record_id, column)
        if k not in self._names:
            t = TABLES[key]
            self._names[k] = self.conn.execute(
                sa.select(t.c[column]).where(t.c.id == record_id)).scalar()
        return self._names[k]

    def unit_place(self, unit_id: int) -> tuple | None:
        """(unit full name, compound id, community id) of a unit."""
        if unit_id not in self._units:
            u, b, c = TABLES["units"], TABLES["buildings"], TABLES["compounds"]
            row = self.conn.execute(
                sa.select(u.c.label, c.c.id, c.c.community_id)
                .select_from(u.join(b, b.c.id == u.c.building_id)
                             .join(c, c.c.id == b.c.compound_id))
                .where(u.c.id == unit_id)).first()
            self._units[unit_id] = tuple(row) if row is not None else None
        return self._units[unit_id]

    def household_at(self, address: str) -> int | None:
        """The one live household whose address is exactly ``address`` (None: none, or
        several)."""
        if address not in self._homes:
            t = TABLES["households"]
            ids = self.conn.execute(sa.select(t.c.id).where(
                t.c.address == address, t.c.deleted_at.is_(None)).limit(2)).scalars().all()
            self._homes[address] = ids[0] if len(ids) == 1 else None
        return self._homes[address]

    def next_case_no(self, year: int) -> str:
        """The next free mediation case number of ``year`` (2026-0001, 2026-0002, …)."""
        prefix = f"{year}-"
        if year not in self._case_no:
            t = TABLES["mediation_cases"]
            last = self.conn.execute(sa.select(sa.func.max(t.c.case_no)).where(
                t.c.case_no.like(prefix + "%"))).scalar()
            tail = last.split("-")[1] if last else ""
            self._case_no[year] = int(tail) if tail.isdigit() else 0
        self._case_no[year] += 1
        return f"{prefix}{self._case_no[year]:04d}"


#: Values computed from other rows, by the registers whose writes compute or change them.
#: Writers of one of these take its lock first (PostgreSQL: an advisory lock held to commit;
#: SQLite holds the whole file anyway), so two PCs never number the same 案件编号, leave a
#: household's 党员户 flag as of a roll that no longer is, or count a 小区's households
#: without the one another PC just added.
SERIALIZED = {"mediation_cases": ("case_no",),
              "people": ("party_households", "place_totals"),
              "party_members": ("party_households",),
              "households": ("place_totals",), "buildings": ("place_totals",)}


def before_write(conn: sa.Connection, key: str) -> None:
    """Take the locks of the derived values a write to ``key`` computes (before it reads
    anything it computes them from)."""
    for name in SERIALIZED.get(key, ()):
        serialize(conn, name)


def lookups(ctx: "Lookups | sa.Connection") -> Lookups:
    return ctx if isinstance(ctx, Lookups) else Lookups(ctx)


def derive(ctx: "Lookups | sa.Connection", reg: Register, merged: dict, clean: dict,
           existing: dict | None) -> list[FieldIssue]:
    """Fill derived values into ``clean`` (and ``merged``); return warnings/errors found.
    ``ctx`` is a batch's :class:`Lookups` (or a Connection, for one row)."""
    fn = DERIVE.get(reg.key)
    return fn(lookups(ctx), merged, clean, existing) if fn else []


def _set(merged: dict, clean: dict, key: str, value) -> None:
    merged[key] = clean[key] = value


def _people(ctx: Lookups, merged, clean, existing) -> list[FieldIssue]:
    issues = []
    _person_home(ctx, merged, clean, existing)
    idn = merged.get("id_number")
    if not idn:
        return issues
    try:
        birth, gender = v.id_birth_date(idn), v.id_gender(idn)
    except ValueError:
        return issues
    written = merged.get("birth_date")
    if written is None or (v.is_month_only(written) and
                           (written.year, written.month) == (birth.year, birth.month)):
        # 出生年月 1998年7月 with an ID born 1998-07-15: the day is the ID's.
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


def _person_home(ctx: Lookups, merged, clean, existing) -> None:
    """住址 text and the 户 go together: a typed address links the household whose address it
    is (only when exactly one matches); a chosen household fills in the address text."""
    new = existing is None
    if merged.get("household_id") is None and merged.get("address") and \
            (new or "address" in clean):
        home = ctx.household_at(merged["address"])
        if home is not None:
            _set(merged, clean, "household_id", home)
    elif merged.get("household_id") is not None and not merged.get("address") and \
            (new or "household_id" in clean):
        address = ctx.name_of("households", merged["household_id"], "address")
        if address:
            _set(merged, clean, "address", address)


def _buildings(ctx: Lookups, merged, clean, existing) -> list[FieldIssue]:
    if "name" in clean or "compound_id" in clean or existing is None:
        compound = ctx.name_of("compounds", merged.get("compound_id")) or ""
        name = merged.get("name") or ""
        _set(merged, clean, "label", f"{compound}{name}" + ("" if name.endswith("栋") or
                                                            name.endswith("号楼") else "栋"))
    return []


def _units(ctx: Lookups, merged, clean, existing) -> list[FieldIssue]:
    if "name" in clean or "building_id" in clean or existing is None:
        building = ctx.name_of("buildings", merged.get("building_id"), "label") or ""
        name = merged.get("name") or ""
        _set(merged, clean, "label", f"{building}{name}" + ("" if name.endswith("单元")
                                                            else "单元"))
    return []


def _households(ctx: Lookups, merged, clean, existing) -> list[FieldIssue]:
    """A household in a unit takes its compound and community from the unit, and its address
    from the unit's full name and the room, unless the clerk typed an address."""
    unit_id = merged.get("unit_id")
    if unit_id is not None and ("unit_id" in clean or existing is None):
        row = ctx.unit_place(unit_id)
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


def _meetings(ctx: Lookups, merged, clean, existing) -> list[FieldIssue]:
    if existing is None or {"held_at", "meeting_type", "topic"} & clean.keys():
        _set(merged, clean, "label", meeting_label(merged.get("held_at"),
                                                   merged.get("meeting_type"),
                                                   merged.get("topic")))
    return []


def _mediation(ctx: Lookups, merged, clean, existing) -> list[FieldIssue]:
    """Number a new case per year of receipt: 2026-0001, 2026-0002, …"""
    if merged.get("case_no") or not merged.get("received_on"):
        return []
    _set(merged, clean, "case_no", ctx.next_case_no(merged["received_on"].year))
    return []


#: Registers whose rows get derived values on write (used by the Excel plan too).
DERIVE = {"people": _people, "buildings": _buildings, "units": _units,
           "households": _households, "mediation_cases": _mediation,
           "party_meetings": _meetings}

#: The date a workflow row starts from, by register.
START_FIELDS = {"consultations": "raised_on", "mediation_cases": "received_on"}


def start_date(reg: Register, values: dict) -> dt.date | None:
    key = START_FIELDS.get(reg.key)
    return values.get(key) if key else None


def on_advance(reg: Register, row: dict, step: str, done_on: dt.date) -> dict:
    """Extra values written when a row reaches ``step``."""
    if reg.key == "mediation_cases" and step in ("调解成功", "调解不成功", "终止", "转办"):
        return {"closed_on": done_on}
    return {}


def after_write(conn: sa.Connection, key: str, ids: list[int],
                befores: dict[int, dict] | None = None) -> Changes:
    """Keep derived flags of other registers in step with rows ``ids`` of ``key`` just
    written (党员户 follows the member roll), and say which records that changed: the
    households whose 党员户 flipped — the one a person left included (``befores``)."""
    if not ids:
        return Changes()
    out = refresh_totals_for(conn, key, ids, befores)
    if key not in ("people", "party_members"):
        return out
    p, m = TABLES["people"], TABLES["party_members"]
    homes: set[int] = set()
    if key == "people":  # the household a person left
        homes = {b.get("household_id") for b in (befores or {}).values()}
    elif befores:  # the household of the person a member record was moved away from
        old = {b.get("person_id") for b in befores.values()} - {None}
        for where in id_chunks(p.c.id, old):
            homes.update(h for (h,) in conn.execute(sa.select(p.c.household_id).where(where)))
    base = sa.select(p.c.household_id).distinct().where(p.c.household_id.is_not(None))
    if key == "people":
        where_col = p.c.id
    else:
        base = base.select_from(m.join(p, p.c.id == m.c.person_id))
        where_col = m.c.id
    for where in id_chunks(where_col, ids):
        homes.update(h for (h,) in conn.execute(base.where(where)))
    homes.discard(None)
    return out.merge(refresh_party_households(conn, homes) if homes else Changes())


#: Totals kept in step with the rows they count: (register of the total, its field, the
#: register counted, the reference to the total's row).  社区 户数/常住人口 and 小区
#: 楼栋数/户数 were typed by hand and stayed empty although the households were there.
TOTALS = (("communities", "households_total", "households", "community_id"),
          ("communities", "residents_total", "people", "community_id"),
          ("compounds", "buildings_total", "buildings", "compound_id"),
          ("compounds", "households_total", "households", "compound_id"))


def refresh_totals_for(conn: sa.Connection, key: str, ids: list[int],
                       befores: dict[int, dict] | None = None) -> Changes:
    """Recount the totals that rows ``ids`` of ``key`` count towards (the places they are in
    now and, for a move, were in before)."""
    out = Changes()
    for owner, _total, counted, ref in TOTALS:
        if counted != key:
            continue
        t = TABLES[counted]
        places = {b.get(ref) for b in (befores or {}).values()}
        for where in id_chunks(t.c.id, ids):
            places.update(p for (p,) in conn.execute(sa.select(t.c[ref]).distinct().where(where)))
        places.discard(None)
        if places:
            out.merge(refresh_totals(conn, owner, places))
    return out


def refresh_totals(conn: sa.Connection, owner: str, only: set[int] | None = None) -> Changes:
    """Set every total of register ``owner`` to the live rows it counts (``only`` these
    rows of it, or all).  Returns the rows whose totals changed."""
    o = TABLES[owner]
    serialize(conn, "place_totals")
    changed: set[int] = set()
    for own, total, counted, ref in TOTALS:
        if own != owner:
            continue
        t = TABLES[counted]
        count = (sa.select(sa.func.count()).select_from(t)
                 .where(t.c[ref] == o.c.id, t.c.deleted_at.is_(None)).scalar_subquery())
        stale = sa.or_(o.c[total].is_(None), o.c[total] != count)
        wheres = [sa.true()] if only is None else id_chunks(o.c.id, only)
        for where in wheres:
            ids = [i for (i,) in conn.execute(sa.select(o.c.id).where(where, stale))]
            for chunk in id_chunks(o.c.id, ids):
                conn.execute(o.update().where(chunk).values({total: count}))
            changed.update(ids)
    return Changes().add(owner, changed)


def refresh_party_households(conn: sa.Connection, only: set[int] | None = None) -> Changes:
    """households.is_party_household = some 在册 party member lives there.  Returns the
    households whose flag changed."""
    h, p, m = TABLES["households"], TABLES["people"], TABLES["party_members"]
    serialize(conn, "party_households")
    member_homes = (sa.select(p.c.household_id)
                    .select_from(m.join(p, p.c.id == m.c.person_id))
                    .where(m.c.deleted_at.is_(None), m.c.status == "在册",
                           p.c.household_id.is_not(None)))
    wanted = h.c.id.in_(member_homes)
    # Rows whose flag differs from what it should be: exactly those about to flip.
    stale = sa.or_(h.c.is_party_household.is_(None), h.c.is_party_household != wanted)
    wheres = [sa.true()] if only is None else id_chunks(h.c.id, only)
    flipped: list[int] = []
    for where in wheres:
        flipped += [i for (i,) in conn.execute(sa.select(h.c.id).where(where, stale))]
    for where in id_chunks(h.c.id, flipped):
        # A derived flag (no form writes it): not a new version of the household.
        conn.execute(h.update().where(where).values(is_party_household=wanted))
    return Changes().add("households", flipped)
