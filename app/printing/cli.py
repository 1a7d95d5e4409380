"""``taizhang print``: rosters and sign-in sheets to PDF from the command line (no Qt).

    taizhang print REGISTER FILE.pdf [--db PATH] [--filter KEY=VALUE …] [--all]
                   [--group-by KEY] [--orientation auto|portrait|landscape] [--full-ids]
                   [--office NAME]
    taizhang print sign-in MEETING_ID FILE.pdf [--db PATH]

The register's default filter applies as in the window (党员: only those 在册) unless
``--all`` is given or ``--filter`` names that field.  ``--filter`` takes a field key (or its Chinese label) and a value as a person would type it: a
社区 or 党组织 by name, a choice by its text, 是/否, a date; ``a,b`` means either.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ..paths import location_arg
from .spec import ORIENTATIONS

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
SIGN_IN = "sign-in"

USAGE = ("taizhang print REGISTER FILE.pdf [--db PATH] [--filter KEY=VALUE ...] [--all] "
         "[--group-by KEY]\n"
         "                      [--orientation auto|portrait|landscape] [--full-ids] "
         "[--office NAME]\n"
         "       taizhang print sign-in MEETING_ID FILE.pdf [--db PATH]")


class UsageError(Exception):
    """Bad arguments; ``str()`` is the Chinese message."""


def add_print_parser(subparsers, db_arg=None) -> argparse.ArgumentParser:
    """Add ``print`` to the ``taizhang`` sub-commands (called by :mod:`app.cli`)."""
    p = subparsers.add_parser(
        "print", help="打印花名册或签到表到 PDF", usage=USAGE,
        description="把台账打印成 A4 花名册（PDF），或打印组织生活签到表。")
    if db_arg is not None:
        db_arg(p)
    else:
        p.add_argument("--db", metavar="PATH", type=location_arg, default=argparse.SUPPRESS,
                       help="数据库文件")
    p.add_argument("register", metavar="REGISTER",
                   help="台账键，如 party_members（用 taizhang registers 查看）；"
                        "或 sign-in 打印签到表")
    p.add_argument("rest", nargs="+", metavar="FILE.pdf",
                   help="输出的 PDF 文件；sign-in 时为 MEETING_ID FILE.pdf")
    p.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                   help="只打印符合条件的行，可重复，如 --filter status=在册")
    p.add_argument("--all", action="store_true", dest="no_default",
                   help="不用台账的默认筛选（如党员默认只打印“在册”）：打印所有状态")
    p.add_argument("--search", metavar="TEXT", help="只打印含有该文字的行")
    p.add_argument("--group-by", metavar="KEY",
                   help="按字段分组，每组另起一页，如 org_id（支部）、community_id（社区）")
    p.add_argument("--orientation", choices=ORIENTATIONS, default="auto",
                   help="纸张方向（默认 auto：按列数自动选择）")
    p.add_argument("--full-ids", action="store_true",
                   help="打印完整身份证号（默认隐去中间 8 位）")
    p.add_argument("--office", metavar="NAME", help="标题中的单位名称（默认取街道名称）")
    p.add_argument("--preparer", metavar="NAME", default="", help="制表人")
    p.add_argument("--reviewer", metavar="NAME", default="", help="审核人")
    p.set_defaults(func=cmd_print)
    return p


def cmd_print(args) -> int:
    """Handler of ``taizhang print``; returns the exit code."""
    from ..storage import Database, DatabaseError
    from .roster import RosterError
    try:
        job = _job(args)
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    db_path = getattr(args, "db", None)
    if isinstance(db_path, Path) and not db_path.exists():  # a server address is not a file
        print(f"错误：数据库文件不存在：{db_path}", file=sys.stderr)
        return EXIT_PROBLEM
    try:
        db = Database(db_path)
    except DatabaseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    try:
        spec = job(db)
    except (RosterError, UsageError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        db.close()
    out = Path(args.rest[-1])
    try:
        doc = write_atomically(spec, out)
    except FileNotFoundError:
        print(f"错误：文件夹不存在：{out.parent}。请先建好该文件夹，或换一个保存位置。",
              file=sys.stderr)
        return EXIT_PROBLEM
    except OSError as exc:
        print(f"错误：无法写入 {out}：{exc.strerror or exc}。如果该文件正在 PDF 阅读器中打开，"
              "请先关闭；或换一个文件名/文件夹。", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"已生成 {out}：{spec.full_title}，{doc.page_count} 页，{spec.row_count} 行"
          f"（{'横向' if doc.orientation == 'landscape' else '纵向'} A4）")
    if doc.missing:
        print(f"注意：{missing_message(doc.missing)}", file=sys.stderr)
    return EXIT_OK


def missing_message(chars: str) -> str:
    return (f"打印字体中没有这些字：{'、'.join(chars)}，PDF 中会显示为空白方框。"
            "请打印后核对并手写补上。")


def write_atomically(spec, out: Path, orientation: str | None = None):
    """Write the PDF to a temporary file beside ``out`` and move it into place, so a failed
    run never leaves half a PDF under the real name."""
    from .pdf import spec_to_pdf
    if not out.parent.exists():
        raise FileNotFoundError(2, "文件夹不存在", str(out.parent))
    fd, tmp = tempfile.mkstemp(prefix=".taizhang-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            doc = spec_to_pdf(spec, fh, orientation)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return doc


def _job(args):
    """Check the arguments before opening the database; return ``job(db) -> RosterSpec``."""
    from ..registry import BY_KEY
    if args.register == SIGN_IN:
        if len(args.rest) != 2:
            raise UsageError("用法：taizhang print sign-in MEETING_ID FILE.pdf")
        try:
            meeting_id = int(args.rest[0])
        except ValueError:
            raise UsageError(f"会议编号应为数字，现为“{args.rest[0]}”") from None
        _check_pdf_name(args.rest[1])

        def signin_job(db):
            from .signin import signin_spec
            return signin_spec(db, meeting_id, office=args.office)
        return signin_job
    if args.register not in BY_KEY:
        raise UsageError(f"没有名为“{args.register}”的台账；可用的有：{'、'.join(BY_KEY)}")
    if len(args.rest) != 1:
        raise UsageError("用法：taizhang print REGISTER FILE.pdf（只需一个输出文件）")
    _check_pdf_name(args.rest[0])

    def roster_job(db):
        from .filters import parse_filters
        from .roster import roster_from_db
        with db.connect() as conn:
            filters = parse_filters(conn, args.register, args.filter)
        # The register's declared default filter, as the window opens with it (党员: 在册),
        # unless the user filtered that field or asked for --all; the scope line says it.
        if not args.no_default:
            for key, value in BY_KEY[args.register].default_filter:
                filters.setdefault(key, value)
        spec = roster_from_db(db, args.register, filters=filters, search=args.search,
                              group_by=args.group_by, mask_ids=not args.full_ids,
                              orientation=args.orientation, office=args.office)
        spec.footer = [("制表人", args.preparer), ("审核人", args.reviewer)]
        return spec
    return roster_job


def _check_pdf_name(name: str) -> None:
    if not name.lower().endswith(".pdf"):
        raise UsageError(f"输出文件应以 .pdf 结尾：{name}")
