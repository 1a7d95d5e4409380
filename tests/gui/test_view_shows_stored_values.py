"""What a person sees: for every register, the text the table view displays in each column is
the declared format of the value stored in the database, read here with plain SQL and
formatted by this test's own rules (not the application's formatting code).  A form opened on
a record shows that record's values."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from app.registry import REGISTERS, get
from app.registry import base as k
from app.registry.base import Field, Lookup
from app.storage.schema import TABLES
from app.ui.table_model import ID_ROLE

from .conftest import open_register

ROWS_PER_REGISTER = 25


class Stored:
    """Rows read straight from the tables, cached per (register, id)."""

    def __init__(self, db) -> None:
        self.db = db
        self.cache: dict[tuple[str, int], dict] = {}

    def row(self, key: str, rid: int) -> dict:
        if (key, rid) not in self.cache:
            t = TABLES[key]
            with self.db.connect() as conn:
                self.cache[key, rid] = dict(
                    conn.execute(sa.select(t).where(t.c.id == rid)).mappings().one())
        return self.cache[key, rid]

    def title(self, key: str, rid: int) -> str:
        """How a row is named where others refer to it: its register's ``title`` column."""
        reg = get(key)
        return self.text(reg, _column(reg, reg.title), self.row(key, rid), masked=False)

    def text(self, reg, col, row: dict, masked: bool = True) -> str:
        if isinstance(col, Lookup):
            ref_id = row.get(col.via)
            if ref_id is None:
                return ""
            target = get(reg.field(col.via).ref)
            return self.text(target, target.field(col.field), self.row(target.key, ref_id),
                             masked)
        value = row.get(col.key)
        if col.kind == k.REF:
            return "" if value is None else self.title(col.ref, value)
        return expected_text(col.kind, value, masked)


def _column(reg, key: str):
    return next(c for c in (*reg.fields, *reg.columns) if c.key == key)


def expected_text(kind: str, value, masked: bool) -> str:
    """The declared format, written out by hand: 是/否, dates yyyy-mm-dd, a time only when
    there is one, ID numbers with the middle eight digits hidden and phones all but their first
    three and last four characters, numbers without '.0'."""
    if value is None or value == "":
        return ""
    if kind == k.BOOL:
        return "是" if value else "否"
    if kind == k.DATETIME:
        assert isinstance(value, dt.datetime)
        day = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        return day if (value.hour, value.minute) == (0, 0) else \
            f"{day} {value.hour:02d}:{value.minute:02d}"
    if kind == k.DATE:
        assert isinstance(value, dt.date)
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if kind == k.ID_NUMBER and masked:
        assert len(value) == 18
        return value[:6] + "*" * 8 + value[14:]
    if kind == k.PHONE and masked:  # the first three and the last four characters shown
        s = str(value)
        return s[:3] + "*" * (len(s) - 7) + s[-4:] if len(s) >= 7 else "*" * (len(s) - 2) + s[-2:]
    if kind == k.FLOAT:
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


@pytest.mark.parametrize("key", [r.key for r in REGISTERS])
def test_the_view_displays_each_stored_value_in_its_column(window, key):
    view = open_register(window, key)
    model = view.table.model()
    reg = get(key)
    stored = Stored(window.db)
    assert model.columnCount() == len(reg.columns)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(reg.columns))] \
        == [c.label for c in reg.columns]
    assert model.rowCount() > 0, f"{reg.label}: no demo rows to compare"
    distinct_texts = set()
    for r in range(min(model.rowCount(), ROWS_PER_REGISTER)):
        rid = model.index(r, 0).data(ID_ROLE)
        row = stored.row(key, rid)
        shown = [model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
                 for c in range(model.columnCount())]
        expected = [stored.text(reg, col, row) for col in reg.columns]
        assert shown == expected, [(col.key, s, e) for col, s, e
                                   in zip(reg.columns, shown, expected) if s != e]
        distinct_texts.update((c, t) for c, t in enumerate(shown) if t)
    # Not one column's text everywhere: the filled columns hold different texts.
    assert len({t for _, t in distinct_texts}) > 1 or len(reg.columns) == 1


def test_every_register_shows_demo_rows(window):
    """The test above reads real rows: the demo fills every register's default view."""
    empty = []
    for reg in REGISTERS:
        view = open_register(window, reg.key)
        if view.table.model().rowCount() == 0:
            empty.append(reg.key)
    assert empty == []


def shown_in(editor) -> str:
    """The text a person reads in a form's editor, whatever widget it is."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    from app.ui.fields import DateEditor, MultiEditor
    from app.ui.person_picker import PersonField
    if isinstance(editor, (DateEditor, PersonField)):
        return editor.line.text()
    if isinstance(editor, MultiEditor):
        return k.MULTI_SEP.join(b.text() for b in editor.boxes if b.isChecked())
    if isinstance(editor, QCheckBox):
        return "是" if editor.isChecked() else "否"
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QLineEdit):
        return editor.text()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    raise AssertionError(f"unknown editor {type(editor).__name__}")


@pytest.mark.parametrize("key", [r.key for r in REGISTERS])
def test_a_form_opened_on_a_record_shows_that_record(window, dialogs, key):
    from app.ui.record_dialog import RecordDialog
    view = open_register(window, key)
    model = view.table.model()
    pos = min(3, model.rowCount() - 1)   # not the first row: the one selected
    rid = model.index(pos, 0).data(ID_ROLE)
    view.select_position(pos)
    reg = get(key)
    stored = Stored(window.db)
    row = stored.row(key, rid)
    seen = {}

    def look(d: RecordDialog) -> None:
        seen.update({key: shown_in(e) for key, e in d.editors.items()})
        d.reject()
    dialogs.on(RecordDialog, look)
    view.on_edit()
    assert set(seen) == {f.key for f in reg.editable_fields}
    wrong = {}
    for f in reg.editable_fields:
        value, text = row.get(f.key), seen[f.key]
        if f.kind == k.REF and get(f.ref).people:
            person = stored.row(f.ref, value) if value is not None else None
            ok = text.startswith(person["name"]) if person else text == ""
        elif f.kind == k.REF:
            title = stored.title(f.ref, value) if value is not None else ""
            ok = text == title or text.startswith(f"{title}（编号 {value}）")
        elif f.kind == k.MULTI:
            ok = set(filter(None, text.split(k.MULTI_SEP))) == \
                set(filter(None, (value or "").split(k.MULTI_SEP)))
        elif f.kind == k.BOOL:
            ok = text == ("是" if value else "否")
        else:
            ok = text == expected_text(f.kind, value, masked=True)  # masked by default
        if not ok:
            wrong[f.key] = (value, text)
    assert wrong == {}
    assert sum(1 for t in seen.values() if t not in ("", "否")) >= 2  # a real record
