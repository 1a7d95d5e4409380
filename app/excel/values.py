"""Values a district file uses that a register does not know, found before planning so the
wizard can ask for each distinct one once (all rows with the same value follow)."""

from __future__ import annotations

import re

from ..core.validators import clean_text
from ..registry import base as k
from .columns import Column, column_by_key
from .plan import SheetInput

_MULTI_SPLIT = re.compile(r"[、,，;；/\s]+")


def unknown_values(key: str, sheets: list[SheetInput],
                   remembered: dict[str, dict[str, str]] | None = None
                   ) -> list[tuple[Column, str, int]]:
    """(column, value, rows) for each value of a choice column that is neither a choice, an
    alias declared on the field, nor remembered — most rows first."""
    cols = column_by_key(key)
    remembered = remembered or {}
    counts: dict[tuple[str, str], int] = {}
    for s in sheets:
        for i, target in enumerate(s.targets):
            col = cols.get(target) if target else None
            if col is None or col.target is None or col.kind not in (k.CHOICE, k.MULTI):
                continue
            known = remembered.get(col.key, {})
            for _row, cells in s.layout.data:
                raw = cells[i] if i < len(cells) else ""
                if raw is None or raw == "" or isinstance(raw, bool):
                    continue
                text = clean_text(str(raw))
                parts = _MULTI_SPLIT.split(text) if col.kind == k.MULTI else [text]
                for part in parts:
                    if part and col.target.resolve_choice(part) is None and part not in known:
                        counts[(col.key, part)] = counts.get((col.key, part), 0) + 1
    return [(cols[ck], value, n) for (ck, value), n in
            sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
