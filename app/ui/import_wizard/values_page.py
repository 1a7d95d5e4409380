"""Step 5 of the import wizard (only when needed): values the register does not know → a
choice or 不导入."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QComboBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWizardPage)

from ...excel import mapping
from ...excel.values import unknown_values
from ...services import settings

if TYPE_CHECKING:
    from .wizard import ImportWizard


class ValuesPage(QWizardPage):
    """Values the register does not know (学历 “中师”, 纠纷类别 “拆迁纠纷” …): each distinct
    value → a choice or 不导入, for all rows with that value; remembered per field."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("值对应")
        self.setSubTitle("下列值不是台账的可选值。为每个值选一个可选值（所有同值的行一起改），"
                         "或选“不导入”；选择会记住，下次自动套用。")
        lay = QVBoxLayout(self)
        self.note = QLabel("")
        lay.addWidget(self.note)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(("字段", "表中的值", "行数", "对应为"))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.items: list[tuple[str, str, QComboBox]] = []

    def initializePage(self) -> None:
        found = unknown_values(self.wiz.key, self.wiz.selected,
                               settings.recall_values(self.wiz.db, self.wiz.key))
        self.table.setRowCount(len(found))
        self.items = []
        for i, (col, value, n) in enumerate(found):
            self.table.setItem(i, 0, QTableWidgetItem(col.label))
            self.table.setItem(i, 1, QTableWidgetItem(value))
            self.table.setItem(i, 2, QTableWidgetItem(str(n)))
            box = QComboBox()
            box.addItem("（请选择：不选则该行报错）", None)
            box.addItem(mapping.SKIP_LABEL, "")
            for choice in col.choices:
                box.addItem(choice, choice)
            self.table.setCellWidget(i, 3, box)
            self.items.append((col.key, value, box))
        self.note.setText("所有值都能识别，可直接下一步。" if not found else
                          f"有 {len(found)} 个值需要对应。")
        self.table.resizeColumnToContents(0)

    def chosen(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for key, value, box in self.items:
            if box.currentData() is not None:
                out.setdefault(key, {})[value] = box.currentData()
        return out

    def validatePage(self) -> bool:
        chosen = self.chosen()
        if chosen:
            settings.remember_values(self.wiz.db, self.wiz.key, chosen)
        return True
