"""Accounts: sign-in with argon2id password hashes, roles, 社区 scope, lockout, password
changes, and the idle-lock setting.

Hashes are argon2id encoded strings (``$argon2id$v=19$m=…,t=…,p=…$salt$hash``): the
parameters travel with each hash, so raising them later re-hashes on the next sign-in.
``HASH_PARAMS`` take about 0.1 s here and stay under 0.5 s on a slow office PC.

Failed sign-ins count per account; after ``MAX_FAILURES`` the account is locked for
``LOCKOUT_MINUTES`` (each failure and the lockout are audited, the password never is).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import sqlalchemy as sa

from ..storage import encryption, keyslots
from ..storage.schema import TABLES, accounts
from . import access, audit
from .records import reading, transaction

log = logging.getLogger(__name__)

#: argon2id cost: 3 passes over 64 MiB, 2 lanes (RFC 9106's second recommendation, scaled
#: to an office PC: ≈0.1 s here, well under the 0.5 s budget on a slow machine).
HASH_PARAMS = dict(time_cost=3, memory_cost=64 * 1024, parallelism=2, hash_len=32,
                   salt_len=16)
#: The lockout rule, shared with the key slots of an encrypted file (wrong passwords there,
#: before the database can be read, count the same way).
MAX_FAILURES = keyslots.MAX_FAILURES
LOCKOUT_MINUTES = keyslots.LOCKOUT_MINUTES
MIN_PASSWORD = 6
IDLE_KEY = "security/idle_minutes"
#: Set by the demo build: "user/password" of its well-known administrator.
DEMO_FLAG = "security/demo_account"
DEFAULT_IDLE_MINUTES = 15


class AccountError(Exception):
    """A sign-in or account change refused; ``str()`` is the Chinese message."""


@dataclass(frozen=True)
class Account:
    """An account as the services hand it out (never its hash)."""

    id: int
    name: str
    role: str
    communities: tuple[int, ...] | None
    must_change: bool
    locked_until: dt.datetime | None
    disabled: bool
    last_login_at: dt.datetime | None
    created_at: dt.datetime


_HASHER = None


def hasher():
    global _HASHER
    if _HASHER is None:
        from argon2 import PasswordHasher, Type
        _HASHER = PasswordHasher(type=Type.ID, **HASH_PARAMS)
    return _HASHER


def hash_password(password: str) -> str:
    return hasher().hash(password)


def _verify(encoded: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
    try:
        return hasher().verify(encoded, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def check_password_rule(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密码至少要 {MIN_PASSWORD} 位")


def _account(row) -> Account:
    comms = json.loads(row.communities) if row.communities else None
    return Account(row.id, row.name, row.role, tuple(comms) if comms is not None else None,
                   bool(row.must_change), row.locked_until, row.disabled_at is not None,
                   row.last_login_at, row.created_at)


def actor_of(acc: Account) -> access.Actor:
    return access.Actor(acc.name, acc.role,
                        frozenset(acc.communities) if acc.communities is not None else None,
                        acc.id)


def has_accounts(target) -> bool:
    """True once an account exists (the first start creates the administrator)."""
    with reading(target) as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(accounts)).scalar_one() > 0


def community_ids(target, names: list[str]) -> tuple[int, ...]:
    """社区 names (as typed on the command line) → ids; AccountError for an unknown one."""
    t = TABLES["communities"]
    out = []
    with reading(target) as conn:
        for name in names:
            rid = conn.execute(sa.select(t.c.id).where(t.c.name == name.strip(),
                                                       t.c.deleted_at.is_(None))).scalar()
            if rid is None:
                raise AccountError(f"没有名为“{name}”的社区")
            out.append(rid)
    return tuple(out)


def _insert(conn, name: str, role: str, password: str, communities, by: str, *,
            rule: bool = True) -> int:
    name = (name or "").strip()
    if not name or len(name) > 40:
        raise AccountError("账号名不能为空，且不超过 40 个字")
    if role not in access.ROLES:
        raise AccountError(f"角色只能是 {'、'.join(access.ROLES)}")
    if rule:
        check_password_rule(password)
    if conn.execute(sa.select(accounts.c.id).where(accounts.c.name == name)).first():
        raise AccountError(f"账号“{name}”已存在")
    stamp = _now()
    res = conn.execute(accounts.insert().values(
        name=name, role=role, password_hash=hash_password(password),
        communities=json.dumps(sorted(communities)) if communities else None,
        must_change=False, failed_count=0, created_at=stamp, created_by=by,
        password_changed_at=stamp))
    return res.inserted_primary_key[0]


def create_first_admin(target, name: str, password: str, *,
                       demo: bool = False) -> access.Actor:
    """The administrator a new database starts with; refused once any account exists.
    ``demo``: the demo database's well-known short password is allowed."""
    # Each password change below goes with the account's key slot of an encrypted file.
    with encryption.password_slot(target, name, password), transaction(target) as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(accounts)).scalar_one():
            raise AccountError("已有账号：请用管理员账号登录后再添加")
        aid = _insert(conn, name, access.ADMIN, password, None, name, rule=not demo)
        audit.record(conn, name, audit.ACCOUNT, register="accounts", record_id=aid,
                     detail={"新建账号": name, "角色": access.ADMIN, "首次启动": True})
    return access.Actor(name.strip(), access.ADMIN, None, aid)


