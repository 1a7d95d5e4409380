"""The declaration a register is made of.

One :class:`Register` per ledger (台账) declares its fields once; the database table, the
services' validation, the GUI table and form, the Excel columns and the printed roster are all
derived from it.  Adding a field to a register is one edit here (plus an Alembic revision).

Field kinds
-----------
``text``      single-line text (``max_length``)
``longtext``  multi-line text
``int`` / ``float``
``bool``      是/否
``date``      a calendar date (stored as DATE)
``datetime``  date and time
``choice``    one of ``choices`` (stored as the Chinese text itself)
``multi``     several of ``choices``, stored joined by ``、``
``id_number`` 公民身份号码, validated with the GB 11643 check digit
``phone``     a phone number
``ref``       a reference to a row of register ``ref`` (stored as its integer id)
``step``      the current step of the register's workflow (read-only: moved by ``advance``)

A :class:`Lookup` is a read-only column shown beside a register's own fields, taken from a
referenced row (e.g. 党员 shows 姓名 and 身份证号 of its person).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Callable

from ..core.validators import is_before

TEXT = "text"
LONGTEXT = "longtext"
INT = "int"
FLOAT = "float"
BOOL = "bool"
DATE = "date"
DATETIME = "datetime"
CHOICE = "choice"
MULTI = "multi"
ID_NUMBER = "id_number"
PHONE = "phone"
REF = "ref"
STEP = "step"

KINDS = (TEXT, LONGTEXT, INT, FLOAT, BOOL, DATE, DATETIME, CHOICE, MULTI, ID_NUMBER, PHONE,
         REF, STEP)

#: Separator used to store ``multi`` values.
MULTI_SEP = "、"

#: The six work areas in the order of the source report, plus the shared basics.
AREAS: tuple[tuple[str, str], ...] = (
    ("basics", "基础信息"),
    ("party", "党建引领"),
    ("autonomy", "自治基础"),
    ("law", "法治保障"),
    ("virtue", "德治支撑"),
    ("service", "服务群众"),
    ("cadre", "干部担当"),
)
AREA_LABELS = dict(AREAS)


@dataclass(frozen=True)
class Field:
    """One field of a register.

    ``width`` is the display width in Chinese characters (tables, Excel, roster).
    ``synonyms`` are other header texts that mean this field in district workbooks.
    ``roster`` marks the field as a column of the printed roster (花名册).
    ``check`` is an extra validator: ``check(value) -> error message | None``.
    ``derived`` marks a value the services compute (not shown in forms).
    ``aliases`` are other words district files use for a choice: ``(("本科", "大学本科"), …)``.
    ``overflow``: for a person reference of a team (调解员), the text field that keeps the
    other names when a cell lists several.
    ``role``: for a person reference, what the person is called for having a row here (党员,
    调解员, 信访人): the person picker says who someone already is.
    """

    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    width: int = 8
    synonyms: tuple[str, ...] = ()
    roster: bool = False
    unique: bool = False
    max_length: int | None = None
    default: object = None
    help: str = ""
    table: bool = True
    check: Callable[[object], str | None] | None = None
    sensitive: bool = False
    derived: bool = False
    aliases: tuple[tuple[str, str], ...] = ()
    overflow: str | None = None
    role: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r} for {self.key}")
        if self.kind == REF and not self.ref:
            raise ValueError(f"ref field {self.key} names no register")
        if self.kind in (CHOICE, MULTI) and not self.choices:
            raise ValueError(f"choice field {self.key} has no choices")
        for word, choice in self.aliases:
            if choice not in self.choices and not (self.kind == STEP):
                raise ValueError(f"{self.key}: alias {word!r} names unknown choice {choice!r}")

    def resolve_choice(self, text: str) -> str | None:
        """The declared choice ``text`` means: itself, or the choice an alias names."""
        if text in self.choices:
            return text
        return dict(self.aliases).get(text)

    @property
    def editable(self) -> bool:
        """False for fields that only services change: the workflow step, and values derived
        from other fields or registers (``derived``, e.g. a building's full name)."""
        return self.kind != STEP and not self.derived

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header text that maps to this field: its label first, then synonyms."""
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class Lookup:
    """A read-only column taken from a referenced row: ``via`` is a ref field of this register,
    ``field`` a field key of the referenced register (one level deep)."""

    key: str
    label: str
    via: str
    field: str
    width: int = 8
    roster: bool = False
    synonyms: tuple[str, ...] = ()
    sensitive: bool = False


@dataclass(frozen=True)
class Workflow:
    """An ordered list of steps. Steps that share a position are alternatives (a branch), e.g.
    调解成功 | 调解不成功 | 终止 | 转办 all come after 调解中.  Kept as data: the step list is
    copied into the ``workflow_steps`` table, so another procedure (四议两公开) is a data change."""

    key: str
    label: str
    steps: tuple[tuple[str, ...], ...]

    def position(self, step: str | None) -> int:
        """0-based position of ``step``; -1 for no step yet."""
        if step is None:
            return -1
        for i, alternatives in enumerate(self.steps):
            if step in alternatives:
                return i
        raise KeyError(step)

    def next_steps(self, current: str | None) -> tuple[str, ...]:
        pos = self.position(current)
        return self.steps[pos + 1] if pos + 1 < len(self.steps) else ()

    @property
    def all_steps(self) -> tuple[str, ...]:
        return tuple(s for alts in self.steps for s in alts)


@dataclass(frozen=True)
class Register:
    """A ledger: its key (English snake_case, a contract), Chinese label, area and fields.

    ``title`` is the field (or lookup) that names a row where other registers refer to it.
    ``match_keys`` are field keys that identify a row besides its uuid (import matching).
    ``workflow`` names the workflow whose current step is kept in the field ``step``.
    ``roster_title`` is the printed roster's name (e.g. 党员花名册).
    ``order`` is the default sort (field keys; ``-key`` for descending).
    ``validate`` checks a whole row: ``validate(values) -> [(field_key, message), …]``.

    Behaviour that views, printouts and figures derive from the declaration:
    ``default_filter`` the filter a table and a roster open with, e.g. ``(("status", "在册"),)``;
    ``active`` the (field, value) that makes a row count as current (党员 在册);
    ``date_filter`` the field the date-range filter uses (default: the first required date);
    ``actions`` extra row actions by name (``sign_in``: the 签到表 of a meeting);
    ``followups`` what saving a new row offers to do elsewhere (``transfer_roll``);
    ``headline`` the count shown in the status bar, a format with ``{n}``;
    ``members`` a register whose rows hang below this one's tree (党组织 → 党员);
    ``people`` marks the one person registry that other registers point at;
    ``from_name`` makes a new row's values from just a name, for an import that names rows not
    registered yet (党组织 from 第一党支部: its type from the suffix);
    ``step_dates`` the date field that records reaching a workflow step (结案日期 for 调解成功),
    used when a record arrives from a file already at that step;
    ``tree_root`` the filter of a tree's top rows per 社区 (the 社区党委), under which such new
    rows go.
    """

    key: str
    label: str
    area: str
    fields: tuple[Field, ...]
    title: str = "name"
    lookups: tuple[Lookup, ...] = ()
    match_keys: tuple[str, ...] = ()
    workflow: Workflow | None = None
    roster_title: str | None = None
    order: tuple[str, ...] = ("id",)
    validate: Callable[[dict], list[tuple[str, str]]] | None = None
    description: str = ""
    default_filter: tuple[tuple[str, object], ...] = ()
    active: tuple[str, object] | None = None
    date_filter: str | None = None
    actions: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    headline: str | None = None
    members: str | None = None
    people: bool = False
    from_name: Callable[[str], dict] | None = None
    step_dates: tuple[tuple[str, str], ...] = ()
    tree_root: tuple[tuple[str, object], ...] = ()
    _by_key: dict = dc_field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        seen: dict[str, Field] = {}
        for f in self.fields:
            if f.key in seen:
                raise ValueError(f"{self.key}: field {f.key} declared twice")
            seen[f.key] = f
        for lk in self.lookups:
            if lk.via not in seen or seen[lk.via].kind != REF:
                raise ValueError(f"{self.key}: lookup {lk.key} via non-ref {lk.via}")
        if self.workflow and "step" not in seen:
            raise ValueError(f"{self.key}: a workflow register needs a 'step' field")
        self._by_key.update(seen)

    def field(self, key: str) -> Field:
        return self._by_key[key]

    def has_field(self, key: str) -> bool:
        return key in self._by_key

    @property
    def date_field(self) -> Field | None:
        """The field the date-range filter uses: declared, else the first required date,
        else the first date (the workflow's step date excluded)."""
        if self.date_filter:
            return self.field(self.date_filter)
        dates = [f for f in self.fields if f.kind in (DATE, DATETIME) and f.key != "step_date"]
        return next((f for f in dates if f.required), dates[0] if dates else None)

    @property
    def status_field(self) -> tuple[str, tuple[str, ...]] | None:
        """The field whose value is a row's status, with its values: the workflow step, or
        a ``status`` choice."""
        if self.workflow:
            return "step", self.workflow.all_steps
        if "status" in self._by_key and self._by_key["status"].kind == CHOICE:
            return "status", self._by_key["status"].choices
        return None

    @property
    def area_label(self) -> str:
        return AREA_LABELS[self.area]

    @property
    def editable_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.editable)

    @property
    def columns(self) -> tuple[Field | Lookup, ...]:
        """What a table shows, in order: each ref field followed by its lookups."""
        out: list[Field | Lookup] = []
        for f in self.fields:
            if f.table:
                out.append(f)
            out.extend(lk for lk in self.lookups if lk.via == f.key)
        return tuple(out)

    @property
    def roster_columns(self) -> tuple[Field | Lookup, ...]:
        """Columns of the printed roster, in table order."""
        out: list[Field | Lookup] = []
        for f in self.fields:
            if f.roster:
                out.append(f)
            out.extend(lk for lk in self.lookups if lk.via == f.key and lk.roster)
        return tuple(out)


def person_lookups(via: str = "person_id", *, prefix: str = "",
                   keys: tuple[str, ...] = ("name", "gender", "birth_date", "id_number",
                                            "phone"),
                   roster: tuple[str, ...] = ("name", "gender", "birth_date", "id_number")
                   ) -> tuple[Lookup, ...]:
    """The usual columns shown for a register that points at a person (姓名, 性别, …).

    Lookup keys are ``<via without _id>_<field>`` (e.g. ``person_name``); ``prefix`` goes in
    front of the Chinese labels (e.g. ``申请人``)."""
    meta = {
        "name": ("姓名", 6, ("名字",), False),
        "gender": ("性别", 4, (), False),
        "birth_date": ("出生日期", 9, ("出生年月",), False),
        "id_number": ("公民身份号码", 18,
                      ("身份证号", "身份证号码", "身份证", "证件号码", "身份证件号码"), True),
        "phone": ("联系电话", 12, ("电话", "手机", "手机号", "手机号码"), True),
        "education": ("学历", 7, ("文化程度",), False),
        "ethnicity": ("民族", 5, (), False),
        "address": ("住址", 24, ("家庭住址", "现住址", "居住地址", "家庭地址"), False),
    }
    stem = via[:-3] if via.endswith("_id") else via
    out = []
    for k in keys:
        label, width, syn, sensitive = meta[k]
        full = prefix + label
        synonyms = tuple(prefix + s for s in syn) if prefix else syn
        if prefix and k == "name":  # a 调解/信访 ledger heads the name column 申请人,
            synonyms += (prefix, f"当事人（{prefix}）", f"{prefix}（当事人）")  # 当事人（申请人）
        out.append(Lookup(f"{stem}_{k}", full, via, k, width=width, roster=k in roster,
                          synonyms=synonyms, sensitive=sensitive))
    return tuple(out)


def date_order(earlier: str, later: str, message: str
               ) -> Callable[[dict], list[tuple[str, str]]]:
    """A row check for ``Register.validate``: ``later`` may not be before ``earlier``."""
    def check(values: dict) -> list[tuple[str, str]]:
        a, b = values.get(earlier), values.get(later)
        return [(later, message)] if a and b and is_before(b, a) else []
    return check
