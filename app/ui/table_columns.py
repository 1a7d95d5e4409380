"""A register table's columns as a clerk arranges them: the title column frozen at the left
while the rest scroll, columns shown/hidden and dragged into another order (remembered per
register), and a per-column filter list as in WPS/Excel's autofilter.

:class:`FrozenTableView` follows Qt's "frozen column" example: a second view over the same
model and selection, showing only the title column, laid over the left edge of the first.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QTableView, QToolTip, QVBoxLayout, QWidget)

from ..registry import base as k
from ..registry.base import Register
from .sizing import fit_size


def title_column(reg: Register, columns) -> int:
    """The column that names a row (姓名 of a 党员, 社区名称, 案件编号): the register's title
    field, or the name shown for the person it refers to; else the first column."""
    keys = [c.key for c in columns]
    if reg.title in keys:
        return keys.index(reg.title)
    if reg.has_field(reg.title) and reg.field(reg.title).kind == k.REF:
        stem = reg.title[:-3] if reg.title.endswith("_id") else reg.title
        if f"{stem}_name" in keys:
            return keys.index(f"{stem}_name")
    return 0


class FrozenTableView(QTableView):
    """A table whose column ``frozen_column`` stays at the left edge while scrolling right.

    The frozen copy shares the model and the selection, so a click in it selects the row;
    it takes no focus (keys go to the table itself)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozen")
        self.frozen_column: int | None = None

    def freeze(self, column: int) -> None:
        """Keep ``column`` (logical) at the left; call after ``setModel``."""
        f = self.frozen
        self.frozen_column = column
        f.setModel(self.model())
        f.setSelectionModel(self.selectionModel())
        f.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        f.verticalHeader().hide()
        f.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        f.horizontalHeader().setHighlightSections(False)
        f.setSelectionBehavior(self.selectionBehavior())
        f.setSelectionMode(self.selectionMode())
        f.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        f.setAlternatingRowColors(self.alternatingRowColors())
        f.setWordWrap(False)
        f.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        f.setVerticalScrollMode(self.verticalScrollMode())
        f.setStyleSheet("QTableView#frozen { border: none; }")
        f.verticalHeader().setDefaultSectionSize(self.verticalHeader().defaultSectionSize())
        f.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.viewport().stackUnder(f)
        self._hide_others()
        self.model().columnsInserted.connect(self._hide_others)
        self.model().modelReset.connect(self._hide_others)
        self.horizontalHeader().sectionResized.connect(self._on_section_resized)
        f.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(f.verticalScrollBar().setValue)
        f.doubleClicked.connect(self.doubleClicked)
        f.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        f.customContextMenuRequested.connect(
            lambda pos: self.customContextMenuRequested.emit(
                self.viewport().mapFromGlobal(f.viewport().mapToGlobal(pos))))
        f.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        f.horizontalHeader().customContextMenuRequested.connect(
            lambda pos: self.horizontalHeader().customContextMenuRequested.emit(
                self.horizontalHeader().mapFromGlobal(
                    self.frozen.horizontalHeader().mapToGlobal(pos))))
        f.horizontalHeader().sectionClicked.connect(
            lambda i: self.horizontalHeader().sectionClicked.emit(i))
        f.show()
        self._place()

    def _hide_others(self, *_args) -> None:
        if self.frozen_column is None:
            return
        for c in range(self.model().columnCount()):
            self.frozen.setColumnHidden(c, c != self.frozen_column)
        self.frozen.setColumnWidth(self.frozen_column, self.columnWidth(self.frozen_column))
        self._place()

    def _on_section_resized(self, logical: int, _old: int, new: int) -> None:
        if logical == self.frozen_column:
            self.frozen.setColumnWidth(logical, new)
            self._place()

    def _place(self) -> None:
        """Lay the frozen copy over the frozen column (which the table keeps first)."""
        if self.frozen_column is None:
            return
        header = self.horizontalHeader()
        if header.visualIndex(self.frozen_column) != 0:
            header.moveSection(header.visualIndex(self.frozen_column), 0)
        self.frozen.setGeometry(self.verticalHeader().width() + self.frameWidth(),
                                self.frameWidth(), self.columnWidth(self.frozen_column),
                                self.viewport().height() + header.height())
        self.frozen.horizontalHeader().setFixedHeight(header.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._place()

    def cell_tooltip(self, index) -> str | None:
        """The tooltip of a cell: the model's (e.g. who deleted the row), else the cell's
        whole text when the column is too narrow to show it (a long 住址 at 1366×768)."""
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        if tip:
            return tip
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        room = self.columnWidth(index.column()) - 8
        return text if text and self.fontMetrics().horizontalAdvance(text) > room else None

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.indexAt(event.pos())
            tip = self.cell_tooltip(index) if index.isValid() else None
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        # Scrolling to the frozen column would only move the others under it.
        if index.column() != self.frozen_column:
            super().scrollTo(index, hint)
        else:
            super().scrollTo(index.siblingAtColumn(index.column()), hint)

    def moveCursor(self, action, modifiers):
        current = super().moveCursor(action, modifiers)
        # Moving left onto a cell hidden under the frozen column scrolls it into view.
        if (action == QAbstractItemView.CursorAction.MoveLeft and current.isValid()
                and current.column() != self.frozen_column and self.frozen_column is not None):
            x = self.visualRect(current).topLeft().x()
            if x < self.columnWidth(self.frozen_column):
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + x - self.columnWidth(self.frozen_column))
        return current


