"""Portable SQL pieces whose spelling differs between SQLite and PostgreSQL.

The services and figures build their SQL with SQLAlchemy; the few places where the two
backends disagree on meaning (not only on spelling) are compiled here, once per dialect.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement


class _Matches(ColumnElement):
    """``text LIKE pattern`` as SQLite means it: ASCII letters match in either case (a search
    for ``x`` finds the ``X`` that ends an ID number).  PostgreSQL's LIKE is case-sensitive, so
    it says ILIKE there."""

    type = sa.Boolean()
    inherit_cache = True

    def __init__(self, column: ColumnElement, pattern: str) -> None:
        self.column = column
        self.pattern = sa.literal(pattern, sa.String)


@compiles(_Matches)
def _like(element: _Matches, compiler, **kw) -> str:
    return (f"{compiler.process(element.column, **kw)} LIKE "
            f"{compiler.process(element.pattern, **kw)}")


@compiles(_Matches, "postgresql")
def _ilike(element: _Matches, compiler, **kw) -> str:
    return (f"{compiler.process(element.column, **kw)} ILIKE "
            f"{compiler.process(element.pattern, **kw)}")


def as_text(column: ColumnElement) -> ColumnElement:
    """The column as text (dates and numbers are searched as they are written)."""
    return column if isinstance(column.type, sa.String) else sa.cast(column, sa.String)


def matches(column: ColumnElement, pattern: str) -> ColumnElement:
    """``column`` (as text) LIKE ``pattern``, ignoring the case of ASCII letters on both
    backends."""
    return _Matches(as_text(column), pattern)
