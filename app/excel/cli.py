"""``taizhang export`` / ``import`` / ``imports`` / ``consolidate`` (no Qt).

    taizhang export REGISTER FILE.xlsx [--db PATH] [--mask]
    taizhang export all FILE.xlsx [--db PATH] [--mask]
    taizhang import REGISTER FILE.xlsx [--db PATH] [--sheet NAME] [--policy …] [--apply]
                    [--json] [--rejected FILE.xlsx] [--actor NAME] [--map 表头=字段键 …]
    taizhang imports [--db PATH] [--undo BATCH_ID] [--actor NAME]
    taizhang consolidate REGISTER OUT.xlsx FILE.xlsx… [--db PATH] [--json]

``--policy`` is a comma-separated list: ``insert``/``update``/``both`` (which rows),
``skip``/``fill`` or ``match=update|skip|fill`` (what to do on a match), ``keep``/``clear``
(what a blank cell means), ``name-birth`` (also match people by 姓名+出生日期); e.g.
``--policy both,fill,keep``.  Default: ``both,match=update,keep``.

Without ``--apply`` import only prints the plan.  ``--json`` prints one JSON object with
``counts`` (new / update / unchanged / conflict / invalid / skipped) and ``rows`` (``sheet``,
``row``, ``status``, ``messages``, ``values``).  Exit status: 0 done, 1 the file was refused
or the commit failed, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ..paths import location_arg

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def parse_policy(text: str | None):
    """``both,fill,keep`` → :class:`~app.excel.plan.Policy`; UsageError if not understood."""
    from .plan import Policy
    p = Policy()
    if not text:
        return p
    for raw in text.split(","):
        tok = raw.strip().lower()
        if not tok:
            continue
        key, _, val = tok.partition("=")
        if val:
            if key == "mode" and val in ("insert", "update", "both"):
                p.mode = val
            elif key in ("match", "on-match", "on_match") and val in ("skip", "update", "fill"):
                p.on_match = val
            elif key == "blank" and val in ("keep", "clear"):
                p.blank = val
            else:
                raise UsageError(f"无法识别的策略“{raw}”")
        elif tok in ("insert", "update", "both"):
            p.mode = tok
        elif tok in ("skip", "fill"):
            p.on_match = tok
        elif tok in ("keep", "clear"):
            p.blank = tok
        elif tok in ("name-birth", "name_birth"):
            p.name_birth = True
        else:
            raise UsageError(f"无法识别的策略“{raw}”；可用：insert/update/both，"
                             "match=update|skip|fill，keep/clear，name-birth")
    return p


def parse_map(key: str, items: list[str]) -> dict[str, str]:
    """``["家庭住址=", "党员名字=person_name"]`` → header → column key ("" = 不导入)."""
    from .columns import column_by_key
    cols = column_by_key(key)
    by_label = {c.label: c.key for c in cols.values()}
    out: dict[str, str] = {}
    for item in items:
        header, sep, target = item.partition("=")
        target = target.strip()
        target = by_label.get(target, target)
        if not sep or not header.strip() or (target and target not in cols):
            raise UsageError(f"--map {item!r} 应为 表头=字段键（或留空表示不导入）；"
                             f"可用的字段键：{', '.join(cols)}")
        out[header.strip()] = target
    return out


def parse_values(key: str, items: list[str]) -> dict[str, dict[str, str]]:
    """``["education:本科=大学本科", "category:损害赔偿纠纷="]`` → column or field key →
    {原值: 新值} ("" = 不导入).  The new value must be one of the field's choices."""
    from .columns import column_by_key
    cols = column_by_key(key)
    by_key = {c.key: c for c in cols.values()}
    by_key.update({c.target.key: c for c in cols.values()
                   if c.target is not None and c.target.key not in by_key})
    choice_keys = [k for k, c in by_key.items() if c.choices]
    out: dict[str, dict[str, str]] = {}
    for item in items:
        field, sep1, rest = item.partition(":")
        raw, sep2, new = rest.partition("=")
        field, raw, new = field.strip(), raw.strip(), new.strip()
        col = by_key.get(field)
        if not sep1 or not sep2 or not raw or col is None or not col.choices:
            raise UsageError(f"--value {item!r} 应为 字段键:原值=新值（新值留空表示不导入）；"
                             f"可用的字段键：{', '.join(choice_keys)}")
        if new and new not in col.choices:
            raise UsageError(f"--value {item!r}：“{new}”不是「{col.label}」的可选值；可选："
                             f"{'、'.join(col.choices)}")
        out.setdefault(field, {})[raw] = new
    return out


