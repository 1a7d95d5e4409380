"""A read-only table of ready-made texts, with a search that narrows it in memory.

For lists that are not a register (the 操作日志, the 回收站): the service gives plain dicts,
the view turns each into one tuple of cell texts, and this model shows them.  Loading is a
model reset (a new query); searching only changes which rows are visible, also by a reset
bracketing the change, as the rows shown are a different list.
"""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from .table_model import search_terms

ROW_ROLE = Qt.ItemDataRole.UserRole + 1   # the row dict the texts came from


class TextTableModel(QAbstractTableModel):
    """Rows of cell texts (one tuple each) under ``headers``; ``rows[i]`` is what row i
    came from (returned by :meth:`row_at` and ``ROW_ROLE``).

    Signals:
        filtered(int, int): rows shown, rows loaded — after every load or search.
    """

    filtered = Signal(int, int)

    def __init__(self, headers: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self._texts: list[tuple[str, ...]] = []
        self._rows: list[dict] = []
        self._hay: list[str] = []
        self._visible: list[int] = []
        self._terms: tuple[str, ...] = ()

    # -- contents ----------------------------------------------------------------------------
    def set_rows(self, rows: list[dict], texts: list[tuple[str, ...]]) -> None:
        """A new list (a new query): the search text stays applied."""
        self.beginResetModel()
        self._rows, self._texts = list(rows), list(texts)
        self._hay = ["\x1f".join(t).lower() for t in self._texts]
        self._visible = self._match()
        self.endResetModel()
        self.filtered.emit(len(self._visible), len(self._rows))

    def set_search(self, text: str) -> None:
        """Keep the rows containing every word of ``text`` (in any column)."""
        terms = search_terms(text)
        if terms == self._terms:
            return
        self.beginResetModel()
        self._terms = terms
        self._visible = self._match()
        self.endResetModel()
        self.filtered.emit(len(self._visible), len(self._rows))

    def _match(self) -> list[int]:
        if not self._terms:
            return list(range(len(self._rows)))
        return [i for i, h in enumerate(self._hay) if all(t in h for t in self._terms)]

    @property
    def total(self) -> int:
        return len(self._rows)

    def row_at(self, pos: int) -> dict:
        return self._rows[self._visible[pos]]

    def text(self, pos: int, column: int) -> str:
        return self._texts[self._visible[pos]][column]

    def visible_rows(self) -> list[dict]:
        """The rows shown, in order (what an export of "the filtered list" writes)."""
        return [self._rows[i] for i in self._visible]

    def visible_texts(self) -> list[tuple[str, ...]]:
        return [self._texts[i] for i in self._visible]

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.text(index.row(), index.column())
            return text if len(text) > 30 else None  # long 内容 is cut in its column
        if role == ROW_ROLE:
            return self.row_at(index.row())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return str(section + 1)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
