"""What a clerk sees: the 党员 roll opens on the members on the roll (在册) — the same number the
organisation tree's caption gives — and the choice is remembered; Qt's own buttons and dialogs
speak Chinese; dialogs open at sizes where their content is readable."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.services import orgtree, records
from app.ui.area_tab import ORG_TREE

from .conftest import open_register
from app.services.access import system


def test_party_members_open_on_the_roll_and_the_choice_is_remembered(window, demo_db, settings):
    view = open_register(window, "party_members")
    assert view.status.currentText() == "在册"
    on_roll = [r for r in records.list_rows(demo_db, "party_members") if r["status"] == "在册"]
    assert view.model.rowCount() == len(on_roll) < records.count(demo_db, "party_members")
    assert "在册" in view.scope_text()  # the printed 花名册 says what it lists
    # The tree's caption and the member table beside it give the same number.
    panel = window.current_tab().open_register(ORG_TREE)
    branch = next(n for r in orgtree.build_tree(demo_db) for n in r.walk() if n.children)
    panel.select_org(branch.id)
    assert f"在册党员 {branch.total} 人" in panel.caption.text()
    assert panel.members.model.rowCount() == branch.total
    # The status bar's total is the roll too: the sum of the tree's top organisations.
    roll = sum(r.total for r in orgtree.build_tree(demo_db))
    assert f"在册党员 {roll:,} 人" in window.totals_label.text()
    # The user wants everyone: remembered for the next window.
    view.status.setCurrentIndex(view.status.findText("全部状态"))
    assert view.model.rowCount() == records.count(demo_db, "party_members")
    assert settings.get("view/party_members/status") == ""


def test_a_remembered_status_choice_is_used(qtbot, demo_db, settings):
    from app.ui.main_window import MainWindow
    settings.set("view/party_members/status", "转出")
    w = MainWindow(demo_db, settings)
    qtbot.addWidget(w)
    view = open_register(w, "party_members")
    assert view.status.currentText() == "转出"
    assert {r["status"] for r in view.model.visible_rows()} == {"转出"}


def test_registers_without_a_default_show_every_status(window, demo_db):
    view = open_register(window, "mediation_cases")
    assert view.status.currentData() is None
    assert view.model.rowCount() == records.count(demo_db, "mediation_cases")


def test_standard_buttons_are_chinese(qtbot):
    from app.ui.app import make_app
    make_app()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts & {"取消", "确定"}, texts
    from PySide6.QtWidgets import QCalendarWidget
    cal = QCalendarWidget()
    qtbot.addWidget(cal)
    assert cal.locale().monthName(11) == "十一月"


def test_search_hint_names_what_the_register_is_searched_by(window):
    view = open_register(window, "streets")
    hint = view.search.placeholderText()
    assert hint.startswith("搜索街道：街道名称") and "身份证" not in hint
    members = open_register(window, "party_members").search
    # Short words, so the hint fits at 1366×768; the whole of it is in the tooltip.
    assert members.placeholderText() == "搜索党员：姓名、身份证号、电话…"
    assert members.placeholderText() in members.toolTip()


def test_basics_opens_on_the_people(window, settings):
    from app.ui.main_window import TAB_AREAS
    window.tabs.setCurrentIndex(TAB_AREAS.index("basics"))
    assert window.current_tab().current_key() == "people"
    window.current_tab().open_register("streets")
    assert settings.get("area/basics/register") == "streets"  # a choice is still remembered


def test_form_rows_keep_their_height_and_help_shows_in_the_box(qtbot, demo_db):
    from app.registry import get
    from app.ui.record_dialog import RecordDialog
    new = RecordDialog(None, demo_db, get("mediation_cases"), actor=system("测试"))
    qtbot.addWidget(new)
    assert "自动编号" in new.editors["case_no"].placeholderText()
    row = max(records.list_rows(demo_db, "mediation_cases"),
              key=lambda r: len(r["applicant_id__title"] or ""))
    dlg = RecordDialog(None, demo_db, get("mediation_cases"), row, actor=system("测试"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    # A person (name · ID · phone · community) can be read whole, and the person and date
    # fields are no taller than a line of text.
    line = dlg.editors["applicant_id"].line
    assert line.fontMetrics().horizontalAdvance(line.text()) < line.contentsRect().width()
    line_h = dlg.editors["case_no"].height()
    for key in ("applicant_id", "received_on"):
        assert dlg.editors[key].height() <= line_h + 8, key


def test_workflow_step_is_the_second_column(window):
    view = open_register(window, "mediation_cases")
    keys = [c.key for c in view.model.columns]
    header = view.table.horizontalHeader()
    assert header.visualIndex(keys.index("step")) == 1
    assert header.logicalIndex(0) == keys.index("case_no")


def test_about_works_before_a_database_is_open(qtbot, settings, message_boxes):
    from app.ui.main_window import MainWindow
    w = MainWindow(None, settings)
    qtbot.addWidget(w)
    assert w.act_about.isEnabled()
    w.act_about.trigger()
    assert message_boxes.shown[-1][0] == "about" and "尚未打开数据库" in message_boxes.shown[-1][2]


def test_ctrl_s_saves_a_form(qtbot, demo_db):
    from PySide6.QtCore import Qt
    from app.registry import get
    from app.ui.record_dialog import RecordDialog
    row = records.list_rows(demo_db, "party_meetings")[0]
    dlg = RecordDialog(None, demo_db, get("party_meetings"), row, actor=system("测试"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    dlg.editors["place"].setText("新址会议室")
    dlg.editors["place"].setFocus()
    qtbot.keyClick(dlg.editors["place"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dlg.saved is not None
    assert records.get(demo_db, "party_meetings", row["id"])["place"] == "新址会议室"


def test_import_report_leaves_only_finish(qtbot, demo_db, tmp_path, message_boxes):
    from PySide6.QtWidgets import QWizard
    from app.ui.import_wizard import ImportWizard
    from tests.data import make_corpus as mc
    orgs = [r["name"] for r in records.list_rows(demo_db, "party_orgs")
            if r["org_type"] == "党支部"]
    path = mc.make_district_roster(tmp_path / "d.xlsx", *orgs[:2])
    wiz = ImportWizard(None, demo_db, "party_members", actor=system("测试"))
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path_edit.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.layout_page, timeout=10000)
    wiz.next(), wiz.next(), wiz.next()
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=10000)
    cancel = wiz.button(QWizard.WizardButton.CancelButton)
    assert cancel.isVisible()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.report_page.isComplete(), timeout=10000)
    assert "导入完成" in wiz.report_page.report.text()
    assert "导入记录与撤销" in wiz.report_page.report.text()  # the menu item's own name
    assert not cancel.isVisible()
    assert wiz.button(QWizard.WizardButton.FinishButton).isVisible()


def test_preview_says_what_an_unchanged_row_is():
    from app.excel.plan import PlanRow
    from app.ui.excel_dialogs import summary
    assert summary(PlanRow(sheet="党员", row=3, status="unchanged")) == "与程序中的记录相同，不修改"


def test_form_grows_to_show_its_messages(qtbot, demo_db):
    from app.registry import get
    from app.ui.record_dialog import RecordDialog
    person = next(p for p in records.list_rows(demo_db, "people", reveal=True) if p["id_number"])
    dlg = RecordDialog(None, demo_db, get("people"), offer_existing=True,
                       initial={"name": "张三"}, actor=system("测试"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    before = dlg.height()
    dlg.editors["id_number"].setText(person["id_number"])
    dlg.editors["id_number"].edited.emit()
    dlg.on_save()  # refused: the ID number is registered already
    assert dlg.saved is None and dlg.existing_bar.isVisible()
    # It grows up to the cap (760 px, or the screen); beyond that the form scrolls, as on
    # this small test screen where the form has one column of fields.
    from app.ui.sizing import screen_room
    cap = min(760, screen_room(dlg)[1])
    if before < cap:
        qtbot.waitUntil(lambda: dlg.height() > before)
    chrome = dlg.height() - dlg.scroll.viewport().height()
    if dlg.body.sizeHint().height() + chrome <= cap:
        qtbot.waitUntil(lambda: not dlg.scroll.verticalScrollBar().isVisible())


def test_an_empty_table_says_why(qtbot, db, settings, window):
    from app.ui.main_window import MainWindow
    empty = MainWindow(db, settings)
    qtbot.addWidget(empty)
    view = open_register(empty, "petitions")
    assert "还没有记录" in view.count_label.text() and "Ctrl+N" in view.count_label.text()
    view = open_register(window, "people")
    view.search.setText("查无此人乙丙丁")
    assert view.count_label.text().startswith("没有包含“查无此人乙丙丁”的记录")
    view.search.clear()
    view = open_register(window, "mediation_cases")
    view.date_from.line.setText("2099-01-01")
    view.date_from.edited.emit()
    qtbot.waitUntil(lambda: not view.loading)
    assert view.count_label.text() == "没有符合筛选条件的记录。"


def test_first_window_fits_the_screen(qtbot, settings):
    from app.ui.main_window import MainWindow
    w = MainWindow(None, settings)
    qtbot.addWidget(w)
    room = w.screen().availableGeometry()
    assert w.width() <= min(1280, room.width()) and w.height() <= min(800, room.height())


def test_a_failed_start_does_not_say_opening_forever(qtbot, tmp_path, settings, message_boxes,
                                                     monkeypatch):
    from PySide6.QtWidgets import QLabel
    from app.ui import app as gui
    from app.ui.main_window import MainWindow
    bad = tmp_path / "坏文件.db"
    bad.write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(MainWindow, "on_open_database", lambda self: None)  # cancelled
    _app, window = gui.start_gui(bad, settings)
    qtbot.addWidget(window)
    label = window.tabs.widget(0)
    assert isinstance(label, QLabel) and "正在打开" in label.text()
    qtbot.waitUntil(lambda: "没有打开数据库" in label.text(), timeout=10000)
    assert "Ctrl+O" in label.text()


def test_dialogs_fit_a_small_screen(qtbot, demo_db):
    # The offscreen screen is smaller than the import wizard's and the preview's usual size.
    from app.ui.import_wizard import ImportWizard
    from app.ui.sizing import screen_room
    wiz = ImportWizard(None, demo_db, "party_members")
    qtbot.addWidget(wiz)
    room_w, room_h = screen_room(wiz)
    assert room_w < 980
    assert wiz.width() <= room_w and wiz.height() <= room_h
