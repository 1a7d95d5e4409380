"""Encryption at rest, as the rest of the program sees it: unlocking a file before it opens,
keeping each account's key slot in step with its password, converting a plain file, and
saying whether a file is encrypted.

The flow (see :mod:`.keyslots` for the slots and :mod:`.cipher` for SQLCipher):

* **Opening.**  Before an encrypted file can be opened, a sign-in unwraps the slot of the
  account named with the password typed (:func:`unlock`), or the recovery key does
  (:func:`unlock_with_recovery`); the key is remembered in this process, and
  ``Database(path)`` then opens the file with it, migrations included.  The account is then
  checked against the database as for a plain file (disabled, locked, …).
* **Passwords.**  Account creation, password change and reset go through
  :func:`password_slot` around their transaction: the new slot is added first, the old one
  dropped once the change is committed (a crash in between leaves both passwords able to open
  the file; the database decides who signs in).
* **Conversion.**  :func:`convert` writes a plain file as a new encrypted one, keeping a
  verified plain copy aside first and checking rows per table and checksums before renaming
  the encrypted file in.

Only files are encrypted: a PostgreSQL server keeps its own access control.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

from . import cipher, keyslots

log = logging.getLogger(__name__)

ENCRYPTED, PLAIN, NO_CIPHER = "encrypted", "plain", "no-cipher"


def state(path: Path) -> str:
    """``encrypted``, ``plain`` (or missing), or ``no-cipher`` (plain, and this PC could not
    encrypt it)."""
    if cipher.is_encrypted(path):
        return ENCRYPTED
    return PLAIN if cipher.available() else NO_CIPHER


def describe(path: Path) -> str:
    """One line for ``taizhang check`` and the window's 关于."""
    if cipher.is_encrypted(path):
        return f"是（SQLCipher，AES-256；密钥槽文件 {keyslots.sidecar(path).name}）"
    if not cipher.available():
        return "否（" + cipher.UNAVAILABLE + "）"
    return "否（管理员可用 taizhang encrypt 加密）"


def needs_unlock(path: Path | str | None) -> bool:
    """A file that is encrypted and whose key this process does not hold yet."""
    if path is None or not isinstance(path, Path):
        return False
    return path.exists() and cipher.is_encrypted(path) and keyslots.key_for(path) is None


def unlock(path: Path, name: str, password: str, *, now: dt.datetime | None = None) -> bytes:
    """The data key of ``path`` from account ``name``'s slot (remembered in this process);
    :class:`keyslots.WrongSecret` if the password does not unwrap it, and
    :class:`keyslots.LockedOut` (a Chinese message: who, until when) after
    ``keyslots.MAX_FAILURES`` wrong ones in a row, as at sign-in."""
    return keyslots.unlock(path, name, password, now=now)


def unlock_with_recovery(path: Path, code: str, *, now: dt.datetime | None = None) -> bytes:
    """The data key from the recovery key; its failures are throttled on their own."""
    return keyslots.unlock_recovery(path, code, now=now)


def _file_of(target) -> tuple[Path | None, bytes | None]:
    """(path, key) of a Database or a Connection to an encrypted file; (None, None) else."""
    if isinstance(target, sa.Connection):
        if target.engine.dialect.name != "sqlite" or not target.engine.url.database:
            return None, None
        path = Path(target.engine.url.database)
        if not cipher.is_encrypted(path):
            return None, None
        return path, keyslots.key_for(path)
    path = getattr(target, "path", None)
    key = getattr(target, "key", None)
    return (path, key) if path is not None and key is not None else (None, None)


@contextmanager
def password_slot(target, name: str, password: str) -> Iterator[None]:
    """Around an account change that sets ``name``'s password: a new slot before it, the
    old slots of that name dropped after it (the new one dropped if the change failed).  A
    plain file or a server: nothing."""
    path, key = _file_of(target)
    if key is None:
        yield
        return
    name = (name or "").strip()
    slot_id = keyslots.add_password(path, key, name, password)
    try:
        yield
    except BaseException:
        keyslots.drop(path, slot_id)
        raise
    keyslots.keep_only(path, name, slot_id)