def create_account(target, actor: access.Actor, name: str, role: str, password: str,
                   communities: tuple[int, ...] | list[int] | None = None) -> Account:
    access.require(actor, access.USERS)
    with encryption.password_slot(target, name, password), transaction(target) as conn:
        aid = _insert(conn, name, role, password, communities, actor.name)
        audit.record(conn, actor, audit.ACCOUNT, register="accounts", record_id=aid,
                     detail={"新建账号": name, "角色": role,
                             "社区": list(communities) if communities else "全部"})
        return _account(conn.execute(sa.select(accounts).where(accounts.c.id == aid)).one())


def list_accounts(target, actor: access.Actor) -> list[Account]:
    access.require(actor, access.USERS)
    with reading(target) as conn:
        return [_account(r) for r in conn.execute(sa.select(accounts).order_by(accounts.c.id))]


def _row(conn, name: str):
    return conn.execute(sa.select(accounts).where(accounts.c.name == name)).first()


def check_read_only(target, name: str, password: str) -> access.Actor:
    """The actor for ``name`` if ``password`` is right, writing nothing (no audit row, no
    failure count): for work that must leave the file as it was (``move-to`` reads the file
    to copy it; the sign-in is recorded where the data goes).  AccountError if not."""
    from .records import reading
    with reading(target) as conn:
        row = _row(conn, (name or "").strip())
    if row is None:
        _verify(_dummy_hash(), password or "")
        raise AccountError("账号或密码不正确")
    if row.disabled_at is not None:
        raise AccountError(f"账号“{row.name}”已停用，请联系管理员")
    if row.locked_until is not None and row.locked_until > _now():
        raise AccountError(f"账号“{row.name}”已锁定，请稍后再试或请管理员重设密码")
    if not _verify(row.password_hash, password or ""):
        raise AccountError("账号或密码不正确")
    return actor_of(_account(row))


def sign_in(target, name: str, password: str, *, where: str = "",
            now: dt.datetime | None = None) -> access.Actor:
    """The actor for ``name`` if ``password`` is right; AccountError (audited) if not.
    The same message for an unknown account and a wrong password."""
    stamp = (now or _now()).replace(microsecond=0)
    wrong = "账号或密码不正确"
    with transaction(target) as conn:
        row = _row(conn, (name or "").strip())
        if row is None:
            _verify(_dummy_hash(), password or "")  # the same time as a real check
            audit.record(conn, (name or "?")[:40], audit.LOGIN_FAILED,
                         detail={"原因": "没有此账号", "位置": where})
            fail: AccountError | None = AccountError(wrong)
        elif row.disabled_at is not None:
            audit.record(conn, row.name, audit.LOGIN_FAILED, register="accounts",
                         record_id=row.id, detail={"原因": "账号已停用", "位置": where})
            fail = AccountError(f"账号“{row.name}”已停用，请联系管理员")
        elif row.locked_until is not None and row.locked_until > stamp:
            audit.record(conn, row.name, audit.LOGIN_FAILED, register="accounts",
                         record_id=row.id, detail={"原因": "账号锁定中", "位置": where})
            fail = AccountError(keyslots.lockout_message(row.name, row.locked_until))
        elif not _verify(row.password_hash, password or ""):
            failures = row.failed_count + 1
            values: dict = {"failed_count": failures}
            audit.record(conn, row.name, audit.LOGIN_FAILED, register="accounts",
                         record_id=row.id, detail={"原因": "密码错误", "连续次数": failures,
                                                   "位置": where})
            if failures >= MAX_FAILURES:
                until = stamp + dt.timedelta(minutes=LOCKOUT_MINUTES)
                values.update(locked_until=until, failed_count=0)
                audit.record(conn, row.name, audit.LOCKED, register="accounts",
                             record_id=row.id, detail={"锁定分钟": LOCKOUT_MINUTES})
                fail = AccountError(keyslots.lockout_message(row.name, until))
            else:
                fail = AccountError(f"{wrong}（还可再试 {MAX_FAILURES - failures} 次）")
            conn.execute(accounts.update().where(accounts.c.id == row.id).values(**values))
        else:
            fail = None
            values = {"failed_count": 0, "locked_until": None, "last_login_at": stamp}
            if hasher().check_needs_rehash(row.password_hash):
                values["password_hash"] = hash_password(password)
            conn.execute(accounts.update().where(accounts.c.id == row.id).values(**values))
            audit.record(conn, row.name, audit.LOGIN, register="accounts", record_id=row.id,
                         detail={"位置": where} if where else None)
            acc = _account(row)
    if fail is not None:
        raise fail
    encryption.signed_in(target, acc.name, password)
    return actor_of(acc)


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password("not-an-account"))
    return _DUMMY[0]