class ColumnFilterDialog(QDialog):
    """The values of one column with their row counts, each with a tick (as WPS/Excel's
    筛选 list); ``chosen`` is the set kept after 确定, or None for "all"."""

    def __init__(self, parent: QWidget | None, label: str, values: list[tuple[str, int]],
                 kept: frozenset[str] | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"筛选：{label}")
        self.chosen: frozenset[str] | None = kept
        lay = QVBoxLayout(self)
        self.find = QLineEdit(self)
        self.find.setPlaceholderText("查找值")
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(self._on_find)
        lay.addWidget(self.find)
        self.list = QListWidget(self)
        for value, count in values:
            item = QListWidgetItem(f"{value or '（空白）'}（{count}）")
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if kept is None or value in kept
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        for text, state in (("全选", Qt.CheckState.Checked),
                            ("全不选", Qt.CheckState.Unchecked)):
            b = QPushButton(text, self)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, s=state: self.set_all(s))
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.on_ok)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        fit_size(self, 320, 420)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def set_all(self, state: Qt.CheckState) -> None:
        for item in self.items():
            if not item.isHidden():
                item.setCheckState(state)

    def check_only(self, values) -> None:
        """Tick exactly ``values`` (what a click on them would do)."""
        for item in self.items():
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in values else Qt.CheckState.Unchecked)

    def _on_find(self, text: str) -> None:
        for item in self.items():
            item.setHidden(bool(text) and text not in item.text())

    def on_ok(self) -> None:
        ticked = [i for i in self.items() if i.checkState() == Qt.CheckState.Checked]
        self.chosen = (None if len(ticked) == self.list.count()
                       else frozenset(i.data(Qt.ItemDataRole.UserRole) for i in ticked))
        self.accept()


class ColumnState:
    """Which columns a register's table shows, in which order: saved as column keys (not
    Qt's header blob), so a column added in a later version simply appears at the end.

    Signals are not needed: the view calls :meth:`save` after a move or a hide."""

    def __init__(self, settings, reg: Register, table: QTableView, keys: list[str]) -> None:
        self.settings, self.reg, self.table, self.keys = settings, reg, table, keys
        self.setting = f"view/{reg.key}/columns"

    def order(self) -> list[str]:
        header = self.table.horizontalHeader()
        return [self.keys[header.logicalIndex(v)] for v in range(header.count())]

    def hidden(self) -> list[str]:
        return [key for i, key in enumerate(self.keys) if self.table.isColumnHidden(i)]

    def visible(self) -> list[str]:
        return [key for key in self.order() if key not in set(self.hidden())]

    def save(self) -> None:
        if self.settings is None:
            return
        self.settings.set(self.setting, "|".join(
            ("-" if key in self.hidden() else "") + key for key in self.order()))

    def restore(self) -> bool:
        """Apply the saved arrangement; False if there was none."""
        saved = self.settings.get(self.setting, "") if self.settings is not None else ""
        if not saved:
            return False
        header = self.table.horizontalHeader()
        wanted = [s.lstrip("-") for s in saved.split("|")]
        visual = 0
        for key in wanted:
            if key in self.keys:
                logical = self.keys.index(key)
                header.moveSection(header.visualIndex(logical), visual)
                visual += 1
        for s in saved.split("|"):
            if s.startswith("-") and s[1:] in self.keys:
                self.table.setColumnHidden(self.keys.index(s[1:]), True)
        return True

    def reset(self) -> None:
        """Every column shown, in the declared order."""
        header = self.table.horizontalHeader()
        for logical in range(len(self.keys)):
            self.table.setColumnHidden(logical, False)
            header.moveSection(header.visualIndex(logical), logical)
        if self.settings is not None:
            self.settings.set(self.setting, "")


__all__ = ["FrozenTableView", "ColumnFilterDialog", "ColumnState", "title_column"]
