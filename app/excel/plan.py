"""The import plan: what each data row of the workbook would do, computed in memory.

For every data row: normalise each mapped cell → find referenced rows and people → match an
existing record (by 系统编号, then by the register's match keys such as 身份证号, then
optionally by 姓名 + 出生日期) → validate the merged result → decide a status:

``new``        will be inserted
``update``     will change the cells listed in ``changes`` (before → after)
``unchanged``  matches a record and nothing would change
``conflict``   changed in the file *and* in the database since our export (from ``_meta``
               fingerprints), or the record was deleted since: shown, never overwritten
``invalid``    cannot be imported; ``messages`` say why, by sheet, row and column
``skipped``    valid, but the chosen policy leaves it out (e.g. 仅新增 and it exists)

A row missing from the file is never a delete.  Nothing is written here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Callable, Iterable

from ..core.validators import clean_text
from ..registry import base as k
from ..registry import get as get_register
from ..registry.display import format_value
from ..services import hooks, query, settings
from .columns import (PEOPLE, Column, UUID_KEY, canon, column_by_key, db_fingerprint, db_value,
                      fast_clean, person_groups)
from .dbstate import DbState
from .errors import Cancelled
from .layout import Layout
from .normalize import Bad, normalise_column
from .reader import SheetMeta
from .safety import col_letter
from .speed import gc_paused
from .validate_row import Change, check_row

STATUSES = ("new", "update", "unchanged", "conflict", "invalid", "skipped")
STATUS_LABELS = {"new": "新增", "update": "更新", "unchanged": "无变化", "conflict": "冲突",
                 "invalid": "有错误", "skipped": "跳过"}
_UUID_RE = re.compile(r"^[0-9a-f-]{36}$")
#: Types a match key value may have without further checks.
_SCALARS = frozenset((int, str, float))


def _keyable(x: object) -> bool:
    """Whether a match key part can be looked up among stored rows (a new person's
    ``("new", token)`` cannot)."""
    t = type(x)
    return t in _SCALARS or (t is not tuple and (isinstance(x, (int, str, float)) or
                                                 hasattr(x, "isoformat")))


@dataclass
class Policy:
    """What the user chose.  ``mode``: insert | update | both; ``on_match``: skip | update |
    fill (only fill cells that are blank in the database); ``blank``: keep | clear (a blank
    cell keeps the stored value, or clears it); ``name_birth``: also match by 姓名+出生日期."""

    mode: str = "both"
    on_match: str = "update"
    blank: str = "keep"
    name_birth: bool = False

    def as_dict(self) -> dict:
        return {"mode": self.mode, "on_match": self.on_match, "blank": self.blank,
                "name_birth": self.name_birth}


@dataclass
class Options:
    """The user's answers for a district file (CLI flags or the wizard's choices).

    ``community``: the 社区 of rows whose sheet has no 社区 column (and of 党组织 created for
    them); ``create_missing``: create records named but not yet registered, where a name is
    enough (a 党组织 from its name); ``values``: column or field key → {原值: 新值 or "" for
    不导入}, on top of the value mappings remembered in the database."""

    community: str | None = None
    create_missing: bool = False
    values: dict[str, dict[str, str]] = field(default_factory=dict)


class PlanOptionError(ValueError):
    """An option that cannot be used (an unknown 社区 name …).  Chinese message."""


@dataclass(frozen=True)
class NewRef:
    """A record the import will create before the rows that name it (``--create-missing``)."""

    register: str
    name: str


@dataclass(slots=True)
class PersonOp:
    """What happens to the person a row points at: link ``person_id``, or create one (then
    ``token`` names it so that several rows share the new person); ``update`` holds changed
    person fields."""

    via: str
    person_id: int | None
    token: tuple | None = None
    create: dict | None = None
    update: dict = field(default_factory=dict)


@dataclass(slots=True)
class PlanRow:
    sheet: str
    row: int
    status: str = "new"
    messages: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    record_id: int | None = None
    uuid: str | None = None
    persons: list[PersonOp] = field(default_factory=list)
    raw: list = field(default_factory=list)
    identity: list[tuple] = field(default_factory=list)
    source: str = ""
    #: The normalised cells: a dict, or (column keys, values) made a dict when asked for
    #: (see :attr:`cells`; a 100,000-row plan need not hold 100,000 dicts nobody looks at).
    cells_src: dict | tuple = field(default_factory=dict)
    #: The workbook's file name, for messages (empty when the sheet label already has it).
    file: str = ""
    _changes: list | None = field(default=None, repr=False)
    _make_changes: Callable[[], list] | None = field(default=None, repr=False)
    #: Column keys whose cell already has a message (so no second one, e.g. 必须填写).
    bad: set | frozenset = frozenset()
    #: (step column, step, date or None): the workflow state the row arrives in.
    step_to: tuple | None = None
    #: Changes shown beside the cells' own (a step the row arrives in).
    changes_extra: list | tuple = ()

    @property
    def cells(self) -> dict:
        """Column key → normalised cell value (refs as their title text), for views."""
        c = self.cells_src
        return dict(zip(*c)) if type(c) is tuple else c

    @property
    def loc(self) -> str:
        """Where the row is, as every message starts: ``党员.xlsx「花名册」第 7 行``."""
        return f"{self.file}「{self.sheet}」第 {self.row} 行"

    @property
    def changes(self) -> list[Change]:
        """Per cell before → after.  For new rows the texts are made when first asked for
        (a 50,000-row plan need not format 750,000 cells nobody looks at)."""
        if self._changes is None:
            self._changes = self._make_changes() if self._make_changes else []
            self._make_changes = None
        return self._changes

    @changes.setter
    def changes(self, value: list[Change]) -> None:
        self._changes, self._make_changes = value, None

    def fail(self, message: str) -> None:
        self.status = "invalid"
        self.messages.append(message)


@dataclass
class SheetInput:
    """One sheet to import: its layout, the target column key of each workbook column (None =
    不导入), and our export's ``_meta`` for it when there is one."""

    layout: Layout
    targets: list[str | None]
    meta: SheetMeta | None = None
    source: str = ""
    #: 0-based columns hidden in the file (shown as hidden; not imported by default).
    hidden: set[int] = field(default_factory=set)
    #: What the plan should say about this sheet (hidden columns, hidden rows …).
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    register: str
    policy: Policy
    rows: list[PlanRow]
    sheets: list[SheetInput]
    file_name: str = ""
    notes: list[str] = field(default_factory=list)
    #: Records to create first (``--create-missing``): NewRef → their values.
    new_refs: dict[NewRef, dict] = field(default_factory=dict)
    #: One line per column with problems, shown before the rows (every problem at once).
    summary: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    def rows_with(self, *statuses: str) -> list[PlanRow]:
        return [r for r in self.rows if r.status in statuses]


