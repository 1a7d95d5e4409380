"""Form editors, one per field kind, built from a field's declaration.

Every editor has ``value()`` (what goes to the services: text as typed, a bool, a list, an id
or None) and ``set_value(stored)``, and emits ``edited`` when the user finished a change, so
the form can check the field at once.  Dates are typed in any of the usual forms (services
parse them) or picked from a calendar (button, F4 or Alt+↓).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QCalendarWidget, QCheckBox, QComboBox, QCompleter, QGridLayout,
                               QHBoxLayout, QLineEdit, QMenu, QPlainTextEdit, QToolButton,
                               QWidget, QWidgetAction)

from ..registry import base as k
from ..registry import get as get_register
from ..registry.base import Field
from ..registry.display import format_value
from ..services import records


class LineEditor(QLineEdit):
    """Single-line text, numbers, phone and ID numbers (kept as typed; services check).

    Signals:
        edited(): editing finished.
    """

    edited = Signal()

    def __init__(self, field: Field, parent=None) -> None:
        super().__init__(parent)
        self.kind = field.kind
        self.setClearButtonEnabled(field.kind not in (k.INT, k.FLOAT))
        if field.max_length:
            self.setMaxLength(field.max_length)
        if field.kind in (k.INT, k.FLOAT):
            self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.editingFinished.connect(self.edited)

    def value(self):
        return self.text().strip() or None

    def set_value(self, value) -> None:
        self.setText(format_value(self.kind, value))
        self.setCursorPosition(0)  # a long value shows its beginning, not its tail


class TextEditor(QPlainTextEdit):
    """Multi-line text.  Tab moves focus (a form is filled with the keyboard)."""

    edited = Signal()

    def __init__(self, field: Field, parent=None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

    def value(self):
        return self.toPlainText().strip() or None

    def set_value(self, value) -> None:
        self.setPlainText("" if value is None else str(value))

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.edited.emit()


class BoolEditor(QCheckBox):
    edited = Signal()

    def __init__(self, field: Field, parent=None) -> None:
        super().__init__("是", parent)
        self.toggled.connect(lambda _: self.edited.emit())

    def value(self):
        return self.isChecked()

    def set_value(self, value) -> None:
        self.setChecked(bool(value))


class ChoiceEditor(QComboBox):
    """A dropdown of the declared choices, with an empty entry first."""

    edited = Signal()

    def __init__(self, field: Field, parent=None) -> None:
        super().__init__(parent)
        self.addItem("")
        self.addItems(list(field.choices))
        self.setMaxVisibleItems(20)
        self.activated.connect(lambda _: self.edited.emit())

    def value(self):
        return self.currentText() or None

    def set_value(self, value) -> None:
        i = self.findText("" if value is None else str(value))
        self.setCurrentIndex(max(i, 0))


class MultiEditor(QWidget):
    """Several choices as check boxes (stored joined by 、)."""

    edited = Signal()

    def __init__(self, field: Field, parent=None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for i, choice in enumerate(field.choices):
            box = QCheckBox(choice, self)
            box.toggled.connect(lambda _: self.edited.emit())
            grid.addWidget(box, i // 4, i % 4)
            self.boxes.append(box)

    def value(self):
        return [b.text() for b in self.boxes if b.isChecked()]

    def set_value(self, value) -> None:
        chosen = set(str(value).split(k.MULTI_SEP)) if value else set()
        for b in self.boxes:
            b.setChecked(b.text() in chosen)


class DateEditor(QWidget):
    """A date (or date and time) typed in any usual form, or picked from a calendar."""

    edited = Signal()

    def __init__(self, field: Field, parent=None) -> None:
        super().__init__(parent)
        self.with_time = field.kind == k.DATETIME
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("年-月-日 时:分" if self.with_time else "年-月-日")
        self.line.setClearButtonEnabled(True)
        self.line.editingFinished.connect(self.edited)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip("从日历中选择（F4）")
        self.button.clicked.connect(self.show_calendar)
        lay.addWidget(self.line, 1)
        lay.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.line.installEventFilter(self)  # F4 / Alt+↓ open the calendar
        self.calendar: QCalendarWidget | None = None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.line and event.type() == QEvent.Type.KeyPress and (
                event.key() == Qt.Key.Key_F4 or (
                    event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)):
            self.show_calendar()
            return True
        return super().eventFilter(obj, event)

    def value(self):
        return self.line.text().strip() or None

    def set_value(self, value) -> None:
        self.line.setText(format_value(k.DATETIME if self.with_time else k.DATE, value))

    def current_date(self) -> dt.date | None:
        from ..core.validators import InvalidValue, parse_date
        try:
            return parse_date(self.line.text()[:10]) if self.line.text().strip() else None
        except InvalidValue:
            return None

    def show_calendar(self) -> None:
        menu = QMenu(self)
        cal = QCalendarWidget(menu)
        cal.setGridVisible(True)
        day = self.current_date() or dt.date.today()
        cal.setSelectedDate(QDate(day.year, day.month, day.day))
        act = QWidgetAction(menu)
        act.setDefaultWidget(cal)
        menu.addAction(act)
        cal.clicked.connect(lambda d: (self.pick(d), menu.close()))
        cal.activated.connect(lambda d: (self.pick(d), menu.close()))
        self.calendar = cal
        cal.setFocus()
        menu.exec(self.line.mapToGlobal(self.line.rect().bottomLeft()))
        self.calendar = None
        menu.deleteLater()

    def pick(self, qdate: QDate) -> None:
        text = qdate.toString("yyyy-MM-dd")
        if self.with_time:
            old = self.line.text().strip()
            text += " " + (old[11:16] if len(old) >= 16 else "09:00")
        self.line.setText(text)
        self.edited.emit()


# -- references to other registers ----------------------------------------------------------

_CHOICES: dict[tuple[str, str], list[tuple[int, str]]] = {}


def ref_choices(db, key: str) -> list[tuple[int, str]]:
    """(id, display title) of every live row of register ``key``, cached until
    :func:`invalidate_choices` is told that register changed."""
    cache_key = (db.location, key)
    if cache_key not in _CHOICES:
        reg = get_register(key)
        f = reg.field(reg.title)
        col = f"{f.key}__title" if f.kind == k.REF else f.key
        pairs = [(r["id"], format_value(f.kind, r.get(col)) or f"（编号 {r['id']}）")
                 for r in records.list_rows(db, key)]
        # Titles that repeat (two meetings with the same topic) get their number, so the
        # user can tell them apart and typing a title picks one row.
        seen: dict[str, int] = {}
        for _, title in pairs:
            seen[title] = seen.get(title, 0) + 1
        _CHOICES[cache_key] = [(rid, f"{title}（编号 {rid}）" if seen[title] > 1 else title)
                               for rid, title in pairs]
    return _CHOICES[cache_key]


_MODELS: dict[tuple[str, str], QStandardItemModel] = {}


def ref_model(db, key: str) -> QStandardItemModel:
    """The choices of :func:`ref_choices` as one item model shared by every combo box that
    points at ``key`` (a street has tens of thousands of households: build the list once)."""
    cache_key = (db.location, key)
    model = _MODELS.get(cache_key)
    if model is None:
        model = QStandardItemModel()
        blank = QStandardItem("")
        blank.setData(None, Qt.ItemDataRole.UserRole)
        items = [blank]
        for rid, title in ref_choices(db, key):
            item = QStandardItem(title)
            item.setData(rid, Qt.ItemDataRole.UserRole)
            items.append(item)
        model.invisibleRootItem().appendRows(items)
        _MODELS[cache_key] = model
    return model


def invalidate_choices(keys=None) -> None:
    for cache in (_CHOICES, _MODELS):
        for ck in list(cache):
            if keys is None or ck[1] in keys:
                del cache[ck]


class RefCombo(QComboBox):
    """Pick a row of another register by typing part of its name (matches anywhere)."""

    edited = Signal()

    def __init__(self, field: Field, db, parent=None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        # Size from a fixed length, not by measuring every item (38,000 households).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(min(max(field.width, 8), 24))
        self.setModel(ref_model(db, field.ref))
        comp = self.completer()
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        comp.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().setPlaceholderText(f"输入{get_register(field.ref).label}名称的一部分")
        self.activated.connect(lambda _: self.edited.emit())
        self.lineEdit().editingFinished.connect(self.edited)

    def value(self):
        text = self.currentText().strip()
        if not text:
            return None
        i = self.currentIndex()
        if i <= 0 or self.itemText(i) != self.currentText():
            i = self.findText(text)
        if i > 0:
            return self.itemData(i)
        return text  # not a known title: the services say so beside the field

    def set_value(self, value) -> None:
        i = self.findData(value) if value is not None else 0
        self.setCurrentIndex(max(i, 0))


def make_editor(field: Field, db, parent=None) -> QWidget:
    """The editor for a field (person references are handled by the person picker)."""
    kind = field.kind
    if kind == k.LONGTEXT:
        return TextEditor(field, parent)
    if kind == k.BOOL:
        return BoolEditor(field, parent)
    if kind == k.CHOICE:
        return ChoiceEditor(field, parent)
    if kind == k.MULTI:
        return MultiEditor(field, parent)
    if kind in (k.DATE, k.DATETIME):
        return DateEditor(field, parent)
    if kind == k.REF:
        if get_register(field.ref).people:
            from .person_picker import PersonField
            return PersonField(field, db, parent)
        return RefCombo(field, db, parent)
    return LineEditor(field, parent)
