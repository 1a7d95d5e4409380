"""Step 6 of the import wizard: the plan, computed in the background, row by row; a row with a
problem can be corrected here (``FixRowDialog``) and the plan checked again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableView,
                               QVBoxLayout, QWidget, QWizard, QWizardPage)

from ...excel.commit import nothing_message
from ...excel.errors import Cancelled
from ...excel.plan import (STATUS_LABELS, STATUSES, Plan, PlanOptionError, SheetInput,
                           build_plan)
from ...excel.safety import col_letter
from ..excel_dialogs import Busy, PlanModel, details
from ..tasks import run_task
from .cells import cell_text

if TYPE_CHECKING:
    from .wizard import ImportWizard


class PreviewPage(QWizardPage):
    """The plan, computed in the background: counts, per-row status, before → after."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("预览")
        self.setSubTitle("以下是导入计划，尚未写入。确认无误后点“开始导入”。")
        self.setButtonText(QWizard.WizardButton.NextButton, "开始导入")
        lay = QVBoxLayout(self)
        self.counts = QLabel("")
        lay.addWidget(self.counts)
        self.busy = Busy()
        lay.addWidget(self.busy)
        row = QHBoxLayout()
        row.addWidget(QLabel("只看："))
        self.filter_box = QComboBox()
        self.filter_box.addItem("全部", None)
        for s in STATUSES:
            self.filter_box.addItem(STATUS_LABELS[s], s)
        self.filter_box.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(self.filter_box.currentData()))
        row.addWidget(self.filter_box)
        row.addStretch(1)
        self.fix_button = QPushButton("改正此行…")
        self.fix_button.setToolTip("在这里改正所选行的单元格（不改原文件），立即重新检查")
        self.fix_button.clicked.connect(self.on_fix)
        row.addWidget(self.fix_button)
        self.save_rejected = QPushButton("把有问题的行另存为工作簿…")
        self.save_rejected.clicked.connect(lambda: self.wiz.on_save_rejected(self))
        row.addWidget(self.save_rejected)
        lay.addLayout(row)
        self.model = PlanModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.view, 1)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(110)
        self.detail.setPlaceholderText("点选上面的一行，这里显示它的全部内容和要改动的项（原值 → 新值）。")
        lay.addWidget(self.detail)
        self.running = False

    def initializePage(self) -> None:
        self.wiz.plan = None
        self.model = PlanModel()
        self.view.setModel(self.model)
        self.counts.setText("正在计算导入计划…")
        self.running = True
        self.busy.start()
        self.completeChanged.emit()
        db, key, sheets = self.wiz.db, self.wiz.key, list(self.wiz.selected)
        policy, name = self.wiz.policy_page.policy(), self.wiz.workbook.path.name
        options = self.wiz.policy_page.options()
        busy, today = self.busy, self.wiz.today

        def work(task):
            with db.connect() as conn:
                return build_plan(conn, key, sheets, policy, file_name=name,
                                  progress=busy.progress_fn(task), options=options,
                                  today=today)
        run_task(work, owner=self, on_done=self.on_planned, on_error=self.on_failed,
                 on_progress=self.busy.on_progress)

    def on_planned(self, plan: Plan) -> None:
        self.running = False
        self.busy.hide()
        self.wiz.plan = plan
        c = plan.counts
        nothing = [] if c["new"] or c["update"] else [nothing_message(plan)]
        self.counts.setText("，".join(f"{STATUS_LABELS[s]} {c[s]}" for s in STATUSES) +
                            "".join("\n" + line for line in
                                    (*nothing, *plan.summary, *plan.notes)))
        self.counts.setWordWrap(True)
        self.model = PlanModel(plan)
        self.view.setModel(self.model)
        self.model.set_filter(self.filter_box.currentData())
        self.view.selectionModel().currentRowChanged.connect(self.on_row)
        self.view.resizeColumnsToContents()
        self.completeChanged.emit()

    def on_fix(self) -> None:
        """Correct the selected row's cells in place: the fix goes into the data the plan is
        made from (not the file) and the plan is checked again at once."""
        idx = self.view.currentIndex()
        if not idx.isValid() or self.running:
            return
        pr = self.model.rows[idx.row()]
        s = next((x for x in self.wiz.selected if x.layout.sheet == pr.sheet), None)
        cells = next((c for r, c in s.layout.data if r == pr.row), None) if s else None
        if cells is None:
            return
        dlg = FixRowDialog(self, s, pr, cells)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.changed:
            self.initializePage()

    def on_row(self, current: QModelIndex, _prev=None) -> None:
        if current.isValid():
            self.detail.setPlainText(details(self.model.rows[current.row()]))

    def on_failed(self, exc: Exception) -> None:
        self.running = False
        self.busy.hide()
        self.counts.setText("已取消计算。" if isinstance(exc, Cancelled) else
                            f"不能计算导入计划：{exc}" if isinstance(exc, PlanOptionError)
                            else f"计算失败：{exc}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        # "开始导入" only when there is a row to write: an import of nothing is never
        # offered (it would record an empty batch).
        plan = self.wiz.plan
        return not self.running and plan is not None and \
            bool(plan.counts["new"] or plan.counts["update"])


class FixRowDialog(QDialog):
    """The mapped cells of one row, editable; the row's messages above them."""

    def __init__(self, parent: QWidget, s: SheetInput, pr, cells: list) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"改正「{pr.sheet}」第 {pr.row} 行")
        self.cells, self.changed = cells, False
        lay = QVBoxLayout(self)
        if pr.messages:
            note = QLabel("\n".join(m.split("：", 1)[-1] for m in pr.messages))
            note.setWordWrap(True)
            note.setStyleSheet("color: #c0392b;")
            lay.addWidget(note)
        form = QFormLayout()
        self.edits: dict[int, QLineEdit] = {}
        for i, target in enumerate(s.targets):
            if not target:
                continue
            header = s.layout.headers[i] if i < len(s.layout.headers) else col_letter(i + 1)
            edit = QLineEdit(cell_text(cells[i]) if i < len(cells) else "")
            edit.setProperty("original", edit.text())
            form.addRow(f"{col_letter(i + 1)}「{header}」", edit)
            self.edits[i] = edit
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("改正并重新检查")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.on_ok)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def on_ok(self) -> None:
        for i, edit in self.edits.items():
            if edit.text() != edit.property("original"):
                while len(self.cells) <= i:
                    self.cells.append("")
                self.cells[i] = edit.text()  # as text: normalised like any typed cell
                self.changed = True
        self.accept()
