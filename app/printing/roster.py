"""A 花名册 (printed roster) from a register declaration and its rows.

Columns are the declaration's ``roster_columns`` (label, width, kind → alignment and whether a
cell may wrap); cells are :func:`app.registry.display.cell_text`, the same text the table shows,
with 身份证号 masked unless full numbers are asked for.  Rows are printed in the order given
(the GUI passes what is filtered and sorted on screen); :func:`roster_from_db` reads them for
the command line.  Grouping makes one section per value of a ref/choice field (one 支部 or one
社区 per page run).
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

import sqlalchemy as sa

from ..registry import base as k
from ..registry import get as get_register
from ..registry.base import Field, Lookup, Register
from ..registry.display import cell_text, column_kind
from ..services import query
from ..storage.schema import TABLES, app_settings
from .spec import Column, RosterSpec, Section, chinese_date

#: Kinds printed centred and on one line (breaking a date or an ID makes it unreadable).
_NO_WRAP = (k.DATE, k.DATETIME, k.ID_NUMBER, k.PHONE, k.INT, k.FLOAT, k.BOOL)
_CENTRED = (k.DATE, k.DATETIME, k.INT, k.FLOAT, k.BOOL)
#: Field kinds a roster can be grouped by.
GROUPABLE = (k.REF, k.CHOICE, k.STEP, k.BOOL)
#: Virtual group key for registers that reach a community through a ref (党员 → 党组织 → 社区).
COMMUNITY = "community_id"
DEFAULT_OFFICE = "社区治理台账"
MASK_NOTE = "注：公民身份号码已隐去第 7–14 位"
FULL_ID_NOTE = "注：本表含完整公民身份号码，请妥善保管，用后销毁"


class RosterError(ValueError):
    """A roster that cannot be built as asked; ``str()`` is a Chinese message."""


def roster_title(reg: Register) -> str:
    return reg.roster_title or f"{reg.label}一览"


def print_columns(reg: Register) -> tuple[Field | Lookup, ...]:
    """The roster columns, or the table columns for a register that declares none."""
    return reg.roster_columns or reg.columns


#: Choices up to this many characters are printed on one line (a choice is one term).
_SHORT_CHOICE = 6


def _choices(reg: Register, col: Field | Lookup) -> tuple[str, ...]:
    if isinstance(col, Lookup):
        return _choices(get_register(reg.field(col.via).ref),
                        get_register(reg.field(col.via).ref).field(col.field))
    if col.kind == k.STEP and reg.workflow:
        return reg.workflow.all_steps
    return col.choices


def column_for(reg: Register, col: Field | Lookup) -> Column:
    """How a declared column prints: dates, numbers, 是/否 and short choices centred and on
    one line; text left-aligned and wrapped."""
    kind = column_kind(reg, col)
    choices = _choices(reg, col) if kind in (k.CHOICE, k.STEP) else ()
    short_choice = bool(choices) and max(map(len, choices)) <= _SHORT_CHOICE
    align = "center" if kind in _CENTRED or (short_choice and col.width <= 5) else "left"
    return Column(col.label, col.width, align, wrap=kind not in _NO_WRAP and not short_choice)


def person_unit(reg: Register) -> str:
    """``人`` for registers whose rows are people (党员, 调解员 …), else ``条``."""
    if reg.has_field(reg.title):
        f = reg.field(reg.title)
        if f.kind == k.REF and f.ref == "people":
            return "人"
    return "人" if reg.key == "people" else "条"


def _groupable(f: Field) -> bool:
    # One section per person would be one row per page: not a grouping anyone wants.
    return f.kind in GROUPABLE and f.ref != "people"


def group_label(reg: Register, key: str) -> str:
    if key == COMMUNITY and not reg.has_field(COMMUNITY):
        return "社区"
    return reg.field(key).label


def check_group_key(reg: Register, key: str) -> None:
    """Raise :class:`RosterError` unless ``key`` names a field the roster can group by."""
    if key == COMMUNITY and community_via(reg) is not None:
        return
    if reg.has_field(key) and _groupable(reg.field(key)):
        return
    allowed = [f.key for f in reg.fields if _groupable(f)]
    if not reg.has_field(COMMUNITY) and community_via(reg) is not None:
        allowed.append(COMMUNITY)
    labels = "、".join(f"{a}（{group_label(reg, a)}）" for a in allowed) or "无"
    raise RosterError(f"{reg.label}不能按“{key}”分组；可以分组的字段有：{labels}")


def community_via(reg: Register) -> Field | None:
    """The field through which rows of ``reg`` belong to a community (one rule for filters,
    rosters and figures: :func:`app.services.query.link`)."""
    return query.link(reg, COMMUNITY)


def _group_value(reg: Register, key: str, row: dict) -> tuple[object, str]:
    """(sort key, heading text) of ``row``'s group."""
    raw = row.get(key)
    if reg.has_field(key):
        f = reg.field(key)
        text = cell_text(reg, f, row)
        if f.kind in (k.CHOICE, k.STEP) and raw in f.choices:
            return (0, f.choices.index(raw), ""), text
        if f.kind == k.STEP and reg.workflow and raw in reg.workflow.all_steps:
            return (0, reg.workflow.all_steps.index(raw), ""), text
    else:  # the virtual community group, filled in by roster_from_db
        text = row.get(f"{key}__title") or ""
    if raw is None or text == "":
        return (1, 0, ""), "（未填写）"
    if isinstance(raw, bool):
        return (0, 0 if raw else 1, ""), text
    return (0, raw if isinstance(raw, int) else 0, str(raw)), text


