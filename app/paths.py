"""Where things live: the user's database, the migrations and the bundled resources.

From a checkout (or an editable install) the migrations are the top-level ``db/`` folder and the
resources ``resources/``; in a wheel they are packed as ``app/_migrations`` and
``app/_resources``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for c in candidates:
        if c.exists():
            return c
    raise FileNotFoundError(f"none of {', '.join(map(str, candidates))} exists")


def migrations_dir() -> Path:
    return _first_existing(_PKG / "_migrations", _PKG.parent / "db")


def resources_dir() -> Path:
    return _first_existing(_PKG / "_resources", _PKG.parent / "resources")


def data_dir() -> Path:
    """The user's data folder (``TAIZHANG_HOME`` overrides it, e.g. for tests)."""
    override = os.environ.get("TAIZHANG_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir
    return Path(user_data_dir("taizhang", appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "taizhang.db"


#: Address schemes of a database server (several PCs, issue 14) rather than a file.
SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_address(location: object) -> bool:
    """Whether ``location`` (a ``--db`` value) names a server rather than a file."""
    if not isinstance(location, str) or "://" not in location:
        return False
    return location.split("://", 1)[0].lower() in SERVER_SCHEMES


def location_arg(text: str) -> Path | str:
    """A ``--db`` value: a file path, or a server address kept as text (a Path would fold
    its ``//``)."""
    return text if is_server_address(text) else Path(text)