def signed_in(target, name: str, password: str) -> None:
    """After a successful sign-in: an account without a slot of its own (made before the file
    was encrypted, or a transitional one) gets one under the password just checked."""
    path, key = _file_of(target)
    if key is None:
        return
    try:
        slot = keyslots.slot_of(path, name)
        if slot is None or slot.get("transitional"):
            keyslots.set_password(path, key, name, password)
    except (keyslots.KeySlotError, OSError) as exc:  # the sign-in itself stands
        log.warning("could not update the key slot of %s: %s", name, exc)


def account_disabled(target, name: str, disabled: bool, encoded_hash: str) -> None:
    """A disabled account loses its slot (a copy of the file made from now on does not open
    with its password); enabled again, it gets a transitional slot from its password hash,
    replaced at its next sign-in."""
    path, key = _file_of(target)
    if key is None:
        return
    if disabled:
        keyslots.remove(path, name)
    elif keyslots.slot_of(path, name) is None:
        keyslots.set_from_hash(path, key, name, encoded_hash)


def new_recovery_key(target) -> str:
    """Replace the recovery slot of the encrypted file of ``target`` (a Database or a
    Connection to it); returns the new recovery key, shown once.  The old one stops working.
    :class:`keyslots.KeySlotError` for a plain file or a server."""
    path, key = _file_of(target)
    if key is None:
        raise keyslots.KeySlotError("这个数据库没有加密，没有恢复密钥。")
    return keyslots.new_recovery(path, key)


# -- conversion of a plain file -----------------------------------------------------------
@dataclass
class Conversion:
    path: Path
    plain_copy: Path
    recovery_code: str
    tables: dict[str, int] = field(default_factory=dict)
    accounts: list[str] = field(default_factory=list)
    seconds: float = 0.0


class ConversionError(Exception):
    """The encrypted copy did not match: nothing was replaced; ``str()`` is Chinese."""


class ConversionCancelled(ConversionError):
    """The user cancelled before the final rename: the file was left as it was."""


#: The steps of :func:`convert` as reported to ``progress`` (step, STEPS, text); the last
#: one (renaming the encrypted file in) cannot be cancelled.
STEPS = 8
FINAL_STEP_TEXT = "正在换上加密的文件（此步不能取消）"


def table_digest(con, each=None) -> dict[str, tuple[int, str]]:
    """table → (rows, SHA-256 of every row in rowid order) of a DB-API connection.
    ``each(i, n, name)`` is called before each table (progress, cancellation)."""
    out = {}
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    for i, name in enumerate(names):
        if each is not None:
            each(i, len(names), name)
        h = hashlib.sha256()
        n = 0
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            rows = con.execute(f"SELECT * FROM {quoted} ORDER BY rowid")
        except cipher.errors():  # a WITHOUT ROWID table
            rows = con.execute(f"SELECT * FROM {quoted} ORDER BY 1")
        for row in rows:
            h.update(repr(row).encode("utf-8"))
            n += 1
        out[name] = (n, h.hexdigest())
    return out


