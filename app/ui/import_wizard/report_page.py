"""The last step of the import wizard: the commit (one transaction, cancellable) and its report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizard, QWizardPage

from ...excel.commit import CommitError
from ...excel.errors import Cancelled
from ..excel_dialogs import Busy
from ..tasks import run_write

if TYPE_CHECKING:
    from .wizard import ImportWizard


class ReportPage(QWizardPage):
    """The commit (one transaction, cancellable) and its report."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("导入")
        self.setSubTitle("一次写入：要么全部写入，要么什么也不写；写入中可点“取消”。")
        lay = QVBoxLayout(self)
        self.busy = Busy()
        lay.addWidget(self.busy)
        self.report = QLabel("")
        self.report.setWordWrap(True)
        lay.addWidget(self.report)
        self.save_rejected = QPushButton("把有问题的行另存为工作簿…")
        self.save_rejected.clicked.connect(lambda: self.wiz.on_save_rejected(self))
        row = QHBoxLayout()  # a button of its own size, not a bar across the page
        row.addWidget(self.save_rejected)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.running = False
        self.finished = False

    def initializePage(self) -> None:
        plan = self.wiz.plan
        self.finished = False
        c = plan.counts
        self.save_rejected.setVisible(bool(c["invalid"] or c["conflict"]))
        if not (c["new"] or c["update"]):
            self.report.setText("没有需要写入的行（全部无变化、跳过或有问题）。未写入任何数据。")
            self.finished = True
            return
        self.report.setText(f"正在写入：新增 {c['new']} 行，更新 {c['update']} 行……")
        self.running = True
        self.busy.start()
        self.completeChanged.emit()
        db, actor, busy = self.wiz.db, self.wiz.actor, self.busy
        # Looked up on the package: ``app.ui.import_wizard.commit_plan`` stays the one name
        # to replace (a test cancels the commit midway through it).
        from . import commit_plan

        def work(task):
            from ...storage.backup import make_backup
            if not db.is_server:  # a server is backed up by its administrator (pg_dump)
                make_backup(db.path, "导入前")  # the state before the import, whatever happens
            return commit_plan(db, plan, actor, progress=busy.progress_fn(task))
        run_write(work, owner=self, on_done=self.on_done, on_error=self.on_failed,
                  on_progress=self.busy.on_progress)

    def on_done(self, result) -> None:
        self.running, self.finished = False, True
        self.busy.hide()
        self.wiz.changed = True
        self.wiz.result = result
        c = self.wiz.plan.counts
        people = (f"；人员信息新增 {result.people_created} 人、更新 {result.people_updated} 人"
                  if result.people_created or result.people_updated else "")
        self.report.setText(
            f"导入完成（批次 {result.batch_id}）：新增 {result.created} 行，更新 "
            f"{result.updated} 行{people}。\n无变化 {c['unchanged']} 行，跳过 {c['skipped']} 行，"
            f"有错误 {c['invalid']} 行，冲突 {c['conflict']} 行。\n"
            "如需撤销，可在“文件 → 导入记录与撤销”中撤销这一批。")
        self.completeChanged.emit()

    def on_failed(self, exc: Exception) -> None:
        self.running, self.finished = False, True
        self.busy.hide()
        if isinstance(exc, Cancelled):
            self.report.setText("已取消导入，没有写入任何数据。")
        elif isinstance(exc, CommitError):
            self.report.setText(str(exc))
        else:
            self.report.setText(f"导入失败，没有写入任何数据：{exc}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        # Once the import has ended there is nothing left to cancel: only 完成 remains.
        self.wiz.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage,
                           self.finished and not self.running)
        return self.finished and not self.running