Progress = Callable[[int, int], bool]


def build_plan(conn, key: str, sheets: list[SheetInput], policy: Policy | None = None, *,
               file_name: str = "", progress: Progress | None = None,
               options: Options | None = None, today: dt.date | None = None) -> Plan:
    """The plan for importing ``sheets`` into register ``key``, read through ``conn``,
    judged as of ``today`` (default: the system date)."""
    policy = policy or Policy()
    state = DbState(conn, key)
    planner = _Planner(state, key, policy, options or Options())
    planner.file = "" if any("/" in s.layout.sheet for s in sheets) else file_name
    total = sum(len(s.layout.data) for s in sheets)
    done = 0
    rows: list[PlanRow] = []
    with gc_paused():
        for s in sheets:
            data = s.layout.data
            normal, bad = normalise_sheet(planner._compiled(s), data, today)
            for (excel_row, cells), nv, b in zip(data, normal, bad):
                pr = planner.plan_row(s, excel_row, cells, nv, b)
                if pr is not None:
                    rows.append(pr)
                done += 1
                if progress is not None and done % 500 == 0 and progress(done, total) is False:
                    raise Cancelled()
    _mark_duplicates(rows)
    if progress is not None:
        progress(total, total)
    plan = Plan(key, policy, rows, sheets, file_name,
                notes=[n for s in sheets for n in s.notes] + list(planner.notes),
                new_refs=dict(planner.new_refs), summary=planner.summary())
    for s in sheets:
        if not any(t for t in s.targets):
            plan.notes.append(f"工作表「{s.layout.sheet}」没有任何列对应到本台账的字段。")
    return plan