def verify_again(target, actor: access.Actor, password: str) -> bool:
    """Unlock after idle: the same account's password, counted like a sign-in."""
    try:
        sign_in(target, actor.name, password, where="解锁")
        return True
    except AccountError:
        return False


def must_change(target, actor: access.Actor) -> bool:
    with reading(target) as conn:
        row = _row(conn, actor.name)
    return bool(row and row.must_change)


def change_password(target, actor: access.Actor, old: str, new: str) -> None:
    """The signed-in account's own password."""
    check_password_rule(new)
    with encryption.password_slot(target, actor.name, new), transaction(target) as conn:
        row = _row(conn, actor.name)
        if row is None or not _verify(row.password_hash, old or ""):
            raise AccountError("原密码不正确")
        conn.execute(accounts.update().where(accounts.c.id == row.id).values(
            password_hash=hash_password(new), password_changed_at=_now(), must_change=False))
        audit.record(conn, actor, audit.ACCOUNT, register="accounts", record_id=row.id,
                     detail={"修改密码": actor.name})


def reset_password(target, actor: access.Actor, name: str, new: str) -> None:
    """An administrator sets a new password (the account must change it at next sign-in)
    and clears a lockout."""
    access.require(actor, access.USERS)
    check_password_rule(new)
    with encryption.password_slot(target, name, new), transaction(target) as conn:
        row = _row(conn, name)
        if row is None:
            raise AccountError(f"没有账号“{name}”")
        conn.execute(accounts.update().where(accounts.c.id == row.id).values(
            password_hash=hash_password(new), password_changed_at=_now(),
            must_change=row.name != actor.name, failed_count=0, locked_until=None))
        audit.record(conn, actor, audit.ACCOUNT, register="accounts", record_id=row.id,
                     detail={"重设密码": name})


def set_disabled(target, actor: access.Actor, name: str, disabled: bool) -> None:
    access.require(actor, access.USERS)
    with transaction(target) as conn:
        row = _row(conn, name)
        if row is None:
            raise AccountError(f"没有账号“{name}”")
        if disabled and row.role == access.ADMIN and _admins(conn) <= 1:
            raise AccountError("不能停用最后一个管理员")
        conn.execute(accounts.update().where(accounts.c.id == row.id).values(
            disabled_at=_now() if disabled else None))
        audit.record(conn, actor, audit.ACCOUNT, register="accounts", record_id=row.id,
                     detail={"停用" if disabled else "启用": name})
    encryption.account_disabled(target, row.name, disabled, row.password_hash)


def _admins(conn) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(accounts).where(
        accounts.c.role == access.ADMIN, accounts.c.disabled_at.is_(None))).scalar_one()


def idle_minutes(target) -> int:
    """Minutes without input before the window locks (0: never)."""
    from .settings import get_value
    raw = get_value(target, IDLE_KEY)
    try:
        return max(0, int(raw)) if raw is not None else DEFAULT_IDLE_MINUTES
    except ValueError:
        return DEFAULT_IDLE_MINUTES


def set_idle_minutes(target, actor: access.Actor, minutes: int) -> None:
    """Validated and audited by :func:`app.services.security.set_idle_minutes`."""
    from .security import set_idle_minutes as store
    store(target, actor, minutes)
