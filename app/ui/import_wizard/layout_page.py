"""Step 2 of the import wizard: which sheets, and where each one's header is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWizardPage)

from ...excel import mapping
from ...excel.columns import UUID_KEY
from ...excel.importer import known_headers
from ...excel.layout import detect
from ...excel.plan import SheetInput
from ...excel.safety import col_letter
from .cells import cell_text

if TYPE_CHECKING:
    from .wizard import ImportWizard


class LayoutPage(QWizardPage):
    """Which sheets, and where the header is (detected, changeable)."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("工作表和表头")
        self.setSubTitle("系统已自动识别表头所在行；如不对，请修改。"
                         "标题、填报单位、合计、制表人等行会自动跳过。")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.sheet_list = QListWidget()
        self.sheet_list.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 12)
        self.sheet_list.currentRowChanged.connect(self.on_sheet)
        self.sheet_list.itemChanged.connect(lambda _i: self.completeChanged.emit())
        top.addWidget(self.sheet_list)
        right = QVBoxLayout()
        form = QHBoxLayout()
        form.addWidget(QLabel("表头在第"))
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 100)
        form.addWidget(self.header_spin)
        form.addWidget(QLabel("行"))
        self.two_level = QCheckBox("两行表头（与上一行合起来）")
        form.addWidget(self.two_level)
        form.addStretch(1)
        right.addLayout(form)
        self.info = QLabel("")
        right.addWidget(self.info)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        right.addWidget(self.preview, 1)
        top.addLayout(right, 1)
        lay.addLayout(top)
        self.header_spin.valueChanged.connect(self.on_header_changed)
        self.two_level.toggled.connect(self.on_header_changed)
        self._filling = False

    def initializePage(self) -> None:
        self._filling = True
        self.sheet_list.clear()
        for s in self.wiz.sheets:
            item = QListWidgetItem(s.layout.sheet)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.sheet_list.addItem(item)
        self._filling = False
        self.sheet_list.setCurrentRow(0)

    def current(self) -> SheetInput | None:
        i = self.sheet_list.currentRow()
        return self.wiz.sheets[i] if 0 <= i < len(self.wiz.sheets) else None

    def on_sheet(self, _row: int) -> None:
        s = self.current()
        if s is None:
            return
        self._filling = True
        self.header_spin.setValue(s.layout.header_row)
        self.two_level.setChecked(s.layout.header_top < s.layout.header_row)
        self._filling = False
        self.show_sheet(s)

    def on_header_changed(self, *_args) -> None:
        s = self.current()
        if s is None or self._filling:
            return
        sd = self.wiz.workbook.sheet(s.layout.sheet)
        memory = mapping.recall(self.wiz.db, self.wiz.key)
        s.layout = detect(sd, known_headers(self.wiz.key, memory),
                          header_row=self.header_spin.value(),
                          two_level=self.two_level.isChecked())
        s.targets = mapping.auto_map(self.wiz.key, s.layout.match, memory)
        self.show_sheet(s)

    def show_sheet(self, s: SheetInput) -> None:
        rows = self.wiz.workbook.sheet(s.layout.sheet).rows[:40]
        width = max((len(r) for r in rows), default=0)
        self.preview.setRowCount(len(rows))
        self.preview.setColumnCount(width)
        self.preview.setHorizontalHeaderLabels([col_letter(c + 1) for c in range(width)])
        self.preview.setVerticalHeaderLabels([str(r + 1) for r in range(len(rows))])
        header_rows = range(s.layout.header_top, s.layout.header_row + 1)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                item = QTableWidgetItem(cell_text(v))
                if r + 1 in header_rows:
                    item.setBackground(QBrush(QColor("#D9E1F2")))
                self.preview.setItem(r, c, item)
        # Columns as wide as their cells (an ID number must be readable whole), within reason.
        self.preview.resizeColumnsToContents()
        em = self.fontMetrics().horizontalAdvance("中")
        for c in range(width):
            # Our own 系统编号 (a long code, for matching rows back) needs no room to be read.
            cap = em * (4 if c < len(s.targets) and s.targets[c] == UUID_KEY else 16)
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), cap))
        mapped = sum(1 for t in s.targets if t)
        self.info.setText(f"数据从第 {s.layout.first_data_row} 行开始，共 {len(s.layout.data)} 行；"
                          f"跳过 {len(s.layout.skipped)} 行（表尾、说明、重复表头）；"
                          f"认出 {mapped} 列。")

    def isComplete(self) -> bool:
        return any(self.sheet_list.item(i).checkState() == Qt.CheckState.Checked
                   for i in range(self.sheet_list.count()))

    def validatePage(self) -> bool:
        self.wiz.selected = [s for i, s in enumerate(self.wiz.sheets)
                             if self.sheet_list.item(i).checkState() == Qt.CheckState.Checked]
        return bool(self.wiz.selected)
