"""One generic table model for every register, driven by its declaration.

Columns are ``reg.columns``; cell text comes from :func:`app.registry.display.cell_text` (the
same text Excel and the printed roster show).  Search-as-you-type filters in memory: each row
has one precomputed lowercase "haystack" string, and a keystroke that narrows the previous
search only scans the rows still shown, so 100,000 people filter in a few milliseconds.

A new query (load, search) resets the model; single-record edits use fine-grained signals
(``beginInsertRows``/``dataChanged``/``beginRemoveRows``) so the selection survives.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ..core.validators import clean_text
from ..registry import base as k
from ..registry.base import Field, Lookup, Register
from ..registry.display import cell_text, column_kind

ROW_ROLE = Qt.ItemDataRole.UserRole + 1   # the row dict
ID_ROLE = Qt.ItemDataRole.UserRole + 2    # the record id
_NUMERIC = (k.INT, k.FLOAT)
_DELETED = QBrush(QColor("#9a9a9a"))


def search_terms(text: str) -> tuple[str, ...]:
    """What a search box holds, as lowercase terms that must all occur (full-width → ASCII)."""
    return tuple(clean_text(text).lower().split())


def haystack(reg: Register, columns: tuple, kinds: tuple, row: dict) -> str:
    """All searchable text of a row: every column's full (unmasked) text, and the label of
    each ticked yes/no column (so typing 党员户 finds the party households)."""
    parts = []
    for col, kind in zip(columns, kinds):
        if kind == k.BOOL:
            if row.get(col.key):
                parts.append(col.label)
            continue
        text = cell_text(reg, col, row)
        if text:
            parts.append(text)
    return "\x1f".join(parts).lower()


def build_haystacks(reg: Register, rows: Iterable[dict]) -> list[str]:
    """Haystacks for many rows (pure Python: runs in a worker thread for big registers)."""
    columns = reg.columns
    kinds = tuple(column_kind(reg, c) for c in columns)
    return [haystack(reg, columns, kinds, r) for r in rows]


class RegisterTableModel(QAbstractTableModel):
    """The rows of one register, filtered by a search text and sortable by any column.

    Signals:
        filtered(int, int): rows shown, rows loaded — after every load, search or edit.
    """

    filtered = Signal(int, int)

    def __init__(self, reg: Register, parent=None, *, mask_ids: bool = True) -> None:
        super().__init__(parent)
        self.reg = reg
        self.columns: tuple[Field | Lookup, ...] = reg.columns
        self.kinds = tuple(column_kind(reg, c) for c in self.columns)
        self.mask_ids = mask_ids
        self._rows: list[dict] = []
        self._hay: list[str] = []
        self._index: dict[int, int] = {}    # record id → position in _rows
        self._order: list[int] = []          # every live row, in sort order
        self._visible: list[int] = []        # the rows shown (subsequence of _order)
        self._terms: tuple[str, ...] = ()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        #: Per-column filters (WPS/Excel autofilter): column → the cell texts kept.  A
        #: 多选 column (人员标签) keeps a row having any of them.
        self._column_filters: dict[int, frozenset[str]] = {}
        #: Only these record ids (the rows behind a reminder), or None for all.
        self._only: frozenset[int] | None = None

    # -- loading and searching ----------------------------------------------------------------
    def set_rows(self, rows: list[dict], hay: list[str] | None = None) -> None:
        """Replace every row (a new query): one model reset."""
        self.beginResetModel()
        self._rows = list(rows)
        self._hay = hay if hay is not None else build_haystacks(self.reg, self._rows)
        self._index = {r["id"]: i for i, r in enumerate(self._rows)}
        self._order = list(range(len(self._rows)))
        if self._sort is not None:
            self._order = self._sorted(self._order, self._sort[0],
                                       self._sort[1] == Qt.SortOrder.DescendingOrder)
        self._visible = self._match(self._order, self._terms)
        self.endResetModel()
        self._announce()

    def set_search(self, text: str) -> None:
        """Show only rows whose text contains every term of ``text``."""
        terms = search_terms(text)
        if terms == self._terms:
            return
        # Typing one more character only narrows: scan the rows still shown.
        narrowing = bool(self._terms) and all(any(o in n for n in terms) for o in self._terms)
        base = self._visible if narrowing else self._order
        self.beginResetModel()
        self._terms = terms
        self._visible = self._match(base, terms)
        self.endResetModel()
        self._announce()

    def _match(self, base: list[int], terms: tuple[str, ...]) -> list[int]:
        hay = self._hay
        base = self._filtered(base)
        if not terms:
            return list(base)
        if len(terms) == 1:
            t = terms[0]
            return [i for i in base if t in hay[i]]
        return [i for i in base if all(t in hay[i] for t in terms)]

    def _filtered(self, base: list[int]) -> list[int]:
        """``base`` less the rows the column filters and the id filter leave out."""
        rows = self._rows
        if self._only is not None:
            only = self._only
            base = [i for i in base if rows[i]["id"] in only]
        for column, kept in self._column_filters.items():
            base = [i for i in base if self.cell_values(rows[i], column) & kept]
        return base

    def cell_values(self, row: dict, column: int) -> set[str]:
        """The values a column filter compares: the cell text, each choice of a 多选 cell."""
        text = cell_text(self.reg, self.columns[column], row)
        if self.kinds[column] == k.MULTI:
            return set(text.split(k.MULTI_SEP)) if text else {""}
        return {text}

    def column_values(self, column: int) -> list[tuple[str, int]]:
        """The distinct values of a column among the rows the *other* filters leave, with
        how many rows have each (for the filter list), in the column's order."""
        saved = self._column_filters.pop(column, None)
        try:
            base = self._match(self._order, self._terms)
        finally:
            if saved is not None:
                self._column_filters[column] = saved
        counts: dict[str, int] = {}
        for i in base:
            for v in self.cell_values(self._rows[i], column):
                counts[v] = counts.get(v, 0) + 1
        col = self.columns[column]
        declared = list(getattr(col, "choices", ()) or ())
        known = [c for c in declared if c in counts]
        rest = sorted((v for v in counts if v not in declared and v != ""))
        values = known + rest + ([""] if "" in counts else [])
        return [(v, counts[v]) for v in values]

    def set_column_filter(self, column: int, values) -> None:
        """Keep only rows whose ``column`` has one of ``values`` (None: no filter)."""
        if values is None:
            self._column_filters.pop(column, None)
        else:
            self._column_filters[column] = frozenset(values)
        self._refilter()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)

    def column_filters(self) -> dict[int, frozenset[str]]:
        return dict(self._column_filters)

    def set_only(self, ids) -> None:
        """Show only the records ``ids`` (None: every row)."""
        self._only = None if ids is None else frozenset(ids)
        self._refilter()

    @property
    def only(self) -> frozenset[int] | None:
        return self._only

    def _refilter(self) -> None:
        self.beginResetModel()
        self._visible = self._match(self._order, self._terms)
        self.endResetModel()
        self._announce()

    def _announce(self) -> None:
        self.filtered.emit(len(self._visible), len(self._order))

    @property
    def total(self) -> int:
        return len(self._order)

    # -- single-record changes (fine-grained) --------------------------------------------------
    def upsert(self, row: dict) -> int:
        """Show ``row`` (new or changed); returns its position in the view."""
        hay = build_haystacks(self.reg, [row])[0]
        i = self._index.get(row["id"])
        if i is not None:
            self._rows[i], self._hay[i] = row, hay
            pos = self._visible.index(i) if i in self._visible else None
            if pos is not None:
                self.dataChanged.emit(self.index(pos, 0),
                                      self.index(pos, len(self.columns) - 1))
                return pos
            # Hidden by the search: show it anyway so the user sees what was saved.
        else:
            i = len(self._rows)
            self._rows.append(row)
            self._hay.append(hay)
            self._index[row["id"]] = i
            self._order.append(i)
        pos = len(self._visible)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._visible.append(i)
        self.endInsertRows()
        self._announce()
        return pos

    def remove(self, record_id: int) -> None:
        """Stop showing a record (e.g. soft-deleted while deleted rows are hidden)."""
        i = self._index.pop(record_id, None)
        if i is None:
            return
        if i in self._visible:
            pos = self._visible.index(i)
            self.beginRemoveRows(QModelIndex(), pos, pos)
            del self._visible[pos]
            self.endRemoveRows()
        self._order.remove(i)
        self._announce()

    # -- lookups -----------------------------------------------------------------------------
    def row_at(self, pos: int) -> dict:
        return self._rows[self._visible[pos]]

    def position_of(self, record_id: int) -> int | None:
        i = self._index.get(record_id)
        if i is None:
            return None
        try:
            return self._visible.index(i)
        except ValueError:
            return None

    def visible_rows(self) -> list[dict]:
        """The rows shown, in the order shown (for export and printing)."""
        return [self._rows[i] for i in self._visible]

    def text(self, pos: int, column: int) -> str:
        col = self.columns[column]
        return cell_text(self.reg, col, self.row_at(pos), mask_ids=self.mask_ids)

    # -- Qt model interface --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        row = self._rows[self._visible[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.kinds[index.column()] in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _DELETED if row.get("deleted_at") else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.get("deleted_at"):
                reason = f"，原因：{row['deleted_reason']}" if row.get("deleted_reason") else ""
                return f"已于 {row['deleted_at']:%Y-%m-%d %H:%M} 由 {row.get('deleted_by')} 删除{reason}"
            return None  # a cell too narrow for its text: the view shows it whole
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row["id"]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                # A filtered column says so in its header, as WPS marks its autofilter.
                return col.label + (" ▼" if section in self._column_filters else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return getattr(col, "help", "") or col.label
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._visible):
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def _sorted(self, order: list[int], column: int, desc: bool) -> list[int]:
        """``order`` sorted by a column's value; empty cells last either way (stable)."""
        col = self.columns[column]
        key = f"{col.key}__title" if isinstance(col, Field) and col.kind == k.REF else col.key
        rows = self._rows
        pairs = [(rows[i].get(key), i) for i in order]
        present = [p for p in pairs if p[0] is not None]
        present.sort(key=itemgetter(0), reverse=desc)
        return [i for _, i in present] + [i for v, i in pairs if v is None]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._visible[p.row()], p.column()) for p in persistent]
        self._sort = (column, order)
        self._order = self._sorted(self._order, column, order == Qt.SortOrder.DescendingOrder)
        shown = set(self._visible)
        self._visible = [i for i in self._order if i in shown]
        where = {i: pos for pos, i in enumerate(self._visible)}
        self.changePersistentIndexList(persistent, [self.index(where[i], c) for i, c in held])
        self.layoutChanged.emit()