def add_excel_parsers(subparsers, db_arg=None) -> None:
    """Add the Excel sub-commands to ``taizhang`` (called by :mod:`app.cli`)."""
    def with_db(p):
        if db_arg is not None:
            db_arg(p)
        else:
            p.add_argument("--db", metavar="PATH", type=location_arg,
                           default=argparse.SUPPRESS)
        return p

    p = with_db(subparsers.add_parser("export", help="导出台账到 Excel 工作簿（all：全部台账）"))
    p.add_argument("register", metavar="REGISTER", help="台账键，如 party_members；或 all")
    p.add_argument("file", metavar="FILE.xlsx", type=Path)
    p.add_argument("--mask", action="store_true", help="身份证号脱敏（此文件不能再导入）")
    p.add_argument("--template", metavar="DISTRICT.xlsx", type=Path,
                   help="按区里发来的工作簿的格式导出：保留其标题、合并单元格、格式、列顺序和"
                        "其他列，只填入数据行（列按记住的表头对应）")
    p.set_defaults(func=cmd_export)

    p = with_db(subparsers.add_parser("import", help="从 Excel 导入台账（默认只显示计划）"))
    p.add_argument("register", metavar="REGISTER")
    p.add_argument("file", metavar="FILE.xlsx", type=Path)
    p.add_argument("--sheet", metavar="NAME", help="只导入这个工作表")
    p.add_argument("--policy", metavar="POLICY", default=None,
                   help="逗号分隔：insert/update/both（导入哪些行）；match=update/skip/fill"
                        "（已有记录时更新、跳过或只填空白）；keep/clear（空白单元格保留原值或清空）；"
                        "name-birth（也按姓名+出生日期找人）。默认 both,match=update,keep")
    p.add_argument("--apply", action="store_true", help="按计划写入（一个事务）")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.add_argument("--rejected", metavar="FILE.xlsx", type=Path,
                   help="把有错误/冲突的行连同错误原因另存为工作簿")
    p.add_argument("--actor", default="导入", help="记录在修改日志中的操作人")
    p.add_argument("--map", action="append", default=[], metavar="表头=字段键",
                   help="本次把某表头对应到字段（字段键见 taizhang export 的列；留空为不导入），"
                        "可重复，如 --map 家庭住址= --map 党员名字=person_name")
    p.add_argument("--value", action="append", default=[], metavar="字段键:原值=新值",
                   help="把表中的某个值当作某个可选值（新值留空为不导入），可重复，"
                        "如 --value education:本科=大学本科；加 --apply 时记住，下次自动对应")
    p.add_argument("--community", metavar="名称",
                   help="表中没有“社区”列时，所有行都属于这个社区（按导入时新建的党组织也归它）")
    p.add_argument("--create-missing", action="store_true",
                   help="表中写到但程序里还没有的记录，能由名称建立的（如党组织）就一并新建；"
                        "计划中会列出，撤销导入时一并撤销")
    p.set_defaults(func=cmd_import)

    p = with_db(subparsers.add_parser("imports", help="导入历史；--undo 撤销一次导入"))
    p.add_argument("--undo", type=int, metavar="BATCH_ID")
    p.add_argument("--actor", default="导入")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_imports)

    p = with_db(subparsers.add_parser("consolidate",
                                      help="把多个社区的同一台账工作簿汇总为一张表"))
    p.add_argument("register", metavar="REGISTER")
    p.add_argument("out", metavar="OUT.xlsx", type=Path)
    p.add_argument("files", metavar="FILE.xlsx", type=Path, nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_consolidate)


