"""What a write changed: the registers and record ids, hook side effects included.

Every service write returns one (``.changes`` on a written row, ``Written.changes`` for a
batch), as Anki's backend operations return ``OpChanges``.  The window refreshes exactly the
views that show any of the registers named, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


@dataclass
class Changes:
    """Record ids by register key.  Empty means nothing was written."""

    ids: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def of_registers(cls, keys: Iterable[str]) -> "Changes":
        """Whole registers changed (ids unknown), e.g. a manual refresh or a new database."""
        return cls({key: set() for key in keys})

    def add(self, key: str, ids: Iterable[int]) -> "Changes":
        ids = [i for i in ids if i is not None]
        if ids:
            self.ids.setdefault(key, set()).update(ids)
        return self

    def merge(self, other: "Changes | None") -> "Changes":
        for key, ids in (other.ids if other else {}).items():
            self.add(key, ids)
        return self

    @property
    def registers(self) -> frozenset[str]:
        return frozenset(self.ids)

    def touches(self, keys: Iterable[str]) -> bool:
        """Whether any of the registers ``keys`` changed."""
        return any(k in self.ids for k in keys)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}: {sorted(v)[:5]}{'…' if len(v) > 5 else ''}"
                          for k, v in sorted(self.ids.items()))
        return f"Changes({inner})"


class Record(dict):
    """A written row as a plain dict, carrying what the write changed in ``changes``."""

    changes: Changes

    def __init__(self, row: dict, changes: Changes) -> None:
        super().__init__(row)
        self.changes = changes
