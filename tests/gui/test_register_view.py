"""The generic table model and register view: model contract, search, sort, filters, and the
add / edit / delete / restore cycle through the real dialogs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.registry import get
from app.services import query, records
from app.ui import register_view
from app.ui.record_dialog import RecordDialog
from app.ui.table_model import RegisterTableModel

from .conftest import open_register


def test_model_passes_qtmodeltester(qtmodeltester, demo_db):
    reg = get("party_members")
    model = RegisterTableModel(reg)
    model.set_rows(records.list_rows(demo_db, "party_members"))
    qtmodeltester.check(model)
    # The tester stays attached: every change below is checked signal by signal.
    model.set_search("党支部")
    model.sort(1, Qt.SortOrder.DescendingOrder)
    first = dict(model.row_at(0))
    model.upsert({**first, "work_unit": "新单位"})            # changed in place: dataChanged
    assert model.row_at(0)["work_unit"] == "新单位"
    model.upsert({**first, "id": 10**6})                       # new: beginInsertRows
    assert model.position_of(10**6) == model.rowCount() - 1
    model.remove(first["id"])                                  # gone: beginRemoveRows
    assert model.position_of(first["id"]) is None
    model.set_search("")
    qtmodeltester.check(model)


def test_search_narrows_and_widens(window, qtbot):
    view = open_register(window, "people")
    total = view.model.total
    view.search.insert("王")
    shown = view.model.rowCount()
    assert 0 < shown < total
    names = [view.model.row_at(i)["name"] for i in range(shown)]
    assert sum("王" in n for n in names) > shown // 2  # most hits by name, rest by address
    # Part of an ID number (typed digit by digit) finds that person.
    person = next(r for r in records.list_rows(window.db, "people") if r["id_number"])
    view.search.clear()
    qtbot.keyClicks(view.search, person["id_number"][-8:])
    hits = [view.model.row_at(i)["id"] for i in range(view.model.rowCount())]
    assert person["id"] in hits and len(hits) < 5
    assert "显示" in view.count_label.text()
    view.search.clear()
    assert view.model.rowCount() == total
    assert view.count_label.text() == f"共 {total:,} 条"


def test_search_terms_all_must_match(window):
    view = open_register(window, "party_members")
    view.search.setText("男 大学本科")
    for i in range(view.model.rowCount()):
        row = view.model.row_at(i)
        assert row["person_gender"] == "男" and row["person_education"] == "大学本科"


def test_sort_by_any_column(window, qtbot):
    view = open_register(window, "party_members")
    col = [c.key for c in view.model.columns].index("joined_on")
    view.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    dates = [view.model.row_at(i)["joined_on"] for i in range(view.model.rowCount())]
    assert dates == sorted(dates)
    view.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    assert view.model.row_at(0)["joined_on"] == max(dates)


def test_filters_reload_the_query(window, demo_db):
    view = open_register(window, "mediation_cases")
    total = view.model.total
    view.status.setCurrentIndex(view.status.findText("调解中"))
    assert 0 < view.model.total < total
    assert all(view.model.row_at(i)["step"] == "调解中" for i in range(view.model.rowCount()))
    view.status.setCurrentIndex(0)
    view.community.setCurrentIndex(1)
    cid = view.community.currentData()
    assert all(view.model.row_at(i)["community_id"] == cid for i in range(view.model.rowCount()))
    view.community.setCurrentIndex(0)
    view.date_from.line.setText("2026-10-01")
    view.date_from.edited.emit()
    assert all(view.model.row_at(i)["received_on"] >= dt.date(2026, 10, 1)
               for i in range(view.model.rowCount()))
    assert view.model.total < total


def test_big_register_loads_in_background(window, qtbot, monkeypatch):
    monkeypatch.setattr(register_view, "BACKGROUND_ROWS", 10)
    view = open_register(window, "meeting_attendance")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
        assert view.loading
    assert view.model.total == records.count(window.db, "meeting_attendance")


def _fill(dialog: RecordDialog, **values) -> None:
    for key, value in values.items():
        editor = dialog.editors[key]
        if hasattr(editor, "setCurrentIndex") and not editor.isEditable():
            editor.setCurrentIndex(editor.findText(value))
        elif hasattr(editor, "line"):
            editor.line.setText(value)
        else:
            editor.setText(value)


def test_add_edit_delete_restore(window, dialogs, qtbot, message_boxes):
    view = open_register(window, "legal_activities")
    before = view.model.total

    def add(d: RecordDialog):
        assert d.windowTitle() == "新增普法活动"
        _fill(d, title="民法典进小区", activity_type="法治讲座", held_on="2026/11/20",
              audience_count="45")
        d.save_button.click()
    dialogs.on(RecordDialog, add)
    window.act_add.trigger()
    assert view.model.total == before + 1
    row = view.current_row()
    assert row["title"] == "民法典进小区" and row["held_on"] == dt.date(2026, 11, 20)
    assert records.get(window.db, "legal_activities", row["id"])["audience_count"] == 45

    def edit(d: RecordDialog):
        assert d.editors["title"].text() == "民法典进小区"
        d.editors["title"].setText("民法典进万家")
        d.save_button.click()
    dialogs.on(RecordDialog, edit)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)   # Enter edits the selected row
    assert records.get(window.db, "legal_activities", row["id"])["title"] == "民法典进万家"
    pos = view.model.position_of(row["id"])
    assert view.model.text(pos, 0) == "民法典进万家"

    # Deleting and restoring run on the writer thread; the view announces when done.
    with qtbot.waitSignal(view.records_changed):
        qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert message_boxes.shown[-1][0] == "input"
    stored = records.get(window.db, "legal_activities", row["id"])
    assert stored["deleted_at"] is not None and stored["deleted_reason"] == "录入错误"
    assert view.model.position_of(row["id"]) is None
    assert view.model.total == before

    view.deleted.setChecked(True)
    assert view.select_record(row["id"])
    with qtbot.waitSignal(view.records_changed):
        window.act_restore.trigger()
    assert records.get(window.db, "legal_activities", row["id"])["deleted_at"] is None


def test_validation_shown_and_nothing_saved(window, dialogs):
    view = open_register(window, "people")
    before = records.count(window.db, "people")
    seen = {}

    def bad(d: RecordDialog):
        _fill(d, id_number="11010519800101001X")   # wrong check digit
        d.editors["id_number"].edited.emit()         # leaving the field checks it at once
        seen["inline"] = d.errors["id_number"].text()
        d.save_button.click()                         # and 保存 shows every problem
        seen["name"] = d.errors["name"].text()
        seen["visible"] = not d.errors["name"].isHidden()
        seen["result"] = d.result()
    dialogs.on(RecordDialog, bad)
    window.act_add.trigger()
    assert "校验位" in seen["inline"]
    assert seen["name"] == "必须填写" and seen["visible"]
    assert seen["result"] == 0
    assert records.count(window.db, "people") == before
    assert view.model.total == before


def test_required_fields_are_marked(window, dialogs):
    open_register(window, "party_orgs")
    labels = {}

    def look(d: RecordDialog):
        from PySide6.QtWidgets import QLabel
        for lab in d.findChildren(QLabel):
            if lab.buddy() is not None:
                labels[lab.buddy().objectName()] = lab.text()
    dialogs.on(RecordDialog, look)
    window.act_add.trigger()
    assert "*" in labels["field_name"] and "*" in labels["field_org_type"]
    assert "*" not in labels["field_founded_on"]


def test_escape_cancels_without_changes(window, dialogs, qtbot):
    view = open_register(window, "trainings")
    view.select_position(0)
    row = view.current_row()

    def esc(d: RecordDialog):
        d.editors["topic"].setText("改了但不保存")
        qtbot.keyClick(d, Qt.Key.Key_Escape)
    dialogs.on(RecordDialog, esc)
    window.act_edit.trigger()
    assert records.get(window.db, "trainings", row["id"])["topic"] == row["topic"]


def test_warning_needs_confirmation(window, dialogs, message_boxes):
    from tests.data.ids import make_id
    open_register(window, "people")
    idn = make_id("19800101", 777)

    def add(d: RecordDialog):
        _fill(d, name="测试人", id_number=idn, birth_date="1990-01-01")
        d.save_button.click()
    message_boxes.answer = message_boxes.answer.No
    dialogs.on(RecordDialog, add)
    window.act_add.trigger()
    assert message_boxes.shown[-1][0] == "question" and "出生日期" in message_boxes.shown[-1][2]
    assert not records.list_rows(window.db, "people", filters={"id_number": idn})
    message_boxes.answer = message_boxes.answer.Yes
    dialogs.on(RecordDialog, add)
    window.act_add.trigger()
    assert records.list_rows(window.db, "people", filters={"id_number": idn})


def test_compound_filter_through_households(window):
    view = open_register(window, "people")
    assert view.compound is not None
    assert query.link(view.reg, "compound_id").key == "household_id"
    view.community.setCurrentIndex(1)
    community = view.community.currentData()
    offered = [view.compound.itemData(i) for i in range(1, view.compound.count())]
    compounds = {c["id"]: c for c in records.list_rows(window.db, "compounds")}
    assert offered and all(compounds[c]["community_id"] == community for c in offered)
    view.compound.setCurrentIndex(1)
    cid = view.compound.currentData()
    homes = {h["id"] for h in records.list_rows(window.db, "households",
                                                 filters={"compound_id": cid})}
    rows = view.model.visible_rows()
    assert rows and all(r["household_id"] in homes for r in rows)
    assert view.compound.currentText() in view.scope_text()
