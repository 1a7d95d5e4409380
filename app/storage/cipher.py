"""SQLCipher: connections to an encrypted database file, and copies of one.

``sqlcipher3`` (the ``sqlcipher3-wheels`` package) is a drop-in for :mod:`sqlite3` built on
SQLCipher 4: AES-256 page encryption with an HMAC per page.  The program gives it the raw
256-bit data key (``PRAGMA key = "x'…'"``), so SQLCipher's own passphrase derivation is
skipped; the passwords are handled by :mod:`.keyslots`.

Where the wheel is missing (a platform it is not built for), :func:`available` is False: new
databases are then created plain, with a message saying so, and an encrypted file cannot be
opened on that PC.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import lru_cache
from pathlib import Path

from .probe import SQLITE_MAGIC

log = logging.getLogger(__name__)

UNAVAILABLE = ("本机缺少 SQLCipher 加密组件（sqlcipher3），数据库文件将不加密保存。"
               "请安装 sqlcipher3-wheels，或使用带有该组件的安装包。")


@lru_cache(maxsize=1)
def module():
    """The ``sqlcipher3`` module, or None (logged once) when it cannot be imported."""
    try:
        import sqlcipher3
    except ImportError as exc:
        log.warning("SQLCipher unavailable (%s): databases are stored unencrypted", exc)
        return None
    return sqlcipher3


def available() -> bool:
    return module() is not None


def errors() -> tuple[type[BaseException], ...]:
    """The exceptions a database call can raise, from either driver."""
    mod = module()
    return (sqlite3.Error,) + ((mod.Error,) if mod is not None else ())


def is_encrypted(path: Path | str) -> bool:
    """A non-empty file whose first bytes are not SQLite's header (SQLCipher encrypts the
    header too) and that has a key-slot file beside it.  A plain file damaged at its start has
    no sidecar, and is reported as damaged, not as encrypted."""
    from . import keyslots
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return bool(head) and head != SQLITE_MAGIC and keyslots.exists(path)


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path | str, key: bytes, *, read_only: bool = False, timeout: float = 10,
            check_same_thread: bool = True):
    """A ``sqlcipher3`` connection to ``path`` with ``key`` applied first and checked (a
    wrong key raises ``DatabaseError: file is not a database`` here, not at a later read)."""
    mod = module()
    if mod is None:
        raise RuntimeError(UNAVAILABLE)
    target = f"file:{Path(path).as_posix()}?mode=ro" if read_only else str(path)
    con = mod.connect(target, uri=read_only, timeout=timeout,
                      check_same_thread=check_same_thread)
    try:
        # A wrong key is an expected event (a stale sidecar): no log lines of SQLCipher's own.
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute(key_pragma(key))
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        con.close()
        raise
    return con


def open_any(path: Path | str, key: bytes | None, *, read_only: bool = False,
             timeout: float = 10):
    """A DB-API connection to ``path``: SQLCipher with ``key``, or plain sqlite3."""
    if key is not None:
        return connect(path, key, read_only=read_only, timeout=timeout)
    if read_only:
        return sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True,
                               timeout=timeout)
    return sqlite3.connect(path, timeout=timeout)


def export_encrypted(plain: Path, target: Path, key: bytes) -> None:
    """Write the plain database ``plain`` as a new encrypted file ``target`` under ``key``
    (``sqlcipher_export``: schema, rows, indexes and triggers)."""
    mod = module()
    if mod is None:
        raise RuntimeError(UNAVAILABLE)
    con = mod.connect(f"file:{plain.as_posix()}?mode=ro", uri=True, timeout=30)
    try:
        con.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        con.execute("SELECT sqlcipher_export('encrypted')")
        # sqlcipher_export leaves the header's user_version behind.
        version = con.execute("PRAGMA main.user_version").fetchone()[0]
        con.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        con.execute("DETACH DATABASE encrypted")
    finally:
        con.close()
