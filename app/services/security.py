"""Security settings an administrator changes from the window or a script: the idle time
before the window locks, and a new recovery key for an encrypted file (issue 11).

Both check the role here (the window only hides what a role cannot do), validate, and are
audited.  A new recovery key also needs the administrator's password typed again: it is
checked like a sign-in (a wrong one counts towards the lockout and is audited).
"""

from __future__ import annotations

import logging

from ..storage import encryption, keyslots
from . import access, accounts, audit
from .records import transaction
from .settings import get_value

log = logging.getLogger(__name__)

#: The idle lock: 0 turns it off; otherwise at least a minute, at most a working morning.
MIN_IDLE_MINUTES, MAX_IDLE_MINUTES = 1, 240


def check_idle_minutes(minutes) -> int:
    """``minutes`` as an int within the allowed range; AccountError (Chinese) if not."""
    try:
        value = int(str(minutes).strip())
    except (TypeError, ValueError):
        raise accounts.AccountError("空闲锁定时间应为整数分钟") from None
    if value != 0 and not MIN_IDLE_MINUTES <= value <= MAX_IDLE_MINUTES:
        raise accounts.AccountError(f"空闲锁定时间应为 {MIN_IDLE_MINUTES}–{MAX_IDLE_MINUTES}"
                                    " 分钟（0 为不锁定）")
    return value


def set_idle_minutes(target, actor: access.Actor, minutes) -> int:
    """Store the idle time (administrators); returns the value stored.  Audited with the
    value before and after; storing the same value again writes nothing."""
    access.require(actor, access.SETTINGS)
    value = check_idle_minutes(minutes)
    before = accounts.idle_minutes(target)
    if get_value(target, accounts.IDLE_KEY) is not None and before == value:
        return value
    with transaction(target) as conn:
        from ..storage.schema import app_settings
        conn.execute(app_settings.delete().where(app_settings.c.key == accounts.IDLE_KEY))
        conn.execute(app_settings.insert().values(key=accounts.IDLE_KEY, value=str(value)))
        audit.record(conn, actor, audit.SECURITY,
                     detail={"修改设置": "空闲锁定时间（分钟，0 为不锁定）",
                             "原值": before, "新值": value})
    return value


def new_recovery_key(target, actor: access.Actor, password: str) -> str:
    """A new recovery key for the encrypted file of ``target`` in place of the old one
    (which stops working); returns it, to be shown once.  Administrators only, after their
    password is typed again.  AccountError (wrong password, locked account, a plain file) or
    PermissionDenied, in Chinese."""
    access.require(actor, access.USERS)
    if encryption._file_of(target)[1] is None:
        raise accounts.AccountError("这个数据库没有加密，没有恢复密钥。")
    # Checked as a sign-in: a wrong password is audited and counts towards the lockout.
    accounts.sign_in(target, actor.name, password, where="生成新的恢复密钥")
    with transaction(target) as conn:
        # The audit row and the new slot together: if the slot cannot be written, the
        # audit row is rolled back (and the old key still works).
        audit.record(conn, actor, audit.RECOVERY_KEY,
                     detail={"操作": "生成新的恢复密钥", "原恢复密钥": "已失效"})
        try:
            code = encryption.new_recovery_key(target)
        except (keyslots.KeySlotError, OSError) as exc:
            raise accounts.AccountError(f"未能生成新的恢复密钥：{exc}") from None
    log.info("new recovery key for %s by %s", getattr(target, "name", "?"), actor.name)
    return code
