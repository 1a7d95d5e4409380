"""Excel export dialogs and the entry points the main window calls.

Entry points (all modal, all return after the work is done or cancelled):

``export_register(parent, db, key, rows) -> Path | None``
    Export register ``key``; ``rows`` are the rows the view shows (its current filter), or
    None for every live row.  Returns the file written.
``export_all(parent, db) -> Path | None``
    Every register as one workbook, one sheet each.
``run_import_wizard(parent, db, key=None, actor="…") -> bool``
    The import wizard (:mod:`app.ui.import_wizard`); True when data changed.
``show_import_history(parent, db, actor) -> bool``
    Past imports with "撤销"; True when an undo changed data.
``run_consolidation(parent, db, key) -> None``
    Several community workbooks of register ``key`` → one district view workbook.

The writing runs in the background-task pool (:mod:`app.ui.tasks`); widgets are touched only on
the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QProgressBar,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ..excel import writer
from ..excel.plan import STATUS_LABELS, Plan
from ..services.changes import Changes
from ..services.imports import UndoRefused, list_batches, undo_batch
from ..registry import get as get_register
from .tasks import run_task
from .sizing import fit_size


STATUS_COLORS = {"new": "#E2F0D9", "update": "#DDEBF7", "conflict": "#FCE4D6",
                 "invalid": "#F8CBAD", "skipped": "#EDEDED", "unchanged": "#FFFFFF"}


class Busy(QWidget):
    """A progress bar with a 取消 button; ``cancelled`` is read by the worker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.on_cancel)
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.cancel_button)
        self.flag = threading.Event()
        self.hide()

    def start(self) -> None:
        self.flag.clear()
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def on_progress(self, done: int, total: int, _text: str = "") -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def on_cancel(self) -> None:
        self.flag.set()
        self.cancel_button.setEnabled(False)

    def progress_fn(self, task):
        """A ``progress(done, total)`` for the worker: reports and says whether to go on."""
        def progress(done: int, total: int) -> bool:
            task.report(done, total, "")
            return not self.flag.is_set()
        return progress


class PlanModel(QAbstractTableModel):
    """The plan rows (filtered by status) for the preview table."""

    HEADERS = ("工作表", "行号", "结果", "姓名/名称", "内容")

    def __init__(self, plan: Plan | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.rows = list(plan.rows) if plan else []

    def set_filter(self, status: str | None) -> None:
        self.beginResetModel()
        self.rows = [r for r in (self.plan.rows if self.plan else [])
                     if status is None or r.status == status]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return r.sheet
            if col == 1:
                return r.row
            if col == 2:
                return STATUS_LABELS[r.status]
            if col == 3:
                return row_name(r)
            return summary(r)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATUS_COLORS[r.status]))
        return None


def row_name(r) -> str:
    """Who or what a plan row is about, from its own cells: a person's name, else the first
    name-like cell (名称, 标题, 案件编号 …)."""
    cells = r.cells or {}
    for key in sorted(cells, key=lambda k: (not k.endswith("_name") and k != "name", k)):
        v = cells[key]
        if isinstance(v, str) and v and (key.endswith("name") or key in
                                          ("title", "case_no", "matter", "label")):
            return v
    return ""


def summary(r) -> str:
    if r.status in ("invalid", "conflict", "skipped") and r.messages:
        return r.messages[0].split("：", 1)[-1]
    if r.status == "unchanged":
        return "与程序中的记录相同，不修改"  # said, so the empty cell does not look broken
    parts = [f"{c.label}：{c.before or '（空）'} → {c.after or '（空）'}" for c in r.changes[:4]]
    return "；".join(parts) + ("…" if len(r.changes) > 4 else "")


def details(r) -> str:
    lines = [f"「{r.sheet}」第 {r.row} 行：{STATUS_LABELS[r.status]}"]
    lines += [f"  {c.label}：{c.before or '（空）'} → {c.after or '（空）'}" for c in r.changes]
    lines += [f"  {m}" for m in r.messages]
    return "\n".join(lines)