def normalise_sheet(sp: "_SheetPlan", data: list[tuple[int, list]],
                    today: dt.date | None = None) -> tuple[Iterable[tuple], Iterable[bool]]:
    """The mapped cells of every data row normalised column by column: per row a tuple in
    the order of ``sp.cells``, and per row whether one of them is :class:`Bad`."""
    cols, bad_cols = [], []
    rows = [c for _r, c in data]
    width = len(rows[0]) if rows else 0
    # Rows of one sheet have one width (calamine gives the whole rectangle): transpose in C.
    columns = list(zip(*rows)) if all(len(r) == width for r in rows) else None
    for idx, _ck, col in sp.cells:
        if columns is not None:
            cells = list(columns[idx]) if idx < width else [""] * len(rows)
        else:
            cells = [c[idx] if idx < len(c) else "" for c in rows]
        vmap = sp.value_maps.get(idx)
        if vmap:
            cells = [vmap.get(clean_text(c), c) if isinstance(c, str) and c else c
                     for c in cells]
        values, any_bad = normalise_column(col, cells, today)
        cols.append(values)
        if any_bad:
            bad_cols.append(values)
            if col.kind in (k.CHOICE, k.MULTI, k.STEP):
                counter = sp.pl.unknown_values.setdefault(col.key, {})
                for raw, v in zip(cells, values):
                    if type(v) is Bad:
                        text = clean_text(raw) if isinstance(raw, str) else str(raw)
                        counter[text] = counter.get(text, 0) + 1
    normal = zip(*cols) if cols else repeat((), len(data))
    if not bad_cols:
        return normal, repeat(False, len(data))
    return normal, [any(type(v) is Bad for v in vs) for vs in zip(*bad_cols)]


def _mark_duplicates(rows: list[PlanRow]) -> None:
    """The same record twice in one file is an error on every row concerned."""
    first: dict[tuple, PlanRow] = {}
    for r in rows:
        for ident in r.identity:
            other = first.setdefault(ident, r)
            if other is r:
                continue
            what = _identity_text(ident)
            r.fail(f"{r.loc}：与{other.loc}{what}重复，"
                   "同一记录在文件中出现两次，请删去或合并其中一行")
            if other.status != "invalid" or not any("重复" in m for m in other.messages):
                other.fail(f"{other.loc}：与{r.loc}"
                           f"{what}重复，同一记录在文件中出现两次，请删去或合并其中一行")


def _identity_text(ident: tuple) -> str:
    if ident[0] == "uuid":
        return "系统编号"
    if ident[0] == "unique":
        return f"的「{ident[1]}」“{ident[2]}”"
    return "（同一对象）"


