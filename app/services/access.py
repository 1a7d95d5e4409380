"""Who may do what: the signed-in account (:class:`Actor`), the role × action table, the 社区
scope, and masking of 身份证号 and phone numbers.

Every service entry point asks this module before it reads or writes, so the window, the
command line and a script calling the services directly meet the same rules.  The window
hides what a role cannot do; the services refuse it anyway.

Roles (``ROLES``):

- 查阅员 looks things up: masked values only, no export, no print, no change.
- 录入员 also writes, imports, exports and prints (masked unless asked), and may view full
  numbers when asked (each such view is audited).
- 管理员 may do everything, including accounts, the audit log, backups and restores.

An account may be limited to some 社区 (``Actor.communities``): it then sees and writes only
rows that belong to those communities (directly or through the reference
:func:`app.services.query.link` names); street-wide registers (街道, 服务清单, 干部培训 …)
it may read but not change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..core.validators import mask_id_number

log = logging.getLogger(__name__)

ADMIN, CLERK, VIEWER = "管理员", "录入员", "查阅员"
ROLES = (VIEWER, CLERK, ADMIN)

# -- actions ----------------------------------------------------------------------------------
READ = "read"                # list, look up, count, statistics
WRITE = "write"              # create, update, delete, restore, advance
IMPORT = "import"            # commit an Excel import, undo one
EXPORT = "export"            # Excel export (masked)
EXPORT_FULL = "export_full"  # Excel export with full 身份证号 / phones
PRINT = "print"              # rosters and sign-in sheets (masked)
PRINT_FULL = "print_full"    # rosters with full numbers
VIEW_FULL = "view_full"      # see full numbers on screen (audited)
AUDIT = "audit"              # read the audit log
USERS = "users"              # add accounts, reset passwords, change roles
BACKUP = "backup"            # make a backup
RESTORE = "restore"          # replace the database with a backup
SETTINGS = "settings"        # office-wide settings (idle lock, office name)

ACTIONS = (READ, WRITE, IMPORT, EXPORT, EXPORT_FULL, PRINT, PRINT_FULL, VIEW_FULL, AUDIT,
           USERS, BACKUP, RESTORE, SETTINGS)

#: The role × action table: what each role may do.  Tests pin every cell.
ALLOWED: dict[str, frozenset[str]] = {
    VIEWER: frozenset({READ}),
    CLERK: frozenset({READ, WRITE, IMPORT, EXPORT, PRINT, VIEW_FULL}),
    ADMIN: frozenset(ACTIONS),
}

ACTION_LABELS = {
    READ: "查看", WRITE: "修改数据", IMPORT: "导入", EXPORT: "导出", EXPORT_FULL: "导出完整号码",
    PRINT: "打印", PRINT_FULL: "打印完整号码", VIEW_FULL: "查看完整号码", AUDIT: "查看操作日志",
    USERS: "管理账号", BACKUP: "备份", RESTORE: "恢复", SETTINGS: "修改设置",
}


class PermissionDenied(PermissionError):
    """The signed-in account may not do this; ``str()`` is the Chinese message."""


class NotSignedIn(PermissionDenied):
    pass


@dataclass(frozen=True)
class Actor:
    """The account a piece of work is done for: recorded as ``created_by``/``updated_by`` and
    in the audit log (``name``), checked against ``role`` and ``communities`` (None: all)."""

    name: str
    role: str
    communities: frozenset[int] | None = None
    account_id: int | None = None

    def may(self, action: str) -> bool:
        return action in ALLOWED.get(self.role, frozenset())

    @property
    def scoped(self) -> bool:
        return self.communities is not None

    def __str__(self) -> str:
        return self.name


#: The program itself: migrations, the demo build, automatic backups, tests.  Never the
#: result of a login, so the audit log tells its rows apart from a person's.
SYSTEM = Actor("系统", ADMIN)


def system(name: str = "系统") -> Actor:
    """An unrestricted actor for the program's own work (demo data, tests, scripts run by
    the administrator), recorded under ``name``."""
    return Actor(name, ADMIN)


def require(actor: object, action: str) -> Actor:
    """``actor`` if it is an :class:`Actor` allowed ``action``; else PermissionDenied."""
    if not isinstance(actor, Actor):
        # Free text is not an account: the services record signed-in accounts only.
        raise NotSignedIn("未登录：请先登录")
    if not actor.may(action):
        raise PermissionDenied(
            f"账号“{actor.name}”（{actor.role}）无权{ACTION_LABELS.get(action, action)}")
    return actor


def viewer(target) -> Actor:
    """Who reads through ``target``: the account signed in on the Database, or the one its
    connection was opened for.  NotSignedIn when nobody is.  A connection the storage layer
    opened for itself (migrations, checks), which never passed through a Database's
    ``begin``/``connect``, reads as the program."""
    import sqlalchemy as sa
    if isinstance(target, sa.Connection):
        if "signed" not in target.info:
            return SYSTEM
        actor = target.info.get("actor")
    else:
        actor = getattr(target, "actor", None)
    if not isinstance(actor, Actor):
        raise NotSignedIn("未登录：请先登录")
    return actor


def scope_refusal(actor: Actor, label: str) -> PermissionDenied:
    return PermissionDenied(
        f"账号“{actor.name}”只能处理所属社区的记录，无权修改这条{label}记录")


# -- masking ----------------------------------------------------------------------------------

def mask_phone(value: object) -> str:
    """``13812345678`` → ``138****5678``; short numbers keep only their last two digits."""
    if value is None or value == "":
        return ""
    s = str(value)
    if "*" in s:
        return s  # already masked
    if len(s) >= 7:
        return s[:3] + "*" * (len(s) - 7) + s[-4:]
    return "*" * max(0, len(s) - 2) + s[-2:]


def mask_value(kind: str, value: object) -> object:
    """The masked text of a sensitive value (``kind`` is a field kind)."""
    if value is None or value == "":
        return value
    if kind == "id_number":
        return mask_id_number(str(value))
    if kind == "phone":
        return mask_phone(value)
    return value


def is_masked(value: object) -> bool:
    return isinstance(value, str) and "*" in value
