"""GUI fixtures: settings in a temp INI file, the main window over the demo database, message
boxes answered automatically (and recorded), and modal dialogs driven without an event loop.

Modal dialogs are real: ``dialogs.on(Class, handler)`` makes the next ``exec()`` of that class
call ``handler(dialog)`` — which fills in fields and clicks buttons — and return the dialog's
result, so the code under test runs exactly as after a user's clicks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QMessageBox

from app.ui import tasks
from app.ui.settings import Settings

#: The offscreen platform has no window manager: it says so for every dialog with a minimum
#: size (propagateSizeHints), every popup (raise, grabbing the keyboard).  That is the
#: platform, not us; every other warning still fails the test.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
TODAY = dt.date(2026, 11, 25)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


class MessageBoxes:
    """Records every message box shown; questions are answered ``answer``."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes
        self.input_text = "录入错误"

    def _record(self, kind):
        def show(parent, title, text, *args, **kwargs):
            self.shown.append((kind, title, text))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok
        return show

    def get_text(self, parent, title, label, *args, **kwargs):
        self.shown.append(("input", title, label))
        return self.input_text, True


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch) -> MessageBoxes:
    boxes = MessageBoxes()
    for kind in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(boxes._record(kind)))
    monkeypatch.setattr(QMessageBox, "about",
                        staticmethod(lambda p, t, x: boxes.shown.append(("about", t, x))))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(boxes.get_text))
    yield boxes
    tasks.wait_all()


class Dialogs:
    """Queue of handlers for the modal dialogs the code under test opens."""

    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch
        self.handlers: dict[type, list] = {}
        self.opened: list[QDialog] = []

    def on(self, cls: type, handler) -> None:
        if cls not in self.handlers:
            self.handlers[cls] = []
            queue = self.handlers[cls]

            def fake_exec(dialog):
                self.opened.append(dialog)
                if not queue:
                    raise AssertionError(f"unexpected {cls.__name__}")
                queue.pop(0)(dialog)
                if dialog.result() == 0 and dialog.isVisible():
                    dialog.reject()
                return dialog.result()
            self.monkeypatch.setattr(cls, "exec", fake_exec)
        self.handlers[cls].append(handler)

    def pending(self) -> int:
        return sum(len(q) for q in self.handlers.values())


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    d = Dialogs(monkeypatch)
    yield d
    assert d.pending() == 0, "a dialog the test expected was never opened"


@pytest.fixture
def window(qtbot, demo_db, settings):
    from app.ui.main_window import MainWindow
    w = MainWindow(demo_db, settings, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.remote.stop()  # no poll for other PCs' writes may start on a database about to close
    tasks.wait_all()


def open_register(window, key: str):
    """Switch to the tab and register ``key`` and wait until its rows are loaded."""
    from app.registry import get
    from app.ui.main_window import TAB_AREAS
    reg = get(key)
    window.tabs.setCurrentIndex(TAB_AREAS.index(reg.area))
    view = window.current_tab().open_register(key)
    if view.loading or view.stale:
        view.ensure_loaded()
    return view


@pytest.fixture(autouse=True)
def first_admin_created(monkeypatch):
    """A database without accounts asks for its first administrator: answer it as a user
    would (``admin`` / ``secret-1``), unless a test registers its own handler."""
    from app.ui.login_dialog import FirstAdminDialog

    def fill(dialog):
        dialog.name.setText("admin")
        dialog.password.setText("secret-1")
        dialog.again.setText("secret-1")
        dialog.on_accept()
        return dialog.result()
    monkeypatch.setattr(FirstAdminDialog, "exec", fill)


@pytest.fixture(autouse=True)
def recovery_keys(monkeypatch) -> list[dict]:
    """A recovery key shown in its dialog (a new encrypted file, a converted one, a new key):
    recorded and kept as a user would (我已妥善保存恢复密钥 ticked, 关闭), unless a test
    registers its own handler with ``dialogs.on(RecoveryKeyDialog, …)``."""
    from app.ui.recovery_dialog import RecoveryKeyDialog
    shown: list[dict] = []

    def keep(dialog):
        note = dialog.findChild(QLabel, "plain_copy_note")
        shown.append({"db": dialog.db_name, "code": dialog.code, "new": dialog.new,
                      "plain_copy": note.text() if note is not None else "",
                      "key_text": dialog.key_label.text(), "title": dialog.windowTitle()})
        assert not dialog.close_button.isEnabled()  # not before the box is ticked
        dialog.saved.setChecked(True)
        dialog.close_button.click()
        return dialog.result()
    monkeypatch.setattr(RecoveryKeyDialog, "exec", keep)
    return shown
