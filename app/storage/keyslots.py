"""Key slots: the database's data key, wrapped once per account and once for a recovery key.

An encrypted database file (SQLCipher) is opened with a random 256-bit *data key*.  Nobody
types that key: like the key slots of disk encryption (LUKS, BitLocker), it is stored
wrapped — encrypted with AES-256-GCM — under a key derived from each account's password
(argon2id, raw hash, then HKDF-SHA256) and once more under a *recovery key* shown once when
the file is encrypted, for printing and safekeeping.

The slots live in a sidecar file beside the database, ``<name>.db.keys`` (JSON, mode 0600),
because they are needed before the database can be opened.  A backup carries a copy of the
sidecar as it was when the backup was made, so a backup opens with the passwords valid then,
or with the recovery key.  Without the sidecar the file cannot be opened at all: it is copied
with every backup and restore, and never deleted by the program.

A *transitional* slot is wrapped under the account's password hash as it stands in the
database (the same argon2id parameters and salt): when a plain database is converted, only the
administrator's password is known, and the other accounts would otherwise be locked out.  It
unwraps with the account's password like any slot, and is replaced by a slot with a fresh salt
at that account's next sign-in.  (A disabled account's slot is removed; enabled again, it gets
a transitional slot the same way.)

The data keys unlocked in this process are kept in memory by their ``key_id`` (a hash of the
key, stored in the sidecar), so a backup, a verification or a restore of a file under the same
key finds it without asking again.

Wrong passwords count as at sign-in, though the database cannot be read yet: per account, in a
small file beside the slots, ``<name>.db.keys.attempts`` (JSON, mode 0600, written atomically;
not part of backups).  After :data:`MAX_FAILURES` in a row the account's slot refuses for
:data:`LOCKOUT_MINUTES` (:class:`LockedOut`); an unlock, or a new password for the account,
clears its count.  The recovery key counts its own failures the same way, apart from the
accounts' (a locked account never locks the recovery key out).  This slows guessing through
the program; whoever copies the files can guess offline, which the argon2id cost of each
password slot and the 200 bits of the recovery key are there for.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIX = ".keys"
FORMAT = "taizhang-keyslots"
VERSION = 1
KEY_BYTES = 32
#: argon2id cost of a new password slot: the accounts' own cost (≈0.1 s here).
ARGON2 = dict(time_cost=3, memory_cost=64 * 1024, parallelism=2, hash_len=32)
#: Recovery keys: 40 characters of Crockford's base32 (200 bits), shown in 8 groups of 5.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_CHARS = 40


class KeySlotError(Exception):
    """A slot file missing, unreadable, or not for this key; ``str()`` is Chinese."""


class WrongSecret(KeySlotError):
    """The password or recovery key does not unwrap any slot it may open."""


class LockedOut(KeySlotError):
    """Too many wrong passwords (or recovery keys) in a row: refused until ``until``."""

    def __init__(self, message: str, who: str, until: dt.datetime) -> None:
        super().__init__(message)
        self.who, self.until = who, until


#: Wrong passwords in a row before an account is refused for a while: the same rule as the
#: sign-in (:mod:`app.services.accounts` takes these).
MAX_FAILURES = 5
LOCKOUT_MINUTES = 15
ATTEMPTS_SUFFIX = ".attempts"
#: Whose failures an entry of the attempts file counts: an account's, or the recovery key's.
RECOVERY = "recovery"


def _account(name: str) -> str:
    return "password:" + name


def lockout_message(name: str, until: dt.datetime) -> str:
    """Who is locked out and until when (the sign-in says the same)."""
    return (f"账号“{name}”密码连续错误 {MAX_FAILURES} 次，已锁定到 {until:%H:%M}，"
            f"请稍后再试或请管理员重设密码")


def recovery_lockout_message(until: dt.datetime) -> str:
    return (f"恢复密钥连续输错 {MAX_FAILURES} 次，已暂停使用到 {until:%H:%M}，请稍后再试"
            f"（账号和密码仍可打开）")


# -- the sidecar file -------------------------------------------------------------------------
def sidecar(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


def exists(db_path: Path | str) -> bool:
    return sidecar(db_path).is_file()


def read(db_path: Path | str) -> dict:
    path = sidecar(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeySlotError(f"找不到数据库 {Path(db_path).name} 的密钥文件 {path.name}：加密的"
                           "数据库没有它就无法打开。请把它和数据库文件放在同一文件夹"
                           "（备份文件夹里每个备份旁边都有一份）。") from None
    except (OSError, ValueError) as exc:
        raise KeySlotError(f"无法读取密钥文件 {path}：{exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeySlotError(f"{path.name} 不是社区治理台账的密钥文件。")
    if data.get("version", 0) > VERSION:
        raise KeySlotError(f"密钥文件 {path.name} 由更新版本的社区治理台账写入，请安装最新版本。")
    return data


def write(db_path: Path | str, data: dict) -> Path:
    """Atomically: a temporary file (0600) in the same folder, flushed, then renamed."""
    return _write_json(sidecar(db_path), data)


def _write_json(path: Path, data: dict) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=".taizhang-keys-", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # POSIX; on Windows the user's profile folder guards it
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def copy(src_db: Path | str, dst_db: Path | str) -> Path | None:
    """The sidecar of ``src_db`` beside ``dst_db`` (None when ``src_db`` has none)."""
    if not exists(src_db):
        return None
    return write(dst_db, read(src_db))


# -- keys -------------------------------------------------------------------------------------
def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_id(key: bytes) -> str:
    """Names the key without revealing it (the key is 256 random bits)."""
    return hashlib.sha256(b"taizhang data key id\x00" + key).hexdigest()[:32]


_UNLOCKED: dict[str, bytes] = {}


def remember(key: bytes) -> None:
    _UNLOCKED[key_id(key)] = key


def forget_all() -> None:
    _UNLOCKED.clear()


def key_for(db_path: Path | str) -> bytes | None:
    """The data key of ``db_path`` if it was unlocked in this process (by a sign-in, the
    recovery key, or because the file was encrypted here)."""
    try:
        kid = read(db_path).get("key_id")
    except KeySlotError:
        return None
    return _UNLOCKED.get(kid)


# -- wrapping ---------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))


def _hkdf(secret: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _argon2_raw(password: str, salt: bytes, t: int, m: int, p: int, n: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=t, memory_cost=m,
                           parallelism=p, hash_len=n, type=Type.ID)


def _aad(kid: str, slot: dict) -> bytes:
    # Binds a slot to its file's key and to whom it is for: a slot copied under another
    # name, or from another file, does not unwrap.
    return f"{FORMAT}:{VERSION}:{kid}:{slot['kind']}:{slot.get('name', '')}".encode("utf-8")


def _seal(kek: bytes, key: bytes, kid: str, slot: dict) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    nonce = secrets.token_bytes(12)
    slot["nonce"] = _b64(nonce)
    slot["wrapped"] = _b64(AESGCM(kek).encrypt(nonce, key, _aad(kid, slot)))
    return slot


def _open(kek: bytes, kid: str, slot: dict) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    try:
        key = AESGCM(kek).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]),
                                  _aad(kid, slot))
    except (InvalidTag, KeyError, ValueError):
        return None
    return key if key_id(key) == kid else None


def _password_kek(password: str, slot: dict) -> bytes:
    raw = _argon2_raw(password, _unb64(slot["salt"]), slot["t"], slot["m"], slot["p"],
                      slot["n"])
    return _hkdf(raw, b"taizhang key slot: account")


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def _password_slot(key: bytes, kid: str, name: str, password: str) -> dict:
    slot = {"kind": "password", "name": name, "kdf": "argon2id+hkdf-sha256",
            "salt": _b64(secrets.token_bytes(16)), "t": ARGON2["time_cost"],
            "m": ARGON2["memory_cost"], "p": ARGON2["parallelism"], "n": ARGON2["hash_len"],
            "created_at": _now()}
    return _seal(_password_kek(password, slot), key, kid, slot)


def _hash_slot(key: bytes, kid: str, name: str, encoded_hash: str) -> dict:
    """A transitional slot from an argon2id encoded hash ``$argon2id$v=19$m=,t=,p=$salt$hash``:
    the password's raw argon2id output with that salt and those parameters is the hash."""
    parts = encoded_hash.split("$")
    if len(parts) != 6 or parts[1] != "argon2id":
        raise KeySlotError("账号的密码散列不是 argon2id，无法为它建立密钥槽")
    params = dict(kv.split("=") for kv in parts[3].split(","))
    raw = _unb64(parts[5])
    slot = {"kind": "password", "name": name, "kdf": "argon2id+hkdf-sha256",
            "salt": _b64(_unb64(parts[4])), "t": int(params["t"]), "m": int(params["m"]),
            "p": int(params["p"]), "n": len(raw), "transitional": True, "created_at": _now()}
    return _seal(_hkdf(raw, b"taizhang key slot: account"), key, kid, slot)


