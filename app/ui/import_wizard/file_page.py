"""Step 1 of the import wizard: the file and the register to import into; the file is read and
checked in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QWizardPage)

from ...excel.errors import FileRefused
from ...excel.importer import load_sheets
from ...excel.reader import Workbook
from ...registry import REGISTERS
from ..excel_dialogs import Busy
from ..tasks import run_task

if TYPE_CHECKING:
    from .wizard import ImportWizard

#: Every kind the importer reads (the kind is decided by the content, not the name).
FILE_FILTER = ("表格文件 (*.xlsx *.xls *.et *.xlsb *.ods *.csv *.txt);;"
               "Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)")
IMPORT_GUIDE = (
    "<p><b>接下来的步骤</b></p><ol>"
    "<li>工作表和表头：程序自动找到表头所在行，跳过标题、填报单位、合计、制表人。</li>"
    "<li>列对应：每一列对应台账的哪一项，已按表头自动对应，可修改（“不导入”也行）。</li>"
    "<li>导入方式：已有的记录是否更新；表中写到而程序中还没有的党组织是否新建。</li>"
    "<li>值对应：表中有程序不认识的写法时（如“本科”“走访”），逐个选定。</li>"
    "<li>预览：每行将新增、更新、无变化还是有错误；错误写明第几行哪一列，可当场改正。</li>"
    "<li>开始导入：一次写入，要么全部写入，要么什么也不写。</li></ol>"
    "<p>在“开始导入”之前不会写入任何数据。导入后如发现不对，可用“文件 → 导入记录与撤销”"
    "整批撤销。支持 .xlsx、.xls（含 WPS .et）、.xlsb、.ods、.csv/.txt。</p>")


class FilePage(QWizardPage):
    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("选择文件")
        self.setSubTitle("选择要导入的表格文件和要导入到的台账。")
        form = QFormLayout(self)
        self.register_box = QComboBox()
        for reg in REGISTERS:
            self.register_box.addItem(f"{reg.area_label} · {reg.label}", reg.key)
        if wiz.key:
            self.register_box.setCurrentIndex(self.register_box.findData(wiz.key))
        form.addRow("导入到台账", self.register_box)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.on_browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("文件", row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.busy = Busy()
        form.addRow(self.busy)
        # What happens next, so a first-time user knows nothing is written until 开始导入.
        guide = QLabel(IMPORT_GUIDE)
        guide.setWordWrap(True)
        guide.setTextFormat(Qt.TextFormat.RichText)
        guide.setObjectName("guide")
        form.addRow(guide)
        self.loaded_for: tuple[str, str] | None = None
        self.path_edit.textChanged.connect(lambda: self.completeChanged.emit())

    def on_browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "选择工作簿", self.path_edit.text(),
                                                FILE_FILTER)
        if chosen:
            self.path_edit.setText(chosen)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and not self.busy.isVisible()

    def validatePage(self) -> bool:
        path, key = self.path_edit.text().strip(), self.register_box.currentData()
        if self.loaded_for == (path, key):
            return True
        self.wiz.key = key
        self.status.setText("正在检查和读取文件…")
        self.status.setStyleSheet("")
        self.busy.start()
        self.completeChanged.emit()
        db = self.wiz.db

        def work(task):
            wb = Workbook(path)
            return wb, load_sheets(db, wb, key)
        run_task(work, owner=self, on_done=lambda r: self.on_loaded(path, key, r),
                 on_error=self.on_failed)
        return False

    def on_loaded(self, path: str, key: str, result) -> None:
        self.busy.hide()
        self.wiz.set_source(*result)
        self.loaded_for = (path, key)
        self.status.setText(f"已读取：{len(result[1])} 个工作表可导入。")
        self.completeChanged.emit()
        self.wiz.next()

    def on_failed(self, exc: Exception) -> None:
        self.busy.hide()
        self.status.setStyleSheet("color: #C00000")
        self.status.setText(str(exc) if isinstance(exc, FileRefused) else f"无法读取：{exc}")
        self.completeChanged.emit()
