"""Several PCs on one database (issue 14), from the window: a form saved over another PC's
change is refused and shows what changed, other PCs' writes reach the open views within
seconds, and 文件 → 连接服务器… remembers the address but never the password.

"Another PC" is a second :class:`~app.storage.Database` on the same file or server database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import records
from app.storage import Database
from app.ui import tasks
from app.ui.record_dialog import RecordDialog
from app.ui.remote_changes import RemoteChanges
from app.ui.server_dialog import SETTING, ServerDialog, join_address, split_address

from .conftest import open_register


@pytest.fixture
def other_pc(demo_db):
    pc = Database(demo_db.location)
    yield pc
    pc.close()


def test_a_form_saved_over_another_pcs_change_is_refused_and_compared(
        window, dialogs, other_pc, message_boxes):
    view = open_register(window, "party_orgs")
    row = view.current_row() or view.model.row_at(0)
    view.select_position(view.model.position_of(row["id"]))
    seen = {}

    def edit(d: RecordDialog):
        d.editors["phone"].setText("13800000001")
        # Meanwhile, on another PC:
        records.update(other_pc, "party_orgs", row["id"], {"note": "另一台电脑"}, "乙")
        d.save_button.click()  # refused; the question is answered Yes: reload
        seen["after_reload"] = (d.editors["note"].value(), d.editors["phone"].value(),
                                d.result())
        d.save_button.click()  # checked, saved again: now on the new version
    dialogs.on(RecordDialog, edit)
    window.act_edit.trigger()
    kind, title, text = next(m for m in message_boxes.shown if m[1] == "记录已被他人修改")
    assert kind == "question" and "乙" in text and "「备注」" in text and "另一台电脑" in text
    assert seen["after_reload"] == ("另一台电脑", "13800000001", 0)  # still open, not saved
    stored = records.get(window.db, "party_orgs", row["id"])
    assert (stored["note"], stored["phone"]) == ("另一台电脑", "13800000001")


def test_other_pcs_writes_show_up_in_the_open_view(window, other_pc, qtbot):
    view = open_register(window, "party_orgs")
    row = view.model.row_at(0)
    window.remote.timer.setInterval(200)
    with qtbot.waitSignal(window.data_changed, timeout=10000) as got:
        records.update(other_pc, "party_orgs", row["id"], {"name": "远方改名的支部"}, "乙")
    assert row["id"] in got.args[0].ids["party_orgs"]
    qtbot.waitUntil(lambda: not view.loading and not view.stale, timeout=10000)
    col = [c.key for c in view.model.columns].index("name")
    assert view.model.text(view.model.position_of(row["id"]), col) == "远方改名的支部"
    assert "乙刚刚修改了：党组织" in window.statusBar().currentMessage()


def test_own_writes_are_not_announced_twice(window, qtbot):
    watcher: RemoteChanges = window.remote
    row = records.list_rows(window.db, "party_orgs", limit=1)[0]
    written = records.update(window.db, "party_orgs", row["id"], {"note": "本机"}, "甲")
    window.data_changed.emit(written.changes)   # as a view does after its own write
    announced = []
    window.data_changed.connect(announced.append)
    watcher.poll()
    qtbot.waitUntil(lambda: not watcher.busy, timeout=10000)
    assert announced == []


def test_connect_dialog_remembers_the_address_never_the_password(
        window, dialogs, settings, pg_only, demo_db, qtbot):
    from sqlalchemy.engine import make_url
    url = make_url(demo_db.location)
    address = join_address(url.host, url.port, url.database, url.username)
    settings.set(SETTING, "postgresql://someone@wrong-host:1/nothing")

    def wrong_then_right(d: ServerDialog):
        assert d.host.text() == "wrong-host" and d.port.value() == 1
        d.host.setText(url.host)
        d.port.setValue(url.port)
        d.database.setText(url.database)
        d.user.setText(url.username)
        d.password.setText("秘密-不应保存")
        d.on_ok()
    dialogs.on(ServerDialog, wrong_then_right)
    assert window.connect_server()
    assert window.db.is_server and window.db.location == address
    assert window.windowTitle().endswith(f"{url.database}@{url.host}")
    assert settings.get(SETTING) == address and settings.get("database/last") == address
    settings.sync()
    stored = Path(settings.q.fileName()).read_text(encoding="utf-8")
    assert "秘密" not in stored and "%E7%A7%98" not in stored.upper()
    window.remote.stop()
    for _ in range(3):  # the views' loads, and what their results start, before it closes
        tasks.wait_all()
        qtbot.wait(100)
    window.db.close()


def test_connect_dialog_says_why_a_connection_failed(window, dialogs):
    messages = []

    def wrong(d: ServerDialog):
        d.host.setText("127.0.0.1")
        d.port.setValue(1)  # nothing listens there
        d.user.setText("someone")
        d.on_ok()

    def cancel(d: ServerDialog):
        messages.append(d.error.text())
        d.reject()
    dialogs.on(ServerDialog, wrong)
    dialogs.on(ServerDialog, cancel)
    old = window.db
    assert not window.connect_server()
    assert window.db is old
    assert "连不上服务器" in messages[0]


def test_address_fields_round_trip():
    a = join_address("192.168.1.10", 5433, "taizhang", "街道办")
    assert a == "postgresql://%E8%A1%97%E9%81%93%E5%8A%9E@192.168.1.10:5433/taizhang"
    assert split_address(a) == {"host": "192.168.1.10", "port": 5433, "database": "taizhang",
                                "user": "街道办"}


def test_the_window_starts_on_a_server_and_reopens_it_next_time(
        qtbot, settings, pg_only, demo_db, message_boxes):
    """``taizhang --db postgresql://…``, then a start without --db: the last address."""
    from app.ui import app as gui
    for asked in (demo_db.location, None):
        _app, window = gui.start_gui(asked, settings, offer_demo=False)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.db is not None, timeout=15000)
        assert window.db.is_server and window.db.location == demo_db.location
        assert settings.get("database/last") == demo_db.location
        window.remote.stop()
        for _ in range(3):
            tasks.wait_all()
            qtbot.wait(100)
        window.db.close()
        window.close()