# -- recovery keys ----------------------------------------------------------------------------
def new_recovery_code() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CHARS))
    return "-".join(chars[i:i + 5] for i in range(0, RECOVERY_CHARS, 5))


def normalise_recovery(code: str) -> str:
    """What was typed (spaces, dashes, lower case, O for 0, I/L for 1) → the 40 characters."""
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    text = text.translate(str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"}))
    if len(text) != RECOVERY_CHARS or any(ch not in RECOVERY_ALPHABET for ch in text):
        raise WrongSecret(f"恢复密钥应为 {RECOVERY_CHARS} 个字母或数字（8 组，每组 5 个）")
    return text


def _recovery_kek(code: str, slot: dict) -> bytes:
    return _hkdf(_unb64(slot["salt"]) + normalise_recovery(code).encode("ascii"),
                 b"taizhang key slot: recovery")


def _recovery_slot(key: bytes, kid: str, code: str) -> dict:
    slot = {"kind": "recovery", "kdf": "hkdf-sha256", "salt": _b64(secrets.token_bytes(16)),
            "created_at": _now()}
    return _seal(_recovery_kek(code, slot), key, kid, slot)


# -- what the rest of the program calls -------------------------------------------------------
def create(db_path: Path | str, key: bytes) -> str:
    """A new sidecar for ``key`` holding only the recovery slot; returns the recovery key
    (shown once, never stored)."""
    code = new_recovery_code()
    kid = key_id(key)
    write(db_path, {"format": FORMAT, "version": VERSION, "cipher": "sqlcipher4",
                    "key_id": kid, "created_at": _now(),
                    "slots": [_recovery_slot(key, kid, code)]})
    return code


def _check_key(data: dict, key: bytes) -> str:
    kid = key_id(key)
    if data.get("key_id") != kid:
        raise KeySlotError("密钥文件与这个数据库的密钥不符，未修改")
    return kid


def set_password(db_path: Path | str, key: bytes, name: str, password: str) -> None:
    """Add or replace the slot of account ``name``: afterwards only ``password`` opens it."""
    keep_only(db_path, name, add_password(db_path, key, name, password))


def add_password(db_path: Path | str, key: bytes, name: str, password: str) -> str:
    """One more slot for ``name`` beside those it has (a password change not yet committed:
    until :func:`keep_only`, the old and the new password both open the file).  Returns the
    new slot's id."""
    data = read(db_path)
    kid = _check_key(data, key)
    slot = _password_slot(key, kid, name, password)
    data["slots"].append(slot)
    write(db_path, data)
    return slot["nonce"]


def keep_only(db_path: Path | str, name: str, slot_id: str) -> None:
    """Drop the other slots of ``name`` (its new password also clears its failures)."""
    data = read(db_path)
    data["slots"] = [s for s in data["slots"] if not (
        s["kind"] == "password" and s["name"] == name and s["nonce"] != slot_id)]
    write(db_path, data)
    _clear_failures(db_path, _account(name))


def drop(db_path: Path | str, slot_id: str) -> None:
    data = read(db_path)
    data["slots"] = [s for s in data["slots"] if s.get("nonce") != slot_id]
    write(db_path, data)


def set_from_hash(db_path: Path | str, key: bytes, name: str, encoded_hash: str) -> None:
    """A transitional slot for ``name`` (see the module's docstring)."""
    data = read(db_path)
    kid = _check_key(data, key)
    slots = [s for s in data["slots"] if not (s["kind"] == "password" and s["name"] == name)]
    slots.append(_hash_slot(key, kid, name, encoded_hash))
    data["slots"] = slots
    write(db_path, data)


def remove(db_path: Path | str, name: str) -> None:
    data = read(db_path)
    data["slots"] = [s for s in data["slots"]
                     if not (s["kind"] == "password" and s["name"] == name)]
    write(db_path, data)


def new_recovery(db_path: Path | str, key: bytes) -> str:
    """Replace the recovery slot; returns the new recovery key (the old one stops working)."""
    data = read(db_path)
    kid = _check_key(data, key)
    code = new_recovery_code()
    data["slots"] = [s for s in data["slots"] if s["kind"] != "recovery"]
    data["slots"].append(_recovery_slot(key, kid, code))
    write(db_path, data)
    return code


def slot_of(db_path: Path | str, name: str) -> dict | None:
    for s in read(db_path)["slots"]:
        if s["kind"] == "password" and s["name"] == name:
            return s
    return None


def names(db_path: Path | str) -> list[str]:
    return [s["name"] for s in read(db_path)["slots"] if s["kind"] == "password"]


def unlock(db_path: Path | str, name: str, password: str, *,
           now: dt.datetime | None = None) -> bytes:
    """The data key, unwrapped with account ``name``'s password (and remembered).  The same
    message for an unknown account and a wrong password, as at sign-in.  Failures count
    towards the account's lockout (:class:`LockedOut`, checked before the password)."""
    data = read(db_path)
    kid = data["key_id"]
    name = (name or "").strip()
    stamp = _stamp(now)
    mine = [s for s in data["slots"] if s["kind"] == "password" and s["name"] == name]
    if mine:
        until = _locked_until(db_path, _account(name), stamp)
        if until is not None:
            raise LockedOut(lockout_message(name, until), name, until)
    for slot in reversed(mine):  # the newest first
        key = _open(_password_kek(password or "", slot), kid, slot)
        if key is not None:
            remember(key)
            _clear_failures(db_path, _account(name))
            return key
    if not mine:
        # An unknown name costs the same time as a wrong password.
        _argon2_raw(password or "", b"\x00" * 16, ARGON2["time_cost"], ARGON2["memory_cost"],
                    ARGON2["parallelism"], ARGON2["hash_len"])
        raise WrongSecret("账号或密码不正确（无法解开加密的数据库）")
    # The same words as for an unknown name until the lockout (which sign-in says too).
    _failures, until = _count_failure(db_path, _account(name), stamp)
    if until is not None:
        raise LockedOut(lockout_message(name, until), name, until)
    raise WrongSecret("账号或密码不正确（无法解开加密的数据库）")


def unlock_recovery(db_path: Path | str, code: str, *, now: dt.datetime | None = None) -> bytes:
    """The data key, unwrapped with the recovery key.  Its failures are counted apart from the
    accounts': :data:`MAX_FAILURES` in a row stop it for :data:`LOCKOUT_MINUTES`."""
    data = read(db_path)
    kid = data["key_id"]
    stamp = _stamp(now)
    until = _locked_until(db_path, RECOVERY, stamp)
    if until is not None:
        raise LockedOut(recovery_lockout_message(until), "恢复密钥", until)
    normalise_recovery(code)  # a mistyped key (wrong length) is said so, and not counted
    for slot in data["slots"]:
        if slot["kind"] == "recovery":
            key = _open(_recovery_kek(code, slot), kid, slot)
            if key is not None:
                remember(key)
                _clear_failures(db_path, RECOVERY)
                return key
    _failures, until = _count_failure(db_path, RECOVERY, stamp)
    if until is not None:
        raise LockedOut(recovery_lockout_message(until), "恢复密钥", until)
    raise WrongSecret("恢复密钥不正确（或不是这个数据库的恢复密钥）")


# -- failures before unlocking (the lockout) ----------------------------------------------------
ATTEMPTS_FORMAT = "taizhang-unlock-attempts"


def attempts_file(db_path: Path | str) -> Path:
    side = sidecar(db_path)
    return side.with_name(side.name + ATTEMPTS_SUFFIX)


def _stamp(now: dt.datetime | None) -> dt.datetime:
    return (now or clock()).replace(microsecond=0)


def clock() -> dt.datetime:
    """The time the lockout is measured by (tests replace it)."""
    return dt.datetime.now()


def _read_attempts(db_path: Path | str) -> dict:
    """``{who: {"failures": n, "locked_until": iso or None}}``; empty when there is no file
    (or it cannot be read: a count lost is not a reason to refuse the right password)."""
    path = attempts_file(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("unreadable unlock attempts file %s: %s", path, exc)
        return {}
    if not isinstance(data, dict) or data.get("format") != ATTEMPTS_FORMAT:
        return {}
    who = data.get("who")
    return who if isinstance(who, dict) else {}


def _write_attempts(db_path: Path | str, who: dict) -> None:
    try:
        _write_json(attempts_file(db_path), {"format": ATTEMPTS_FORMAT, "version": 1,
                                             "who": who})
    except OSError as exc:  # a read-only folder: the attempt is refused all the same
        log.warning("could not record an unlock failure beside %s: %s", db_path, exc)


def _locked_until(db_path: Path | str, who: str, now: dt.datetime) -> dt.datetime | None:
    entry = _read_attempts(db_path).get(who) or {}
    try:
        until = dt.datetime.fromisoformat(entry["locked_until"])
    except (KeyError, TypeError, ValueError):
        return None
    return until if until > now else None


def _count_failure(db_path: Path | str, who: str,
                   now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """One more failure of ``who``: (failures in a row, the time it is locked until when this
    one made :data:`MAX_FAILURES`)."""
    every = _read_attempts(db_path)
    entry = every.get(who) if isinstance(every.get(who), dict) else {}
    failures = int(entry.get("failures") or 0) + 1
    until = None
    if failures >= MAX_FAILURES:
        until = now + dt.timedelta(minutes=LOCKOUT_MINUTES)
        every[who] = {"failures": 0, "locked_until": until.isoformat()}
    else:
        every[who] = {"failures": failures, "locked_until": None}
    _write_attempts(db_path, every)
    return failures, until


def _clear_failures(db_path: Path | str, who: str) -> None:
    every = _read_attempts(db_path)
    if who in every:
        del every[who]
        _write_attempts(db_path, every)
