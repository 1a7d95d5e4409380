"""编辑 → 回收站: a deleted record is listed (register, title, when, by whom, why); 恢复 brings
it back into its register's view through the records service and the window's
``data_changed``, and the log says so; a refused restore shows the service's message and
changes nothing; a 查阅员 sees the bin but cannot restore."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import audit, recycle, records
from app.services.access import VIEWER, Actor, PermissionDenied, system
from app.ui.main_window import MainWindow
from app.ui.recycle_bin import RecycleBin
from tests.data.unique_lost import drop_unique_and_copy

from .conftest import TODAY, open_register

ZHANG = system("张三")


def _shown(bin_: RecycleBin) -> list[tuple[str, ...]]:
    m = bin_.model
    return [tuple(m.data(m.index(r, c), Qt.ItemDataRole.DisplayRole)
                  for c in range(m.columnCount())) for r in range(m.rowCount())]


def _open(window) -> RecycleBin:
    window.act_recycle.trigger()
    bin_ = window.recycle_bin
    bin_.ensure_loaded()
    return bin_


def _select(bin_: RecycleBin, record_id: int) -> None:
    pos = next(r for r in range(bin_.model.rowCount())
               if bin_.model.row_at(r)["id"] == record_id)
    bin_.table.selectRow(pos)


def _window(qtbot, db, settings) -> MainWindow:
    w = MainWindow(db, settings, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_bin_lists_a_deleted_record_and_restore_brings_it_back(window, demo_db, qtbot):
    view = open_register(window, "people")
    person = view.model.row_at(0)
    deleted = records.soft_delete(demo_db, "people", person["id"], ZHANG, "户籍迁出")
    window.data_changed.emit(deleted.changes)
    view.ensure_loaded()
    assert view.model.position_of(person["id"]) is None  # gone from the register's view
    assert window.act_recycle.shortcut().toString() == "Ctrl+Shift+R"

    bin_ = _open(window)
    assert bin_.isVisible()
    [row] = _shown(bin_)
    assert row[:3] == ("人员信息", person["name"], str(person["id"]))
    assert row[4:] == ("张三", "户籍迁出")
    assert row[3] == f"{deleted['deleted_at']:%Y-%m-%d %H:%M}"
    assert bin_.status.text().startswith("共 1 条")
    assert not bin_.restore_button.isEnabled()  # nothing selected yet

    bin_.search.setText(person["name"])
    bin_.table.selectRow(0)
    qtbot.keyClick(bin_.search, Qt.Key.Key_Return)  # Enter in the search restores nothing
    assert bin_.write_task is None and bin_.isVisible()
    _select(bin_, person["id"])
    assert bin_.restore_button.isEnabled()
    with qtbot.wait_signal(bin_.restored, timeout=30000) as restored:
        qtbot.mouseClick(bin_.restore_button, Qt.MouseButton.LeftButton)
    assert person["id"] in restored.args[0].ids["people"]
    view.ensure_loaded()
    assert view.model.position_of(person["id"]) is not None  # back in its register
    last = audit.read(demo_db, demo_db.actor, limit=1)[0]
    assert (last["action"], last["register"], last["record_id"]) == \
        ("restore", "people", person["id"])
    assert last["actor"] == demo_db.actor.name
    bin_.ensure_loaded()
    assert _shown(bin_) == [] and "已恢复 1 条记录" in bin_.status.text()


def test_refused_restore_shows_the_message_and_changes_nothing(
        qtbot, demo_db, settings, message_boxes, sqlite_only):
    a, b = records.list_rows(demo_db, "people", limit=2)
    records.soft_delete(demo_db, "people", a["id"], ZHANG, "")
    # A file whose UNIQUE constraint was lost: live b now holds a's 身份证号 (the services
    # never write such a duplicate; see tests/data/unique_lost.py).
    demo_db.engine.dispose()
    drop_unique_and_copy(demo_db.path, "people", "id_number", a["id"], b["id"])
    w = _window(qtbot, demo_db, settings)
    try:
        view = open_register(w, "people")
        bin_ = _open(w)
        before = audit.read(demo_db, demo_db.actor, limit=1)[0]["id"]
        _select(bin_, a["id"])
        bin_.on_restore()
        bin_.ensure_loaded()  # the write refused, and the list read again
        assert bin_.write_task.finished
        kind, title, text = message_boxes.shown[-1]
        assert (kind, title) == ("warning", "不能恢复")
        assert f"已登记在“{b['name']}”（编号 {b['id']}）" in text and "请勿重复录入" in text
        assert [r[2] for r in _shown(bin_)] == [str(a["id"])]  # still in the bin
        assert audit.read(demo_db, demo_db.actor, limit=1)[0]["id"] == before
        assert view.model.position_of(a["id"]) is None
        assert records.get(demo_db, "people", a["id"])["deleted_at"] is not None
    finally:
        w.remote.stop()


def test_viewer_role_sees_the_bin_but_cannot_restore(qtbot, demo_db, settings):
    p = records.list_rows(demo_db, "people", limit=1)[0]
    records.soft_delete(demo_db, "people", p["id"], ZHANG, "测试")
    viewer = Actor("小查", VIEWER)
    demo_db.actor = viewer
    w = _window(qtbot, demo_db, settings)
    try:
        assert w.act_recycle.isEnabled()
        bin_ = _open(w)
        _select(bin_, p["id"])
        assert not bin_.restore_button.isEnabled()
        assert "查阅员不能恢复" in bin_.restore_button.toolTip()
        bin_.on_restore()  # even when called, nothing is started
        assert bin_.write_task is None
        with pytest.raises(PermissionDenied, match="无权修改数据"):
            recycle.restore(demo_db, [("people", p["id"], None)], viewer)
        assert [r[2] for r in _shown(bin_)] == [str(p["id"])]
    finally:
        w.remote.stop()


def test_a_viewer_keeps_write_actions_disabled_on_every_register(qtbot, demo_db, settings):
    """Switching to a register enabled 新增/删除/恢复 (and export, print) whatever the role;
    the role now bounds what a register's view enables."""
    demo_db.actor = Actor("小查", VIEWER)
    w = _window(qtbot, demo_db, settings)
    try:
        open_register(w, "people")
        for a in (w.act_add, w.act_edit, w.act_delete, w.act_restore, w.act_export,
                  w.act_print, w.act_advance):
            assert not a.isEnabled(), a.text()
        assert w.act_find.isEnabled() and w.act_recycle.isEnabled()
    finally:
        w.remote.stop()
