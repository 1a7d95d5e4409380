"""Signing in on the command line: ``--user NAME`` or ``TAIZHANG_USER``, the password from
``TAIZHANG_PASSWORD`` or asked on the terminal, then the Database carries the account.

An encrypted database file is unlocked with the same account and password before it opens
(the account's key slot unwraps its key), or with the recovery key from
``TAIZHANG_RECOVERY_KEY``; the password is asked once for both.

Shared by every sub-command that reads or writes data (``app.cli``, ``app.excel.cli``,
``app.printing.cli``), so each refuses the same way: a Chinese message and exit status 1,
never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

EXIT_PROBLEM = 1
USER_ENV, PASSWORD_ENV, NEW_PASSWORD_ENV = "TAIZHANG_USER", "TAIZHANG_PASSWORD", \
    "TAIZHANG_NEW_PASSWORD"
RECOVERY_ENV = "TAIZHANG_RECOVERY_KEY"


def add_user_arg(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    p.add_argument("--user", metavar="NAME", default=None if top else argparse.SUPPRESS,
                   help=f"登录账号（默认取环境变量 {USER_ENV}）；密码取 {PASSWORD_ENV}，"
                        "没有时在终端询问")


def fail(message: str) -> "SystemExit":
    print(f"错误：{message}", file=sys.stderr)
    return SystemExit(EXIT_PROBLEM)


def ask_password(prompt: str = "密码：") -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise fail(f"需要密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行以便输入密码")
    return getpass.getpass(prompt)


def user_name(args) -> str | None:
    return getattr(args, "user", None) or os.environ.get(USER_ENV) or None


def password_for(args, name: str) -> str:
    """The password of ``name``: ``TAIZHANG_PASSWORD``, or asked once on the terminal (then
    kept on ``args`` for the sign-in that follows the unlock)."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    asked = getattr(args, "_asked_password", None)
    if asked is None:
        asked = ask_password(f"账号 {name} 的密码：")
        try:
            args._asked_password = asked
        except AttributeError:
            pass
    return asked


def file_location(args) -> Path | None:
    """The database file of ``--db`` (or the default one); None for a server address."""
    from .paths import default_db_path, is_server_address
    where = getattr(args, "db", None)
    if where is not None and is_server_address(where):
        return None
    return Path(where) if where else default_db_path()


def try_unlock(args, path: Path | None) -> str | None:
    """Unlock the encrypted file ``path`` for this process; None when done (or not needed),
    else why not."""
    from .storage import encryption, keyslots
    if not encryption.needs_unlock(path):
        return None
    code = os.environ.get(RECOVERY_ENV)
    try:
        if code:
            encryption.unlock_with_recovery(path, code)
            return None
        name = user_name(args)
        if not name:
            return (f"数据库 {path.name} 已加密：请用 --user 账号 或设置环境变量 {USER_ENV}"
                    f"（密码用 {PASSWORD_ENV}），或用 {RECOVERY_ENV} 提供恢复密钥")
        encryption.unlock(path, name, password_for(args, name))
    except keyslots.KeySlotError as exc:
        return str(exc)
    return None


def unlock_file(args, path: Path | None) -> None:
    why = try_unlock(args, path)
    if why is not None:
        raise fail(why)


def open_database(args, *, migrate: bool = True, encrypt: bool = False):
    """The Database of ``--db`` (or the default), unlocked first if it is encrypted, with
    every refusal as a message.  ``encrypt``: a file created now is encrypted."""
    from .storage import Database, DatabaseError
    unlock_file(args, file_location(args))
    path = getattr(args, "db", None)
    try:
        return Database(path, migrate=migrate, encrypt=encrypt)
    except DatabaseError as exc:
        raise fail(str(exc)) from None


def sign_in(db, args, *, where: str = "命令行"):
    """Sign ``db`` in as the account of ``--user``/``TAIZHANG_USER``; returns the Actor.

    A database with no account yet (new, or made by an older version) gets its first
    administrator from these same settings, and says so."""
    from .services import accounts
    name = user_name(args)
    if not name:
        raise fail(f"需要登录：请用 --user 账号 或设置环境变量 {USER_ENV}"
                   f"（密码用 {PASSWORD_ENV}）")
    password = password_for(args, name)
    try:
        if not accounts.has_accounts(db):
            actor = accounts.create_first_admin(db, name, password)
            print(f"数据库还没有账号：已创建管理员“{name}”。", file=sys.stderr)
        else:
            actor = accounts.sign_in(db, name, password, where=where)
    except accounts.AccountError as exc:
        raise fail(str(exc)) from None
    db.actor = actor
    return actor


def open_signed_in(args, *, migrate: bool = True, where: str = "命令行"):
    """:func:`open_database` then :func:`sign_in`."""
    db = open_database(args, migrate=migrate)
    try:
        sign_in(db, args, where=where)
    except BaseException:
        db.close()
        raise
    return db


def db_path(args) -> Path | None:
    return getattr(args, "db", None)
