"""The main window: tabs in the order of the source report, every register reachable, menus,
status bar, settings remembered, keyboard use."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.registry import REGISTERS
from app.ui.area_tab import ORG_TREE
from app.ui.main_window import MainWindow

from .conftest import TODAY, open_register

AREA_ORDER = ["总览", "党建引领", "自治基础", "法治保障", "德治支撑", "服务群众", "干部担当", "基础信息"]


def test_title_tabs_and_menus(window, demo_db):
    assert window.windowTitle() == f"社区治理台账 — {demo_db.name}"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == AREA_ORDER
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)", "帮助(&H)"]
    assert window.act_add.shortcut().toString() == "Ctrl+N"
    assert demo_db.name in window.db_label.text()
    assert "人员 2,400 人" in window.totals_label.text()


def test_every_register_opens_with_its_rows(window, demo_db):
    from app.services import records
    seen = set()
    for tab in window.area_tabs:
        window.tabs.setCurrentWidget(tab)
        for key in tab.keys:
            page = tab.open_register(key)
            if key == ORG_TREE:
                assert page.tree.topLevelItemCount() > 0
                continue
            seen.add(key)
            assert page.isVisible()
            if page.status is not None and page.status.currentData() is not None:
                # 党员 open on the roll (在册); 全部状态 shows every row.
                assert 0 < page.model.rowCount() < records.count(demo_db, key), key
                page.status.setCurrentIndex(0)
            assert page.model.rowCount() == records.count(demo_db, key) > 0, key
            assert page.model.columnCount() == len(page.reg.columns)
            # The status bar names the register and its count.
            assert page.reg.label in window.count_label.text()
    assert seen == {r.key for r in REGISTERS}


def test_keyboard_switches_tabs_and_focuses_search(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "法治保障"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    view = window.current_view()
    assert view.search.hasFocus()
    view.search.insert("邻里")  # Chinese arrives from the input method, not as key presses
    assert 0 < view.model.rowCount() < view.model.total
    # ↓ from the search box goes to the first result.
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert view.table.hasFocus() and view.current_row() is not None


def test_tab_and_register_remembered(qtbot, window, demo_db, settings):
    open_register(window, "petitions")
    window.close()
    again = MainWindow(demo_db, settings, today=TODAY)
    qtbot.addWidget(again)
    assert again.tabs.tabText(again.tabs.currentIndex()) == "法治保障"
    assert again.current_tab().current_key() == "petitions"
    assert bool(settings.get("window/geometry"))


def test_about_names_version_and_database(window, message_boxes, demo_db):
    window.act_about.trigger()
    kind, title, text = message_boxes.shown[-1]
    assert kind == "about" and "0.1.0" in text and demo_db.location in text


def test_open_another_database(window, tmp_path, qtbot):
    from app.storage import Database
    other = tmp_path / "其他.db"
    Database(other).close()
    assert window.open_path(other)
    assert window.windowTitle().endswith("其他.db")
    view = open_register(window, "people")
    assert view.model.total == 0


def test_refuses_a_foreign_file(window, tmp_path, message_boxes):
    import sqlite3
    bad = tmp_path / "别的.db"
    con = sqlite3.connect(bad)
    con.execute("create table x (a)")
    con.close()
    assert not window.open_path(bad)
    assert message_boxes.shown[-1][0] == "critical"
    assert "不是社区治理台账的数据库" in message_boxes.shown[-1][2]


def test_mask_toggle_shows_full_ids(window):
    view = open_register(window, "people")
    col = [c.key for c in view.model.columns].index("id_number")
    assert "*" in view.model.text(0, col)
    window.act_mask.trigger()
    assert "*" not in view.model.text(0, col)
    assert len(view.model.text(0, col)) == 18


def test_tab_labels_match_the_declarations():
    from app.registry.base import AREA_LABELS as DECLARED
    from app.ui.main_window import AREA_LABELS, TAB_AREAS
    assert AREA_LABELS == {a: DECLARED.get(a, "总览") for a in TAB_AREAS}
    assert set(TAB_AREAS) == set(DECLARED) | {"overview"}


def test_keyboard_only_from_list_to_table_to_form(window, qtbot, dialogs):
    from app.ui.record_dialog import RecordDialog
    window.tabs.setCurrentIndex(6)   # 干部担当 (after 总览)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    tab = window.current_tab()
    assert tab.list.hasFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_Down)
    assert tab.current_key() == "cadre_assignments"
    qtbot.keyClick(tab.list, Qt.Key.Key_Return)
    view = tab.current_view()
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    seen = {}
    dialogs.on(RecordDialog, lambda d: seen.update(title=d.windowTitle()))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert seen["title"] == "修改分包社区"


def test_date_editor_calendar_pick_keeps_the_time(qtbot):
    import datetime as dt
    from PySide6.QtCore import QDate
    from app.registry import get
    from app.ui.fields import DateEditor
    held = DateEditor(get("party_meetings").field("held_at"))
    qtbot.addWidget(held)
    held.set_value(dt.datetime(2026, 3, 5, 14, 30))
    assert held.value() == "2026-03-05 14:30"
    held.pick(QDate(2026, 4, 1))
    assert held.value() == "2026-04-01 14:30"
    day = DateEditor(get("party_members").field("joined_on"))
    qtbot.addWidget(day)
    day.line.setText("2001.7.1")
    assert day.current_date() == dt.date(2001, 7, 1)
    day.pick(QDate(2001, 7, 2))
    assert day.value() == "2001-07-02"


def test_tables_fill_the_tab_with_or_without_reminders(window):
    for index in (1, 6, 7):   # 党建引领 (reminders), 干部担当 and 基础信息 (none)
        window.tabs.setCurrentIndex(index)
        tab = window.current_tab()
        tab.list.setCurrentRow(len(tab.keys) - 1)
        assert tab.stack.height() > window.height() * 0.6, tab.title


def test_calendar_opens_with_f4_and_picks_with_the_keyboard(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QTableView
    from app.registry import get
    from app.ui.fields import DateEditor
    editor = DateEditor(get("party_members").field("joined_on"))
    qtbot.addWidget(editor)
    editor.show()
    editor.line.setText("2020-05-06")
    seen = {}

    def in_calendar():
        cal = editor.calendar
        seen["shown"] = cal.selectedDate().toString("yyyy-MM-dd")
        grid = cal.findChild(QTableView)
        seen["focus"] = QApplication.focusWidget() is grid
        qtbot.keyClick(grid, Qt.Key.Key_Right)
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    QTimer.singleShot(50, in_calendar)
    qtbot.keyClick(editor.line, Qt.Key.Key_F4)   # returns when the calendar closed
    assert seen == {"shown": "2020-05-06", "focus": True}
    assert editor.value() == "2020-05-07"


def test_upgrading_an_old_database_says_where_the_backup_is(window, tmp_path):
    from app.storage import Database
    path = tmp_path / "旧版.db"
    Database(path, to_revision="0001").close()
    assert window.open_path(path)
    message = window.statusBar().currentMessage()
    assert "已备份" in message and "旧版.备份" in message
    assert window.db.backup_path.exists()


def test_window_title_has_no_suffix_added_by_qt(qapp):
    """Qt appends QGuiApplication.applicationDisplayName to window titles on X11/Windows;
    the title must stay exactly 社区治理台账 — <file>, so make_app must not set one."""
    from app.ui.app import make_app
    app = make_app()
    assert app.applicationDisplayName() == app.applicationName() == "taizhang"
