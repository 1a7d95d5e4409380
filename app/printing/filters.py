"""``--filter KEY=VALUE`` as typed on the command line → the ``filters`` of ``list_rows``.

KEY is a field key or its Chinese label; VALUE is what a person would type (a 社区 by name,
a choice by its text, 是/否, a date).  ``a,b`` (or ``a，b``) keeps rows with either value.
Every problem is a Chinese message naming the filter and what is allowed.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..core.validators import InvalidValue, clean_text
from ..registry import base as k
from ..registry import get as get_register
from ..registry.base import Field, Register
from ..services.coerce import coerce_value
from ..storage.schema import TABLES
from .roster import RosterError

_SPLIT = re.compile(r"[,，]")


def _field(reg: Register, key: str) -> Field:
    for f in reg.fields:
        if key in (f.key, f.label):
            return f
    keys = "、".join(f"{f.key}（{f.label}）" for f in reg.fields)
    raise RosterError(f"{reg.label}没有字段“{key}”；可用的有：{keys}")


def _ref_id(conn: sa.Connection, f: Field, text: str) -> int:
    """A referenced row by id or by its title (e.g. a community by name)."""
    if text.isdigit():
        return int(text)
    target = get_register(f.ref)
    title = target.field(target.title)
    if title.kind == k.REF:
        raise RosterError(f"“{f.label}”请用记录编号筛选（如 {f.key}=12），现为“{text}”")
    t = TABLES[f.ref]
    ids = conn.execute(sa.select(t.c.id).where(t.c[title.key] == text,
                                               t.c.deleted_at.is_(None))).scalars().all()
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise RosterError(f"筛选“{f.label}={text}”：{target.label}中没有名为“{text}”的记录")
    raise RosterError(f"筛选“{f.label}={text}”：{target.label}中有 {len(ids)} 条同名记录，"
                      f"请改用编号（如 {f.key}={ids[0]}）")


def parse_filters(conn: sa.Connection, key: str, items: list[str]) -> dict:
    """``["status=在册", "community_id=阳光社区"]`` → ``{"status": "在册", "community_id": 3}``."""
    reg = get_register(key)
    out: dict = {}
    for item in items:
        if "=" not in item:
            raise RosterError(f"筛选条件“{item}”应写成 字段=值，如 status=在册")
        name, _, raw = item.partition("=")
        f = _field(reg, clean_text(name))
        values = []
        for part in _SPLIT.split(raw):
            text = clean_text(part)
            if not text:
                continue
            if f.kind == k.REF:
                values.append(_ref_id(conn, f, text))
                continue
            try:
                values.append(coerce_value(f, text))
            except InvalidValue as exc:
                raise RosterError(f"筛选“{item}”：{f.label}{exc}") from None
        if not values:
            raise RosterError(f"筛选条件“{item}”没有给出值")
        if f.key in out:
            raise RosterError(f"字段“{f.label}”的筛选条件写了两次；多个值请写在一起，"
                              f"如 {f.key}=甲,乙")
        out[f.key] = values[0] if len(values) == 1 else values
    return out
