"""One register on screen: filter bar, the table, a row count, and the record actions
(app/ui/record_actions.py).

Filters that change the query (community, compound, status, date range, deleted rows) reload
through ``records.list_rows`` — in a background task when the register is big; the search box
filters the loaded rows in memory on every keystroke.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMenu, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from ..core.validators import InvalidValue, parse_date
from ..registry import base as k
from ..registry.base import Field, Register
from ..registry.display import column_kind
from ..services import query, records
from .fields import DateEditor, ref_choices
from .record_actions import RecordActions
from .table_columns import ColumnFilterDialog, ColumnState, FrozenTableView, title_column
from .table_model import RegisterTableModel, build_haystacks
from .tasks import run_task

#: Registers with more rows than this load in a background task.
BACKGROUND_ROWS = 3000
def referenced_keys(reg: Register) -> set[str]:
    """Registers whose changes alter what this register's table shows (its own and the
    registers its references and lookups come from)."""
    return {reg.key} | {f.ref for f in reg.fields if f.ref}


def search_hint(reg: Register) -> str:
    """The search box's grey hint: what this register can be searched by (its first text
    columns), e.g. 搜索党员：姓名、公民身份号码、联系电话…"""
    # The short words people use (身份证号, 电话): the hint must fit a narrow box at 1366×768.
    short = {k.ID_NUMBER: "身份证号", k.PHONE: "电话"}
    labels = [short.get(column_kind(reg, c), c.label) for c in reg.columns
              if column_kind(reg, c) in (k.TEXT, k.ID_NUMBER, k.PHONE, k.REF)]
    more = "…" if len(labels) > 3 else ""
    return f"搜索{reg.label}：{'、'.join(labels[:3])}{more}"


class RegisterView(RecordActions, QWidget):
    """Table of one register with its filters.  The record actions (新增, 修改, 删除, 恢复,
    推进) are ``RecordActions`` (app/ui/record_actions.py).

    Signals:
        records_changed(object): this view wrote; the Changes say which registers and ids.
        counts_changed(int, int): rows shown, rows loaded.
        loaded(): a load finished (rows are in the model).
    """

    records_changed = Signal(object)
    counts_changed = Signal(int, int)
    loaded = Signal()

    def __init__(self, db, reg: Register, parent=None, *, fixed_filters: dict | None = None,
                 mask_ids: bool = True, show_deleted: bool = False, settings=None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db, self.reg = db, reg
        #: The day forms judge values on and workflow steps default to (None: the clock).
        self.today = today
        self.settings = settings  # remembers the status filter chosen (None: not remembered)
        self.fixed_filters = dict(fixed_filters or {})
        #: Values a new record starts with (e.g. the organisation selected in the tree).
        self.defaults = {k: v for k, v in self.fixed_filters.items() if not isinstance(v, list)}
        self.model = RegisterTableModel(reg, self, mask_ids=mask_ids)
        self.loading = False
        self.stale = True
        self._load_seq = 0
        self._pending_select: int | None = None
        self._announcing = False  # our own write: the model is already up to date
        self._build(show_deleted)
        self.model.filtered.connect(self._on_filtered)

    # -- building ------------------------------------------------------------------------------
    def _build(self, show_deleted: bool) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(search_hint(self.reg))
        # The whole hint too, for a box too narrow to show it.
        self.search.setToolTip(f"{search_hint(self.reg)}\n"
                               "边输边筛；多个词用空格分开，须同时包含（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_search)
        self.search.installEventFilter(self)
        bar.addWidget(self.search, 2)
        self.community = self.compound = self.status = None
        # A view scoped from outside (the members of the organisation chosen in the tree) has
        # no place filters of its own.
        scoped = bool(self.fixed_filters)
        self.community_key = query.place_register(self.reg, "community_id")
        self.compound_key = query.place_register(self.reg, "compound_id")
        if self.community_key and not scoped:
            self.community = self._combo("全部社区", ref_choices(self.db, self.community_key))
            bar.addWidget(self.community)
        if self.compound_key and not scoped:
            self.compound = self._combo("全部小区", ref_choices(self.db, self.compound_key))
            bar.addWidget(self.compound)
            if self.community is not None:
                self.community.currentIndexChanged.connect(self._narrow_compounds)
        status = self.reg.status_field
        if status:
            self.status = self._combo("全部状态", [(s, s) for s in status[1]])
            self.status.blockSignals(True)  # not loaded yet: the first show loads
            self.status.setCurrentIndex(max(self.status.findData(self._initial_status()), 0))
            self.status.blockSignals(False)
            self.status.currentIndexChanged.connect(self._remember_status)
            bar.addWidget(self.status)
        self.date_field = self.reg.date_field
        self.date_from = self.date_to = None
        if self.date_field:
            bar.addWidget(QLabel(self.date_field.label))
            self.date_from = DateEditor(Field("from", "从", k.DATE), self)
            self.date_to = DateEditor(Field("to", "到", k.DATE), self)
            self.date_from.line.setPlaceholderText("从")
            self.date_to.line.setPlaceholderText("到")
            for d in (self.date_from, self.date_to):
                d.edited.connect(self.reload)
                d.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 60)
                bar.addWidget(d)
        self.deleted = QCheckBox("显示已删除", self)
        self.deleted.setChecked(show_deleted)
        self.deleted.toggled.connect(self.reload)
        bar.addWidget(self.deleted)
        # The search box gets a row of its own when the filters leave it too little room
        # (large 字号 on a 1366×768 screen, or the narrow member table beside the tree).
        self.bar, self.search_row = bar, QHBoxLayout()
        lay.addLayout(self.search_row)
        lay.addLayout(bar)
        self.date_error = QLabel(self)
        self.date_error.setStyleSheet("color: #c0392b;")
        self.date_error.hide()
        lay.addWidget(self.date_error)
        # "Only the rows behind a reminder" (or another narrowing from outside), with the
        # way back to all rows.
        self.only_bar = QWidget(self)
        only_lay = QHBoxLayout(self.only_bar)
        only_lay.setContentsMargins(0, 0, 0, 0)
        self.only_label = QLabel(self.only_bar)
        self.only_label.setStyleSheet("color: #1f5f99;")
        self.only_clear = QPushButton("显示全部", self.only_bar)
        self.only_clear.clicked.connect(lambda: self.show_only(None))
        only_lay.addWidget(self.only_label, 1)
        only_lay.addWidget(self.only_clear)
        self.only_bar.hide()
        lay.addWidget(self.only_bar)
        self.table = FrozenTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # keep the declared order
        self.table.setSortingEnabled(True)
        header.setHighlightSections(False)
        em = self.fontMetrics().horizontalAdvance("中")
        for i, col in enumerate(self.model.columns):
            self.table.setColumnWidth(i, max(col.width, len(col.label)) * em + 18)
        self._widths_fitted = False
        keys = [c.key for c in self.model.columns]
        header.setSectionsMovable(True)  # drag a header to reorder (remembered)
        self.column_state = ColumnState(self.settings, self.reg, self.table, keys)
        if not self.column_state.restore():
            self._default_order()
        # The column naming a row stays at the left while the others scroll (姓名 of 党员).
        self.title_column = title_column(self.reg, self.model.columns)
        self.table.setColumnHidden(self.title_column, False)
        header.sectionMoved.connect(lambda *_: self.column_state.save())
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setToolTip("点表头排序；右键：按列筛选、显示或隐藏列；拖动表头可调整列的顺序")
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.freeze(self.title_column)
        self.table.doubleClicked.connect(lambda _: self.on_edit())
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        lay.addWidget(self.table, 1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        lay.addWidget(self.count_label)
        self.setFocusProxy(self.table)

    def _combo(self, everything: str, items) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, None)
        for value, text in items:
            combo.addItem(text, value)
        combo.setMaxVisibleItems(25)
        combo.currentIndexChanged.connect(self.reload)
        return combo

    def _initial_status(self) -> str | None:
        """The status filter to open with: the one last chosen, else the register's default."""
        default = dict(self.reg.default_filter).get(self.reg.status_field[0], "") \
            if self.reg.status_field else ""
        chosen = (self.settings.get(f"view/{self.reg.key}/status", default)
                  if self.settings is not None else default)
        return chosen or None

    def _remember_status(self) -> None:
        if self.settings is not None:
            self.settings.set(f"view/{self.reg.key}/status", self.status.currentData() or "")

    def _narrow_compounds(self) -> None:
        """Offer only the compounds of the chosen community."""
        cid = self.community.currentData()
        rows = records.list_rows(self.db, self.compound_key, community_id=cid)
        keep = self.compound.currentData()
        self.compound.blockSignals(True)
        self.compound.clear()
        self.compound.addItem("全部小区", None)
        for r in rows:
            self.compound.addItem(r["name"], r["id"])
        self.compound.setCurrentIndex(max(self.compound.findData(keep), 0) if keep else 0)
        self.compound.blockSignals(False)
        if keep is not None and self.compound.currentData() != keep:
            self.reload()  # the chosen compound is not in this community: filter again

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if obj is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.on_edit()
                return True
            if obj is self.table and key == Qt.Key.Key_Delete:
                self.on_delete()
                return True
            if obj is self.search and key == Qt.Key.Key_Down:
                self.table.setFocus()  # from the search box straight into the results
                if self.model.rowCount() and not self.table.selectionModel().hasSelection():
                    self.select_position(0)
                return True
        return super().eventFilter(obj, event)

    # -- loading -------------------------------------------------------------------------------
    def query_kwargs(self) -> dict:
        """The arguments of ``records.list_rows`` for the current filters."""
        filters = dict(self.fixed_filters)
        kw: dict = {"include_deleted": self.deleted.isChecked(),
                    "reveal": not self.model.mask_ids}
        if self.community is not None and self.community.currentData() is not None:
            kw["community_id"] = self.community.currentData()
        if self.compound is not None and self.compound.currentData() is not None:
            kw["compound_id"] = self.compound.currentData()
        if self.status is not None and self.status.currentData() is not None:
            filters[self.reg.status_field[0]] = self.status.currentData()
        if self.date_field is not None:
            span = [self._date(d) for d in (self.date_from, self.date_to)]
            if any(span):
                kw.update(date_field=self.date_field.key, date_from=span[0], date_to=span[1])
        if filters:
            kw["filters"] = filters
        return kw

    def scope_text(self) -> str:
        """The current filters in words, for a printout's scope line, as an office writes
        it: 社区：阳光社区　状态：在册　查找：张 (the roster adds 共 N 人)."""
        from ..printing.roster import SCOPE_SEP
        parts = []
        for combo, label in ((self.community, "社区"), (self.compound, "小区"),
                             (self.status, "状态")):
            if combo is not None and combo.currentData() is not None:
                parts.append(f"{label}：{combo.currentText()}")
        parts += [f"{label}：{text}" for label, text in self.column_filter_texts()]
        if self.date_field is not None and (self.date_from.value() or self.date_to.value()):
            parts.append(f"{self.date_field.label}：{self.date_from.value() or '…'} 至 "
                         f"{self.date_to.value() or '…'}")
        if self.search.text().strip():
            parts.append(f"查找：{self.search.text().strip()}")
        return SCOPE_SEP.join(parts)

    def column_filter_texts(self) -> list[tuple[str, str]]:
        """(column label, chosen values) of the per-column filters set."""
        return [(self.model.columns[c].label, "或".join(v or "（空白）" for v in sorted(kept)))
                for c, kept in sorted(self.model.column_filters().items())]

    def visible_column_keys(self) -> list[str]:
        """The keys of the columns shown, in the order shown (for 导出 what I see)."""
        return self.column_state.visible()

    # -- columns: filter, show/hide, order -------------------------------------------------
    def _header_menu(self, pos) -> None:
        header = self.table.horizontalHeader()
        column = header.logicalIndexAt(pos)
        menu = QMenu(self)
        if column >= 0:
            label = self.model.columns[column].label
            menu.addAction(f"筛选“{label}”…", lambda: self.on_filter_column(column))
            if column in self.model.column_filters():
                menu.addAction(f"清除“{label}”的筛选",
                               lambda: self.model.set_column_filter(column, None))
        if self.model.column_filters():
            menu.addAction("清除全部按列筛选", self.clear_column_filters)
        menu.addSeparator()
        shown = menu.addMenu("显示的列")
        for key in self.column_state.order():
            i = self.column_state.keys.index(key)
            act = shown.addAction(self.model.columns[i].label)
            act.setCheckable(True)
            act.setChecked(not self.table.isColumnHidden(i))
            act.setEnabled(i != self.title_column)  # the row's name always shows
            act.toggled.connect(lambda on, i=i: self.set_column_shown(i, on))
        menu.addAction("恢复默认的列和顺序", self.reset_columns)
        menu.exec(header.mapToGlobal(pos))

    def set_column_shown(self, column: int, shown: bool) -> None:
        if column == self.title_column and not shown:
            return
        self.table.setColumnHidden(column, not shown)
        self.column_state.save()

    def _default_order(self) -> None:
        keys = self.column_state.keys
        if self.reg.workflow and "step" in keys:
            # Where a matter stands is what a workflow register is read for: its step comes
            # right after the matter's name or number, not off-screen to the right.
            header = self.table.horizontalHeader()
            header.moveSection(header.visualIndex(keys.index("step")), 1)

    def reset_columns(self) -> None:
        """右键表头 → 恢复默认的列和顺序: every column shown, in the declared order."""
        self.column_state.reset()
        self._default_order()
        self.table.freeze(self.title_column)
        self.column_state.save()  # (what reset cleared, written again as the default)

    def on_filter_column(self, column: int) -> None:
        """The column's values with their counts; the ones ticked are kept."""
        dlg = ColumnFilterDialog(self, self.model.columns[column].label,
                                 self.model.column_values(column),
                                 self.model.column_filters().get(column))
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.model.set_column_filter(column, dlg.chosen)

    def clear_column_filters(self) -> None:
        for column in list(self.model.column_filters()):
            self.model.set_column_filter(column, None)

    def show_only(self, ids, text: str = "") -> None:
        """Show only the records ``ids`` (the rows behind a reminder), saying so above the
        table with a way back; None shows every row again."""
        if ids is not None and (self.loading or self.stale):
            self.ensure_loaded()
        if ids is not None and self.search.text():
            self.search.clear()
        self.model.set_only(ids)
        self.only_bar.setVisible(ids is not None)
        if ids is not None:
            self.only_label.setText(f"只显示：{text or '所选记录'}（{len(ids)} 条）")

    def _date(self, editor: DateEditor) -> dt.date | None:
        try:
            return parse_date(editor.value()) if editor.value() else None
        except InvalidValue as exc:
            self.date_error.setText(f"{self.date_field.label}：{exc}")
            self.date_error.show()
            return None

    def reload(self) -> None:
        """Run the query again (keeps the search text)."""
        self.date_error.hide()
        self.stale = False
        self._load_seq += 1
        seq = self._load_seq
        kw = self.query_kwargs()
        key, reg = self.reg.key, self.reg
        self.loading = True
        if records.count(self.db, key, include_deleted=True) <= BACKGROUND_ROWS:
            rows = records.list_rows(self.db, key, **kw)
            self._apply(seq, (rows, build_haystacks(reg, rows)))
            return
        self.count_label.setText("正在读取…")

        def load(task):
            rows = records.list_rows(self.db, key, **kw)
            return rows, build_haystacks(reg, rows)
        run_task(load, owner=self, on_done=lambda result: self._apply(seq, result),
                 on_error=self._on_load_failed)

    def _apply(self, seq: int, result) -> None:
        if seq != self._load_seq:
            return  # a newer query was started meanwhile
        rows, hay = result
        self.model.set_rows(rows, hay)
        self.loading = False
        if not self._widths_fitted and rows:
            self._fit_widths()
        if self._pending_select is not None:
            rid, self._pending_select = self._pending_select, None
            self.select_record(rid)
        self.loaded.emit()

    def _fit_widths(self, sample: int = 400) -> None:
        """Column widths that fit the data: as wide as the header and the longest text in
        the first rows, but no wider than 22 characters (longer text shows whole in its
        tooltip).  Once per view: a width the user dragged stays."""
        self._widths_fitted = True
        fm = self.table.fontMetrics()
        em = fm.horizontalAdvance("中")
        hfm = self.table.horizontalHeader().fontMetrics()
        n = min(self.model.rowCount(), sample)
        for c in range(self.model.columnCount()):
            texts = {self.model.text(r, c) for r in range(n)}
            widest = max((fm.horizontalAdvance(t) for t in texts), default=0)
            head = hfm.horizontalAdvance(self.model.columns[c].label + " ▼")
            self.table.setColumnWidth(c, min(max(widest, head, 2 * em) + 20, 22 * em))

    def _on_load_failed(self, exc: Exception) -> None:
        self.loading = False
        self.count_label.setText("读取失败")
        QMessageBox.warning(self, "读取失败", f"读取{self.reg.label}时出错：{exc}")

    def ensure_loaded(self) -> None:
        if self.stale and not self.loading:
            self.reload()

    def mark_stale(self) -> None:
        """Another view changed data this one shows; reload now if visible, else when shown."""
        if self._announcing:
            return
        self.stale = True
        if self.isVisible():
            self.reload()

    def _search_room(self) -> int:
        """Width the search box needs to show its hint."""
        fm = self.search.fontMetrics()
        return fm.horizontalAdvance(self.search.placeholderText()) + 40

    def _place_search(self) -> None:
        """Keep the search box on the filter row while it fits there, else above it."""
        others = sum(self.bar.itemAt(i).sizeHint().width() + self.bar.spacing()
                     for i in range(self.bar.count())
                     if self.bar.itemAt(i).widget() is not self.search)
        in_bar = self.bar.indexOf(self.search) >= 0
        fits = self.width() >= others + min(self._search_room(), 28 * self.fontMetrics(
        ).horizontalAdvance("中"))
        if in_bar and not fits:
            self.bar.removeWidget(self.search)
            self.search_row.addWidget(self.search)
        elif not in_bar and fits:
            self.search_row.removeWidget(self.search)
            self.bar.insertWidget(0, self.search, 2)

    @property
    def search_on_own_row(self) -> bool:
        return self.search_row.indexOf(self.search) >= 0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_search()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def set_mask_ids(self, mask: bool) -> None:
        """Masked (the default) or full numbers; full ones are read again from the services,
        which check the role and audit the view."""
        was = self.model.mask_ids
        self.model.beginResetModel()
        self.model.mask_ids = mask
        self.model.endResetModel()
        if was != mask:
            self.stale = True
            if self.isVisible():
                self.ensure_loaded()

    def _on_filtered(self, shown: int, total: int) -> None:
        if total == 0:
            # An empty grid alone looks broken: say why it is empty and what to do.
            none_at_all = records.count(self.db, self.reg.key, include_deleted=True) == 0
            self.count_label.setText(
                "还没有记录：按 Ctrl+N 新增，或用“文件 → 导入 Excel…”从表格导入。"
                if none_at_all else "没有符合筛选条件的记录。")
        elif shown == 0:
            self.count_label.setText(f"没有包含“{self.search.text().strip()}”的记录"
                                     f"（共 {total:,} 条）")
        else:
            self.count_label.setText(f"共 {total:,} 条" if shown == total
                                     else f"显示 {shown:,} / 共 {total:,} 条")
        if total and self.model.column_filters():
            self.count_label.setText(self.count_label.text() + "（已按列筛选："
                                     + "、".join(t[0] for t in self.column_filter_texts())
                                     + "；右键表头可清除）")
        self.counts_changed.emit(shown, total)

    # -- selection -----------------------------------------------------------------------------
    def current_row(self) -> dict | None:
        idx = self.table.currentIndex()
        sel = self.table.selectionModel().selectedRows()
        if sel:
            idx = sel[0]
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def select_position(self, pos: int) -> None:
        idx = self.model.index(pos, 0)
        self.table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)

    def select_record(self, record_id: int) -> bool:
        """Select a record (clearing the search if it hides it); after loading if needed."""
        if self.loading or self.stale:
            self._pending_select = record_id
            self.ensure_loaded()
            return False
        pos = self.model.position_of(record_id)
        if pos is None and self.search.text():
            self.search.clear()
            pos = self.model.position_of(record_id)
        if pos is None:
            return False
        self.select_position(pos)
        return True

    # -- the context menu ----------------------------------------------------------------------
    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        row = self.current_row()
        menu.addAction("新增…", self.on_add)
        if row is not None:
            if row.get("deleted_at"):
                menu.addAction("恢复", self.on_restore)
            else:
                menu.addAction("修改…", self.on_edit)
                if self.reg.workflow:
                    menu.addAction(f"推进{self.reg.workflow.label}…", self.on_advance)
                menu.addAction("删除…", self.on_delete)
        index = self.table.indexAt(pos)
        if index.isValid():
            # Filters from the cell under the pointer, as WPS's 按所选单元格的值筛选.
            column = index.column()
            label = self.model.columns[column].label
            menu.addSeparator()
            if self.model.kinds[column] != k.MULTI:
                text = self.model.text(index.row(), column) if not (
                    self.model.kinds[column] == k.ID_NUMBER) else None
                if text is not None:
                    menu.addAction(f"只看{label}为“{text or '（空白）'}”的",
                                   lambda: self.filter_by_cell(column, index.row()))
            menu.addAction(f"按“{label}”筛选…", lambda: self.on_filter_column(column))
            if self.model.column_filters():
                menu.addAction("清除全部按列筛选", self.clear_column_filters)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def filter_by_cell(self, column: int, pos: int) -> None:
        """Keep only rows whose ``column`` reads as it does in row ``pos`` (cell text as the
        filter list compares it, unmasked)."""
        values = self.model.cell_values(self.model.row_at(pos), column)
        self.model.set_column_filter(column, values)
