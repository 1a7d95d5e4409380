"""``taizhang users`` / ``audit`` / ``backup`` / ``restore`` (no Qt).

    taizhang users add NAME --role 查阅员|录入员|管理员 [--community 名称 …]
    taizhang users list | passwd [NAME] | disable NAME | enable NAME
    taizhang audit [--user NAME] [--action …] [--since DATE] [--until DATE] [--json]
    taizhang backup [--to PATH]
    taizhang restore FILE

The new account's password comes from ``TAIZHANG_NEW_PASSWORD`` or is asked twice.  A
database without any account takes its first administrator from ``users add`` without a
sign-in (the first start); everything else needs an administrator signed in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .cli_auth import NEW_PASSWORD_ENV, ask_password, fail, open_database, open_signed_in, \
    user_name

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


@contextmanager
def signed_in(args, *, where: str = "命令行") -> Iterator:
    """The Database of ``--db`` with the account of ``--user``/``TAIZHANG_USER`` signed in,
    closed afterwards.  A refusal of the services inside (no right to do it, an account
    change refused) ends the command with its Chinese message, as every command says it."""
    from .services.access import PermissionDenied
    from .services.accounts import AccountError
    db = open_signed_in(args, where=where)
    try:
        yield db
    except (PermissionDenied, AccountError) as exc:
        raise fail(str(exc)) from None
    finally:
        db.close()


def add_admin_parsers(sub, db_arg) -> None:
    p = sub.add_parser("users", help="账号：添加、列出、改密码、停用")
    db_arg(p)
    us = p.add_subparsers(dest="users_command", metavar="操作", required=True)
    a = us.add_parser("add", help="添加账号（新密码取 TAIZHANG_NEW_PASSWORD，否则询问两次）")
    db_arg(a)
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", required=True, choices=("查阅员", "录入员", "管理员"))
    a.add_argument("--community", action="append", default=[], metavar="名称",
                   help="只能处理这个社区的数据（可重复）；不写则不限")
    a.set_defaults(func=cmd_users_add)
    ls = us.add_parser("list", help="列出账号")
    db_arg(ls)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_users_list)
    pw = us.add_parser("passwd", help="修改自己的密码，或（管理员）重设他人的密码")
    db_arg(pw)
    pw.add_argument("name", metavar="NAME", nargs="?")
    pw.set_defaults(func=cmd_users_passwd)
    for verb, helptext in (("disable", "停用账号"), ("enable", "重新启用账号")):
        d = us.add_parser(verb, help=helptext)
        db_arg(d)
        d.add_argument("name", metavar="NAME")
        d.set_defaults(func=cmd_users_disable, disable=verb == "disable")

    p = sub.add_parser("audit", help="查看操作日志（管理员）",
                       description="查看操作日志。登录账号取 TAIZHANG_USER（或 taizhang --user "
                                   "账号 audit …）；这里的 --user 是筛选条件。")
    from .paths import location_arg
    p.add_argument("--db", metavar="PATH", type=location_arg, default=argparse.SUPPRESS,
                   help="数据库文件，或服务器地址 postgresql://…")
    p.add_argument("--user", dest="who", metavar="NAME", help="只看这个账号的操作")
    p.add_argument("--action", action="append", default=[], metavar="ACTION",
                   help="只看这些操作：create/update/delete/restore（回收站中的记录）/advance/"
                        "login/login-failed/export/import/print/view-full/backup/"
                        "db-restore（用备份恢复数据库）…（可重复或逗号分隔）")
    p.add_argument("--since", type=_date, metavar="DATE", help="从这一天起（YYYY-MM-DD）")
    p.add_argument("--until", type=_date, metavar="DATE", help="到这一天为止")
    p.add_argument("--register", metavar="KEY", help="只看这个台账")
    p.add_argument("--search", metavar="文字",
                   help="只看含有这些文字的操作（空格分隔的几个词须都出现；号码按隐去后的样子查找）")
    p.add_argument("--limit", type=int, default=1000, help="最多显示最新的几条（0 为不限）")
    p.add_argument("--json", action="store_true", help="输出 JSON（每条一个对象）")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("backup", help="备份数据库（一致的在线副本）")
    db_arg(p)
    p.add_argument("--to", "--out", dest="to", type=Path, metavar="PATH",
                   help="备份到这个文件或文件夹（默认：数据库旁的“名称.备份”文件夹，自动轮换；"
                        "服务器数据库用 pg_dump -Fc，默认放在用户数据目录的“备份”下）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "move-to", help="把数据库文件迁移到服务器：复制全部表（含历史、审计和导入记录），"
                        "逐表核对行数和校验和，原文件不动（管理员）")
    db_arg(p)
    p.add_argument("address", metavar="postgresql://用户名@主机:端口/数据库名",
                   help="服务器上新建的空数据库（密码可写在地址中，或用 PGPASSWORD）")
    p.set_defaults(func=cmd_move_to)

    p = sub.add_parser("encrypt", help="加密数据库文件（SQLCipher；先保留一份核对过的未加密副本，"
                                       "显示恢复密钥）（管理员）")
    db_arg(p)
    p.set_defaults(func=cmd_encrypt)

    p = sub.add_parser("restore", help="用备份文件恢复数据库（当前文件移到一旁保留）")
    db_arg(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(func=cmd_restore)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，现为“{text}”") from None


def _new_password() -> str:
    pw = os.environ.get(NEW_PASSWORD_ENV)
    if pw is not None:
        return pw
    first = ask_password("新密码：")
    if ask_password("再输入一次：") != first:
        raise fail("两次输入的密码不一致")
    return first


def cmd_users_add(args) -> int:
    from .services import accounts
    from .storage.lock import LockHeld
    db = open_database(args)
    try:
        try:
            first = not accounts.has_accounts(db)
            if first:
                if args.role != "管理员":
                    raise fail("数据库还没有账号：第一个账号必须是管理员（--role 管理员）")
                accounts.create_first_admin(db, args.name, _new_password())
                print(f"已创建管理员“{args.name}”（这是数据库的第一个账号）。")
                return EXIT_OK
            from .cli_auth import sign_in
            actor = sign_in(db, args)
            comms = accounts.community_ids(db, args.community) if args.community else None
            acc = accounts.create_account(db, actor, args.name, args.role, _new_password(),
                                          comms)
        except accounts.AccountError as exc:
            raise fail(str(exc)) from None
        scope = "、".join(args.community) if args.community else "全部社区"
        print(f"已添加账号“{acc.name}”：{acc.role}，{scope}")
        return EXIT_OK
    except LockHeld as exc:
        raise fail(str(exc)) from None
    finally:
        db.close()


def cmd_users_list(args) -> int:
    from .services import accounts
    with signed_in(args) as db:
        rows = accounts.list_accounts(db, db.actor)
        names = _community_names(db)
        if args.json:
            print(json.dumps([{"name": a.name, "role": a.role,
                               "communities": [names.get(c, c) for c in a.communities]
                               if a.communities is not None else None,
                               "disabled": a.disabled,
                               "last_login_at": a.last_login_at.isoformat()
                               if a.last_login_at else None} for a in rows],
                             ensure_ascii=False))
            return EXIT_OK
        for a in rows:
            scope = "、".join(str(names.get(c, c)) for c in a.communities) \
                if a.communities is not None else "全部社区"
            state = "已停用" if a.disabled else ("锁定中" if a.locked_until and
                                                  a.locked_until > dt.datetime.now() else "")
            last = f"{a.last_login_at:%Y-%m-%d %H:%M}" if a.last_login_at else "未登录过"
            print(f"{a.name}\t{a.role}\t{scope}\t{last}\t{state}".rstrip())
        return EXIT_OK


def _community_names(db) -> dict[int, str]:
    from .services import records
    return {r["id"]: r["name"] for r in records.list_rows(db, "communities",
                                                          include_deleted=True)}


def cmd_users_passwd(args) -> int:
    from .services import accounts
    with signed_in(args) as db:
        if args.name and args.name != db.actor.name:
            accounts.reset_password(db, db.actor, args.name, _new_password())
            print(f"已重设“{args.name}”的密码；对方下次登录时需要修改。")
        else:
            old = os.environ.get("TAIZHANG_PASSWORD") or ask_password("原密码：")
            accounts.change_password(db, db.actor, old, _new_password())
            print("密码已修改。")
        return EXIT_OK


def cmd_users_disable(args) -> int:
    from .services import accounts
    with signed_in(args) as db:
        accounts.set_disabled(db, db.actor, args.name, args.disable)
        print(f"已{'停用' if args.disable else '启用'}账号“{args.name}”。")
        return EXIT_OK


def cmd_audit(args) -> int:
    from .services import audit
    # Here ``--user`` filters (the contract: taizhang audit --user NAME); the account signed
    # in comes from TAIZHANG_USER or ``taizhang --user NAME audit``.
    who = args.who
    with signed_in(args) as db:
        actions = [a.strip() for item in args.action for a in item.split(",") if a.strip()]
        rows = audit.read(db, db.actor, user=who, actions=actions, since=args.since,
                          until=args.until, register=args.register, search=args.search,
                          limit=args.limit)
        if args.json:
            for r in rows:
                r["at"] = r["at"].isoformat()
            print(json.dumps(rows, ensure_ascii=False))
            return EXIT_OK
        for r in rows:
            print(f"{r['at']:%Y-%m-%d %H:%M:%S}\t{r['actor']}\t"
                  f"{audit.action_label(r)}\t{audit.describe(r)}")
        if not rows:
            print("没有符合条件的操作记录。")
        return EXIT_OK


def cmd_backup(args) -> int:
    """An administrator's backup: of the file (a consistent online copy, rotated when no
    ``--to``), or of a server database (``pg_dump -Fc``)."""
    from .services import audit
    from .services.access import BACKUP, PermissionDenied, require
    from .paths import is_server_address
    from .storage import pg
    from .storage.backup import BackupError, make_backup
    if is_server_address(getattr(args, "db", None) or "") and pg.find_tool("pg_dump") is None:
        raise fail(pg.PG_DUMP_MISSING)  # before asking the server anything
    with signed_in(args) as db:
        try:
            require(db.actor, BACKUP)
            if db.is_server:
                from .paths import data_dir
                path = args.to or data_dir() / "备份" / pg.backup_name(db.url, "手动")
                if path.is_dir():
                    path = path / pg.backup_name(db.url, "手动")
                path.parent.mkdir(parents=True, exist_ok=True)
                db.backup_to(path)
            else:
                path = make_backup(db.path, "手动", to=args.to)
        except (PermissionDenied, BackupError, pg.ToolMissing, RuntimeError, OSError) as exc:
            raise fail(str(exc)) from None
        audit.record(db, db.actor, audit.BACKUP, detail={"文件": str(path)})
        print(f"已备份到 {path}（{path.stat().st_size / 1e6:.1f} MB）")
        if db.is_server:
            print(f"恢复：pg_restore --clean --if-exists -d 数据库 {path}")
        return EXIT_OK


def cmd_move_to(args) -> int:
    """Copy the file to a server, every table, verified; the file is left as it was.  Only an
    administrator of the file may (the copy carries every account and the whole audit log)."""
    from .paths import default_db_path, is_server_address
    from .services.access import RESTORE, PermissionDenied, require
    from .storage import pg
    from .storage.database import DatabaseError
    from .storage.move import move_to_server
    source = getattr(args, "db", None) or default_db_path()
    if is_server_address(source):
        print("错误：--db 应是要迁移的数据库文件，不是服务器地址。", file=sys.stderr)
        return EXIT_USAGE
    if not is_server_address(args.address):
        print(f"错误：{args.address} 不是服务器地址（应为 postgresql://用户名@主机:端口/数据库名）。",
              file=sys.stderr)
        return EXIT_USAGE
    # Signed in against the file without writing to it (it must stay as it was); the
    # sign-in and the move are recorded on the server, in the copied audit log.
    from .cli_auth import PASSWORD_ENV, ask_password, user_name
    from .services import accounts
    name = user_name(args)
    if not name:
        raise fail("需要登录：请用 --user 账号 或设置环境变量 TAIZHANG_USER（密码用 TAIZHANG_PASSWORD）")
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = ask_password(f"账号 {name} 的密码：")
    db = open_database(args, migrate=False)
    try:
        try:
            actor = accounts.check_read_only(db, name, password)
            require(actor, RESTORE)
        except (accounts.AccountError, PermissionDenied) as exc:
            raise fail(str(exc)) from None
    finally:
        db.close()
    where = pg.display(args.address)
    print(f"把 {source} 迁移到 {where}")
    try:
        moved = move_to_server(Path(source), args.address, progress=print)
    except DatabaseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    width = max(len(t.name) for t in moved.tables)
    print(f"{'表'.ljust(width)}\t文件行数\t服务器行数\t校验和")
    for t in moved.tables:
        mark = "一致" if t.ok else f"不一致（文件 {t.sum_file[:12]}，服务器 {t.sum_server[:12]}）"
        print(f"{t.name.ljust(width)}\t{t.rows_file}\t{t.rows_server}\t{mark}")
    if not moved.ok:
        print("结论\t核对不一致，请勿使用服务器上的数据；原文件未改动。", file=sys.stderr)
        return EXIT_PROBLEM
    from .services import audit
    from .storage import Database
    server = Database(args.address)
    try:
        audit.record(server, actor, "move-to",
                     detail={"来源文件": str(source), "表": len(moved.tables), "行": moved.rows})
    finally:
        server.close()
    print(f"结论\t{len(moved.tables)} 个表、{moved.rows:,} 行全部核对一致，用时 {moved.seconds:.1f} 秒。"
          f"原文件未改动。以后用 taizhang --db {where} 打开。")
    return EXIT_OK


def cmd_encrypt(args) -> int:
    """Encrypt a plain database file in place (an administrator, holding the writer lock):
    a verified plain copy first, then the encrypted file checked table by table."""
    from .cli_auth import password_for
    from .services import audit
    from .services.access import RESTORE, require
    from .storage import Database, cipher, encryption
    from .storage.backup import BackupError
    from .storage.lock import LockHeld, WriterLock
    with signed_in(args, where="加密") as db:
        require(db.actor, RESTORE)
        if db.is_server:
            raise fail("服务器上的数据库不是文件，由服务器自己的权限和加密保护；此命令只加密数据库文件。")
        if db.encrypted:
            print(f"{db.path.name} 已经是加密的数据库，无需再加密。")
            return EXIT_OK
        if not cipher.available():
            raise fail(cipher.UNAVAILABLE)
        actor, path = db.actor, db.path
    lock = WriterLock(path, user=actor.name, what="加密数据库")
    try:
        lock.acquire()
    except LockHeld as exc:
        raise fail(str(exc)) from None
    try:
        try:
            done = encryption.convert(path, actor.name, password_for(args, actor.name))
        except (encryption.ConversionError, BackupError, OSError, *cipher.errors()) as exc:
            raise fail(f"未能加密：{exc}") from None
        db = Database(path)
        try:
            audit.record(db, actor, audit.ENCRYPT,
                         detail={"未加密副本": str(done.plain_copy), "表": len(done.tables),
                                 "账号": done.accounts})
        finally:
            db.close()
    finally:
        lock.release()
    rows = sum(done.tables.values())
    print(f"已加密 {path}：{len(done.tables)} 个表、{rows:,} 行逐表核对一致（行数和校验和），"
          f"用时 {done.seconds:.1f} 秒。")
    print(f"密钥槽文件 {path.name}.keys 须与数据库放在一起（备份时会一起复制）。")
    print(f"核对过的未加密副本：{done.plain_copy}——它仍含全部数据，确认无误后请删除或妥善保管。")
    others = [n for n in done.accounts if n != actor.name]
    if others:
        print(f"其他账号（{'、'.join(others)}）仍用原密码登录；下次登录时各自的密钥槽会自动更新。")
    print(f"恢复密钥（忘记所有密码时用来打开数据库，只显示这一次，请打印或抄写后妥善保管）：\n"
          f"  {done.recovery_code}")
    return EXIT_OK


def cmd_restore(args) -> int:
    """Verify the backup, sign in (against the current database, or the backup when the
    current one cannot be opened), take the writer lock, swap the files."""
    from .paths import default_db_path
    from .services import audit
    from .services.access import RESTORE, PermissionDenied, require
    from .storage import DatabaseError
    from .storage.backup import BackupError, restore, verify
    from .storage.database import known_revisions
    from .storage.lock import LockHeld, WriterLock
    target = Path(getattr(args, "db", None) or default_db_path())
    from .cli_auth import try_unlock
    # Encrypted files: the current one unlocked with this account; a backup under another
    # key (or the current file unusable) with the passwords valid when it was made.
    try_unlock(args, target)
    why = try_unlock(args, args.file)
    if why is not None:
        raise fail(why)
    try:
        verify(args.file, known_revisions())
    except BackupError as exc:
        raise fail(str(exc)) from None
    from .storage import Database
    check_path = target
    try:
        db = Database(target, migrate=False)
    except DatabaseError:
        # The current file is damaged (why one restores): sign in against the backup.
        check_path = args.file
        db = Database(args.file, migrate=False)
    try:
        from .cli_auth import sign_in
        actor = sign_in(db, args, where="恢复")
        try:
            require(actor, RESTORE)
        except PermissionDenied as exc:
            raise fail(str(exc)) from None
    finally:
        db.close()
    lock = WriterLock(target, user=user_name(args) or "?", what="恢复数据库")
    try:
        lock.acquire()
    except LockHeld as exc:
        raise fail(str(exc)) from None
    try:
        try:
            aside = restore(target, args.file, known_revisions())
        except BackupError as exc:
            raise fail(str(exc)) from None
        db = Database(target)
        try:
            audit.record(db, actor, audit.RESTORE,
                         detail={"备份文件": str(args.file),
                                 "原文件移至": str(aside) if aside else None,
                                 "登录核对": str(check_path)})
        finally:
            db.close()
    finally:
        lock.release()
    print(f"已用 {args.file} 恢复数据库 {target}")
    if aside:
        print(f"原来的文件已保留为 {aside}")
    return EXIT_OK
