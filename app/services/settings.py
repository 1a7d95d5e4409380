"""Settings kept in the database (they travel with the data): the office name printed in
titles, and the import's memory of which header means which field."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..storage.schema import app_settings, import_mappings, import_value_mappings
from .records import reading, transaction


def get_value(target, key: str) -> str | None:
    with reading(target) as conn:
        return conn.execute(sa.select(app_settings.c.value)
                            .where(app_settings.c.key == key)).scalar()


def set_value(target, key: str, value: str | None) -> None:
    """Store (or, with None, remove) setting ``key``."""
    with transaction(target) as conn:
        conn.execute(app_settings.delete().where(app_settings.c.key == key))
        if value is not None:
            conn.execute(app_settings.insert().values(key=key, value=value))


def recall_mapping(target, register: str) -> dict[str, str]:
    """Remembered header text → field (or the skip marker) for an import into ``register``."""
    t = import_mappings
    with reading(target) as conn:
        return dict(conn.execute(sa.select(t.c.header, t.c.target)
                                 .where(t.c.register == register)).tuples().all())


def recall_values(target, register: str) -> dict[str, dict[str, str]]:
    """Remembered value mappings for imports into ``register``: column key → {原值: 新值}."""
    t = import_value_mappings
    out: dict[str, dict[str, str]] = {}
    with reading(target) as conn:
        for field, value, want in conn.execute(
                sa.select(t.c.field, t.c.value, t.c.target).where(t.c.register == register)):
            out.setdefault(field, {})[value] = want
    return out


def remember_values(target, register: str, choices: dict[str, dict[str, str]], *,
                    now: dt.datetime | None = None) -> int:
    """Store column key → {原值: 新值} choices for ``register``; returns how many changed."""
    t = import_value_mappings
    stamp = (now or dt.datetime.now()).replace(microsecond=0)
    n = 0
    with transaction(target) as conn:
        old = recall_values(conn, register)
        for field, mapping in choices.items():
            for value, want in mapping.items():
                before = old.get(field, {}).get(value)
                if before == want:
                    continue
                where = (t.c.register == register, t.c.field == field, t.c.value == value)
                if before is None:
                    conn.execute(t.insert().values(register=register, field=field, value=value,
                                                   target=want, updated_at=stamp))
                else:
                    conn.execute(t.update().where(*where).values(target=want,
                                                                 updated_at=stamp))
                n += 1
    return n


def remember_mapping(target, register: str, choices: dict[str, str], *,
                     now: dt.datetime | None = None) -> int:
    """Store header text → target for each header whose choice changed; returns how many."""
    t = import_mappings
    stamp = (now or dt.datetime.now()).replace(microsecond=0)
    with transaction(target) as conn:
        old = recall_mapping(conn, register)
        n = 0
        for text, want in choices.items():
            if old.get(text) == want:
                continue
            if text in old:
                conn.execute(t.update().where(t.c.register == register, t.c.header == text)
                             .values(target=want, updated_at=stamp))
            else:
                conn.execute(t.insert().values(register=register, header=text, target=want,
                                               updated_at=stamp))
            n += 1
        return n
