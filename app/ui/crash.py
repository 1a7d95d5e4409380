"""Uncaught errors in the window: log them (masked, :mod:`app.logsetup`), then tell the user in
Chinese where the log is and what to send.  The program keeps running: every user action is its
own database transaction, so what was saved stays saved and a failed action changed nothing.

Errors from worker threads are shown by the GUI thread (a queued signal), and while one box is
open further errors are only logged, so a failing paint cannot stack up boxes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import logsetup

TITLE = "程序出错"


def crash_text(summary: str, log_file: Path | None) -> str:
    where = (f"日志文件：{log_file}" if log_file is not None
             else "（日志文件无法写入用户数据目录，错误信息见下方“详细信息”。）")
    return ("程序遇到了一个意外错误，刚才的操作没有完成。\n\n"
            "已经保存的数据不受影响：每次保存都单独写入数据库，未完成的操作不会写入一半。"
            "建议关闭其他窗口后重新启动本程序，再核对刚才的操作。\n\n"
            f"{where}\n\n"
            "请把这个日志文件（及同一文件夹中的其他 .log 文件）发送给维护人员，"
            "并说明出错时正在做什么。日志中的身份证号和手机号已隐去中间几位。")


class _Notifier(QObject):
    show = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self._open = False
        self.show.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def _show(self, summary: str, log_file: str) -> None:
        if self._open or QApplication.instance() is None:
            return
        self._open = True
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, TITLE,
                              crash_text(summary, Path(log_file) if log_file else None),
                              QMessageBox.StandardButton.Ok,
                              QApplication.activeWindow())
            box.setDetailedText(summary)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.exec()
        finally:
            self._open = False


_NOTIFIER: list[_Notifier] = []


def install_crash_handler() -> None:
    """Install the excepthook (call once the QApplication exists or before; the box is shown
    only while one does)."""
    if not _NOTIFIER:
        notifier = _Notifier()
        app = QApplication.instance()
        if app is not None:
            notifier.moveToThread(app.thread())
        _NOTIFIER.append(notifier)
    notifier = _NOTIFIER[0]

    def show(summary: str, log_file: Path | None) -> None:
        if QApplication.instance() is None:
            raise RuntimeError("no QApplication")  # logsetup then writes to stderr
        if threading.current_thread() is threading.main_thread():
            notifier._show(summary, str(log_file or ""))
        else:
            notifier.show.emit(summary, str(log_file or ""))

    logsetup.install_excepthook(show)
