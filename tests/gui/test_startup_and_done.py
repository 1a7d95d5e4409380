"""Starting the GUI the way `taizhang` does, and the issue's "done" walk-through: open the demo
database, find 王某 by part of a name or ID, edit a record, advance a consultation one step,
see which branches are behind, every register of the six areas present."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.registry import REGISTERS
from app.services import records
from app.ui import app as gui
from app.ui.record_dialog import RecordDialog
from app.ui.workflow_dialog import AdvanceDialog

from .conftest import open_register


def test_start_gui_paints_first_then_offers_demo_data(qtbot, tmp_path, settings, message_boxes):
    path = tmp_path / "新台账.db"
    _app, window = gui.start_gui(path, settings)
    qtbot.addWidget(window)
    # Shown at once, before the database is open: placeholder tabs, title without a file.
    assert window.isVisible() and window.db is None
    assert isinstance(window.tabs.widget(0), QLabel)
    qtbot.waitUntil(lambda: window.db is not None, timeout=10000)
    assert window.windowTitle() == "社区治理台账 — 新台账.db"
    # The database was empty: demo data was offered and (answered 是) loaded in the background.
    assert message_boxes.shown[0][0] == "question" and "演示" in message_boxes.shown[0][2]
    qtbot.waitUntil(lambda: window.demo_task.finished, timeout=30000)
    assert records.count(window.db, "people") == 2400
    view = open_register(window, "people")
    assert view.model.total == 2400
    assert "人员 2,400 人" in window.totals_label.text()
    window.db.close()


def test_start_gui_on_an_unreadable_file_asks_for_another(qtbot, tmp_path, settings,
                                                          message_boxes, monkeypatch):
    bad = tmp_path / "坏文件.db"
    bad.write_bytes(b"this is not a database" * 100)
    from app.ui.main_window import MainWindow
    asked = []
    monkeypatch.setattr(MainWindow, "on_open_database", lambda self: asked.append(True))
    _app, window = gui.start_gui(bad, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert window.db is None
    assert message_boxes.shown[0][0] == "critical"
    # Whatever the user does in that file dialog, they can still open a database later.
    assert window.act_open.isEnabled() and window.act_new_db.isEnabled()
    assert not window.act_add.isEnabled()


def test_done_walk_through(window, dialogs, qtbot):
    # Every register of the six areas (and the basics) is in some tab's list.
    listed = {key for tab in window.area_tabs for key in tab.keys}
    assert {r.key for r in REGISTERS} <= listed

    # Find 王某 by part of the name …
    people = open_register(window, "people")
    people.search.insert("王")
    wang = people.model.row_at(0)
    assert "王" in wang["name"]
    # … and by part of the ID number.
    wang = next(r for r in people.model.visible_rows() if r["id_number"])
    people.search.clear()
    qtbot.keyClicks(people.search, wang["id_number"][6:14])
    assert wang["id"] in [r["id"] for r in people.model.visible_rows()]

    # Edit that record.
    people.select_record(wang["id"])

    def edit(d: RecordDialog):
        d.editors["phone"].setText("13912345678")
        d.save_button.click()
    dialogs.on(RecordDialog, edit)
    window.act_edit.trigger()
    assert records.get(window.db, "people", wang["id"])["phone"] == "13912345678"

    # Advance a consultation item one step.
    items = open_register(window, "consultations")
    pos = next(p for p in range(items.model.rowCount())
               if items.model.row_at(p)["step"] == "两委商议")
    item = items.model.row_at(pos)
    items.select_position(pos)

    def advance(d: AdvanceDialog):
        d.ok_button.click()
    dialogs.on(AdvanceDialog, advance)
    window.act_advance.trigger()
    assert records.get(window.db, "consultations", item["id"])["step"] == "居民(代表)会议决议"

    # See which branches are behind.
    window.tabs.setCurrentIndex(1)  # 党建引领, after 总览
    panel = window.current_tab().reminders
    behind = next(panel.topLevelItem(i) for i in range(panel.topLevelItemCount())
                  if panel.topLevelItem(i).text(0).startswith("三会一课未按期"))
    assert behind.childCount() >= 1


def test_damaged_file_refused_with_a_message(window, tmp_path, message_boxes, demo_db):
    bad = tmp_path / "损坏.db"
    bad.write_bytes(b"\x00garbage" * 500)
    assert not window.open_path(bad)
    kind, _title, text = message_boxes.shown[-1]
    assert kind == "critical" and "损坏.db" in text and "不是数据库文件，或已经损坏" in text
    assert window.db is not None and window.db.name == demo_db.name  # still on the old one


def test_missing_last_database_is_not_recreated(qtbot, tmp_path, settings, message_boxes,
                                                monkeypatch):
    gone = tmp_path / "U盘" / "台账.db"
    settings.set("database/last", str(gone))
    monkeypatch.setenv("TAIZHANG_HOME", str(tmp_path / "home"))
    message_boxes.answer = message_boxes.answer.No
    _app, window = gui.start_gui(None, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.db is not None, timeout=10000)
    assert not gone.exists()
    assert window.db.path == tmp_path / "home" / "taizhang.db"
    assert "已不存在" in window.statusBar().currentMessage()
    window.db.close()
