"""The ``taizhang`` command: with no sub-command it opens the window; with one it works
headless (and never imports Qt), so offices can automate and tests can run without a screen.

    taizhang [--db PATH]                      open the window
    taizhang demo [--db PATH] [--scale community|street] [--seed N]
    taizhang check [--db PATH]                schema version, integrity, rows per register
    taizhang registers                        every register key with its label and area
    taizhang --smoke-test OUT.pdf             self-test of an installation (app.smoke)

Every entry configures logging first (app.logsetup: a rotating, masked file in the user data
folder).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from . import APP_NAME, __version__

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


DB_HELP = ("数据库文件（默认在用户数据目录下的 taizhang.db），或多台电脑共用的服务器："
           "postgresql://用户名@主机:端口/数据库名（密码可写在地址中，或用 PGPASSWORD）")


def db_location(text: str) -> Path | str:
    from .paths import location_arg
    return location_arg(text)


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", type=db_location, default=argparse.SUPPRESS,
                   help=DB_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="taizhang", description=f"{APP_NAME}：不带子命令时打开窗口。")
    parser.add_argument("--version", action="version", version=f"taizhang {__version__}")
    parser.add_argument("--db", metavar="PATH", type=db_location, default=None,
                        help=DB_HELP)
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
                         ("app.stats.cli", "add_stats_parser"),
                         ("app.storage.cli", "add_storage_parsers")):
        if importlib.util.find_spec(module.rsplit(".", 1)[0]) is None:
            continue
        if importlib.util.find_spec(module) is not None:
            hooks.append(getattr(importlib.import_module(module), name))
    return hooks


def _open(args, *, migrate: bool = True):
    from .storage import Database, DatabaseError
    try:
        return Database(args.db, migrate=migrate)
    except DatabaseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        raise SystemExit(EXIT_PROBLEM) from None


def cmd_demo(args) -> int:
    from .demo import SCALES, build_demo
    db = _open(args)
    t0 = time.perf_counter()
    try:
        counts = build_demo(db, args.scale, seed=args.seed, today=args.today)
    except RuntimeError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        db.close()
    took = time.perf_counter() - t0
    s = SCALES[args.scale]
    print(f"已生成演示数据（{args.scale}：{s.communities} 个社区，{counts.get('people', 0):,} 人，"
          f"{counts.get('party_members', 0):,} 名党员），用时 {took:.1f} 秒")
    print(f"数据库：{db.location}")
    return EXIT_OK


def cmd_check(args) -> int:
    from .registry import REGISTERS
    from .services.query import count
    from .storage import head_revision
    from .storage import pg
    from .storage.database import current_revision, make_engine
    from .paths import default_db_path
    path = args.db or default_db_path()
    if isinstance(path, Path) and not path.exists():
        print(f"错误：数据库文件不存在：{path}", file=sys.stderr)
        return EXIT_PROBLEM
    engine = make_engine(Path(path)) if isinstance(path, Path) else \
        pg.make_engine(pg.parse(path))
    try:
        current = current_revision(engine)
    except Exception as exc:  # noqa: BLE001 - any failure here means the file is unusable
        if not isinstance(path, Path):
            print(f"错误：{pg.connect_error(pg.parse(path), exc)}", file=sys.stderr)
            return EXIT_PROBLEM
        print(f"错误：无法读取 {path}：它不是数据库文件，或已经损坏（{exc}）", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        engine.dispose()
    head = head_revision()
    ok = True
    if current == head:
        print(f"结构版本\t{current}（最新）")
    else:
        ok = False
        print(f"结构版本\t{current}（程序要求 {head}；用 taizhang 打开一次即可升级）")
    db = _open(args, migrate=False)
    try:
        problems = db.integrity_check()
        print(f"完整性检查\t{db.integrity_result()}")
        for p in problems[:20]:
            print(f"  {p}")
        ok = ok and not problems
        if current == head:
            for reg in REGISTERS:
                print(f"{reg.key}\t{reg.label}\t{count(db, reg.key)}")
    finally:
        db.close()
    print("结论\t" + ("正常" if ok else "有问题，见上"))
    return EXIT_OK if ok else EXIT_PROBLEM


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
    _utf8_console()
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
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK


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
