"""The import steps glued together for the CLI and the wizard: open a file, find the sheets
of a register with their layout and mapping, plan, commit.

>>> plan = plan_file(db, "party_members", "党员.xlsx")          # doctest: +SKIP
>>> plan.counts                                                  # doctest: +SKIP
{'new': 3, 'update': 1, 'unchanged': 120, 'conflict': 0, 'invalid': 2, 'skipped': 0}
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..registry import get as get_register
from ..services.records import reading
from . import limits, mapping
from .errors import FileRefused
from .layout import Layout, detect
from .plan import Options, Plan, Policy, SheetInput, build_plan
from .reader import Workbook
from .safety import col_letter
from .speed import gc_paused

#: A sheet needs at least this many recognised headers to be taken for the register.
MIN_SCORE = 2


def known_headers(key: str, memory: dict[str, str]):
    """``known(normalised header) -> bool`` for layout detection."""
    index = mapping.synonym_index(key)
    remembered = {h for h, t in memory.items() if t}

    def known(text: str) -> bool:
        return text in index or text in remembered or \
            mapping.lookup_header(index, text) is not None
    return known


def _meta_targets(key: str, layout: Layout, meta_cols: list[tuple[str, str]],
                  memory: dict[str, str]) -> list[str | None]:
    by_header = {mapping.norm_header(h): ck for ck, h in meta_cols}
    auto = mapping.auto_map(key, layout.match, memory)
    out: list[str | None] = []
    used: set[str] = set()
    for h, a in zip(layout.match, auto):
        t = by_header.get(mapping.norm_header(h), a)
        if t in used:
            t = None
        if t:
            used.add(t)
        out.append(t)
    return out


def prepare_sheets(conn, wb: Workbook, key: str, sheet: str | None = None, *,
                   header_rows: dict[str, int] | None = None,
                   memory: dict[str, str] | None = None) -> list[SheetInput]:
    """The sheets of ``wb`` to import into ``key``, each with layout and automatic mapping."""
    reg = get_register(key)
    if memory is None:
        memory = mapping.recall(conn, key)
    known = known_headers(key, memory)
    header_rows = header_rows or {}
    meta = wb.meta
    if meta is not None and meta.masked:
        raise FileRefused(f"“{wb.path.name}”是脱敏导出的工作簿（身份证号已隐去），不能作为真实数据"
                          "导入。请使用未脱敏的导出文件。")
    if sheet is not None:
        if sheet not in wb.sheet_names:
            raise FileRefused(f"“{wb.path.name}”中没有名为「{sheet}」的工作表；有："
                              f"{'、'.join(wb.data_sheet_names())}。")
        names = [sheet]
    elif meta is not None and any(sm.register == key for sm in meta.sheets.values()):
        names = [n for n, sm in meta.sheets.items() if sm.register == key and
                 n in wb.sheet_names]
    elif meta is not None:
        regs = "、".join(dict.fromkeys(get_register(sm.register).label
                                       for sm in meta.sheets.values()))
        raise FileRefused(f"“{wb.path.name}”是「{regs}」的导出文件，不含「{reg.label}」。"
                          "请选择正确的台账或文件。")
    else:
        names = wb.data_sheet_names()
    out: list[SheetInput] = []
    for name in names:
        sd = wb.sheet(name)
        sm = meta.sheets.get(name) if meta is not None else None
        if sm is not None and sm.register == key:
            layout = detect(sd, known, header_row=header_rows.get(name, sm.header_row))
            targets = _meta_targets(key, layout, sm.columns, memory)
        else:
            sm = None
            layout = detect(sd, known, header_row=header_rows.get(name))
            if layout.score < MIN_SCORE and sheet is None and name not in header_rows:
                wb.forget(name)  # not imported: its cells need not stay in memory
                continue
            # A visible column wins over a hidden one for the same field: hidden columns
            # are mapped only for the note that says they were left out.
            targets = mapping.auto_map(key, [h if i not in sd.hidden_cols else ""
                                             for i, h in enumerate(layout.match)], memory)
            hidden_targets = mapping.auto_map(key, layout.match, memory)
        si = SheetInput(layout, targets, sm, source=f"{wb.path.name}「{name}」",
                        hidden=set(sd.hidden_cols) if sm is None else set())
        if sm is None:
            si.notes += hidden_notes(si, hidden_targets, sd.hidden_rows)
            si.notes += duplicate_notes(key, si)
        out.append(si)
    if out:
        limits.check_import(wb.path.name, limits.size_text(wb.path),
                            [si.layout.data for si in out])
    if not out:
        sample = "、".join(c for c in list(mapping.synonym_index(key))[:6])
        raise FileRefused(f"在“{wb.path.name}”中没有找到「{reg.label}」的表格：前 20 行里没有认出"
                          f"表头（如 {sample}）。请在导入向导中手动指定表头行和各列对应的字段。")
    return out


def hidden_notes(si: SheetInput, hidden_targets: list[str | None],
                 hidden_rows: set[int]) -> list[str]:
    """Hidden columns are not imported by default (a hidden 身份证号码 next to a visible
    公民身份号码 is an old copy, not the data); say which, and how many data rows were hidden
    or filtered in the file (they are imported: hiding is a view, not a deletion)."""
    notes = []
    sheet = si.layout.sheet
    for i in sorted(si.hidden):
        if i < len(hidden_targets) and hidden_targets[i]:
            header = si.layout.headers[i] if i < len(si.layout.headers) else ""
            si.targets[i] = None
            visible = next((j for j, t in enumerate(si.targets) if t == hidden_targets[i]), None)
            instead = f"（同一字段取可见的 {col_letter(visible + 1)} 列）" \
                if visible is not None else ""
            notes.append(f"工作表「{sheet}」的 {col_letter(i + 1)} 列「{header}」在文件中是隐藏的，"
                         f"默认不导入{instead}；如确需导入，请在列对应中选择它对应的字段。")
    rows = sum(1 for r, _cells in si.layout.data if r - 1 in hidden_rows)
    if rows:
        notes.append(f"工作表「{sheet}」有 {rows} 行数据在文件中被隐藏或筛选掉了，仍按数据导入；"
                     "如不需要，请在预览中跳过这些行。")
    return notes


def duplicate_notes(key: str, si: SheetInput) -> list[str]:
    """Two visible columns meaning the same field: the first is taken, the other is left
    out — said, so that a roster with two ID columns is never read from the wrong one
    silently."""
    index = mapping.synonym_index(key)
    notes = []
    for i, h in enumerate(si.layout.match):
        if si.targets[i] or i in si.hidden:
            continue
        want = mapping.lookup_header(index, h)
        first = next((j for j, t in enumerate(si.targets) if t and t == want), None)
        if want and first is not None:
            notes.append(f"工作表「{si.layout.sheet}」的 {col_letter(i + 1)} 列「{si.layout.headers[i]}」"
                         f"与 {col_letter(first + 1)} 列「{si.layout.headers[first]}」是同一字段，"
                         f"只导入 {col_letter(first + 1)} 列；如应以 {col_letter(i + 1)} 列为准，"
                         "请在列对应中改过来。")
    return notes


def load_sheets(db, wb: Workbook, key: str) -> list[SheetInput]:
    """The sheets to import with detected layout and mapping; when no table is recognised,
    every visible sheet with row 1 as header, for the user to adjust."""
    with reading(db) as conn:
        memory = mapping.recall(conn, key)
        try:
            return prepare_sheets(conn, wb, key, memory=memory)
        except FileRefused as exc:
            if "没有找到" not in str(exc):
                raise
        known = known_headers(key, memory)
        out = []
        for name in wb.data_sheet_names():
            layout = detect(wb.sheet(name), known, header_row=1)
            out.append(SheetInput(layout, mapping.auto_map(key, layout.match, memory),
                                  source=f"{wb.path.name}「{name}」"))
        limits.check_import(wb.path.name, limits.size_text(wb.path),
                            [si.layout.data for si in out])
        return out


def plan_file(target, key: str, path: Path | str, policy: Policy | None = None, *,
              sheet: str | None = None, progress=None,
              overrides: dict[str, str] | None = None,
              options: Options | None = None, today: dt.date | None = None) -> Plan:
    """Open, check, detect, map automatically (with remembered choices) and plan.
    ``overrides`` maps header texts to column keys (``""`` = 不导入) for this import only;
    ``options``: the 社区 for sheets without one, create-missing, value mappings;
    ``today`` (default: the system date) is the day the rows are judged on."""
    with gc_paused(), Workbook(path) as wb, reading(target) as conn:
        memory = mapping.recall(conn, key)
        for header, target_key in (overrides or {}).items():
            memory[mapping.norm_header(header)] = target_key
        sheets = prepare_sheets(conn, wb, key, sheet, memory=memory)
        plan = build_plan(conn, key, sheets, policy, file_name=Path(path).name,
                          progress=progress, options=options, today=today)
        release_sources(plan)
        if wb.kind == "csv":
            plan.notes.insert(0, f"按文本文件读取：编码 {wb.encoding.upper()}，分隔符"
                                 f"“{_DELIMITERS.get(wb.delimiter, wb.delimiter)}”；"
                                 "每个单元格都按文字读取，身份证号不会丢位。")
        return plan


def release_sources(plan: Plan) -> None:
    """Let go of the workbook's cells once planned (the file is closed, nobody re-plans):
    only the rows sent back (有问题、有冲突) keep their original cells, for ``--rejected``.
    A 100,000-row sheet's cells are about a quarter of an import's memory."""
    for s in plan.sheets:
        s.layout.data = []
    for r in plan.rows:
        if r.status not in ("invalid", "conflict"):
            r.raw = []


_DELIMITERS = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线", "，": "中文逗号"}
