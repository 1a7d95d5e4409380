"""工具 → 操作日志: the viewer shows what a hand-made sequence of writes left in the log (read
from the view's model as displayed), its filters by account, action, register and dates, the
search, the export of the rows shown (read back with openpyxl, and itself audited), and that
a 查阅员 can neither open it nor read the log through the service."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt

from app.services import audit, records
from app.services.access import VIEWER, Actor, PermissionDenied, system
from app.ui.audit_view import AuditView
from app.ui.main_window import MainWindow
from tests.data.ids import make_id

from .conftest import TODAY

ZHANG, LI = system("张三"), system("李四")
IDN = make_id("19750315", "021", "320106")
MASKED = IDN[:6] + "*" * 8 + IDN[14:]


def _writes(db) -> int:
    """张三 adds a person on 11-03, 李四 changes the phone on 11-20, 张三 deletes on 11-21."""
    p = records.create(db, "people", {"name": "日志甲", "id_number": IDN,
                                      "phone": "13812345678"}, ZHANG,
                       now=dt.datetime(2026, 11, 3, 9, 0))
    records.update(db, "people", p["id"], {"phone": "13900001111"}, LI,
                   now=dt.datetime(2026, 11, 20, 10, 30))
    records.soft_delete(db, "people", p["id"], ZHANG, "重复录入",
                        now=dt.datetime(2026, 11, 21, 16, 0))
    return p["id"]


def _shown(view: AuditView) -> list[tuple[str, ...]]:
    m = view.model
    return [tuple(m.data(m.index(r, c), Qt.ItemDataRole.DisplayRole)
                  for c in range(m.columnCount())) for r in range(m.rowCount())]


def _open(window) -> AuditView:
    window.act_audit.trigger()
    view = window.audit_view
    view.ensure_loaded()
    return view


def _choose(view: AuditView, combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    view.ensure_loaded()


def test_viewer_shows_the_writes_masked_and_filters_by_account(window, demo_db):
    rid = _writes(demo_db)
    assert window.act_audit.isEnabled()
    assert window.act_audit.shortcut().toString() == "Ctrl+Shift+L"
    assert window.act_audit in window.menu_tools.actions()
    view = _open(window)
    assert view.isVisible()
    assert [view.model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(view.model.columnCount())] == ["时间", "账号", "操作", "台账",
                                                          "记录", "内容"]
    rows = _shown(view)
    # Newest first: the three writes lead (the demo's rows come after).
    delete, update, create = rows[:3]
    assert delete[:5] == ("2026-11-21 16:00:00", "张三", "删除", "人员信息",
                          f"日志甲（编号 {rid}）")
    assert delete[5] == "删除原因：重复录入"
    assert update[:3] == ("2026-11-20 10:30:00", "李四", "修改")
    assert update[5] == "联系电话：138****5678 → 139****1111"
    assert create[2] == "新增" and f"公民身份号码：{MASKED}" in create[5]
    assert not any(IDN in cell or "13812345678" in cell for row in rows for cell in row)
    view.table.selectRow(2)  # the whole 内容 of the selected row, below the table
    assert f"公民身份号码：{MASKED}" in view.detail.toPlainText()
    assert "联系电话：138****5678" in view.detail.toPlainText()

    _choose(view, view.user, "张三")
    rows = _shown(view)
    assert [r[2] for r in rows] == ["删除", "新增"] and {r[1] for r in rows} == {"张三"}
    assert view.status.text().startswith("共 2 条")

    _choose(view, view.action, "update")
    assert _shown(view) == []
    _choose(view, view.user, "李四")
    assert [r[5] for r in _shown(view)] == ["联系电话：138****5678 → 139****1111"]


def test_dates_register_and_search_filter(window, demo_db):
    _writes(demo_db)
    view = _open(window)
    _choose(view, view.register, "people")
    assert {r[3] for r in _shown(view)} == {"人员信息"}
    view.date_from.setDate(QDate(2026, 11, 20))
    view.date_to.setDate(QDate(2026, 11, 20))
    view.ensure_loaded()
    assert len(_shown(view)) > 3  # the dates apply only once 日期 is ticked
    view.by_date.setChecked(True)
    view.ensure_loaded()
    assert [r[:3] for r in _shown(view)] == [("2026-11-20 10:30:00", "李四", "修改")]
    view.date_to.setDate(QDate(2026, 11, 21))
    view.ensure_loaded()
    assert [r[2] for r in _shown(view)] == ["删除", "修改"]
    view.search.setText("重复")
    view.ensure_loaded()  # the search is a query: it reads the log again
    assert [r[2] for r in _shown(view)] == ["删除"]
    assert view.status.text().startswith("找到 1 条含“重复”的记录")


def test_export_writes_the_rows_shown_and_is_audited(window, demo_db, tmp_path, qtbot):
    _writes(demo_db)
    view = _open(window)
    _choose(view, view.register, "people")
    view.by_date.setChecked(True)
    view.date_from.setDate(QDate(2026, 11, 1))
    view.date_to.setDate(QDate(2026, 11, 21))  # the demo was built on 11-25
    view.ensure_loaded()
    shown = _shown(view)
    assert len(shown) == 3
    out = tmp_path / "操作日志.xlsx"
    with qtbot.wait_signal(view.exported, timeout=30000):
        view.on_export(out)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]] == ["时间", "账号", "操作", "台账", "记录", "内容"]
    assert [tuple(c or "" for c in r)
            for r in ws.iter_rows(min_row=3, values_only=True)] == shown
    assert "台账：人员信息" in ws["A1"].value
    last = audit.read(demo_db, demo_db.actor, limit=1)[0]
    assert (last["action"], last["actor"]) == ("export", demo_db.actor.name)
    assert last["changes"]["内容"] == "操作日志" and last["changes"]["行数"] == 3
    assert last["changes"]["文件"] == str(out)
    # The viewer reads the log again: its own export is there (today, so outside the dates).
    view.by_date.setChecked(False)
    view.ensure_loaded()
    _choose(view, view.register, None)
    assert _shown(view)[0][2] == "导出"


def test_viewer_role_cannot_open_the_log(qtbot, demo_db, settings, message_boxes):
    viewer = Actor("小查", VIEWER)
    demo_db.actor = viewer
    w = MainWindow(demo_db, settings, today=TODAY)
    qtbot.addWidget(w)
    try:
        assert not w.act_audit.isEnabled()
        w.act_audit.trigger()  # a disabled action does nothing
        assert getattr(w, "audit_view", None) is None
        with pytest.raises(PermissionDenied, match="无权查看操作日志"):
            audit.read(demo_db, viewer)
        with pytest.raises(PermissionDenied):
            AuditView(None, demo_db)
        # Called around the menu, the window says why.
        w.on_audit_log()
        assert message_boxes.shown[-1][0] == "warning"
        assert "无权查看操作日志" in message_boxes.shown[-1][2]
    finally:
        w.remote.stop()


def test_viewer_follows_new_writes_and_another_database_closes_it(window, demo_db):
    view = _open(window)
    first = _shown(view)[0]
    p = records.list_rows(demo_db, "people", limit=1)[0]
    row = records.update(demo_db, "people", p["id"], {"note": "日志跟随"}, ZHANG)
    window.data_changed.emit(row.changes)
    view.ensure_loaded()
    assert _shown(view)[0][1:3] == ("张三", "修改") and _shown(view)[0] != first
    assert view.user.findData("张三") < 0  # the choices were read at opening
    window.act_audit.trigger()  # opening it again brings it up, with the new name
    assert window.audit_view is view and view.user.findData("张三") > 0
    view.ensure_loaded()
    window._close_side_windows()
    assert window.audit_view is None


def test_search_finds_rows_older_than_the_newest_loaded(window, demo_db):
    """The search is in the query: a row older than the newest LIMIT rows is found."""
    import json

    from app.storage.schema import audit_log
    from app.ui.audit_view import LIMIT
    start = dt.datetime(2020, 1, 1)
    with demo_db.begin() as conn:
        conn.execute(audit_log.insert(), [
            {"at": start + dt.timedelta(minutes=i), "actor": "张三", "register": "people",
             "record_id": 1, "action": "update",
             "changes": json.dumps({"note": [None, "最早的备注" if i == 0 else f"备注{i}"]},
                                   ensure_ascii=False)} for i in range(LIMIT + 1)])
    view = _open(window)
    assert len(_shown(view)) == LIMIT and "只读取了最新的 5,000 条" in view.status.text()
    assert not any("最早的备注" in r[5] for r in _shown(view))
    view.search.setText("最早的备注")
    assert view.busy()  # a query about to start
    view.ensure_loaded()
    assert [r[:3] for r in _shown(view)] == [("2020-01-01 00:00:00", "张三", "修改")]
    assert view.status.text().startswith("找到 1 条含“最早的备注”的记录")
    view.search.setText(IDN)  # a full number finds nothing: the log holds it masked
    view.ensure_loaded()
    assert _shown(view) == []


def test_a_scoped_administrator_sees_its_communities_rows(qtbot, demo_db):
    from app.services.access import ADMIN
    coms = records.list_rows(demo_db, "communities")
    mine, other = coms[0]["id"], coms[1]["id"]
    inside = records.create(demo_db, "people", {"name": "本社区人", "community_id": mine}, ZHANG)
    outside = records.create(demo_db, "people", {"name": "外社区人", "community_id": other},
                             ZHANG)
    boss = Actor("社区管理员", ADMIN, frozenset({mine}))
    demo_db.actor = boss
    view = AuditView(None, demo_db, today=TODAY)
    qtbot.addWidget(view)
    view.ensure_loaded()
    shown = [view.model.row_at(i) for i in range(view.model.rowCount())]
    assert [r["id"] for r in shown] == [r["id"] for r in audit.read(demo_db, boss)]
    ids = {(r["register"], r["record_id"]) for r in shown}
    assert ("people", inside["id"]) in ids and ("people", outside["id"]) not in ids
    assert view.user.findData("张三") > 0 and view.user.findData("admin") < 0