def documents_dir() -> Path:
    """Where a file is offered to be saved: the user's 文档 folder (on Windows the home folder
    is not where anyone looks for a workbook), else the home folder."""
    from PySide6.QtCore import QStandardPaths
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def default_file_name(key: str | None, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    label = get_register(key).label if key else "全部台账"
    return f"{label}-{today:%Y%m%d}.xlsx"


class ExportDialog(QDialog):
    """Choose a file (and masking), then write it in the background.

    ``key`` None exports every register.  After a successful export ``written`` is the path.
    """

    def __init__(self, parent: QWidget | None, db, key: str | None,
                 rows: list[dict] | None = None, start_dir: Path | None = None,
                 columns: list[str] | None = None) -> None:
        super().__init__(parent)
        self.db, self.key, self.rows = db, key, rows
        self.columns = columns  # the columns the table shows, in its order (None: all)
        self.written: Path | None = None
        self.error: str | None = None
        self._task = None
        what = get_register(key).label if key else "全部台账"
        count = f"（{len(rows)} 行，按当前筛选）" if rows is not None else ""
        if columns is not None:
            count += f"，表中显示的 {len(columns)} 列"
        self.setWindowTitle(f"导出 Excel：{what}")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"导出“{what}”{count}为 Excel 工作簿。导出的文件改好后可再导入，"
                             "系统按“系统编号”更新原记录，不会重复。"))
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str((start_dir or documents_dir()) / default_file_name(key)))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.on_browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        self.mask_box = QCheckBox("身份证号脱敏（只留前 6 位和后 4 位；脱敏文件不能再导入）")
        lay.addWidget(self.mask_box)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        lay.addWidget(self.progress)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        fit_size(self, 560, 160)

    def on_browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "导出到", self.path_edit.text(),
                                                "Excel 工作簿 (*.xlsx)")
        if chosen:
            self.path_edit.setText(chosen if chosen.lower().endswith(".xlsx")
                                   else chosen + ".xlsx")

    def start(self) -> None:
        """Write the workbook in the background; the dialog closes when it is done."""
        path = Path(self.path_edit.text().strip())
        if not path.name:
            QMessageBox.warning(self, "导出", "请先选择要保存的文件。")
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        mask = self.mask_box.isChecked()
        db, key, rows, columns = self.db, self.key, self.rows, self.columns
        self.buttons.setEnabled(False)
        self.progress.show()

        def work(task):
            if key is None:
                return writer.export_all(db, path, mask=mask)
            return writer.export_register(db, key, path, rows=rows, mask=mask,
                                          columns=columns)
        self._task = run_task(work, owner=self, on_done=self.on_done, on_error=self.on_error)

    def on_done(self, result) -> None:
        self.written = result.path
        self.progress.hide()
        QMessageBox.information(self, "导出完成",
                                f"已导出 {result.rows:,} 行到\n{result.path}"
                                + ("\n（身份证号已脱敏，此文件不能再导入）" if result.masked else ""))
        self.accept()

    def on_error(self, exc: Exception) -> None:
        self.error = str(exc)
        self.progress.hide()
        self.buttons.setEnabled(True)
        QMessageBox.warning(self, "导出失败", f"无法写入文件：{exc}\n请换一个位置或文件名再试"
                            "（文件在 WPS/Excel 中打开时不能覆盖）。")


def export_register(parent: QWidget | None, db, key: str, rows: list[dict] | None = None,
                    columns: list[str] | None = None) -> Path | None:
    dlg = ExportDialog(parent, db, key, rows, columns=columns)
    dlg.exec()
    return dlg.written


def export_all(parent: QWidget | None, db) -> Path | None:
    dlg = ExportDialog(parent, db, None)
    dlg.exec()
    return dlg.written


