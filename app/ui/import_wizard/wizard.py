"""The import wizard itself: its pages in order, the source workbook, the plan and the result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget, QWizard

from ...excel.plan import Plan, SheetInput
from ...excel.reader import Workbook
from ...excel.writer import write_rejected
from ...registry import REGISTERS
from ...registry import get as get_register
from ..sizing import fit_size
from .file_page import FilePage
from .layout_page import LayoutPage
from .mapping_page import MappingPage
from .policy_page import PolicyPage
from .preview_page import PreviewPage
from .report_page import ReportPage
from .values_page import ValuesPage


class ImportWizard(QWizard):
    """The import wizard.  After ``exec()``: ``changed`` (data written), ``result``."""

    def __init__(self, parent: QWidget | None, db, key: str | None = None,
                 actor=None, today=None) -> None:
        super().__init__(parent)
        self.db, self.key, self.actor = db, key or REGISTERS[0].key, actor or db.actor
        self.today = today  # the day rows are judged on (None: the clock)
        self.workbook: Workbook | None = None
        self.sheets: list[SheetInput] = []
        self.selected: list[SheetInput] = []
        self.plan: Plan | None = None
        self.result = None
        self.changed = False
        self.setWindowTitle("从 Excel 导入" + (f"：{get_register(key).label}" if key else ""))
        self.file_page = FilePage(self)
        self.layout_page = LayoutPage(self)
        self.mapping_page = MappingPage(self)
        self.policy_page = PolicyPage(self)
        self.values_page = ValuesPage(self)
        self.preview_page = PreviewPage(self)
        self.report_page = ReportPage(self)
        self.page_ids = {p: self.addPage(p) for p in (
            self.file_page, self.layout_page, self.mapping_page, self.policy_page,
            self.values_page, self.preview_page, self.report_page)}
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< 上一步"),
                             (QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.CancelButton, "取消"),
                             (QWizard.WizardButton.FinishButton, "完成")):
            self.setButtonText(button, text)
        fit_size(self, 980, 640)

    def set_source(self, workbook: Workbook, sheets: list[SheetInput]) -> None:
        if self.workbook is not None and self.workbook is not workbook:
            self.workbook.close()
        self.workbook, self.sheets = workbook, sheets

    def on_save_rejected(self, parent: QWidget) -> None:
        if self.plan is None or not self.plan.rows_with("invalid", "conflict"):
            QMessageBox.information(parent, "有问题的行", "没有有问题的行。")
            return
        name = Path(self.plan.file_name).stem + "-有问题的行.xlsx"
        start = str(self.workbook.path.with_name(name)) if self.workbook else name
        chosen, _ = QFileDialog.getSaveFileName(parent, "另存有问题的行", start,
                                                "Excel 工作簿 (*.xlsx)")
        if chosen:
            self.save_rejected_to(Path(chosen), parent)

    def save_rejected_to(self, path: Path, parent: QWidget | None = None) -> int:
        n = write_rejected(path, self.plan)
        QMessageBox.information(parent or self, "有问题的行",
                                f"已把 {n} 行连同错误原因另存到\n{path}\n改正后可再次导入。")
        return n

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        if self.report_page.running:
            self.report_page.busy.on_cancel()  # closing while writing = cancel (rollback)
            return
        self.preview_page.busy.on_cancel()
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None
        super().done(result)
