"""One work-area tab: its registers in a side list (with the area's reminders below it) and the
selected register on the right.  Register views are created when first opened."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QLabel, QListWidget, QListWidgetItem, QSplitter, QStackedWidget,
                               QVBoxLayout, QWidget)

from ..registry import by_area
from ..registry.base import AREA_LABELS
from .org_tree import OrgTreePanel
from .register_view import RegisterView, referenced_keys
from .reminders_panel import RemindersPanel

#: The side-list entry of the party organisation tree.
ORG_TREE = "org_tree"
#: Areas whose reminders panel has something to show.
AREAS_WITH_REMINDERS = ("party", "autonomy", "law", "virtue", "service", "cadre")


class AreaTab(QWidget):
    """The registers of one area.

    Signals:
        records_changed(object): a write here; the Changes say which registers and ids.
        counts_changed(int, int): rows shown / loaded of the current register.
    """

    records_changed = Signal(object)
    counts_changed = Signal(int, int)

    def __init__(self, db, area: str, parent=None, *, mask_ids: bool = True,
                 today=None, settings=None) -> None:
        super().__init__(parent)
        self.db, self.area, self.mask_ids = db, area, mask_ids
        self.settings = settings  # handed to the views (remembered filter choices)
        self.today = today        # the day forms and workflow steps default to (None: the clock)
        self.title = AREA_LABELS[area]
        self.registers = by_area(area)
        #: The register shown as a tree with its members beside it (党组织 → 党员), if any.
        self.tree_reg = next((r for r in self.registers if r.members), None)
        self.keys: list[str] = ([ORG_TREE] if self.tree_reg else []) + [
            r.key for r in self.registers]
        self.pages: dict[str, QWidget] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        # The side column: the register list (as tall as its entries), then the reminders
        # taking the rest of the height (or empty space in areas without reminders).
        side = QWidget(split)
        slay = QVBoxLayout(side)
        slay.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(side)
        slay.addWidget(self.list)
        self.list.setObjectName(f"registers_{area}")
        for key in self.keys:
            label = "党组织架构" if key == ORG_TREE else next(
                r.label for r in self.registers if r.key == key)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.list.addItem(item)
        self.reminders: RemindersPanel | None = None
        if area in AREAS_WITH_REMINDERS:
            slay.addWidget(QLabel("提醒", side))
            self.reminders = RemindersPanel(db, area, side, today=today)
            self.reminders.reminder_activated.connect(self.open_record)
            self.reminders.rows_requested.connect(self.open_rows)
            slay.addWidget(self.reminders, 1)
        else:
            slay.addStretch(1)
        self.stack = QStackedWidget(split)
        em = self.fontMetrics().horizontalAdvance("中")
        split.setStretchFactor(1, 1)
        split.setSizes([em * 21, em * 80])
        row_h = self.list.sizeHintForRow(0) if self.list.count() else em * 2
        self.list.setFixedHeight(row_h * len(self.keys) + 2 * self.list.frameWidth() + 4)
        lay.addWidget(split)
        self.list.currentRowChanged.connect(self._show_row)
        # Enter on a register in the list moves into its table (keyboard-only use).
        self.list.itemActivated.connect(lambda _item: self.stack.currentWidget().setFocus())

    # -- pages -------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The widget of a side-list entry, created on first use."""
        if key not in self.pages:
            if key == ORG_TREE:
                w = OrgTreePanel(self.db, self.tree_reg, self, mask_ids=self.mask_ids,
                                 settings=self.settings, today=self.today)
                w.records_changed.connect(self.records_changed)
                w.members.counts_changed.connect(self.counts_changed)
            else:
                reg = next(r for r in self.registers if r.key == key)
                w = RegisterView(self.db, reg, self, mask_ids=self.mask_ids,
                                 settings=self.settings, today=self.today)
                w.records_changed.connect(self.records_changed)
                w.counts_changed.connect(self.counts_changed)
            self.pages[key] = w
            self.stack.addWidget(w)
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.keys):
            w = self.page(self.keys[row])
            self.stack.setCurrentWidget(w)
            view = self.current_view()
            if view is not None and not view.loading and not view.stale:
                self.counts_changed.emit(view.model.rowCount(), view.model.total)

    def open_register(self, key: str) -> QWidget:
        self.list.setCurrentRow(self.keys.index(key))
        return self.pages[key]

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current_view(self) -> RegisterView | None:
        """The register table the record actions apply to."""
        w = self.stack.currentWidget()
        if isinstance(w, OrgTreePanel):
            return w.members
        return w if isinstance(w, RegisterView) else None

    def open_record(self, key: str, record_id: int) -> None:
        """Show a record named by a reminder (an organisation opens in the tree)."""
        if self.tree_reg is not None and key == self.tree_reg.key:
            panel = self.open_register(ORG_TREE)
            if panel.stale:
                panel.reload()
            panel.select_org(record_id)
            return
        if key in self.keys:
            view = self.open_register(key)
            view.select_record(record_id)
            view.table.setFocus()

    def open_rows(self, key: str, ids, title: str) -> None:
        """Show the rows behind a reminder heading (every 预备党员 due for 转正, every
        branch behind its 三会一课) in the register's own table, and only those."""
        if key not in self.keys:
            return
        view = self.open_register(key)
        view.show_only(tuple(ids), title)
        view.table.setFocus()

    # -- refreshing --------------------------------------------------------------------------
    def refresh_for(self, keys: set[str]) -> None:
        """Data of ``keys`` changed somewhere: reload what shows it (now if visible)."""
        for key, w in self.pages.items():
            if key == ORG_TREE:
                if keys & w.shows:
                    w.mark_stale()
                    w.members.mark_stale()
            elif referenced_keys(w.reg) & keys:
                w.mark_stale()
        if self.reminders is not None:
            self.reminders.mark_stale()

    def set_mask_ids(self, mask: bool) -> None:
        self.mask_ids = mask
        for w in self.pages.values():
            (w.members if isinstance(w, OrgTreePanel) else w).set_mask_ids(mask)
