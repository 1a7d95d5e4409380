"""Step 3 of the import wizard: each column of the sheet → a field of the register, or 不导入."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QHeaderView, QMessageBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWizardPage)

from ...excel import mapping
from ...excel.columns import UUID_KEY, excel_columns
from ...excel.layout import is_blank
from ...excel.plan import SheetInput
from ...excel.safety import col_letter
from .cells import cell_text

if TYPE_CHECKING:
    from .wizard import ImportWizard


class MappingPage(QWizardPage):
    """Each workbook column → a field, or 不导入; remembered by header text."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("列对应")
        self.setSubTitle("每一列对应台账的哪个字段。已按表头自动对应；改过的对应会记住，"
                         "下次同样的表头自动套用。")
        lay = QVBoxLayout(self)
        self.sheet_box = QComboBox()
        self.sheet_box.currentIndexChanged.connect(self.show_sheet)
        lay.addWidget(self.sheet_box)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(("列", "表头", "示例", "对应字段"))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        for s in self.wiz.selected:
            self.sheet_box.addItem(s.layout.sheet)
        self.sheet_box.blockSignals(False)
        self.show_sheet(0)

    def sheet(self) -> SheetInput:
        return self.wiz.selected[max(self.sheet_box.currentIndex(), 0)]

    def show_sheet(self, _i: int) -> None:
        s = self.sheet()
        cols = excel_columns(self.wiz.key)
        n = max(len(s.layout.headers), len(s.targets))
        self.table.setRowCount(n)
        self.combos = []
        for i in range(n):
            header = s.layout.headers[i] if i < len(s.layout.headers) else ""
            samples = [cell_text(cells[i]) for _r, cells in s.layout.data[:3]
                       if i < len(cells) and not is_blank(cells[i])]
            hidden = i in s.hidden
            letter = QTableWidgetItem(col_letter(i + 1) + ("（隐藏）" if hidden else ""))
            if hidden:
                letter.setForeground(QBrush(QColor("#888888")))
                letter.setToolTip("这一列在文件中是隐藏的，默认不导入")
            self.table.setItem(i, 0, letter)
            self.table.setItem(i, 1, QTableWidgetItem(header))
            if i < len(s.targets) and s.targets[i] == UUID_KEY:
                samples = ["（导出时写入的记录编号，用来对回原记录，不必看）"]
            self.table.setItem(i, 2, QTableWidgetItem("；".join(samples)))
            box = QComboBox()
            box.addItem(mapping.SKIP_LABEL, None)
            for c in cols:
                box.addItem(c.label, c.key)
            target = s.targets[i] if i < len(s.targets) else None
            box.setCurrentIndex(max(box.findData(target), 0))
            box.currentIndexChanged.connect(lambda _x, col=i: self.on_target(col))
            self.table.setCellWidget(i, 3, box)
            self.combos.append(box)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(3, 200)

    def on_target(self, col: int) -> None:
        s = self.sheet()
        while len(s.targets) <= col:
            s.targets.append(None)
        target = self.combos[col].currentData()
        if target:  # one field per column: the other column that had it lets go
            for i, t in enumerate(s.targets):
                if t == target and i != col:
                    s.targets[i] = None
                    self.combos[i].blockSignals(True)
                    self.combos[i].setCurrentIndex(0)
                    self.combos[i].blockSignals(False)
        s.targets[col] = target

    def validatePage(self) -> bool:
        if not any(t for s in self.wiz.selected for t in s.targets):
            QMessageBox.warning(self, "列对应", "还没有任何列对应到台账字段。")
            return False
        for s in self.wiz.selected:
            if s.meta is None:
                mapping.remember(self.wiz.db, self.wiz.key, s.layout.match, s.targets)
        return True
