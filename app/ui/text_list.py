"""What the list windows that are not a register (工具 → 操作日志, 编辑 → 回收站) share: a
read-only table of texts (:class:`~app.ui.text_table.TextTableModel`), a status line under it,
loading in the background with a Chinese message when it fails, and Ctrl+F / F5.
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMessageBox, QTableView, QWidget)

from ..services import access
from .tasks import run_task, show_error
from .text_table import TextTableModel


class TextListDialog(QDialog):
    """A window around one :class:`TextTableModel` (not modal).  Subclasses build their
    layout with :meth:`make_table` and :meth:`make_status_row` and load with :meth:`load`.

    Signals:
        loaded(int): rows loaded by the last query (after every load).
    """

    loaded = Signal(int)

    #: The window's name, as its messages say it (操作日志, 回收站).
    what = ""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.task = None
        self.loading = False
        #: What the last action did, said after the counts until the next one.
        self.note = ""

    # -- layout ------------------------------------------------------------------------------
    def make_table(self, headers: Sequence[str], samples: Sequence[str], *,
                   several: bool = False) -> QTableView:
        """``self.model`` and ``self.table``: rows selected whole (``several``: more than one
        at a time), nothing edited, the first columns sized for ``samples``, the last one
        taking the rest."""
        self.model = TextTableModel(headers, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        if several:
            self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        fm = self.fontMetrics()
        for c, sample in enumerate(samples):
            header.resizeSection(c, fm.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        return self.table

    def make_status_row(self) -> QHBoxLayout:
        """A row holding ``self.status`` (plain text: it quotes paths and searches); the
        caller adds its buttons after it."""
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.status, 1)
        return row

    def add_shortcuts(self, search: QLineEdit) -> None:
        """Ctrl+F into ``search``, F5 reads again."""
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self,
                  lambda: (search.setFocus(), search.selectAll()))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        raise NotImplementedError

    def load(self, work: Callable, on_done: Callable, text: str = "正在读取…") -> None:
        """Run ``work(task)`` in the background, then ``on_done(result)``; a load still
        running is dropped (what it reads is no longer what is asked)."""
        if self.task is not None and not self.task.finished:
            self.task.cancel()
        self.loading = True
        self.status.setText(text)

        def done(result) -> None:
            self.loading = False
            on_done(result)
        self.task = run_task(work, owner=self, on_done=done, on_error=self._on_load_failed)

    def _on_load_failed(self, exc: Exception) -> None:
        self.loading = False
        self.status.setText(f"未能读取{self.what}。")
        if isinstance(exc, access.PermissionDenied):
            QMessageBox.warning(self, self.what, str(exc))
        else:
            show_error(self, self.what, exc)

    def busy(self) -> bool:
        """Something is still to arrive (a load in flight)."""
        return self.loading

    def ensure_loaded(self, msecs: int = 30000) -> None:
        """Wait for what is in flight (tests, screenshots)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer
        deadline = QDeadlineTimer(msecs)
        while self.busy() and not deadline.hasExpired():
            QCoreApplication.processEvents()