class _SheetPlan:
    """What a sheet's mapping means, worked out once: (cell index, column key, column)
    for each mapped column, the register's own writable columns, its reference columns and
    the person groups ``(via, [(column key, people field)])``."""

    def __init__(self, pl: "_Planner", s: SheetInput) -> None:
        mapped = [(i, pl.cols[t]) for i, t in enumerate(s.targets) if t and t in pl.cols]
        self.cells = [(i, c.key, c) for i, c in mapped]
        self.keys = tuple(c.key for _i, c in mapped)
        self.own = [c.key for _i, c in mapped if c.field is not None and c.writable]
        self.refs = [c.key for _i, c in mapped if c.field is not None and c.kind == k.REF]
        keys = {c.key for _i, c in mapped}
        self.persons = [(via, [(c.key, c.target.key) for c in cols if c.key in keys])
                        for via, cols in pl.groups.items() if any(c.key in keys for c in cols)]
        self.person_keys = [(via, [ck for ck, _pf in group], [pf for _ck, pf in group])
                            for via, group in self.persons]
        self.steps = [c.key for _i, c in mapped if c.kind == k.STEP]
        self.defaults = sheet_defaults(pl, s, keys)
        self.pl = pl
        #: Cell index → {原值: 新值} for choice columns with value mappings.
        self.value_maps = {i: pl.value_map(c) for i, c in mapped
                           if c.kind in (k.CHOICE, k.MULTI, k.STEP) and pl.value_map(c)}


_TITLE_WORDS = re.compile(r"(党员)?(花名册|名册|名单|信息表|统计表|登记表|台账|一览表?)$")


def sheet_defaults(pl: "_Planner", s: SheetInput, mapped: set[str]) -> dict[str, int]:
    """A required reference with no column (所在党组织 when each 支部 has its own sheet) taken
    from the sheet name or the title above the header when exactly one row has that name.
    Shown in the plan's notes and in every row's values: an inference, never a silent one."""
    out: dict[str, int] = {}
    if pl.community_id is not None and pl.reg.has_field("community_id") and \
            "community_id" not in mapped:
        out["community_id"] = pl.community_id
        pl.notes.append(f"工作表「{s.layout.sheet}」没有“社区”列，按指定的“{pl.options.community}”"
                        "填入每一行。")
    texts = [s.layout.sheet, *s.layout.context]
    for f in pl.required:
        if f.kind != k.REF or f.key in mapped or f.key in pl.groups or f.key in out:
            continue
        titles = pl.state.titles(f.ref)
        for text in texts:
            text = re.sub(r"^(填报单位|单位)[:：]", "", clean_text(text)).split()[0] \
                if clean_text(text) else ""
            for cand in (text, _TITLE_WORDS.sub("", text)):
                ids = titles.get(cand, [])
                if len(ids) == 1:
                    out[f.key] = ids[0]
                    pl.notes.append(f"工作表「{s.layout.sheet}」没有“{f.label}”列，按“{text}”"
                                    f"取为“{cand}”。如不对，请在表中加上这一列。")
                    break
            if f.key in out:
                break
    return out