def _db(args):
    from ..storage import Database, DatabaseError
    try:
        return Database(getattr(args, "db", None))
    except DatabaseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        raise SystemExit(EXIT_PROBLEM) from None


def _check_register(key: str) -> str | None:
    from ..registry import BY_KEY
    if key in BY_KEY:
        return None
    return f"没有名为 {key!r} 的台账；用 taizhang registers 查看可用的台账键"


def cmd_export(args) -> int:
    from .writer import export_all, export_register
    if args.register != "all" and (msg := _check_register(args.register)):
        print(f"错误：{msg}", file=sys.stderr)
        return EXIT_USAGE
    if args.template is not None:
        return _export_template(args)
    db = _db(args)
    try:
        if args.register == "all":
            res = export_all(db, args.file, mask=args.mask)
        else:
            res = export_register(db, args.register, args.file, mask=args.mask)
    except OSError as exc:
        print(f"错误：无法写入 {args.file}：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        db.close()
    print(f"已导出 {res.rows:,} 行（{len(res.sheets)} 个工作表）到 {res.path}"
          + ("；身份证号已脱敏" if res.masked else ""))
    return EXIT_OK


def _export_template(args) -> int:
    from .errors import FileRefused
    from .template import fill_template
    if args.register == "all":
        print("错误：--template 只能用于一个台账（模板是区里某一张表的格式）。", file=sys.stderr)
        return EXIT_USAGE
    db = _db(args)
    try:
        res = fill_template(db, args.register, args.template, args.file, mask=args.mask)
    except FileRefused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except OSError as exc:
        print(f"错误：无法写入 {args.file}：{exc}", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        db.close()
    print(f"已按模板“{args.template.name}”的「{res.sheet}」导出 {res.rows:,} 行到 {res.path}；"
          f"填入的列：{'、'.join(res.columns)}")
    return EXIT_OK


def jsonable(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def plan_json(plan, *, applied: bool = False, batch_id: int | None = None) -> dict:
    return {
        "register": plan.register, "file": plan.file_name, "applied": applied,
        "batch_id": batch_id, "policy": plan.policy.as_dict(), "counts": plan.counts,
        "summary": plan.summary, "notes": plan.notes,
        "new_records": [{"register": r.register, "name": r.name}
                        for r in plan.new_refs],
        "rows": [{"sheet": r.sheet, "row": r.row, "status": r.status, "messages": r.messages,
                  "values": {k: jsonable(v) for k, v in r.values.items()},
                  "changes": [{"column": c.label, "before": c.before, "after": c.after}
                              for c in r.changes]}
                 for r in plan.rows],
    }


def _print_plan(plan) -> None:
    from .plan import STATUS_LABELS
    c = plan.counts
    print(f"文件：{plan.file_name}  台账：{plan.register}")
    print("计划：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in c.items()))
    for line in plan.summary:
        print(f"问题汇总：{line}")
    for note in plan.notes:
        print(f"注意：{note}")
    shown: dict[str, int] = {}
    for r in plan.rows:
        if r.status == "unchanged" and not r.messages:
            continue
        shown[r.status] = shown.get(r.status, 0) + 1
        if r.status in ("new", "update", "skipped", "unchanged") and shown[r.status] > 30:
            continue
        print(f"[{STATUS_LABELS[r.status]}] {r.loc}")
        for ch in r.changes[:20]:
            print(f"    {ch.label}：{ch.before or '（空）'} → {ch.after or '（空）'}")
        for m in r.messages:
            print(f"    {m}")
    for s, n in shown.items():
        if s in ("new", "update", "skipped", "unchanged") and n > 30:
            print(f"（{STATUS_LABELS[s]}共 {n} 行，只列出前 30 行）")


def cmd_import(args) -> int:
    from .commit import CommitError, commit_plan
    from .errors import FileRefused
    from .importer import plan_file
    from .plan import Options, PlanOptionError
    from .writer import write_rejected
    if msg := _check_register(args.register):
        print(f"错误：{msg}", file=sys.stderr)
        return EXIT_USAGE
    try:
        policy = parse_policy(args.policy)
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        overrides = parse_map(args.register, args.map)
        values = parse_values(args.register, args.value)
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    options = Options(community=args.community, create_missing=args.create_missing,
                      values=values)
    db = _db(args)
    try:
        try:
            plan = plan_file(db, args.register, args.file, policy, sheet=args.sheet,
                             overrides=overrides, options=options)
        except PlanOptionError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_USAGE
        except FileRefused as exc:
            if args.json:
                print(json.dumps({"register": args.register, "file": str(args.file),
                                  "refused": str(exc), "counts": None, "rows": []},
                                 ensure_ascii=False))
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_PROBLEM
        batch_id = None
        if args.rejected and plan.rows_with("invalid", "conflict"):
            try:
                write_rejected(args.rejected, plan)
            except OSError as exc:
                print(f"错误：无法写入 {args.rejected}：{exc}", file=sys.stderr)
                return EXIT_PROBLEM
        if args.apply:
            try:
                batch_id = commit_plan(db, plan, args.actor).batch_id
            except CommitError as exc:
                print(f"错误：{exc}", file=sys.stderr)
                return EXIT_PROBLEM
            if values:
                from ..services import settings
                settings.remember_values(db, args.register, values)
        if args.json:
            print(json.dumps(plan_json(plan, applied=args.apply, batch_id=batch_id),
                             ensure_ascii=False))
        else:
            _print_plan(plan)
            if args.apply:
                c = plan.counts
                print(f"已写入：新增 {c['new']} 行，更新 {c['update']} 行（导入批次 {batch_id}，"
                      f"可用 taizhang imports --undo {batch_id} 撤销）")
            else:
                print("（仅为计划，未写入；加 --apply 执行）")
            if args.rejected and plan.rows_with("invalid", "conflict"):
                print(f"有问题的行已另存为：{args.rejected}")
        return EXIT_OK
    finally:
        db.close()


def cmd_imports(args) -> int:
    from ..services.imports import UndoRefused, list_batches, undo_batch
    db = _db(args)
    try:
        if args.undo is not None:
            try:
                n = undo_batch(db, args.undo, args.actor).count
            except UndoRefused as exc:
                print(f"错误：{exc}", file=sys.stderr)
                return EXIT_PROBLEM
            print(f"已撤销导入批次 {args.undo}：恢复/移除 {n} 条记录")
            return EXIT_OK
        batches = list_batches(db)
        if args.json:
            print(json.dumps([{k: jsonable(v) for k, v in b.items()} for b in batches],
                             ensure_ascii=False))
            return EXIT_OK
        if not batches:
            print("还没有导入记录。")
        for b in batches:
            state = f"已撤销（{b['undone_at']:%Y-%m-%d %H:%M}）" if b["undone_at"] else ""
            print(f"{b['id']}\t{b['at']:%Y-%m-%d %H:%M}\t{b['register']}\t{b['file_name']}\t"
                  f"新增 {b['counts'].get('new', 0)} 更新 {b['counts'].get('update', 0)}\t"
                  f"{b['actor']}\t{state}")
        return EXIT_OK
    finally:
        db.close()


def cmd_consolidate(args) -> int:
    from .consolidate import consolidate
    from .errors import FileRefused
    if msg := _check_register(args.register):
        print(f"错误：{msg}", file=sys.stderr)
        return EXIT_USAGE
    db = _db(args)
    try:
        try:
            res = consolidate(db, args.register, args.files, args.out)
        except FileRefused as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_PROBLEM
    finally:
        db.close()
    if args.json:
        print(json.dumps(res.as_dict(), ensure_ascii=False))
    else:
        print(f"已汇总 {len(args.files)} 个文件共 {res.rows} 行到 {args.out}")
        for d in res.duplicates:
            print(f"  重复：{d}")
        for m in res.problems:
            print(f"  问题：{m}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (``python -m app.excel.cli``) with the same sub-commands."""
    parser = argparse.ArgumentParser(prog="taizhang")
    parser.add_argument("--db", metavar="PATH", type=location_arg, default=None)
    add_excel_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
