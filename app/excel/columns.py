"""The Excel columns of a register, derived from its declaration, and row fingerprints.

One list drives the export, the import mapping and the comparison, so that what we write is
exactly what we read back.  Choices made here:

* The first column is the record's UUID (系统编号): a re-import updates instead of duplicating.
* A reference to a *person* that has lookups (党员 → 人员) is not shown as one column: its
  lookup columns (姓名, 性别, 出生日期, 公民身份号码, 联系电话, 学历) stand for it.  On import the
  person is found by 身份证号 (else by 姓名 when unique), created in 人员信息 when new, and
  edits to those columns update the person — inside the same transaction.
* Other references (所在党组织, 所属社区, …) are shown by their title and found by it on import.
* The workflow step (状态/阶段) is exported but read-only: it only moves by 推进 in the app.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..core.validators import clean_text
from ..registry import base as k
from ..registry import get as get_register
from ..registry.base import Field, Lookup, Register

UUID_KEY = "uuid"
UUID_LABEL = "系统编号(请勿修改)"
UUID_HEADERS = (UUID_LABEL, "系统编号", "唯一标识", "uuid", "UUID", "记录标识")
PEOPLE = "people"


@dataclass(frozen=True)
class Column:
    """One Excel column of a register.

    ``key`` is a field key, a lookup key or :data:`UUID_KEY`; ``kind`` is the field kind behind
    it (a lookup takes the kind of the person field it shows); ``target`` is the field the
    value is normalised as (the person's field for a person lookup)."""

    key: str
    label: str
    kind: str
    width: int
    headers: tuple[str, ...]
    field: Field | None = None
    lookup: Lookup | None = None
    target: Field | None = None

    @property
    def is_uuid(self) -> bool:
        return self.key == UUID_KEY

    @property
    def writable(self) -> bool:
        """False for what an import never writes: the workflow step."""
        return self.kind != k.STEP

    @property
    def text_format(self) -> bool:
        """Columns that must stay text in Excel/WPS (number format ``@``)."""
        return self.kind in (k.ID_NUMBER, k.PHONE, k.TEXT) or self.is_uuid or (
            self.kind == k.REF)

    @property
    def choices(self) -> tuple[str, ...]:
        if self.kind == k.BOOL:
            return ("是", "否")
        if self.kind in (k.CHOICE,) and self.target is not None:
            return self.target.choices
        return ()


def _person_ref(reg: Register, f: Field) -> bool:
    return f.kind == k.REF and f.ref == PEOPLE and any(lk.via == f.key for lk in reg.lookups)


@lru_cache(maxsize=None)
def excel_columns(key: str) -> tuple[Column, ...]:
    """Every column of register ``key`` in a workbook, in order (UUID first)."""
    reg = get_register(key)
    people = get_register(PEOPLE)
    out = [Column(UUID_KEY, UUID_LABEL, k.TEXT, 14, UUID_HEADERS)]
    # With only one person in a row (信访人), a plain 身份证号 or 联系电话 column is that
    # person's, whatever prefix the register gives its columns.
    person_refs = [f for f in reg.fields if _person_ref(reg, f)]
    sole = person_refs[0].key if len(person_refs) == 1 else None
    for f in reg.fields:
        lookups = [lk for lk in reg.lookups if lk.via == f.key]
        if not _person_ref(reg, f):
            out.append(Column(f.key, f.label, f.kind, f.width, f.headers, field=f, target=f))
        for lk in lookups:
            pf = people.field(lk.field) if f.ref == PEOPLE else None
            kind = pf.kind if pf is not None else get_register(f.ref).field(lk.field).kind
            headers = (lk.label, *lk.synonyms)
            if pf is not None and (lk.label == pf.label or f.key == sole):
                # An unprefixed person column also answers to the person field's own
                # synonyms (党员姓名, 公民身份证号码, 手机号码 …).
                headers += tuple(h for h in pf.headers if h not in headers)
            out.append(Column(lk.key, lk.label, kind, lk.width, headers,
                              lookup=lk, target=pf))
    return tuple(out)


def column_by_key(key: str) -> dict[str, Column]:
    return {c.key: c for c in excel_columns(key)}


def person_groups(key: str) -> dict[str, list[Column]]:
    """Ref field key → its person lookup columns (for registers that point at people)."""
    groups: dict[str, list[Column]] = {}
    for c in excel_columns(key):
        if c.lookup is not None and c.target is not None:
            groups.setdefault(c.lookup.via, []).append(c)
    return groups


# -- fingerprints ----------------------------------------------------------------------------

def canon(value: object) -> str:
    """A value as one canonical string, so that a date cell, a date in the database and the
    text ``2019.07.01`` after normalising all compare (and hash) equal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def db_value(col: Column, row: dict) -> object:
    """What the database holds for ``col`` in a row dict from the record services (a ref by
    its title, as the workbook shows it)."""
    if col.kind == k.REF and col.field is not None:
        return row.get(f"{col.key}__title")
    return row.get(col.key)


_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def fast_clean(s: str) -> str:
    """:func:`app.core.validators.clean_text` for a str, skipping the work when the text is
    already clean (the usual case: a check costs a third of cleaning)."""
    if unicodedata.is_normalized("NFKC", s) and s == s.strip() and not _ZERO_WIDTH.search(s):
        return s
    return clean_text(s)


def _fp_text(value: object) -> str:
    # Text is compared as normalised (full-width → half-width, trimmed), like the import does.
    return fast_clean(value) if isinstance(value, str) else canon(value)


def fingerprint(values: list[object]) -> str:
    """A short hash of canonical values in column order."""
    h = hashlib.blake2b("\x1f".join(_fp_text(v) for v in values).encode("utf-8"),
                        digest_size=8)
    return h.hexdigest()


def db_fingerprint(cols: list[Column], row: dict) -> str:
    return fingerprint([db_value(c, row) for c in cols if not c.is_uuid])