class _Planner:
    def __init__(self, state: DbState, key: str, policy: Policy,
                 options: Options | None = None) -> None:
        self.state = state
        self.options = options or Options()
        self.key = key
        self.reg = get_register(key)
        self.policy = policy
        self.cols = column_by_key(key)
        self.groups = person_groups(key)
        self.people_reg = get_register(PEOPLE)
        self.lookup_keys = {via: {c.target.key: c.key for c in cols}
                            for via, cols in self.groups.items()}
        self.required = [f for f in self.reg.fields if f.required and f.kind != k.STEP]
        self.required_keys = [f.key for f in self.required]
        self.field_keys = [f.key for f in self.reg.fields]
        self.unique = [f for f in self.reg.fields if f.unique]
        self.defaults = {f.key: f.default for f in self.reg.fields if f.default is not None}
        self.derives = key in hooks.DERIVE
        #: The derivations' lookups, asked once per plan (not once per row).
        self.lookups = hooks.Lookups(state.conn)
        self.notes: list[str] = []
        self.file = ""
        self.new_people: dict[tuple, PlanRow] = {}
        self.person_claims: dict[tuple[int, str], tuple[object, PlanRow]] = {}
        self._sheet_cache: dict[int, list[tuple[int, Column]]] = {}
        self._last_sheet: SheetInput | None = None
        self._last_plan: _SheetPlan | None = None
        self._people = None  # the people index, once loaded (see _resolve_person)
        #: Column key → {unknown value: rows}; ref column key → {unknown name: rows}.
        self.unknown_values: dict[str, dict[str, int]] = {}
        self.unknown_refs: dict[str, dict[str, int]] = {}
        self.new_refs: dict[NewRef, dict] = {}
        self.community_id = self._community(self.options.community)
        self._remembered = settings.recall_values(state.conn, key)

    def _community(self, name: str | None) -> int | None:
        if not name:
            return None
        titles = self.state.titles(self.people_reg.field("community_id").ref)
        ids = titles.get(clean_text(name), [])
        if len(ids) != 1:
            known = "、".join(list(titles)[:20]) or "（还没有登记任何社区）"
            raise PlanOptionError(f"没有名为“{name}”的社区；已登记的社区有：{known}。")
        return ids[0]

    def value_map(self, col: Column) -> dict[str, str]:
        """{原值: 新值} for a choice column: remembered, then given for this import (by the
        column's key, or by the field it fills)."""
        out = dict(self._remembered.get(col.key, {}))
        for key in (col.target.key if col.target is not None else None, col.key):
            out.update(self.options.values.get(key, {}) if key else {})
        return {clean_text(a): b for a, b in out.items()}

    def summary(self) -> list[str]:
        """Every column's problems in one line each, most rows first."""
        out = []
        for ck, names in self.unknown_refs.items():
            col = self.cols[ck]
            target = get_register(col.field.ref)
            items = "、".join(f"{n}（{c} 行）" for n, c in
                              sorted(names.items(), key=lambda x: -x[1])[:12])
            how = (f"可加 --create-missing 由名称新建，或先在「{target.label}」中登记"
                   if target.from_name else f"请先在「{target.label}」中登记，或改成已有的名称")
            out.append(f"「{col.label}」{len(names)} 个名称在程序中找不到：{items}。{how}。")
        for ck, values in self.unknown_values.items():
            col = self.cols[ck]
            items = "、".join(f"{v}（{c} 行）" for v, c in
                              sorted(values.items(), key=lambda x: -x[1])[:12])
            field = col.target.key if col.target is not None else ck
            example = next(iter(values))
            out.append(f"「{col.label}」{len(values)} 个值不是可选值：{items}。可选："
                       f"{'、'.join(col.choices)}。可在导入向导中逐个对应，或用 "
                       f"--value {field}:{example}=可选值。")
        if self.new_refs:
            by_reg: dict[str, list[str]] = {}
            for ref, values in self.new_refs.items():
                extra = f"（{values['org_type']}）" if values.get("org_type") else ""
                by_reg.setdefault(ref.register, []).append(ref.name + extra)
            for reg_key, names in by_reg.items():
                out.append(f"将新建「{get_register(reg_key).label}」{len(names)} 个："
                           f"{'、'.join(names)}（撤销这次导入时一并撤销）。")
        return out

    # -- one row ---------------------------------------------------------------------------
    def plan_row(self, s: SheetInput, excel_row: int, cells: list, normal: tuple,
                 bad: bool) -> PlanRow | None:
        """Plan one data row; ``normal`` holds its mapped cells already normalised (in the
        order of ``_SheetPlan.cells``, see :func:`normalise_sheet`), ``bad`` says whether
        one of them is a :class:`Bad`."""
        sp = self._compiled(s)
        if not bad and normal.count(None) == len(normal):
            return None  # only 序号 or blanks in the mapped columns (a Bad is not blank)
        vals = dict(zip(sp.keys, normal))
        pr = PlanRow(s.layout.sheet, excel_row, raw=cells, source=s.source, file=self.file,
                     cells_src=vals if bad else (sp.keys, normal))
        errors: list[str] = []
        if bad:
            for (idx, ck, _fn), value in zip(sp.cells, normal):
                if type(value) is Bad:
                    errors.append(self._where(pr, idx, s, value.message))
                    vals[ck] = None
        if errors:
            pr.messages += errors
            pr.status = "invalid"
            pr.bad = {ck for (_i, ck, _fn), v in zip(sp.cells, normal) if type(v) is Bad}
        pr.uuid = vals.get(UUID_KEY)
        if pr.uuid:
            pr.identity.append(("uuid", pr.uuid))
        # Picked in C (``map`` of the dict's own lookup): a dozen keys per row.
        get = vals.__getitem__
        values = dict(zip(sp.own, map(get, sp.own)))
        if sp.defaults:
            values.update(sp.defaults)
        persons = {via: dict(zip(pfs, map(get, cks))) for via, cks, pfs in sp.person_keys}
        existing = self._by_uuid(pr) if pr.uuid else None
        if pr.status == "conflict":
            return pr
        self.resolve_refs(pr, s, values, existing)
        for ck in pr.bad:  # a cell already explained: no second message about it
            values.pop(ck, None)
        existing = self._match(pr, values, persons, existing)
        if pr.status == "invalid":
            return pr
        if existing is not None:
            for ck in sp.defaults:  # inferred for new rows only: never moves a record
                values.pop(ck, None)
        check_row(self, pr, s, vals, values, persons, existing)
        return pr

    def _compiled(self, s: SheetInput) -> "_SheetPlan":
        if s is self._last_sheet:
            return self._last_plan
        self._last_sheet, self._last_plan = s, self._compiled_for(s)
        return self._last_plan

    def _compiled_for(self, s: SheetInput) -> "_SheetPlan":
        sid = id(s)
        sp = self._sheet_cache.get(sid)
        if sp is None:
            sp = self._sheet_cache[sid] = _SheetPlan(self, s)
        return sp

    def _where(self, pr: PlanRow, idx: int | None, s: SheetInput, text: str) -> str:
        if idx is None:
            return f"{pr.loc}：{text}"
        header = s.layout.headers[idx] if idx < len(s.layout.headers) else ""
        return f"{pr.loc} {col_letter(idx + 1)} 列「{header}」：{text}"

    def col_index(self, s: SheetInput, key: str) -> int | None:
        for i, t in enumerate(s.targets):
            if t == key:
                return i
        return None

    # -- the register's own fields and references ------------------------------------------
    def resolve_refs(self, pr: PlanRow, s: SheetInput, values: dict,
                     existing: dict | None) -> None:
        """Title text → id for each reference column.  An unchanged title of a matched row
        keeps its id (titles such as a meeting topic need not be unique)."""
        for ck in self._last_plan.refs if s is self._last_sheet else self._compiled(s).refs:
            value = values[ck]
            if value is None:
                continue
            col = self.cols[ck]
            if existing is not None and existing.get(ck) is not None and \
                    fast_clean(existing.get(f"{ck}__title") or "") == value:
                values[ck] = existing[ck]
                continue
            if get_register(col.field.ref).people:
                self._person_by_name(pr, s, ck, value, values)
                continue
            ids = self.state.titles(col.field.ref).get(value, [])
            if len(ids) == 1:
                values[ck] = ids[0]
                continue
            target = get_register(col.field.ref).label
            del values[ck]
            if not ids and self.options.create_missing:
                ref = self._new_ref(col.field.ref, value)
                if ref is not None:
                    values[ck] = ref
                    continue
            pr.bad = pr.bad | {ck}
            if not ids:
                names = self.unknown_refs.setdefault(ck, {})
                names[value] = names.get(value, 0) + 1
                pr.fail(self._where(pr, self.col_index(s, ck), s,
                                    f"在「{target}」中找不到“{value}”，请先在程序中登记，"
                                    "或改成已有的名称"))
            else:
                pr.fail(self._where(pr, self.col_index(s, ck), s,
                                    f"「{target}」中有 {len(ids)} 个“{value}”，无法确定是哪一个，"
                                    "请在程序中改名以区分"))

    def _person_by_name(self, pr: PlanRow, s: SheetInput, ck: str, text: str,
                        values: dict) -> None:
        """A person column with names only (调解员: 潘明兰、尹伟): the first name is the
        person; the others go to the field the register declares for the rest of the team.
        A name is the person of that name in the row's 社区 when exactly one is registered;
        otherwise a person is registered with the name alone, and the row says so."""
        names = [n for n in re.split(r"[、,，;；/\s]+|和|及", text) if n]
        if not names:
            del values[ck]
            return
        f = self.cols[ck].field
        if len(names) > 1:
            if f.overflow:
                rest = "、".join(names[1:])
                values[f.overflow] = "、".join(x for x in (values.get(f.overflow), rest) if x)
            else:
                pr.messages.append(self._where(pr, self.col_index(s, ck), s,
                                               f"只取第一位“{names[0]}”，其余“{'、'.join(names[1:])}"
                                               "”未导入（提示）"))
        name = names[0]
        people = self._people if self._people is not None else self._people_index()
        community = values.get("community_id")
        cands = people.by_name.get(name, [])
        local = [c for c in cands if community is None or
                 people.by_id[c].get("community_id") in (None, community)]
        if len(local) == 1:
            values[ck] = local[0]
            return
        ref = NewRef(self.people_reg.key, name)
        if ref not in self.new_refs:
            new = {"name": name}
            if community is not None:
                new["community_id"] = community
            self.new_refs[ref] = new
        values[ck] = ref
        why = "没有" if not local else f"有 {len(local)} 个"
        pr.messages.append(self._where(pr, self.col_index(s, ck), s,
                                       f"人员信息中{why}“{name}”，将新登记一人（只有姓名，"
                                       "请日后补全身份证号）（提示，不影响导入）"))

    def _new_ref(self, register: str, name: str) -> NewRef | None:
        """The record ``--create-missing`` makes from a name (its register declares how), in
        the given 社区, under that 社区's top organisation when the register is a tree; None
        when it cannot be made (no 社区 given, or no rule for that register)."""
        reg = get_register(register)
        if reg.from_name is None:
            return None
        ref = NewRef(register, name)
        if ref in self.new_refs:
            return ref
        values = dict(reg.from_name(name))
        if reg.has_field("community_id") and "community_id" not in values:
            if self.community_id is None:
                return None
            values["community_id"] = self.community_id
        parent = next((f for f in reg.fields if f.kind == k.REF and f.ref == register), None)
        if parent is not None and values.get("community_id") is not None:
            tops = query.list_rows(self.state.conn, register, filters={
                "community_id": values["community_id"], **dict(reg.tree_root)}) \
                if reg.tree_root else []
            if len(tops) == 1 and tops[0]["name"] != name:
                values[parent.key] = tops[0]["id"]
        self.new_refs[ref] = values
        return ref

    # -- matching --------------------------------------------------------------------------
    def _by_uuid(self, pr: PlanRow) -> dict | None:
        if not pr.uuid:
            return None
        existing = self.state.register.by_uuid.get(pr.uuid)
        if existing is not None and existing["deleted_at"] is not None:
            pr.status = "conflict"
            pr.record_id = existing["id"]
            pr.messages.append(f"{pr.loc}：这条记录在导出后已被删除"
                               "（可在程序中“显示已删除”里恢复后再导入）")
        return existing

    def _match(self, pr: PlanRow, values: dict, persons: dict[str, dict],
               existing: dict | None) -> dict | None:
        rs = self.state.register
        # Resolve people before key matching: a member's match key is its person.
        person_ids = {}
        for via, pv in persons.items():
            current = existing.get(via) if existing else None
            op = self._resolve_person(pr, via, pv, current)
            if op is not None:
                pr.persons.append(op)
                person_ids[via] = op.person_id if op.person_id is not None else ("new", op.token)
        if pr.status == "invalid":
            return existing
        for via, pid in person_ids.items():
            if isinstance(pid, int):
                values[via] = pid
        mk = self.reg.match_keys
        if mk:
            kt = tuple([person_ids[f] if f in person_ids else values.get(f) for f in mk])
            complete = None not in kt
            if complete:
                pr.identity.append(("key",) + kt)
            # (A new person's ("new", token) is a tuple: not keyable, so no lookup.)
            if complete and all(map(_keyable, kt)):
                ids = rs.by_key.get(kt, [])
                if existing is not None:
                    others = [i for i in ids if i != existing["id"]]
                    if others:
                        pr.fail(f"{pr.loc}：改动后与已有记录（编号 {others[0]}）"
                                "重复，请核对")
                elif len(ids) == 1:
                    existing = rs.by_id[ids[0]]
                elif len(ids) > 1:
                    pr.fail(f"{pr.loc}：匹配到 {len(ids)} 条已有记录，"
                            "无法确定更新哪一条，请在程序中核对")
        if existing is None and self.policy.name_birth and self.key == PEOPLE:
            name, birth = values.get("name"), values.get("birth_date")
            if name and birth:
                hits = [i for i in self.state.people.by_name.get(name, [])
                        if rs.by_id[i].get("birth_date") == birth]
                if len(hits) == 1:
                    existing = rs.by_id[hits[0]]
                elif len(hits) > 1:
                    pr.fail(f"{pr.loc}：按姓名和出生日期匹配到 {len(hits)} 人，"
                            "请填写身份证号")
        if existing is not None:
            pr.record_id = existing["id"]
        return existing

    def _resolve_person(self, pr: PlanRow, via: str, pv: dict, current: int | None
                        ) -> PersonOp | None:
        people = self._people if self._people is not None else self._people_index()
        idn, name = pv.get("id_number"), pv.get("name")
        pid = None
        if idn:
            pid = people.by_idn.get(idn)
            if pid is None and current is not None:
                pid = current  # the ID of the linked person was corrected in the file
        elif name:
            if current is not None and people.by_id[current].get("name") == name:
                pid = current
            else:
                cands = people.by_name.get(name, [])
                if pv.get("birth_date"):
                    cands = [c for c in cands
                             if people.by_id[c].get("birth_date") == pv["birth_date"]]
                if len(cands) == 1:
                    pid = cands[0]
                elif len(cands) > 1:
                    pr.fail(f"{pr.loc}：人员信息中有 {len(cands)} 个"
                            f"“{name}”，请填写身份证号以确定是哪一位")
                    return None
        elif current is not None:
            pid = current
        else:
            return None
        if pid is not None:
            return PersonOp(via, pid)
        if not name:
            pr.fail(f"{pr.loc}：人员信息中没有身份证号为 {idn} 的人，"
                    "新登记人员须填写姓名")
            return None
        token = ("idn", idn) if idn else ("name", name, pv.get("birth_date"))
        # The row's own person values when none is blank (nothing else changes them).
        create = {fk: v for fk, v in pv.items() if v is not None} \
            if None in pv.values() else pv
        return PersonOp(via, None, token, create)

    def _people_index(self):
        self._people = self.state.people
        return self._people

    # -- helpers used by validate_row ------------------------------------------------------
    def change_text(self, col: Column, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, NewRef):
            return f"{value.name}（新建）"
        if col.kind == k.REF and isinstance(value, int):
            return next((t for t, ids in self.state.titles(col.field.ref).items()
                         if value in ids), str(value))
        return format_value(col.kind, value)


__all__ = ["Policy", "Plan", "PlanRow", "SheetInput", "Change", "PersonOp", "build_plan",
           "Options", "NewRef", "PlanOptionError",
           "STATUSES", "STATUS_LABELS", "canon", "db_value", "db_fingerprint"]
