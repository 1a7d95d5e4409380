"""工具 → 操作日志: who did what and when, filtered by account, action, register and dates,
searched by any text, and exported as it is shown.

Everything is read through :func:`app.services.audit.read` (administrators only: the service
refuses anyone else, and the window disables the menu item for them; an administrator limited
to some 社区 reads only the rows within them).  The log is read off the GUI thread: it may hold
hundreds of thousands of rows, of which the newest :data:`LIMIT` that pass the filters are
shown.  The search is one of those filters, in the query, so it finds old rows too; it runs
when typing pauses (:data:`SEARCH_DELAY_MS`) or on Enter.  身份证号 and phones are masked in the
log itself, so nothing here shows (or finds) a full number.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QFileDialog, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ..registry import REGISTERS
from ..services import access, audit
from .sizing import fit_size
from .tasks import run_task, show_error
from .text_list import TextListDialog

log = logging.getLogger(__name__)

#: The newest rows read at most: a filter narrows what they are.
LIMIT = 5000
ALL = "全部"
#: The search runs once typing has paused this long (each search is a query).
SEARCH_DELAY_MS = 400


class AuditView(TextListDialog):
    """The audit log viewer (not modal: it stays open beside the window).

    Signals:
        loaded(int): rows loaded by the last query (after every load).
        exported(str): the file an export wrote.
    """

    exported = Signal(str)
    what = "操作日志"

    def __init__(self, parent: QWidget | None, db, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = access.require(db.actor, access.AUDIT)
        self.today = today or dt.date.today()
        self.titles: dict = {}
        self.export_task = None
        #: The search the rows shown were read with.
        self.searched = ""
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
        self.search.setPlaceholderText("在整个日志中查找：账号、操作、台账、记录、内容中的文字（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.search, 1)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setToolTip("重新读取操作日志（F5）")
        row.addWidget(self.refresh_button)
        lay.addLayout(row)
        # 时间 … 记录 sized for their usual text; 内容 takes the rest.
        lay.addWidget(self.make_table(audit.COLUMNS, (
            "2026-11-25 08:00:00", "演示数据演示", "查看完整号码", "新时代文明实践",
            "悦澜华府2栋党小组（编号 12345）")), 1)
        self.table.horizontalHeader().setStretchLastSection(True)
        # The selected row whole: a new record's 内容 is longer than any column.
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选中一行，在这里看它的全部内容")
        self.detail.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        lay.addWidget(self.detail)
        row = self.make_status_row()
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
        # The search is part of the query: typing reads the log again once it pauses.
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self.on_search_edited)
        self.search.returnPressed.connect(self.reload)
        self.model.filtered.connect(self._show_counts)
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.on_export)
        self.table.selectionModel().currentRowChanged.connect(self.on_current_changed)
        self.model.modelReset.connect(self.detail.clear)
        self.add_shortcuts(self.search)

    def on_search_edited(self, text: str) -> None:
        """Read again with the new words once typing pauses (unless they mean the same)."""
        if audit.search_terms(text) == audit.search_terms(self.searched) and \
                not self.search_timer.isActive():
            return
        self.search_timer.start()

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
                     None, "search": self.search.text().strip() or None}
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
        """Read the log again with the current filters (the search too), in the background;
        a load still running is dropped (its filters are no longer the ones chosen)."""
        self.search_timer.stop()
        db, actor, filters = self.db, self.actor, self.filters()
        searched = filters["search"] or ""

        def load(_task):
            rows = audit.read(db, actor, limit=LIMIT, **filters)
            titles = audit.record_titles(db, actor, rows)
            return rows, titles, [audit.row_texts(r, titles) for r in rows], searched
        self.load(load, self._on_loaded, "正在读取操作日志…")

    def _on_loaded(self, result) -> None:
        rows, self.titles, texts, self.searched = result
        self.model.set_rows(rows, texts)
        self.loaded.emit(len(rows))

    def busy(self) -> bool:
        """A load in flight, or one about to start (the search typed)."""
        return self.loading or self.search_timer.isActive()

    def _show_counts(self, shown: int, total: int) -> None:
        text = f"共 {total:,} 条" if not self.searched else \
            f"找到 {total:,} 条含“{self.searched}”的记录"
        if total >= LIMIT:
            text += f"（只读取了最新的 {LIMIT:,} 条，可用账号、操作、台账、日期或查找缩小范围）"
        self.status.setText(text + self.note)

    def on_data_changed(self, _changes=None) -> None:
        """A write elsewhere added rows to the log: show them if the viewer is open."""
        if self.isVisible():
            self.reload()

    # -- export ------------------------------------------------------------------------------
    def on_export(self, path: str | Path | None = None) -> None:
        """导出…: the rows shown (those the filters and the search found) to .xlsx or .csv,
        in the background."""
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
