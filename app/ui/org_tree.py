"""党组织架构: the organisation tree (党委 → 支部 → 党小组) with member counts, and the members of
the selected organisation (and those below it) beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHeaderView, QLabel, QSplitter, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ..registry import get as get_register
from ..services import orgtree
from .register_view import RegisterView, referenced_keys
from .staleness import ReloadWhenShown

ORG_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class OrgTreePanel(ReloadWhenShown, QWidget):
    """The tree on the left, the member table of the selected organisation on the right.

    Signals:
        records_changed(object): a write from the member table (its Changes).
    """

    records_changed = Signal(object)

    def __init__(self, db, reg, parent=None, *, mask_ids: bool = True, settings=None,
                 today=None) -> None:
        super().__init__(parent)
        self.db, self.reg = db, reg
        members = get_register(reg.members)
        #: The registers whose changes alter the tree or its member table.
        self.shows = referenced_keys(reg) | referenced_keys(members)
        self.roots: list[orgtree.OrgNode] = []
        self.stale = True
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree = QTreeWidget(split)
        self.tree.setHeaderLabels(["党组织", "类型", "党员"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        em = self.fontMetrics().horizontalAdvance("中")
        self.tree.setColumnWidth(1, em * 4)
        self.tree.setColumnWidth(2, em * 3)
        self.tree.currentItemChanged.connect(self.on_current_changed)
        right = QWidget(split)
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(4, 0, 0, 0)
        self.caption = QLabel("请选择左侧的党组织")
        rlay.addWidget(self.caption)
        self.members = RegisterView(db, members, right,
                                    fixed_filters={"org_id": []}, mask_ids=mask_ids,
                                    settings=settings, today=today)
        self.members.records_changed.connect(self._on_members_changed)
        rlay.addWidget(self.members, 1)
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([em * 24, em * 60])
        lay.addWidget(split)
        self.setFocusProxy(self.tree)

    def reload(self) -> None:
        current = self.current_org_id()
        self.stale = False
        self.roots = orgtree.build_tree(self.db)
        self.tree.clear()
        for root in self.roots:
            self.tree.addTopLevelItem(self._item(root))
        self.tree.expandToDepth(1)
        target = current or (self.roots[0].id if self.roots else None)
        if target is not None:
            self.select_org(target)

    def _item(self, node: orgtree.OrgNode) -> QTreeWidgetItem:
        item = QTreeWidgetItem([node.name, node.org_type, str(node.total)])
        item.setData(0, ORG_ID_ROLE, node.id)
        item.setToolTip(0, f"{node.community} · 本级党员 {node.members} 人，含下级共 {node.total} 人")
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for child in node.children:
            item.addChild(self._item(child))
        return item

    def current_org_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, ORG_ID_ROLE) if item else None

    def select_org(self, org_id: int) -> bool:
        for item in self._items():
            if item.data(0, ORG_ID_ROLE) == org_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack += [item.child(i) for i in range(item.childCount())]

    def on_current_changed(self, current, _previous) -> None:
        if current is None:
            return
        node = orgtree.find(self.roots, current.data(0, ORG_ID_ROLE))
        if node is None:
            return
        ids = node.subtree_ids()
        same = self.members.fixed_filters.get("org_id") == ids and not self.members.stale
        self.members.fixed_filters = {"org_id": ids}
        self.members.defaults = {"org_id": node.id}
        below = "（含下级组织）" if node.children else ""
        self.caption.setText(f"{node.name} · {node.org_type} · 在册党员 {node.total} 人{below}")
        if not same:  # the tree was rebuilt around the same organisation: keep the table
            self.members.reload()

    def _on_members_changed(self, changes) -> None:
        self.records_changed.emit(changes)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Member counts changed: rebuild the tree, keep the selection."""
        self.reload()

