"""Choosing a person wherever a register points at one (党员, 申请人, 信访人 …).

Search by part of a name, 身份证号 or phone; create a new person in place.  A new person whose
ID number is already registered is offered as the existing person instead of a duplicate.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from ..core.validators import clean_text, mask_id_number
from ..registry import PEOPLE
from ..registry.base import Field
from ..registry.display import format_value
from ..services import records
from .sizing import fit_size

RESULT_LIMIT = 100
#: ``roles`` is who the person already is elsewhere (党员, 调解员, 信访人 …): choosing the
#: right 张伟 of three is easier when one of them is the 党员 you are looking for.
_COLUMNS = (("name", "姓名"), ("roles", "已登记为"), ("gender", "性别"),
            ("birth_date", "出生日期"), ("id_number", "公民身份号码"), ("phone", "联系电话"),
            ("community_id__title", "所属社区"), ("household_id__title", "住址"))


def person_summary(row: dict) -> str:
    parts = [row.get("name") or "", mask_id_number(row.get("id_number")) if row.get(
        "id_number") else "", row.get("phone") or "", row.get("community_id__title") or ""]
    return " · ".join(p for p in parts if p)


def normalize_query(text: str) -> str:
    """Full-width digits and a lowercase x as typed in an ID number are normalised."""
    s = clean_text(text)
    return s.upper() if re.fullmatch(r"[\dxX]+", s) else s


def guess_person(text: str) -> dict:
    """Initial values for a new person from what was searched: an ID, a phone or a name."""
    s = normalize_query(text).replace(" ", "")
    if re.fullmatch(r"\d{17}[\dX]", s):
        return {"id_number": s}
    if re.fullmatch(r"1\d{10}|\d{7,8}", s):
        return {"phone": s}
    return {"name": s} if s else {}


class PersonPickerDialog(QDialog):
    """Search people and choose one; ``chosen`` is the row after Accepted."""

    def __init__(self, parent: QWidget | None, db, *, text: str = "",
                 actor=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.chosen: dict | None = None
        self.created: dict | None = None  # a person registered here (not an existing one)
        self.rows: list[dict] = []
        self.setWindowTitle("选择人员")
        lay = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名、身份证号或电话的一部分")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.installEventFilter(self)  # Enter: search now, or choose the hit
        lay.addWidget(self.search)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels([c[1] for c in _COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _: self.on_choose())
        lay.addWidget(self.table, 1)
        self.status = QLabel()
        lay.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.choose_button = buttons.addButton("选择", QDialogButtonBox.ButtonRole.AcceptRole)
        self.new_button = buttons.addButton("新建人员…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.choose_button.clicked.connect(self.on_choose)
        self.new_button.clicked.connect(self.on_new)
        buttons.rejected.connect(self.reject)
        self.choose_button.setAutoDefault(False)
        self.new_button.setAutoDefault(False)
        lay.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # wait for a pause in typing before querying
        self._timer.timeout.connect(self.refresh)
        fit_size(self, 860, 480)
        self.search.setText(text)
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        q = normalize_query(self.search.text())
        self.rows = records.list_rows(self.db, PEOPLE.key, search=q or None,
                                      limit=RESULT_LIMIT) if q else []
        if self.rows:
            roles = records.person_roles(self.db, [r["id"] for r in self.rows])
            for row in self.rows:
                row["roles"] = "、".join(roles.get(row["id"], []))
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, (key, _) in enumerate(_COLUMNS):
                value = row.get(key)
                text = mask_id_number(value) if key == "id_number" and value else \
                    format_value("date" if key == "birth_date" else "text", value)
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.rows:
            self.table.selectRow(0)
        if not q:
            self.status.setText("请输入姓名、身份证号或电话进行查找。")
        elif not self.rows:
            self.status.setText("没有找到。可点“新建人员…”登记此人。")
        else:
            more = "（仅显示前 100 人，请输入更多字缩小范围）" if len(self.rows) == RESULT_LIMIT else ""
            self.status.setText(f"找到 {len(self.rows)} 人{more}")

    def eventFilter(self, obj, event) -> bool:
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_return()
            return True  # never let Enter reach a default button (取消 would close)
        return super().eventFilter(obj, event)

    def _on_return(self) -> None:
        if self._timer.isActive():
            self.refresh()
        elif self.rows:
            self.on_choose()

    def keyPressEvent(self, event) -> None:
        # ↑/↓ in the search box move through the results.
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.rows:
            r = self.table.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.table.selectRow(max(0, min(r, len(self.rows) - 1)))
            return
        super().keyPressEvent(event)

    def on_choose(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            self.chosen = self.rows[r]
            self.accept()

    def on_new(self) -> None:
        from .record_dialog import RecordDialog
        dlg = RecordDialog(self, self.db, PEOPLE,
                           initial=guess_person(self.search.text()), actor=self.actor,
                           offer_existing=True,
                           # the day the form that opened the picker judges values on
                           today=getattr(self.parent(), "today", None))
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.chosen = dlg.existing or dlg.saved
            if dlg.existing is None:
                self.created = dlg.saved
            self.accept()


class PersonField(QWidget):
    """A person reference in a form: the chosen person's summary, 选择… and 清除.

    Signals:
        edited(): a person was chosen or cleared.
    """

    edited = Signal()

    def __init__(self, field: Field, db, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.person_id: int | None = None
        #: People registered from this field's picker (the 人员 register changed).
        self.created: list[dict] = []
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.line = QLineEdit(self)
        self.line.setReadOnly(True)
        self.line.setPlaceholderText("未选择（按 Enter 或点“选择…”）")
        self.line.installEventFilter(self)
        self.pick_button = QPushButton("选择…", self)
        self.pick_button.setAutoDefault(False)
        self.pick_button.clicked.connect(self.on_pick)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("清除")
        self.clear_button.clicked.connect(lambda: (self.set_value(None), self.edited.emit()))
        lay.addWidget(self.line, 1)
        lay.addWidget(self.pick_button)
        lay.addWidget(self.clear_button)
        self.setFocusProxy(self.line)

    def eventFilter(self, obj, event) -> bool:
        # Enter opens the picker — and is consumed, so the form's 保存 does not fire too.
        if obj is self.line and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F4):
            self.on_pick()
            return True
        return super().eventFilter(obj, event)

    def value(self):
        return self.person_id

    def set_value(self, value) -> None:
        self.person_id = value
        if value is None:
            self.line.clear()
            return
        try:
            self.line.setText(person_summary(records.get(self.db, PEOPLE.key, value)))
        except records.NotFound:
            self.line.setText(f"（编号 {value} 不存在）")
        self.line.setCursorPosition(0)  # show the name, not the tail of a long summary

    def choose(self, row: dict) -> None:
        self.person_id = row["id"]
        self.line.setText(person_summary(row))
        self.line.setCursorPosition(0)
        self.edited.emit()

    def on_pick(self) -> None:
        dlg = PersonPickerDialog(self.window(), self.db)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.chosen:
            if dlg.created:
                self.created.append(dlg.created)
            self.choose(dlg.chosen)
