"""Workflows advanced in order through the 推进 dialog; the person picker (search, create in
place, existing ID offered instead of a duplicate)."""

from __future__ import annotations

import datetime as dt

from app.services import records
from app.ui.person_picker import PersonPickerDialog
from app.ui.record_dialog import RecordDialog
from app.ui.workflow_dialog import AdvanceDialog
from tests.data.ids import make_id

from .conftest import TODAY, open_register
from app.services.access import system


def _select_step(view, step: str) -> dict:
    for pos in range(view.model.rowCount()):
        if view.model.row_at(pos)["step"] == step:
            view.select_position(pos)
            return view.model.row_at(pos)
    raise AssertionError(f"no row at {step}")


def test_consultation_advances_one_step_only(window, dialogs):
    view = open_register(window, "consultations")
    row = _select_step(view, "征集议题")
    assert window.act_advance.isEnabled()
    offered = {}

    def advance(d: AdvanceDialog):
        offered["steps"] = [d.step.itemText(i) for i in range(d.step.count())]
        offered["history"] = d.history.rowCount()
        d.date.line.setText("2026-11-24")
        d.note.setPlainText("党组织会议提议")
        d.ok_button.click()
    dialogs.on(AdvanceDialog, advance)
    window.act_advance.trigger()
    # Only the next step is offered: 两委商议 and later cannot be reached by skipping.
    assert offered["steps"] == ["党组织提议"]
    assert offered["history"] >= 1
    stored = records.get(window.db, "consultations", row["id"])
    assert stored["step"] == "党组织提议" and stored["step_date"] == dt.date(2026, 11, 24)
    # The table shows the current step at once.
    col = [c.key for c in view.model.columns].index("step")
    assert view.model.text(view.model.position_of(row["id"]), col) == "党组织提议"
    assert records.history(window.db, "consultations", row["id"])[-1]["note"] == "党组织会议提议"


def test_advance_refuses_a_date_before_the_last_step(window, dialogs):
    view = open_register(window, "consultations")
    row = _select_step(view, "征集议题")
    seen = {}

    def too_early(d: AdvanceDialog):
        d.date.line.setText("1999-01-01")
        d.ok_button.click()
        seen["error"] = d.error.text()
        seen["result"] = d.result()
    dialogs.on(AdvanceDialog, too_early)
    window.act_advance.trigger()
    assert "早于上一步的日期" in seen["error"] and seen["result"] == 0
    assert records.get(window.db, "consultations", row["id"])["step"] == "征集议题"


def test_mediation_branches_and_last_step(window, dialogs):
    view = open_register(window, "mediation_cases")
    row = _select_step(view, "调解中")
    seen = {}

    def close_case(d: AdvanceDialog):
        seen["steps"] = [d.step.itemText(i) for i in range(d.step.count())]
        d.step.setCurrentIndex(d.step.findText("调解成功"))
        d.ok_button.click()
    dialogs.on(AdvanceDialog, close_case)
    window.act_advance.trigger()
    assert seen["steps"] == ["调解成功", "调解不成功", "终止", "转办"]
    stored = records.get(window.db, "mediation_cases", row["id"])
    # The step's date defaults to the window's today (the demo's day), not the machine's.
    assert stored["step"] == "调解成功" and stored["closed_on"] == TODAY

    def at_end(d: AdvanceDialog):
        seen["ok"] = d.ok_button.isEnabled()
        seen["error"] = d.error.text()
    view.select_record(row["id"])
    dialogs.on(AdvanceDialog, at_end)
    window.act_advance.trigger()
    assert not seen["ok"] and "最后一步" in seen["error"]


def test_advance_disabled_without_workflow(window):
    open_register(window, "petitions")
    assert not window.act_advance.isEnabled()


def _new_id(seq: int) -> str:
    return make_id("19850315", seq, "110108")


def test_member_added_with_person_picked_by_id(window, dialogs, qtbot):
    view = open_register(window, "party_members")
    person = records.create(window.db, "people", {"name": "王某某", "id_number": _new_id(11)},
                            system("测试"))
    org = records.list_rows(window.db, "party_orgs", filters={"org_type": "党支部"})[0]
    found = {}

    def pick(p: PersonPickerDialog):
        qtbot.keyClicks(p.search, person["id_number"][-6:].lower())
        p.refresh()
        found["rows"] = [r["id"] for r in p.rows]
        p.choose_button.click()

    def form(d: RecordDialog):
        d.editors["person_id"].pick_button.click()
        d.editors["org_id"].setCurrentIndex(d.editors["org_id"].findData(org["id"]))
        d.editors["joined_on"].line.setText("2020-07-01")
        d.save_button.click()
    dialogs.on(RecordDialog, form)
    dialogs.on(PersonPickerDialog, pick)
    window.act_add.trigger()
    assert found["rows"] == [person["id"]]
    members = records.list_rows(window.db, "party_members", filters={"person_id": person["id"]})
    assert len(members) == 1 and members[0]["org_id"] == org["id"]
    assert view.current_row()["person_name"] == "王某某"


