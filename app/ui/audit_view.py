"""工具 → 操作日志: who did what and when, filtered by account, action, register and dates,
searched by any text, and exported as it is shown.

Everything is read through :func:`app.services.audit.read` (administrators only: the service
refuses anyone else, and the window disables the menu item for them).  The log is read off
the GUI thread: it may hold hundreds of thousands of rows, of which the newest
:data:`LIMIT` that pass the filters are shown.  身份证号 and phones are masked in the log
itself, so nothing here shows a full number.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from ..registry import REGISTERS
from ..services import access, audit
from .sizing import fit_size
from .tasks import run_task, show_error
from .text_table import TextTableModel

log = logging.getLogger(__name__)

#: The newest rows read at most: a filter narrows what they are.
LIMIT = 5000
ALL = "全部"


class AuditView(QDialog):
    """The audit log viewer (not modal: it stays open beside the window).

    Signals:
        loaded(int): rows loaded by the last query (after every load).
        exported(str): the file an export wrote.
    """

    loaded = Signal(int)
    exported = Signal(str)

    def __init__(self, parent: QWidget | None, db, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = access.require(db.actor, access.AUDIT)
        self.today = today or dt.date.today()
        self.titles: dict = {}
        self.task = None
        self.export_task = None
        self.loading = False
        #: What the last export did, said after the counts until the next one.
        self.note = ""
        self.setWindowTitle("操作日志")
        self._build()
        fit_size(self, 1240, 700)
        self.reload()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.user = QComboBox()
        self.user.addItem(ALL, None)
        self.refresh_users()
        self.action = QComboBox()
        self.action.addItem(ALL, None)
        for code, label in audit.action_choices():
            self.action.addItem(label, code)
        self.register = QComboBox()
        self.register.addItem(ALL, None)
        for reg in REGISTERS:
            self.register.addItem(reg.label, reg.key)
        self.register.setMaxVisibleItems(20)
        # Dates limit only when asked: an empty date cannot be shown in a QDateEdit.
        self.by_date = QCheckBox("日期")
        self.date_from = self._date_edit(self.today - dt.timedelta(days=30))
        self.date_to = self._date_edit(self.today)
        for label, w in (("账号", self.user), ("操作", self.action), ("台账", self.register)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
            row.addSpacing(6)
        row.addWidget(self.by_date)
        row.addWidget(self.date_from)
        row.addWidget(QLabel("至"))
        row.addWidget(self.date_to)
        row.addStretch(1)
        lay.addLayout(row)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：账号、记录、内容中的文字（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.search, 1)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setToolTip("重新读取操作日志（F5）")
        row.addWidget(self.refresh_button)
        lay.addLayout(row)
        self.model = TextTableModel(audit.COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        fm = self.fontMetrics()
        # 时间 … 记录 sized for their usual text; 内容 takes the rest.
        for c, sample in enumerate(("2026-11-25 08:00:00", "演示数据演示", "查看完整号码",
                                    "新时代文明实践", "悦澜华府2栋党小组（编号 12345）")):
            header.resizeSection(c, fm.horizontalAdvance(sample) + 24)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(len(audit.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        # The selected row whole: a new record's 内容 is longer than any column.
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选中一行，在这里看它的全部内容")
        self.detail.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        lay.addWidget(self.detail)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it quotes paths and searches
        row.addWidget(self.status, 1)
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("把表中显示的行导出为 Excel 工作簿或 CSV 文件（导出本身也记入日志）")
        self.export_button.setEnabled(self.actor.may(access.EXPORT))
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        row.addWidget(self.export_button)
        row.addWidget(close)
        for b in (self.refresh_button, self.export_button, close):
            b.setAutoDefault(False)  # Enter in the search box presses nothing
        lay.addLayout(row)
        for combo in (self.user, self.action, self.register):
            combo.currentIndexChanged.connect(self.reload)
        self.by_date.toggled.connect(self.on_dates_toggled)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.on_dates_toggled(False, reload=False)
        self.search.textChanged.connect(self.model.set_search)
        self.model.filtered.connect(self._show_counts)
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.on_export)
        self.table.selectionModel().currentRowChanged.connect(self.on_current_changed)
        self.model.modelReset.connect(self.detail.clear)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self,
                  lambda: (self.search.setFocus(), self.search.selectAll()))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)

    def on_current_changed(self, current, _previous=None) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        texts = [self.model.text(current.row(), c) for c in range(len(audit.COLUMNS))]
        head = "　".join(t for t in texts[:5] if t)
        self.detail.setPlainText(f"{head}\n{texts[5]}")

    def refresh_users(self) -> None:
        """The 账号 choices: every name in the log (accounts, names tried at a failed
        sign-in, 系统), the choice kept."""
        names = audit.actors(self.db, self.actor)
        known = {self.user.itemData(i) for i in range(1, self.user.count())}
        self.user.blockSignals(True)
        for name in names:
            if name not in known:
                self.user.addItem(name, name)
        self.user.blockSignals(False)

    def _date_edit(self, day: dt.date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def on_dates_toggled(self, checked: bool, reload: bool = True) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
        if reload:
            self.reload()

    # -- filters -----------------------------------------------------------------------------
    def filters(self) -> dict:
        """The service's filters as chosen (``audit.read`` keyword arguments)."""
        out: dict = {"user": self.user.currentData(), "register": self.register.currentData(),
                     "actions": [self.action.currentData()] if self.action.currentData() else
                     None}
        if self.by_date.isChecked():
            out["since"] = self.date_from.date().toPython()
            out["until"] = self.date_to.date().toPython()
        return out

    def filters_text(self) -> str:
        """The filters in words (the export's heading and its audit row)."""
        parts = [f"{label}：{combo.currentText()}" for label, combo in
                 (("账号", self.user), ("操作", self.action), ("台账", self.register))
                 if combo.currentData()]
        if self.by_date.isChecked():
            parts.append(f"日期：{self.date_from.date().toPython()} 至 "
                         f"{self.date_to.date().toPython()}")
        if self.search.text().strip():
            parts.append(f"查找：{self.search.text().strip()}")
        return "；".join(parts)

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the log again with the current filters, in the background; a load still
        running is dropped (its filters are no longer the ones chosen)."""
        if self.task is not None and not self.task.finished:
            self.task.cancel()
        db, actor, filters = self.db, self.actor, self.filters()
        self.loading = True
        self.status.setText("正在读取操作日志…")

        def load(_task):
            rows = audit.read(db, actor, limit=LIMIT, **filters)
            titles = audit.record_titles(db, actor, rows)
            return rows, titles, [audit.row_texts(r, titles) for r in rows]
        self.task = run_task(load, owner=self, on_done=self._on_loaded,
                             on_error=self._on_load_failed)

    def _on_loaded(self, result) -> None:
        rows, self.titles, texts = result
        self.loading = False
        self.model.set_rows(rows, texts)
        self.loaded.emit(len(rows))

    def _on_load_failed(self, exc: Exception) -> None:
        self.loading = False
        self.status.setText("未能读取操作日志。")
        if isinstance(exc, access.PermissionDenied):
            QMessageBox.warning(self, "操作日志", str(exc))
        else:
            show_error(self, "操作日志", exc)

    def ensure_loaded(self, msecs: int = 30000) -> None:
        """Wait for the load in flight (tests, screenshots)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer
        deadline = QDeadlineTimer(msecs)
        while self.loading and not deadline.hasExpired():
            QCoreApplication.processEvents()

    def _show_counts(self, shown: int, total: int) -> None:
        text = f"共 {total:,} 条" if shown == total else f"显示 {shown:,} / 共 {total:,} 条"
        if total >= LIMIT:
            text += f"（只读取了最新的 {LIMIT:,} 条，可用账号、操作、台账或日期缩小范围）"
        self.status.setText(text + self.note)

    def on_data_changed(self, _changes=None) -> None:
        """A write elsewhere added rows to the log: show them if the viewer is open."""
        if self.isVisible():
            self.reload()

    # -- export ------------------------------------------------------------------------------
    def on_export(self, path: str | Path | None = None) -> None:
        """导出…: the rows shown (after the search) to .xlsx or .csv, in the background."""
        from ..excel.audit_log import export_audit
        if path is None:
            start = Path.home() / f"操作日志-{self.today:%Y%m%d}.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(
                self, "导出操作日志", str(start), "Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
            if not chosen:
                return
            path = chosen
        path = Path(path)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
        rows, titles, db = self.model.visible_rows(), self.titles, self.db
        what = self.filters_text()
        self.export_button.setEnabled(False)

        def done(n: int) -> None:
            self.export_button.setEnabled(True)
            self.note = f"　已导出 {n:,} 条到 {path}"
            self.status.setText(self.note.strip())
            self.exported.emit(str(path))
            self.reload()  # the export is in the log now

        def failed(exc: Exception) -> None:
            self.export_button.setEnabled(True)
            if isinstance(exc, (access.PermissionDenied, OSError)):
                QMessageBox.warning(self, "导出操作日志", f"未能导出：{exc}")
            else:
                show_error(self, "导出操作日志", exc)
        self.export_task = run_task(
            lambda _t: export_audit(db, path, rows, titles=titles, filters=what),
            owner=self, on_done=done, on_error=failed)


def show_audit_view(window) -> AuditView | None:
    """Open (or bring up) the viewer over the window's database; None, with a message, when
    the account may not read the log."""
    view = getattr(window, "audit_view", None)
    if view is not None and view.db is window.db:
        view.refresh_users()
        view.show()
        view.raise_()
        view.reload()
        return view
    try:
        view = AuditView(window, window.db, today=window.today)
    except access.PermissionDenied as exc:
        QMessageBox.warning(window, "操作日志", str(exc))
        return None
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    window.audit_view = view
    window.data_changed.connect(view.on_data_changed)
    view.show()
    return view