def roster_spec(reg: Register, rows: Sequence[dict], *, office: str = "", scope: str = "",
                group_by: str | None = None, mask_ids: bool = True,
                orientation: str = "auto", preparer: str = "", reviewer: str = "",
                printed_on: dt.date | None = None, title: str | None = None) -> RosterSpec:
    """The printable roster of ``rows`` (already filtered and sorted) of register ``reg``.

    ``scope`` describes what was selected (e.g. ``社区：幸福社区　状态：在册``); the row
    count is appended (``　共 150 人``).  ``group_by`` is a ref/choice/step/bool field key (or ``community_id``
    for registers that reach a community through a ref, with rows from
    :func:`roster_from_db`)."""
    printed_on = printed_on or dt.date.today()
    fields = list(print_columns(reg))
    if group_by:
        check_group_key(reg, group_by)
        # The grouped column is the section heading; printing it on every row says nothing.
        fields = [c for c in fields if c.key != group_by] or fields
    columns = [column_for(reg, c) for c in fields]
    unit = person_unit(reg)

    def cells(row: dict) -> list[str]:
        return [cell_text(reg, c, row, mask_ids=mask_ids) for c in fields]

    if group_by:
        groups: dict[str, tuple[object, list[dict]]] = {}
        for row in rows:
            order, text = _group_value(reg, group_by, row)
            groups.setdefault(text, (order, []))[1].append(row)
        label = group_label(reg, group_by)
        sections = [Section([cells(r) for r in members],
                            heading=f"{label}：{text}（共 {len(members)} {unit}）")
                    for text, (_, members) in sorted(groups.items(), key=lambda g: g[1][0])]
    else:
        sections = [Section([cells(r) for r in rows])]
    has_ids = any(column_kind(reg, c) == k.ID_NUMBER for c in fields)
    note = (MASK_NOTE if mask_ids else FULL_ID_NOTE) if has_ids else ""
    count = f"共 {len(rows)} {unit}"
    return RosterSpec(
        title=title or roster_title(reg), columns=columns, sections=sections or [Section([])],
        office=office, scope=f"{scope}{SCOPE_SEP}{count}" if scope else count,
        as_of=f"截至{chinese_date(printed_on)}", orientation=orientation,
        footer=[("制表人", preparer), ("审核人", reviewer)], printed_on=printed_on,
        note=note)


def office_name(conn: sa.Connection) -> str:
    """The office printed in titles: setting ``office_name``, else the first 街道, else a
    neutral default."""
    value = conn.execute(sa.select(app_settings.c.value)
                         .where(app_settings.c.key == "office_name")).scalar()
    if value and value.strip():
        return value.strip()
    streets = TABLES["streets"]
    name = conn.execute(sa.select(streets.c.name).where(streets.c.deleted_at.is_(None))
                        .order_by(streets.c.id).limit(1)).scalar()
    return name or DEFAULT_OFFICE


