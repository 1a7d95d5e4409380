"""An uncaught error in the window: logged (masked) and told in Chinese — where the log is and
what to send — once, also when it happened in a worker thread."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from app import logsetup

ID = "11010519900101002X"


@pytest.fixture
def crash_handler(tmp_path, qapp):
    from app.ui.crash import install_crash_handler
    path = logsetup.configure(tmp_path / "home")
    saved = sys.excepthook, threading.excepthook
    install_crash_handler()
    yield path
    sys.excepthook, threading.excepthook = saved
    logsetup.reset()


def _raise_into_hook(hook, message):
    try:
        raise RuntimeError(message)
    except RuntimeError:
        hook(*sys.exc_info())


def test_uncaught_error_shows_where_the_log_is(crash_handler, dialogs):
    seen = []
    dialogs.on(QMessageBox, lambda box: seen.append(
        (box.windowTitle(), box.text(), box.detailedText())))
    _raise_into_hook(sys.excepthook, f"保存失败 {ID}")
    [(title, text, detail)] = seen
    assert title == "程序出错"
    assert str(crash_handler) in text and "发送给维护人员" in text
    assert "已经保存的数据不受影响" in text
    assert detail == "RuntimeError: 保存失败 110105********002X"
    log = crash_handler.read_text(encoding="utf-8")
    assert "RuntimeError: 保存失败 110105********002X" in log and ID not in log


def test_error_in_a_worker_thread_is_shown_by_the_gui_thread(crash_handler, dialogs, qtbot):
    seen = []
    dialogs.on(QMessageBox, lambda box: seen.append(threading.current_thread()))

    def work():
        raise RuntimeError(f"后台读取失败 {ID}")

    t = threading.Thread(target=work)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [threading.main_thread()]
    assert "后台读取失败 110105********002X" in crash_handler.read_text(encoding="utf-8")
