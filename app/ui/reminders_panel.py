"""The reminders of one work area, as a small tree: one heading per kind with its count, one
line per item; activating a line opens the record it is about."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate, QTreeWidget, QTreeWidgetItem

from ..services import reminders
from .staleness import ReloadWhenShown

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
#: (register, ids, title) of a heading or a line that stands for several rows.
ROWS_ROLE = Qt.ItemDataRole.UserRole + 2
#: Lines shown per heading; the rest are summarised (the registers hold them all).
MAX_LINES = 50


class _WrapDelegate(QStyledItemDelegate):
    """Row heights for wrapped text: QTreeView does not give the delegate the column width,
    so compute the height for the width actually available at the item's depth."""

    def sizeHint(self, option, index) -> QSize:
        view = self.parent()
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = max(60, view.viewport().width() - view.indentation() * (depth + 1) - 8)
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10000),
                                               int(Qt.TextFlag.TextWordWrap),
                                               index.data() or "")
        return QSize(width, rect.height() + 6)


class RemindersPanel(ReloadWhenShown, QTreeWidget):
    """Reminders for ``area``.

    Signals:
        reminder_activated(str, int): register key and record id of the activated line.
        rows_requested(str, object, str): register key, record ids and a title: a heading
            (or a line about several rows) was activated — show the rows behind it.
    """

    reminder_activated = Signal(str, int)
    rows_requested = Signal(str, object, str)

    def __init__(self, db, area: str, parent=None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db, self.area = db, area
        self.today = today
        self.groups: list[reminders.ReminderGroup] = []
        self.setHeaderLabels(["提醒"])
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        # Long lines wrap inside the narrow side column instead of being cut off.
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setUniformRowHeights(False)
        self.header().setStretchLastSection(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(_WrapDelegate(self))
        self.itemActivated.connect(self._on_activated)
        self.stale = True

    def reload(self) -> None:
        self.stale = False
        today = self.today or dt.date.today()
        self.groups = reminders.area_reminders(self.db, self.area, today)
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for g in self.groups:
            head = QTreeWidgetItem([f"{g.title}（{len(g.items)}）"])
            head.setFont(0, bold)
            if g.register and g.rows:
                head.setData(0, ROWS_ROLE, (g.register, g.rows, g.title))
                head.setToolTip(0, f"双击在表中列出这 {len(g.rows)} 条记录")
            if g.items and g.kind in ("behind", "overdue", "not_reported", "birthdays", "probation",
                                      "revisit", "petition_due", "salons"):
                head.setForeground(0, QBrush(QColor("#b03a2e")))
            for r in g.items[:MAX_LINES]:
                item = QTreeWidgetItem([r.text])
                item.setToolTip(0, r.text)
                item.setData(0, TARGET_ROLE, (r.register, r.record_id))
                if r.record_id is None and r.ids:
                    item.setData(0, ROWS_ROLE, (r.register, r.ids, r.text))
                head.addChild(item)
            if len(g.items) > MAX_LINES:
                head.addChild(QTreeWidgetItem([f"…另有 {len(g.items) - MAX_LINES} 条"]))
            self.addTopLevelItem(head)
            # Open the short lists; long ones stay folded so every heading stays in view.
            head.setExpanded(0 < len(g.items) <= 8)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped heights depend on the width


    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        rows = item.data(0, ROWS_ROLE)
        if rows:
            self.rows_requested.emit(rows[0], tuple(rows[1]), rows[2])
            return
        target = item.data(0, TARGET_ROLE)
        if target and target[1] is not None:
            self.reminder_activated.emit(target[0], target[1])
