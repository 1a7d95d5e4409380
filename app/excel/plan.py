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
from ..services import hooks
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
    #: Column key → normalised cell value (refs as their title text), for views.
    cells: dict = field(default_factory=dict)
    #: The workbook's file name, for messages (empty when the sheet label already has it).
    file: str = ""
    _changes: list | None = field(default=None, repr=False)
    _make_changes: Callable[[], list] | None = field(default=None, repr=False)

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


@dataclass
class Plan:
    register: str
    policy: Policy
    rows: list[PlanRow]
    sheets: list[SheetInput]
    file_name: str = ""
    notes: list[str] = field(default_factory=list)

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
               today: dt.date | None = None) -> Plan:
    """The plan for importing ``sheets`` into register ``key``, read through ``conn``,
    judged as of ``today`` (default: the system date)."""
    policy = policy or Policy()
    state = DbState(conn, key)
    planner = _Planner(state, key, policy)
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
    plan = Plan(key, policy, rows, sheets, file_name, notes=list(planner.notes))
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
        values, any_bad = normalise_column(col, cells, today)
        cols.append(values)
        if any_bad:
            bad_cols.append(values)
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
        self.keys = [c.key for _i, c in mapped]
        self.own = [c.key for _i, c in mapped if c.field is not None and c.writable]
        self.refs = [c.key for _i, c in mapped if c.field is not None and c.kind == k.REF]
        keys = {c.key for _i, c in mapped}
        self.persons = [(via, [(c.key, c.target.key) for c in cols if c.key in keys])
                        for via, cols in pl.groups.items() if any(c.key in keys for c in cols)]
        self.person_keys = [(via, [ck for ck, _pf in group], [pf for _ck, pf in group])
                            for via, group in self.persons]
        self.steps = [c.key for _i, c in mapped if c.kind == k.STEP]
        self.defaults = sheet_defaults(pl, s, keys)


_TITLE_WORDS = re.compile(r"(党员)?(花名册|名册|名单|信息表|统计表|登记表|台账|一览表?)$")


def sheet_defaults(pl: "_Planner", s: SheetInput, mapped: set[str]) -> dict[str, int]:
    """A required reference with no column (所在党组织 when each 支部 has its own sheet) taken
    from the sheet name or the title above the header when exactly one row has that name.
    Shown in the plan's notes and in every row's values: an inference, never a silent one."""
    out: dict[str, int] = {}
    texts = [s.layout.sheet, *s.layout.context]
    for f in pl.required:
        if f.kind != k.REF or f.key in mapped or f.key in pl.groups:
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
    def __init__(self, state: DbState, key: str, policy: Policy) -> None:
        self.state = state
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
        self.notes: list[str] = []
        self.file = ""
        self.new_people: dict[tuple, PlanRow] = {}
        self.person_claims: dict[tuple[int, str], tuple[object, PlanRow]] = {}
        self._sheet_cache: dict[int, list[tuple[int, Column]]] = {}
        self._last_sheet: SheetInput | None = None
        self._last_plan: _SheetPlan | None = None
        self._people = None  # the people index, once loaded (see _resolve_person)

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
                     cells=vals)
        errors: list[str] = []
        if bad:
            for (idx, ck, _fn), value in zip(sp.cells, normal):
                if type(value) is Bad:
                    errors.append(self._where(pr, idx, s, value.message))
                    vals[ck] = None
        if errors:
            pr.messages += errors
            pr.status = "invalid"
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
        if pr.status == "invalid":
            return pr
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
            ids = self.state.titles(col.field.ref).get(value, [])
            if len(ids) == 1:
                values[ck] = ids[0]
                continue
            target = get_register(col.field.ref).label
            del values[ck]
            if not ids:
                pr.fail(self._where(pr, self.col_index(s, ck), s,
                                    f"在「{target}」中找不到“{value}”，请先在程序中登记，"
                                    "或改成已有的名称"))
            else:
                pr.fail(self._where(pr, self.col_index(s, ck), s,
                                    f"「{target}」中有 {len(ids)} 个“{value}”，无法确定是哪一个，"
                                    "请在程序中改名以区分"))

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
        create = {fk: v for fk, v in pv.items() if v is not None} \
            if None in pv.values() else dict(pv)
        return PersonOp(via, None, token, create)

    def _people_index(self):
        self._people = self.state.people
        return self._people

    # -- helpers used by validate_row ------------------------------------------------------
    def change_text(self, col: Column, value: object) -> str:
        if value is None:
            return ""
        if col.kind == k.REF and isinstance(value, int):
            return next((t for t, ids in self.state.titles(col.field.ref).items()
                         if value in ids), str(value))
        return format_value(col.kind, value)


__all__ = ["Policy", "Plan", "PlanRow", "SheetInput", "Change", "PersonOp", "build_plan",
           "STATUSES", "STATUS_LABELS", "canon", "db_value", "db_fingerprint"]