def export_to_template(parent: QWidget | None, db, key: str, rows: list[dict] | None = None,
                       *, template: Path | None = None, out: Path | None = None):
    """按区里模板导出: pick the district's workbook and where to save; the rows on screen are
    written into a copy of it in the background.  Returns the task (None if cancelled)."""
    from ..excel.template import fill_template
    if template is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "选择区里发来的工作簿（作为模板）",
                                                str(documents_dir()), "Excel 工作簿 (*.xlsx)")
        if not chosen:
            return None
        template = Path(chosen)
    if out is None:
        start = template.with_name(template.stem + "-填报.xlsx")
        chosen, _ = QFileDialog.getSaveFileName(parent, "另存为", str(start),
                                                "Excel 工作簿 (*.xlsx)")
        if not chosen:
            return None
        out = Path(chosen)

    def done(res) -> None:
        QMessageBox.information(parent, "按区里模板导出",
                                f"已按“{template.name}”的格式导出 {res.rows:,} 行到\n{res.path}\n"
                                f"填入的列：{'、'.join(res.columns)}")

    def failed(exc: Exception) -> None:
        QMessageBox.warning(parent, "按区里模板导出", f"未能导出：{exc}")
    return run_task(lambda _t: fill_template(db, key, template, out, rows=rows),
                    owner=parent, on_done=done, on_error=failed)


def run_import_wizard(parent: QWidget | None, db, key: str | None = None,
                      actor=None, today=None):
    """Run the import wizard; returns the Changes of what it wrote (None if nothing).
    ``today``: the day rows are judged on (None: the clock)."""
    from .import_wizard import ImportWizard
    wiz = ImportWizard(parent, db, key, actor or db.actor, today=today)
    wiz.exec()
    return wiz.result.changes if wiz.changed and wiz.result is not None else None


class ConsolidateDialog(QDialog):
    """Many community workbooks of one register → one district view (a workbook), each row
    with its source file, duplicates across files reported.  Nothing is imported."""

    def __init__(self, parent: QWidget | None, db, key: str) -> None:
        super().__init__(parent)
        self.db, self.key = db, key
        self.files: list[Path] = []
        self.outcome = None
        self.setWindowTitle(f"汇总各社区的“{get_register(key).label}”")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("选择各社区报来的同一台账工作簿，汇总成一张表（不写入数据库），"
                             "每行注明来源文件，并列出跨文件重复的记录。"))
        self.file_list = QTableWidget(0, 1)
        self.file_list.setHorizontalHeaderLabels(("文件",))
        self.file_list.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.file_list)
        row = QHBoxLayout()
        add = QPushButton("添加文件…")
        add.clicked.connect(self.on_add)
        row.addWidget(add)
        row.addStretch(1)
        lay.addLayout(row)
        out_row = QHBoxLayout()
        out_row.addWidget(QLabel("汇总表保存为"))
        self.out_edit = QLineEdit(str(documents_dir() / f"{get_register(key).label}-汇总.xlsx"))
        out_row.addWidget(self.out_edit, 1)
        lay.addLayout(out_row)
        self.busy = Busy()
        lay.addWidget(self.busy)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        lay.addWidget(self.report)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("汇总")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        fit_size(self, 720, 520)

    def on_add(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, "选择工作簿", "", "Excel 工作簿 (*.xlsx)")
        self.add_files([Path(c) for c in chosen])

    def add_files(self, paths: list[Path]) -> None:
        for p in paths:
            if p not in self.files:
                self.files.append(p)
                r = self.file_list.rowCount()
                self.file_list.insertRow(r)
                self.file_list.setItem(r, 0, QTableWidgetItem(str(p)))

    def start(self) -> None:
        if not self.files:
            QMessageBox.information(self, "汇总", "请先添加要汇总的工作簿。")
            return
        from ..excel.consolidate import consolidate
        db, key, files, out = self.db, self.key, list(self.files), Path(self.out_edit.text())
        self.buttons.setEnabled(False)
        self.busy.start()
        run_task(lambda task: consolidate(db, key, files, out), owner=self,
                 on_done=self.on_done, on_error=self.on_error)

    def on_done(self, res) -> None:
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.outcome = res
        lines = [f"已汇总 {res.rows} 行到 {self.out_edit.text()}"]
        lines += [f"  {name}：{n} 行" for name, n in res.per_file.items()]
        lines += [f"重复：{d}" for d in res.duplicates] + [f"问题：{m}" for m in res.problems]
        self.report.setPlainText("\n".join(lines))

    def on_error(self, exc: Exception) -> None:
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.report.setPlainText(f"无法汇总：{exc}")


