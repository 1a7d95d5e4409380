"""Every register of the six areas, by key.

>>> from app.registry import get, REGISTERS
>>> get("party_members").label
'党员'
"""

from __future__ import annotations

from . import autonomy, cadre, law, party, places, service, virtue
from .base import AREAS, AREA_LABELS, Field, Lookup, Register, Workflow

REGISTERS: tuple[Register, ...] = (
    *places.REGISTERS, *party.REGISTERS, *autonomy.REGISTERS, *law.REGISTERS,
    *virtue.REGISTERS, *service.REGISTERS, *cadre.REGISTERS,
)
WORKFLOWS: tuple[Workflow, ...] = (
    *party.WORKFLOWS, *autonomy.WORKFLOWS, *law.WORKFLOWS, *virtue.WORKFLOWS,
    *service.WORKFLOWS,
)
BY_KEY: dict[str, Register] = {r.key: r for r in REGISTERS}


def get(key: str) -> Register:
    """The register declared under ``key``; KeyError with the known keys otherwise."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"没有名为 {key!r} 的台账；可用的有：{', '.join(BY_KEY)}") from None


#: The person registry every register that names a person points at.
PEOPLE: Register = next(r for r in REGISTERS if r.people)
#: Registers whose counts stand in the status bar, in order.
HEADLINES: tuple[Register, ...] = tuple(r for r in REGISTERS if r.headline)


def by_area(area: str) -> tuple[Register, ...]:
    return tuple(r for r in REGISTERS if r.area == area)


def _check_refs() -> None:
    for reg in REGISTERS:
        for f in reg.fields:
            if f.ref and f.ref not in BY_KEY:
                raise ValueError(f"{reg.key}.{f.key} refers to unknown register {f.ref}")
        for lk in reg.lookups:
            target = BY_KEY[reg.field(lk.via).ref]
            if not target.has_field(lk.field):
                raise ValueError(f"{reg.key}: lookup {lk.key} names unknown field {lk.field}")


_check_refs()

__all__ = ["AREAS", "AREA_LABELS", "BY_KEY", "HEADLINES", "PEOPLE", "REGISTERS", "WORKFLOWS", "Field", "Lookup",
           "Register", "Workflow", "by_area", "get"]
