"""Sub-commands about where the data lives (issue 14): ``taizhang move-to`` copies an office's
file to a server and verifies every table; ``taizhang backup`` writes a backup of the file
(SQLite's online backup) or of a server database (``pg_dump -Fc``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def add_storage_parsers(sub, db_arg) -> None:
    p = sub.add_parser(
        "move-to", help="把数据库文件迁移到服务器：复制全部表（含历史、审计和导入记录），"
                        "逐表核对行数和校验和，原文件不动")
    db_arg(p)
    p.add_argument("address", metavar="postgresql://用户名@主机:端口/数据库名",
                   help="服务器上新建的空数据库（密码可写在地址中，或用 PGPASSWORD）")
    p.set_defaults(func=cmd_move_to)

    p = sub.add_parser("backup", help="备份数据库：文件用 SQLite 在线备份，服务器用 pg_dump -Fc")
    db_arg(p)
    p.add_argument("--out", metavar="FILE", type=Path, default=None,
                   help="备份文件（默认：文件放在数据库旁边，服务器的放在用户数据目录的“备份”下）")
    p.set_defaults(func=cmd_backup)


def cmd_move_to(args) -> int:
    from ..paths import default_db_path, is_server_address
    from . import pg
    from .database import DatabaseError
    from .move import move_to_server
    source = getattr(args, "db", None) or default_db_path()
    if is_server_address(source):
        print("错误：--db 应是要迁移的数据库文件，不是服务器地址。", file=sys.stderr)
        return EXIT_USAGE
    if not is_server_address(args.address):
        print(f"错误：{args.address} 不是服务器地址（应为 postgresql://用户名@主机:端口/数据库名）。",
              file=sys.stderr)
        return EXIT_USAGE
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
    print(f"结论\t{len(moved.tables)} 个表、{moved.rows:,} 行全部核对一致，用时 {moved.seconds:.1f} 秒。"
          f"原文件未改动。以后用 taizhang --db {where} 打开。")
    return EXIT_OK


def cmd_backup(args) -> int:
    from ..paths import default_db_path, is_server_address
    from . import pg
    from .database import snapshot
    location = getattr(args, "db", None) or default_db_path()
    if is_server_address(location):
        url = pg.parse(location)
        if not url.password and os.environ.get("PGPASSWORD"):
            url = url.set(password=os.environ["PGPASSWORD"])
        from ..paths import data_dir
        out = args.out or data_dir() / "备份" / pg.backup_name(url, "手动")
        try:
            pg.dump(url, out)
        except pg.ToolMissing as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_PROBLEM
        except RuntimeError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_PROBLEM
        print(f"已备份 {pg.display(url)} 到 {out}（{out.stat().st_size:,} 字节）。"
              f"恢复：pg_restore --clean --if-exists -d 数据库 {out}")
        return EXIT_OK
    path = Path(location)
    if not path.exists():
        print(f"错误：数据库文件不存在：{path}", file=sys.stderr)
        return EXIT_PROBLEM
    import datetime as dt
    import sqlite3
    out = args.out or path.with_name(
        f"{path.stem}.备份-手动-{dt.datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
    try:
        snapshot(path, out)
    except (OSError, sqlite3.Error) as exc:
        print(f"错误：备份失败：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"已备份 {path} 到 {out}（{out.stat().st_size:,} 字节）。")
    return EXIT_OK