def run_consolidation(parent: QWidget | None, db, key: str) -> None:
    ConsolidateDialog(parent, db, key).exec()


class HistoryDialog(QDialog):
    """Past imports, newest first, with 撤销 for the selected one."""

    COLUMNS = ("编号", "时间", "台账", "文件", "新增", "更新", "操作人", "状态")

    def __init__(self, parent: QWidget | None, db, actor) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor or db.actor
        self.changed = False
        self.changes = Changes()
        self.setWindowTitle("导入记录与撤销")  # as the menu item that opens it
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        lay.addWidget(self.table)
        # Said in words when there is nothing yet (an empty grid looks broken).
        self.empty_note = QLabel("还没有导入过 Excel。用“文件 → 导入 Excel…”导入后，每次导入都会"
                                 "记在这里，并可整批撤销。")
        self.empty_note.setWordWrap(True)
        lay.addWidget(self.empty_note)
        row = QHBoxLayout()
        self.undo_button = QPushButton("撤销所选导入")
        self.undo_button.clicked.connect(self.on_undo)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        row.addWidget(close)
        lay.addLayout(row)
        fit_size(self, 820, 420)
        self.reload()

    def reload(self) -> None:
        self.batches = list_batches(self.db)
        self.table.setRowCount(len(self.batches))
        for r, b in enumerate(self.batches):
            state = "已撤销" if b["undone_at"] else ""
            values = (str(b["id"]), f"{b['at']:%Y-%m-%d %H:%M}", get_register(b["register"]).label,
                      b["file_name"], str(b["counts"].get("new", 0)),
                      str(b["counts"].get("update", 0)), b["actor"], state)
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("中中中") + 12)
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(self.COLUMNS.index("文件"), QHeaderView.ResizeMode.Stretch)
        self.empty_note.setVisible(not self.batches)
        self.undo_button.setEnabled(bool(self.batches))

    def on_undo(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            QMessageBox.information(self, "撤销导入", "请先选择一次导入。")
            return
        b = self.batches[row]
        if QMessageBox.question(self, "撤销导入",
                                f"撤销第 {b['id']} 次导入（{b['file_name']}）？\n新增的记录将删除，"
                                "更新的记录恢复为导入前的内容。") != QMessageBox.StandardButton.Yes:
            return
        try:
            undone = undo_batch(self.db, b["id"], self.actor)
        except UndoRefused as exc:
            QMessageBox.warning(self, "无法撤销", str(exc))
            return
        n = undone.count
        self.changes.merge(undone.changes)
        self.changed = True
        QMessageBox.information(self, "撤销导入", f"已撤销：恢复或移除了 {n} 条记录。")
        self.reload()


def show_import_history(parent: QWidget | None, db, actor=None):
    """The history dialog; returns the Changes of the undos done there (None if none)."""
    dlg = HistoryDialog(parent, db, actor)
    dlg.exec()
    return dlg.changes if dlg.changed else None


__all__ = ["export_register", "export_all", "run_import_wizard", "show_import_history",
           "run_consolidation", "ConsolidateDialog",
           "ExportDialog", "HistoryDialog", "Busy", "PlanModel"]
