"""Reading cells with python-calamine, keeping true Excel row numbers.

``to_python(skip_empty_area=False)`` keeps leading empty rows and columns, so ``rows[i][j]`` is
Excel cell (row ``i + 1``, column ``j + 1``) and every message can cite the real row.  Empty
cells come back as ``""``; an ID number typed as a number comes back as a float that has
already lost digits (the normaliser refuses it).  Call :func:`open_workbook` only after
:func:`app.excel.safety.check_workbook`: it does that for you.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from . import formats
from .errors import FileRefused

#: What the reader may raise on a broken file.  A panic inside python-calamine's Rust code
#: arrives as pyo3's ``PanicException``, a BaseException: it is a broken file too, never a
#: traceback.  Ctrl+C and exits pass through (:func:`_reraise_interrupt`).
_READER_ERRORS = BaseException


def _reraise_interrupt(exc: BaseException) -> None:
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc


META_SHEET = "_meta"
LIST_SHEET = "_lists"
META_MAGIC = "taizhang-meta"


@dataclass
class SheetData:
    """One worksheet: cells from A1, merged ranges ((r0, c0), (r1, c1)) 0-based inclusive."""

    name: str
    visible: bool
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    #: 0-based columns and rows hidden in the file (rows hidden by a filter too).
    hidden_cols: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)


@dataclass
class SheetMeta:
    """What our own export recorded about one of its sheets."""

    register: str
    header_row: int            # 1-based Excel row of the header
    columns: list[tuple[str, str]]  # (column key, header text) in sheet order
    fingerprints: dict[str, str] = field(default_factory=dict)  # uuid → fingerprint


@dataclass
class WorkbookMeta:
    """The very-hidden ``_meta`` sheet of a workbook we exported."""

    schema: int
    app_version: str
    exported_at: str
    masked: bool
    sheets: dict[str, SheetMeta]


class Workbook:
    """A checked workbook (.xlsx, .xls/.et, .xlsb, .ods) or CSV/TXT file opened for reading;
    sheets are parsed lazily, once.  ``kind`` says which it was; for a CSV, ``encoding`` and
    ``delimiter`` say how it was read (one sheet named after the file)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.kind, self.safety = formats.check_file(self.path)
        self.encoding = self.delimiter = None
        self._cache: dict[str, SheetData] = {}
        self._hidden: dict[str, tuple[set[int], set[int]]] | None = None
        if self.kind == formats.CSV:
            rows, self.encoding, self.delimiter = formats.read_csv(self.path)
            self._wb = None
            self._names = [self.path.stem or "Sheet1"]
            self._visible = {self._names[0]: True}
            self._cache[self._names[0]] = SheetData(self._names[0], True, rows)
            self.meta = None
            return
        try:
            self._wb = pc.CalamineWorkbook.from_path(str(self.path))
        except _READER_ERRORS as exc:  # calamine raises several types for broken files
            _reraise_interrupt(exc)
            raise FileRefused(self._unreadable(exc)) from None
        self._names = list(self._wb.sheet_names)
        self._visible = {m.name: m.visible == pc.SheetVisibleEnum.Visible
                         for m in self._wb.sheets_metadata}
        self.meta = self._read_meta()

    def _unreadable(self, exc: Exception) -> str:
        name = self.path.name
        if self.kind == formats.XLS:
            return (f"“{name}”无法读取：它是 Excel 97-2003（.xls）或 WPS（.et）格式的文件，但设置了"
                    "打开密码或已损坏（{type(exc).__name__}）。请在 Excel/WPS 中取消密码，"
                    "或另存为 .xlsx 后再导入。").replace("{type(exc).__name__}",
                                                     type(exc).__name__)
        return (f"“{name}”无法读取（{type(exc).__name__}）。"
                "请用 Excel/WPS 打开确认无误后另存为 .xlsx 再导入。")

    @property
    def sheet_names(self) -> list[str]:
        return list(self._names)

    def data_sheet_names(self) -> list[str]:
        """Visible worksheets (hidden list and meta sheets are ours, not data)."""
        return [n for n in self._names if self._visible.get(n, True)
                and n not in (META_SHEET, LIST_SHEET)]

    def is_visible(self, name: str) -> bool:
        return self._visible.get(name, True)

    def sheet(self, name: str) -> SheetData:
        if name not in self._cache:
            try:
                sh = self._wb.get_sheet_by_name(name)
                rows = sh.to_python(skip_empty_area=False)
                merged = list(sh.merged_cell_ranges or [])
            except _READER_ERRORS as exc:
                _reraise_interrupt(exc)
                raise FileRefused(f"“{self.path.name}”的工作表「{name}」无法读取"
                                  f"（{type(exc).__name__}），文件可能已损坏。") from None
            cols, hidden_rows, more_merged = self._hidden_of(name)
            self._cache[name] = SheetData(name, self.is_visible(name), rows,
                                          merged or more_merged, cols, hidden_rows)
        return self._cache[name]

    def forget(self, name: str) -> None:
        """Let go of sheet ``name``'s cells (read again if asked for)."""
        self._cache.pop(name, None)

    def _hidden_of(self, name: str) -> tuple[set[int], set[int], list]:
        """Hidden columns and rows of sheet ``name`` (.xlsx, .xls and .ods say; .xlsb files
        are read as if nothing were hidden), and for .ods its merged ranges."""
        if self._hidden is None:
            self._hidden = {}
            try:
                if self.kind == formats.XLSX:
                    import zipfile
                    from .safety import _sheet_names
                    with zipfile.ZipFile(self.path) as zf:
                        parts = _sheet_names(zf, self.path.name)
                    for part, sheet in parts.items():
                        self._hidden[sheet] = (*formats.xlsx_hidden(self.path, part), [])
                elif self.kind == formats.ODS:
                    self._hidden = formats.ods_layout(self.path)
                elif self.kind == formats.XLS:
                    self._hidden = formats.xls_hidden(self.path)
            except (KeyError, OSError, ValueError):
                self._hidden = {}
        return self._hidden.get(name, (set(), set(), []))

    def close(self) -> None:
        self._cache.clear()
        if self._wb is not None:
            self._wb.close()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- our own _meta ---------------------------------------------------------------------
    def _read_meta(self) -> WorkbookMeta | None:
        if META_SHEET not in self._names:
            return None
        rows = self._wb.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
        if not rows or not rows[0] or rows[0][0] != META_MAGIC:
            return None
        info: dict[str, str] = {}
        sheets: dict[str, SheetMeta] = {}
        by_index: dict[str, SheetMeta] = {}
        try:
            for r in rows[1:]:
                tag = r[0] if r else ""
                if tag == "sheet":
                    sm = SheetMeta(str(r[2]), int(r[3]), [tuple(c) for c in json.loads(r[4])])
                    sheets[str(r[1])] = sm
                    by_index[_index_text(r[5])] = sm
                elif tag == "fps":
                    fps = by_index[_index_text(r[1])].fingerprints
                    for pair in str(r[2]).split():
                        uuid, _, fp = pair.partition(":")
                        fps[uuid] = fp
                elif tag:
                    info[str(tag)] = str(r[1])
            return WorkbookMeta(int(float(rows[0][1])), info.get("app_version", ""),
                                info.get("exported_at", ""), info.get("masked") == "1", sheets)
        except (IndexError, KeyError, ValueError, TypeError):
            raise FileRefused(f"“{self.path.name}”的导出信息（隐藏的 _meta 表）已被改动，"
                              "无法确认数据来源。请重新导出后再修改。") from None


def _index_text(value: object) -> str:
    """A sheet index cell as text ("1" whether it came back as 1.0 or "1")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
