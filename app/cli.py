"""The ``taizhang`` command: with no sub-command it opens the window; with one it works
headless (and never imports Qt), so offices can automate and tests can run without a screen.

    taizhang [--db PATH]                      open the window
    taizhang demo [--db PATH] [--scale community|street] [--seed N]
    taizhang check [--db PATH]                schema version, integrity, rows per register
    taizhang registers                        every register key with its label and area
    taizhang --smoke-test OUT.pdf             self-test of an installation (app.smoke)

    taizhang encrypt [--db PATH]              encrypt a plain database file (administrator)

    taizhang users add NAME --role 查阅员|录入员|管理员 [--community 名称 …]
    taizhang users list | passwd [NAME] | disable NAME | enable NAME
    taizhang audit [--user NAME] [--action …] [--since DATE] [--json]

Every entry configures logging first (app.logsetup: a rotating, masked file in the user data
folder).

Commands that read or write data sign in first: ``--user NAME`` or ``TAIZHANG_USER``, the
password from ``TAIZHANG_PASSWORD`` or asked on the terminal (:mod:`app.cli_auth`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from . import APP_NAME, __version__
from .cli_auth import add_user_arg, fail, open_database, open_signed_in, try_unlock

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


DB_HELP = ("数据库文件（默认在用户数据目录下的 taizhang.db），或多台电脑共用的服务器："
           "postgresql://用户名@主机:端口/数据库名（密码可写在地址中，或用 PGPASSWORD）")


def db_location(text: str) -> Path | str:
    from .paths import location_arg
    return location_arg(text)


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", type=db_location, default=argparse.SUPPRESS,
                   help=DB_HELP)
    add_user_arg(p)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="taizhang", description=f"{APP_NAME}：不带子命令时打开窗口。")
    parser.add_argument("--version", action="version", version=f"taizhang {__version__}")
    parser.add_argument("--db", metavar="PATH", type=db_location, default=None,
                        help=DB_HELP)
    add_user_arg(parser, top=True)
    parser.add_argument("--smoke-test", metavar="OUT.pdf", type=Path, default=None,
                        help="自检：在临时数据库中迁移、生成演示数据、统计、打印花名册到 OUT.pdf"
                             "（不需要屏幕，不动用户数据）；全部通过时退出码为 0")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    p = sub.add_parser("demo", help="在空数据库中生成演示数据")
    _db_arg(p)
    p.add_argument("--scale", choices=("community", "street"), default="community",
                   help="community：两个社区约 2,400 人；street：20 个社区约 10 万人（基准测试用）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None,
                   help="按哪一天生成（YYYY-MM-DD，默认今天）")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help="检查数据库：结构版本、完整性、各台账行数")
    _db_arg(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("registers", help="列出所有台账的键、名称和所属工作板块")
    p.set_defaults(func=cmd_registers)

    from .cli_admin import add_admin_parsers
    add_admin_parsers(sub, _db_arg)

    for hook in _feature_parsers():
        hook(sub, _db_arg)
    return parser


def _feature_parsers():
    """Sub-commands contributed by feature packages (Excel, printing, …), each a function
    ``add(subparsers, db_arg)``.  A package not present in this build adds nothing."""
    import importlib
    import importlib.util
    hooks = []
    for module, name in (("app.excel.cli", "add_excel_parsers"),
                         ("app.printing.cli", "add_print_parser"),
                         ("app.stats.cli", "add_stats_parser")):
        if importlib.util.find_spec(module.rsplit(".", 1)[0]) is None:
            continue
        if importlib.util.find_spec(module) is not None:
            hooks.append(getattr(importlib.import_module(module), name))
    return hooks


def cmd_demo(args) -> int:
    from .demo import SCALES, build_demo
    from .demo.build import DEMO_PASSWORD, DEMO_USER
    from .services.access import system
    from .services import accounts
    from .storage.lock import LockHeld, WriterLock
    from .storage import cipher
    db = open_database(args, encrypt=True)  # a new file is encrypted (when SQLCipher is here)
    db.actor = system("演示数据")  # an empty database: nobody to sign in as yet
    had_accounts = accounts.has_accounts(db)
    t0 = time.perf_counter()
    try:
        with WriterLock(db.path, what="生成演示数据"):
            counts = build_demo(db, args.scale, seed=args.seed, today=args.today)
    except (RuntimeError, LockHeld) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        db.close()
    took = time.perf_counter() - t0
    s = SCALES[args.scale]
    print(f"已生成演示数据（{args.scale}：{s.communities} 个社区，{counts.get('people', 0):,} 人，"
          f"{counts.get('party_members', 0):,} 名党员），用时 {took:.1f} 秒")
    print(f"数据库：{db.location}")
    if not had_accounts:
        print(f"这是演示数据：管理员账号 {DEMO_USER}，密码 {DEMO_PASSWORD}"
              f"（例如 TAIZHANG_USER={DEMO_USER} TAIZHANG_PASSWORD={DEMO_PASSWORD} "
              "taizhang check）")
    if db.recovery_code:
        print(f"数据库文件已加密（SQLCipher）；密钥槽文件 {db.path.name}.keys 须与它放在一起。")
        print(f"恢复密钥（忘记所有密码时用来打开数据库，只显示这一次）：{db.recovery_code}")
    elif not db.is_server and not db.encrypted:
        if not cipher.available():
            print(f"注意：{cipher.UNAVAILABLE}", file=sys.stderr)
    return EXIT_OK


def cmd_check(args) -> int:
    """File, schema version, integrity, foreign keys, then rows per register (signed in)."""
    from .paths import default_db_path
    from .storage import head_revision
    from .storage import pg, probe
    from .storage.backup import list_backups
    from .storage.database import current_revision, known_revisions
    location = args.db or default_db_path()
    if not isinstance(location, Path):  # a server: its own checks
        engine = pg.make_engine(pg.parse(location))
        try:
            current = current_revision(engine)
        except Exception as exc:  # noqa: BLE001 - any failure here: the server is unusable
            print(f"错误：{pg.connect_error(pg.parse(location), exc)}", file=sys.stderr)
            return EXIT_PROBLEM
        finally:
            engine.dispose()
        path = location
    else:
        path = location
        bad = probe.problem(path)
        if bad is not None:
            print(f"错误：{bad}", file=sys.stderr)
            return EXIT_PROBLEM
        from .storage import encryption
        # On stderr, like the other notes: stdout's lines are a contract scripts parse.
        print(f"加密\t{encryption.describe(path)}", file=sys.stderr)
        why = try_unlock(args, path)
        if why is not None:
            print(f"错误：{why}（加密的数据库要登录后才能检查）", file=sys.stderr)
            return EXIT_PROBLEM
        findings = probe.quick_check(path, full=True)
        if findings:
            print("完整性检查\t未通过", file=sys.stderr)
            print(probe.damaged_message(path, findings, [(f"{w:%Y-%m-%d %H:%M}", p)
                                                       for w, p in list_backups(path)]),
                  file=sys.stderr)
            return EXIT_PROBLEM
        current = _revision(path)
    head = head_revision()
    ok = True
    if current is None:
        print(f"错误：{path} 不是社区治理台账的数据库（没有结构版本）。", file=sys.stderr)
        return EXIT_PROBLEM
    if current not in known_revisions():
        print(f"结构版本\t{current}（由更新版本的社区治理台账创建，本程序 {head} 无法打开；"
              "请安装最新版本。文件未做任何改动）")
        return EXIT_PROBLEM
    if current == head:
        print(f"结构版本\t{current}（最新）")
    else:
        ok = False
        print(f"结构版本\t{current}（程序要求 {head}；用本程序打开一次即可升级，升级前会自动备份）")
    if isinstance(path, Path) and probe.read_only(path):
        print(f"只读\t是：{path} 或它所在的文件夹不可写，只能查看，不能修改")
    db = open_database(args, migrate=False)
    try:
        problems = db.integrity_check()
        print(f"完整性检查\t{db.integrity_result()}")
        for p in problems[:20]:
            print(f"  {p}")
        ok = ok and not problems
        if current == head:
            _print_counts(db, args)
    finally:
        db.close()
    print("结论\t" + ("正常" if ok else "有问题，见上"))
    return EXIT_OK if ok else EXIT_PROBLEM


def _revision(path: Path) -> str | None:
    from .storage import cipher, keyslots
    key = keyslots.key_for(path) if cipher.is_encrypted(path) else None
    con = cipher.open_any(path, key, read_only=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except cipher.errors():
        return None
    finally:
        con.close()


def _print_counts(db, args) -> None:
    """Rows per register, as the signed-in account may see them (a sign-in is needed: the
    counts are read through the services)."""
    from .cli_auth import sign_in, user_name
    from .registry import REGISTERS
    from .services.query import count
    if not user_name(args):
        print("各台账行数\t（登录后显示：--user 账号 或 TAIZHANG_USER）")
        return
    sign_in(db, args, where="check")
    for reg in REGISTERS:
        print(f"{reg.key}\t{reg.label}\t{count(db, reg.key)}")


def cmd_registers(args) -> int:
    from .registry import REGISTERS
    for reg in REGISTERS:
        print(f"{reg.key}\t{reg.label}\t{reg.area_label}")
    return EXIT_OK


def _utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl+C anywhere, reading a file or writing: one line
        from .core.interrupt import interrupted
        return interrupted()


def _main(argv: list[str] | None) -> int:
    _utf8_console()
    try:
        args = build_parser().parse_args(argv)
        from . import logsetup
        logsetup.configure()
        if args.smoke_test is not None:
            from .smoke import run
            return run(args.smoke_test)
        if args.command is None:
            return gui_main_with(args.db)
        try:
            return args.func(args)
        except SystemExit as exc:  # a refusal already printed (cli_auth.fail): its code
            return exc.code if isinstance(exc.code, int) else EXIT_PROBLEM
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        # Ctrl+C: every write is one transaction, so nothing half-written stays behind.
        from .core.interrupt import interrupted
        return interrupted()
    except Exception as exc:  # noqa: BLE001 - the last net: a message, never a traceback
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    """Known failures as their Chinese message; anything else logged with its traceback
    and summarised."""
    import logging
    from .services.access import PermissionDenied
    from .storage.lock import LockHeld
    if isinstance(exc, (PermissionDenied, LockHeld)):
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    text = str(exc)
    if "database is locked" in text or "database table is locked" in text:
        print("错误：数据库正忙（另一处正在写入且超过 10 秒未完成）。请稍后再试；"
              "数据未改动。", file=sys.stderr)
        return EXIT_PROBLEM
    if isinstance(exc, OSError):
        print(f"错误：{exc.strerror or exc}（{exc.filename or ''}）", file=sys.stderr)
        return EXIT_PROBLEM
    logging.getLogger(__name__).exception("unexpected error")
    print(f"错误：意外的问题（{type(exc).__name__}：{exc}）。数据未改动；"
          "请把这条信息告诉技术人员。", file=sys.stderr)
    return EXIT_PROBLEM


def gui_main_with(db_path: Path | None) -> int:
    try:
        from .ui.app import run_gui
    except ImportError as exc:
        print(f"错误：无法加载图形界面（{exc}）。请安装 PySide6，或使用命令行子命令。",
              file=sys.stderr)
        return EXIT_PROBLEM
    from .ui.crash import install_crash_handler
    install_crash_handler()
    return run_gui(db_path)


def gui_main() -> int:
    """Entry of the ``taizhang-gui`` launcher (no console on Windows)."""
    args = build_parser().parse_args()
    from . import logsetup
    logsetup.configure()
    if args.smoke_test is not None:
        from .smoke import run
        return run(args.smoke_test)
    return gui_main_with(args.db)


if __name__ == "__main__":
    raise SystemExit(main())
