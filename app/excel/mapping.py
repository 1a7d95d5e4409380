"""Which workbook column is which field: automatic by header synonyms, editable, remembered.

Headers are compared after :func:`norm_header` (full-width → half-width, no spaces or line
breaks, no ``*`` required-marks, no trailing colon), and again without a bracketed hint
(``出生日期（格式 2019-01-01）`` → ``出生日期``).  What a user chose for a header text is
stored per register in ``import_mappings`` (by header text, not position), so the same
district template maps itself next time; ``""`` means 不导入.
"""

from __future__ import annotations

import re

from ..core.validators import halfwidth
from ..services import settings
from .columns import excel_columns

#: The mapping target meaning "do not import this column".
SKIP = ""
SKIP_LABEL = "（不导入）"

_BRACKETS = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")


def norm_header(text: object) -> str:
    """A header as compared: ``公民身份\\n号码*`` → ``公民身份号码``."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    s = halfwidth(text)  # （ and (, ： and : are the same in a header
    s = re.sub(r"\s+", "", s).replace("*", "").rstrip(":")
    return s


def _strip_brackets(s: str) -> str:
    return _BRACKETS.sub("", s)


def synonym_index(key: str) -> dict[str, str]:
    """Normalised header text → column key; labels win over synonyms."""
    index: dict[str, str] = {}
    cols = excel_columns(key)
    for c in cols:
        index.setdefault(norm_header(c.label), c.key)
    for c in cols:
        for h in c.headers:
            index.setdefault(norm_header(h), c.key)
    return index


_PREFIXES = ("所在", "所属", "本人", "现")
_SUFFIXES = ("名称", "情况")


def lookup_header(index: dict[str, str], header: object) -> str | None:
    """The column key a header means: exactly, then without a bracketed hint, then without a
    filler prefix or suffix (所在党支部 → 党支部, 支部名称 → 支部)."""
    h = norm_header(header)
    if not h:
        return None
    if h in index:
        return index[h]
    bare = _strip_brackets(h)
    if bare != h and bare in index:
        return index[bare]
    for p in _PREFIXES:
        if bare.startswith(p) and bare[len(p):] in index:
            return index[bare[len(p):]]
    for x in _SUFFIXES:
        if bare.endswith(x) and bare[:-len(x)] in index:
            return index[bare[:-len(x)]]
    return None


def auto_map(key: str, headers: list[object], memory: dict[str, str] | None = None
             ) -> list[str | None]:
    """Target column key (or None = 不导入) for each header.  Remembered choices come first,
    then synonyms; a target is used by the first column that claims it only."""
    index = synonym_index(key)
    memory = memory or {}
    out: list[str | None] = []
    used: set[str] = set()
    valid = {c.key for c in excel_columns(key)}
    for h in headers:
        n = norm_header(h)
        target = memory.get(n) if n in memory else lookup_header(index, h)
        if target == SKIP or target not in valid or target in used:
            target = None
        if target:
            used.add(target)
        out.append(target)
    return out


# -- memory ----------------------------------------------------------------------------------

def recall(target, key: str) -> dict[str, str]:
    """Remembered header text → target for register ``key``."""
    return settings.recall_mapping(target, key)


def remember(target, key: str, headers: list[object], targets: list[str | None]) -> int:
    """Store the user's choice for each header whose choice differs from the synonyms (or
    that was remembered before), through the services.  Returns how many were stored."""
    index = synonym_index(key)
    old = recall(target, key)
    choices: dict[str, str] = {}
    for h, want in zip(headers, targets):
        text = norm_header(h)
        if not text:
            continue
        want = want or SKIP
        if want == (lookup_header(index, h) or SKIP) and text not in old:
            continue
        choices[text] = want
    return settings.remember_mapping(target, key, choices)