def add_community(conn: sa.Connection, reg: Register, rows: list[dict]) -> None:
    """Give each row ``community_id`` and its title when ``reg`` reaches a community only
    through a ref (so a 党员花名册 can be grouped by 社区)."""
    via = community_via(reg)
    if via is None or reg.has_field(COMMUNITY):
        return
    target, comm = TABLES[via.ref], TABLES["communities"]
    pairs = conn.execute(sa.select(target.c.id, comm.c.id, comm.c.name)
                         .select_from(target.outerjoin(comm, comm.c.id == target.c.community_id)))
    lookup = {tid: (cid, name) for tid, cid, name in pairs}
    for row in rows:
        cid, name = lookup.get(row.get(via.key), (None, None))
        row[COMMUNITY] = cid
        row[f"{COMMUNITY}__title"] = name


#: Between the parts of a scope line, as an office writes it: 社区：阳光社区　状态：在册　共 150 人.
SCOPE_SEP = "　"


def describe_filters(conn: sa.Connection, reg: Register, filters: dict | None,
                     search: str | None = None, community_id: int | None = None) -> str:
    """The scope line: which community, which filters, which search, each as 名称：值."""
    from ..services.query import title_of
    parts = []
    if community_id is not None:
        parts.append(f"社区：{title_of(conn, get_register('communities'), community_id)}")
    for key, value in (filters or {}).items():
        f = reg.field(key)
        values = value if isinstance(value, (list, tuple, set)) else [value]
        texts = []
        for v in values:
            if f.kind == k.REF and v is not None:
                texts.append(title_of(conn, get_register(f.ref), v))
            elif f.kind == k.BOOL:
                texts.append("是" if v else "否")
            else:
                texts.append("（空）" if v is None else str(v))
        parts.append(f"{f.label}：{'或'.join(texts)}")
    if search:
        parts.append(f"查找：{search}")
    return SCOPE_SEP.join(parts)


def roster_from_db(target, key: str, *, filters: dict | None = None,
                   search: str | None = None, community_id: int | None = None,
                   group_by: str | None = None, mask_ids: bool = True,
                   orientation: str = "auto", office: str | None = None,
                   order: tuple[str, ...] | None = None,
                   printed_on: dt.date | None = None) -> RosterSpec:
    """Read the rows of register ``key`` (as :func:`app.services.records.list_rows` filters
    and sorts them) and build the roster.  ``target`` is a Database or a Connection."""
    from ..services.outputs import allow_print, check_print
    from ..services.records import list_rows, reading
    reg = get_register(key)
    if group_by:
        check_group_key(reg, group_by)
    check_print(target, full=not mask_ids)
    with reading(target) as conn:
        rows = list_rows(conn, key, search=search, filters=filters,
                         community_id=community_id, order=order, reveal=not mask_ids)
        if group_by == COMMUNITY:
            add_community(conn, reg, rows)
        scope = describe_filters(conn, reg, filters, search, community_id)
        office = office or office_name(conn)
    allow_print(target, key, full=not mask_ids, rows=len(rows), what=f"花名册 {scope}")
    return roster_spec(reg, rows, office=office, scope=scope, group_by=group_by,
                       mask_ids=mask_ids, orientation=orientation, printed_on=printed_on)


def roster_for_rows(target, key: str, rows: Sequence[dict], *, scope: str = "",
                    group_by: str | None = None, mask_ids: bool = True,
                    orientation: str = "auto") -> RosterSpec:
    """The roster of rows already on screen (filtered and sorted there): what the main
    window's 打印 actions pass to ``app.ui.print_preview``.  Reads only the office name (and
    the communities, when grouping a register by 社区 through a ref)."""
    from ..services.outputs import allow_print
    from ..services.records import reading
    reg = get_register(key)
    # Rows on screen are masked unless the user asked to see full numbers (audited then).
    allow_print(target, key, full=not mask_ids, rows=len(rows), what=f"花名册 {scope}")
    rows = [dict(r) for r in rows]  # never touch the table model's own dicts
    if group_by:
        check_group_key(reg, group_by)
    with reading(target) as conn:
        office = office_name(conn)
        if group_by == COMMUNITY:
            add_community(conn, reg, rows)
    return roster_spec(reg, rows, office=office, scope=scope, group_by=group_by,
                       mask_ids=mask_ids, orientation=orientation)