def test_picker_creates_a_new_person_in_place(qtbot, demo_db, dialogs):
    picker = PersonPickerDialog(None, demo_db, text="赵新人")
    qtbot.addWidget(picker)
    assert picker.rows == [] and "没有找到" in picker.status.text()

    def create(d: RecordDialog):
        assert d.editors["name"].text() == "赵新人"   # what was searched is carried over
        d.editors["id_number"].setText(_new_id(21))
        d.save_button.click()
    dialogs.on(RecordDialog, create)
    picker.new_button.click()
    assert picker.result() == 1 and picker.chosen["name"] == "赵新人"
    assert records.list_rows(demo_db, "people", filters={"id_number": _new_id(21)})


def test_existing_id_offered_instead_of_duplicate(qtbot, demo_db, dialogs):
    existing = next(r for r in records.list_rows(demo_db, "people", limit=50, reveal=True)
                    if r["id_number"])
    before = records.count(demo_db, "people")
    picker = PersonPickerDialog(None, demo_db)
    qtbot.addWidget(picker)
    seen = {}

    def create(d: RecordDialog):
        d.editors["name"].setText("重复录入")
        d.editors["id_number"].setText(existing["id_number"].lower())
        d.editors["id_number"].edited.emit()
        seen["offer"] = d.existing_label.text()
        seen["shown"] = not d.existing_bar.isHidden()
        d.use_existing_button.click()
    dialogs.on(RecordDialog, create)
    picker.new_button.click()
    assert seen["shown"] and existing["name"] in seen["offer"]
    assert picker.chosen["id"] == existing["id"]
    assert records.count(demo_db, "people") == before


def test_duplicate_id_in_people_register_is_refused_beside_the_field(window, dialogs):
    open_register(window, "people")
    existing = next(r for r in records.list_rows(window.db, "people", limit=50, reveal=True)
                    if r["id_number"])
    seen = {}

    def dup(d: RecordDialog):
        d.editors["name"].setText("重复")
        d.editors["id_number"].setText(existing["id_number"])
        d.save_button.click()
        seen["error"] = d.errors["id_number"].text()
    dialogs.on(RecordDialog, dup)
    window.act_add.trigger()
    assert "已登记" in seen["error"] and existing["name"] in seen["error"]


def test_person_created_in_a_member_form_reaches_the_people_table(window, dialogs):
    people = open_register(window, "people")
    before = people.model.total
    members = open_register(window, "party_members")
    org = records.list_rows(window.db, "party_orgs", filters={"org_type": "党支部"})[0]

    def new_person(d: RecordDialog):
        d.editors["name"].setText("孙新党员")
        d.editors["id_number"].setText(_new_id(31))
        d.save_button.click()

    def pick(p: PersonPickerDialog):
        p.search.setText("孙新党员")
        p.refresh()
        assert p.rows == []
        p.new_button.click()

    def form(d: RecordDialog):
        d.editors["person_id"].pick_button.click()
        d.editors["org_id"].setCurrentIndex(d.editors["org_id"].findData(org["id"]))
        d.editors["joined_on"].line.setText("2024-07-01")
        d.save_button.click()
    dialogs.on(RecordDialog, form)
    dialogs.on(PersonPickerDialog, pick)
    dialogs.on(RecordDialog, new_person)
    window.act_add.trigger()
    assert members.current_row()["person_name"] == "孙新党员"
    assert people.stale  # hidden: reloads when shown
    people = open_register(window, "people")
    assert people.model.total == before + 1


def test_enter_in_the_person_field_opens_the_picker_only(qtbot, demo_db, dialogs):
    from app.registry import get
    from PySide6.QtCore import Qt
    form = RecordDialog(None, demo_db, get("petitions"))
    qtbot.addWidget(form)
    form.show()
    opened = []
    dialogs.on(PersonPickerDialog, lambda p: opened.append(p))
    qtbot.keyClick(form.editors["petitioner_id"].line, Qt.Key.Key_Return)
    assert len(opened) == 1
    # 保存 was not triggered: it would have marked the empty required fields.
    assert not any(label.text() for label in form.errors.values())


def test_picker_keyboard_search_move_and_choose(qtbot, demo_db):
    from PySide6.QtCore import Qt
    picker = PersonPickerDialog(None, demo_db)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker.search, "zzz")          # nothing found …
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.isVisible() and picker.rows == []  # … and Enter does not close the picker
    picker.search.clear()
    picker.search.insert("王")                       # from the input method
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # search now
    assert len(picker.rows) > 2
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.table.currentRow() == 2
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # choose
    assert picker.result() == 1 and picker.chosen["id"] == picker.rows[2]["id"]