def _checkpoint(path: Path) -> None:
    """Fold the plain file's WAL into it, so no WAL of plain pages is left beside the
    encrypted file that replaces it (the last connection to close removes the WAL)."""
    con = cipher.open_any(path, None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def _matches(encoded: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import VerificationError
    try:
        return PasswordHasher().verify(encoded, password)
    except (VerificationError, ValueError):
        return False


def _drop_plain_copy(plain_copy: Path) -> None:
    """A cancelled conversion leaves no plain copy of the data behind (the file itself is
    untouched)."""
    for p in (plain_copy, plain_copy.with_name(plain_copy.name + "-wal"),
              plain_copy.with_name(plain_copy.name + "-shm")):
        p.unlink(missing_ok=True)


def convert(path: Path, admin: str | None = None, password: str | None = None, *,
            now: dt.datetime | None = None, progress=None, cancelled=None) -> Conversion:
    """Encrypt the plain file ``path`` in place.  The caller holds the writer lock and has
    closed its connections.

    ``progress(step, STEPS, text)`` is told of each step (from the thread doing the work);
    ``cancelled()`` is asked between steps and tables: True before the final rename raises
    :class:`ConversionCancelled` (the file untouched, the plain copy removed).  Once the
    rename has started (step ``STEPS``) the conversion runs to its end.

    1. a plain copy ``<name>.加密前-<time>.db`` (online backup, integrity_check) is kept aside;
    2. that copy is exported (``sqlcipher_export``) into a new file under a new random key;
    3. rows and checksums of every table and ``integrity_check`` are compared;
    4. the key slots are written: the recovery key, ``admin``'s password, and a transitional
       slot for every other account (its password hash; replaced at its next sign-in);
    5. the encrypted file is renamed in (the old WAL moved aside with the plain copy).
    """
    import time
    from .backup import copy_database
    from .probe import quick_check
    if not cipher.available():
        raise ConversionError(cipher.UNAVAILABLE)
    if cipher.is_encrypted(path):
        raise ConversionError(f"{path.name} 已经是加密的数据库。")
    t0 = time.perf_counter()

    def step(n: int, text: str) -> None:
        if cancelled is not None and cancelled():
            raise ConversionCancelled("已取消加密：数据库文件没有改动。")
        if progress is not None:
            progress(n, STEPS, text)

    def tables(n: int, what: str):
        return lambda i, total, name: step(n, f"{what}（第 {i + 1}/{total} 个表）")

    step(1, "正在整理数据库文件")
    _checkpoint(path)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    plain_copy = path.with_name(f"{path.stem}.加密前-{stamp}{path.suffix}")
    try:
        step(2, "正在复制一份未加密的副本")
        copy_database(path, plain_copy)
        step(3, "正在检查未加密的副本")
        problems = quick_check(plain_copy, full=True)
        if problems:
            raise ConversionError(
                f"未加密的副本检查未通过（{'; '.join(problems[:3])}），未加密。")
    except ConversionCancelled:
        _drop_plain_copy(plain_copy)
        raise
    key = keyslots.new_key()
    tmp = path.with_name(f".{path.name}.encrypting")
    for leftover in (tmp, keyslots.sidecar(tmp)):
        leftover.unlink(missing_ok=True)
    try:
        step(4, "正在写入加密的文件")
        cipher.export_encrypted(plain_copy, tmp, key)
        plain = cipher.open_any(plain_copy, None, read_only=True)
        try:
            before = table_digest(plain, tables(5, "正在核对原文件"))
            hashes = plain.execute("SELECT name, password_hash FROM accounts "
                                   "WHERE disabled_at IS NULL").fetchall() \
                if "accounts" in before else []
        finally:
            plain.close()
        enc = cipher.connect(tmp, key)
        try:
            after = table_digest(enc, tables(6, "正在核对加密的文件"))
            check = [r[0] for r in enc.execute("PRAGMA integrity_check")]
        finally:
            enc.close()
        if after != before or check != ["ok"]:
            differ = sorted(t for t in set(before) | set(after)
                            if before.get(t) != after.get(t))
            raise ConversionError(
                f"加密后的副本与原文件不一致（{'、'.join(differ[:5]) or '; '.join(check[:3])}），"
                f"原文件未改动。")
        # Slots beside the temporary file, so the final rename carries nothing half-made.
        step(7, "正在写入密钥")
        code = keyslots.create(tmp, key)
        names = []
        for name, encoded in hashes:
            if name == admin and password is not None and _matches(encoded, password):
                keyslots.set_password(tmp, key, name, password)
            else:
                keyslots.set_from_hash(tmp, key, name, encoded)
            names.append(name)
        step(STEPS, FINAL_STEP_TEXT)  # the last chance to cancel: asked before this step
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        keyslots.sidecar(tmp).unlink(missing_ok=True)
        if isinstance(exc, ConversionCancelled):
            _drop_plain_copy(plain_copy)
        raise
    # The plain file's WAL (already in the copy) must not meet the encrypted file.
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists() and (suffix == "-shm" or side.stat().st_size == 0):
            side.unlink()
        elif side.exists():  # frames the checkpoint could not fold in: kept, out of the way
            os.replace(side, plain_copy.with_name(f"{plain_copy.name}.旧{suffix}"))
    old_slots = keyslots.sidecar(path)
    if old_slots.exists():
        old_slots.replace(old_slots.with_name(f"{old_slots.name}.旧-{stamp}"))
    os.replace(keyslots.sidecar(tmp), keyslots.sidecar(path))
    os.replace(tmp, path)
    keyslots.remember(key)
    log.info("encrypted %s (%d tables); plain copy kept at %s", path, len(after), plain_copy)
    return Conversion(path, plain_copy, code, {t: n for t, (n, _h) in after.items()},
                      names, time.perf_counter() - t0)
