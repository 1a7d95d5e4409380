"""编辑 → 回收站: the deleted records of every register, and 恢复 for a selection.

The list comes from :func:`app.services.recycle.deleted_rows` (the signed-in account's 社区
scope applies), the restore goes through :func:`app.services.recycle.restore` — the records
service's restore, all selected rows in one transaction — and its Changes are announced
(``restored``) so that the window's views refresh what came back.  Only roles that may
write can restore; a refusal (a unique value now used by a live record …) is shown in the
service's words and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QVBoxLayout, QWidget)

from ..registry import REGISTERS
from ..services import access, recycle
from ..services.errors import NotFound, StaleRecord, ValidationError
from .sizing import fit_size
from .tasks import run_write, show_error
from .text_list import TextListDialog

log = logging.getLogger(__name__)

COLUMNS = ("台账", "记录", "编号", "删除时间", "删除人", "删除原因")
#: What a refusal of the services looks like: shown in their words, nothing changed.
REFUSALS = (ValidationError, StaleRecord, NotFound, access.PermissionDenied)


def row_texts(row: dict) -> tuple[str, ...]:
    at = row.get("deleted_at")
    return (row["label"], row["title"], str(row["id"]),
            f"{at:%Y-%m-%d %H:%M}" if isinstance(at, dt.datetime) else str(at or ""),
            row.get("deleted_by") or "", row.get("deleted_reason") or "")


class RecycleBin(TextListDialog):
    """Deleted records, newest deletion first (not modal).

    Signals:
        restored(object): the Changes of a restore (the window re-announces them).
        loaded(int): rows loaded by the last query.
    """

    restored = Signal(object)
    what = "回收站"

    def __init__(self, parent: QWidget | None, db) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = access.require(db.actor, access.READ)
        self.write_task = None
        self.setWindowTitle("回收站")
        self._build()
        fit_size(self, 980, 600)
        self.reload()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        note = QLabel("删除的记录都保留在这里，可随时恢复。恢复后记录回到原来的台账。")
        note.setWordWrap(True)
        lay.addWidget(note)
        row = QHBoxLayout()
        self.register = QComboBox()
        self.register.addItem("全部台账", None)
        for reg in REGISTERS:
            self.register.addItem(reg.label, reg.key)
        self.register.setMaxVisibleItems(20)
        row.addWidget(QLabel("台账"))
        row.addWidget(self.register)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：记录名称、删除人、原因（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.search, 1)
        lay.addLayout(row)
        lay.addWidget(self.make_table(COLUMNS, ("新时代文明实践阵地", "某某某某社区某某", "123456",
                                                "2026-11-25 08:00", "演示数据演示"),
                                      several=True), 1)
        row = self.make_status_row()
        self.restore_button = QPushButton("恢复所选")
        self.may_write = self.actor.may(access.WRITE)
        self.restore_button.setToolTip(
            "把选中的记录恢复到原来的台账" if self.may_write
            else f"{self.actor.role}不能恢复记录（需要录入员或管理员）")
        refresh = QPushButton("刷新")
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        for b in (self.restore_button, refresh, close):
            # Enter in the search box must not press a button (恢复所选 least of all).
            b.setAutoDefault(False)
            row.addWidget(b)
        lay.addLayout(row)
        self.register.currentIndexChanged.connect(self.reload)
        self.search.textChanged.connect(self.model.set_search)
        self.model.filtered.connect(self._show_counts)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.restore_button.clicked.connect(self.on_restore)
        self.table.doubleClicked.connect(lambda _i: self.on_restore())
        refresh.clicked.connect(self.reload)
        self.add_shortcuts(self.search)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        key = self.register.currentData()
        db = self.db
        self.load(lambda _t: recycle.deleted_rows(db, [key] if key else None), self._on_loaded)

    def _on_loaded(self, rows: list[dict]) -> None:
        self.model.set_rows(rows, [row_texts(r) for r in rows])
        self.loaded.emit(len(rows))

    def busy(self) -> bool:
        """A load or a restore in flight."""
        return self.loading or (self.write_task is not None and not self.write_task.finished)

    def _show_counts(self, shown: int, total: int) -> None:
        if not total:
            text = ("回收站是空的。" if self.register.currentData() is None
                    else f"没有删除的{self.register.currentText()}记录。")
        else:
            text = (f"共 {total:,} 条已删除的记录。" if shown == total
                    else f"显示 {shown:,} / 共 {total:,} 条已删除的记录。")
        self.status.setText(text + self.note)

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.may_write and bool(self.selected_rows()))

    def selected_rows(self) -> list[dict]:
        return [self.model.row_at(i.row())
                for i in self.table.selectionModel().selectedRows()]

    def on_data_changed(self, changes=None) -> None:
        """Something was written elsewhere (a delete adds a row here): list again."""
        if self.isVisible():
            self.reload()

    # -- restore -----------------------------------------------------------------------------
    def on_restore(self) -> None:
        rows = self.selected_rows()
        if not rows or not self.may_write:
            return
        items = [(r["register"], r["id"], r.get("version")) for r in rows]
        db, actor = self.db, self.db.actor

        def done(changes) -> None:
            self.note = f"　已恢复 {len(rows)} 条记录，已回到原来的台账。"
            self.restored.emit(changes)
            self.reload()

        def refused(exc: Exception) -> None:
            if isinstance(exc, REFUSALS):
                QMessageBox.warning(self, "不能恢复", str(exc))
            else:
                show_error(self, "不能恢复", exc)
            self.reload()  # someone may have restored or changed it meanwhile
        self.note = ""
        self.restore_button.setEnabled(False)
        self.write_task = run_write(lambda _t: recycle.restore(db, items, actor), owner=self,
                                    on_done=done, on_error=refused)


def show_recycle_bin(window) -> RecycleBin | None:
    """Open (or bring up) the 回收站 over the window's database."""
    bin_ = getattr(window, "recycle_bin", None)
    if bin_ is not None and bin_.db is window.db:
        bin_.show()
        bin_.raise_()
        bin_.reload()
        return bin_
    try:
        bin_ = RecycleBin(window, window.db)
    except access.PermissionDenied as exc:
        QMessageBox.warning(window, "回收站", str(exc))
        return None
    window.recycle_bin = bin_
    bin_.restored.connect(window.data_changed)
    window.data_changed.connect(bin_.on_data_changed)
    bin_.show()
    return bin_
