"""The one background-task helper: run a function in a thread pool, get its result (or its
exception) back on the GUI thread.

The function never touches widgets; it receives the :class:`Task` so it can report progress
and check :attr:`Task.cancelled` (the one way to cancel: :meth:`Task.cancel`).  Results are
delivered through queued signals of a QObject that lives in the GUI thread, and dropped if the
task was cancelled or its owner destroyed.

Reads run in a small pool; writes (:func:`run_write`) run one at a time on the writer thread,
as SQLite has one writer.  A task started without an error handler never fails silently: the
traceback goes to the log and the user gets a Chinese message.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)

_POOL: QThreadPool | None = None
_WRITER: QThreadPool | None = None
#: Tasks in flight, kept alive until their result has been delivered.
_RUNNING: set["Task"] = set()


def pool() -> QThreadPool:
    """The pool every task runs in (a few threads: SQLite allows one writer anyway)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(2)
    return _POOL


def writer() -> QThreadPool:
    """The one thread every write runs on, in the order started."""
    global _WRITER
    if _WRITER is None:
        _WRITER = QThreadPool()
        _WRITER.setMaxThreadCount(1)
    return _WRITER


def wait_all(msecs: int = 30000) -> bool:
    """Block until every running task has finished (tests, closing a database)."""
    return writer().waitForDone(msecs) and pool().waitForDone(msecs)


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """Tell the user a task failed, in Chinese, and log the traceback for whoever helps."""
    detail = getattr(exc, "traceback_text", None) or "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("%s：%s\n%s", title, exc, detail)
    QMessageBox.warning(parent if isinstance(parent, QWidget) else None, title,
                        f"操作没有完成：{exc}\n\n数据没有改动。详细信息已记入日志，"
                        "如需帮助请把日志文件发给维护人员。")


class Task(QObject):
    """A running background function.

    Signals:
        done(object): the function's result (GUI thread).
        failed(object): the exception it raised (GUI thread).
        progressed(int, int, str): done, total, text reported by the function.
    """

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)
    # Emitted from the worker thread; received by this object's slots in the GUI thread.
    _done_internal = Signal(object)
    _failed_internal = Signal(object)

    def __init__(self, fn: Callable[["Task"], Any], owner: QObject | None = None) -> None:
        super().__init__(owner)
        self._fn = fn
        self.cancelled = False
        self.finished = False

    def cancel(self) -> None:
        """Ask the function to stop; its result will not be delivered."""
        self.cancelled = True

    def report(self, done: int, total: int, text: str = "") -> None:
        """Called from the worker thread; reaches ``progressed`` on the GUI thread."""
        try:
            self.progressed.emit(done, total, text)
        except RuntimeError:  # the owner (and this QObject) was destroyed meanwhile
            self.cancelled = True

    def _run(self) -> None:
        try:
            result = self._fn(self)
        except Exception as exc:  # delivered to the GUI thread, which shows it
            exc.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit(self._failed_internal, exc)
        else:
            self._emit(self._done_internal, result)

    def _emit(self, signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            _RUNNING.discard(self)

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self.finished = True
        _RUNNING.discard(self)
        if not self.cancelled:
            self.done.emit(result)

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self.finished = True
        _RUNNING.discard(self)
        if not self.cancelled:
            self.failed.emit(exc)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:  # worker thread
        # Qt starts pool threads itself, so the trace hook that threading.Thread installs in
        # new threads (coverage's thread support, debuggers) is never set in them: set it here,
        # or the work done in the pool is invisible to coverage (coveragepy issue 686).
        hook = threading.gettrace()
        if hook is not None and sys.gettrace() is None:
            sys.settrace(hook)
        self._task._run()


def run_task(fn: Callable[[Task], Any], *, owner: QObject | None = None,
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None,
             on_progress: Callable[[int, int, str], None] | None = None,
             write: bool = False) -> Task:
    """Start ``fn(task)`` in the pool (``write``: on the writer thread); callbacks run on the
    GUI thread.  ``owner`` ties the task's lifetime to a widget: once the widget is gone,
    nothing is delivered.  Without ``on_error`` a failure is logged and shown."""
    task = Task(fn, owner)
    if on_error is None:
        def on_error(exc: Exception, owner=owner) -> None:
            show_error(owner, "操作失败", exc)
    # Connections to the task's own slots: it lives in the GUI thread, so they are queued.
    task._done_internal.connect(task._on_done)
    task._failed_internal.connect(task._on_failed)
    if on_done:
        task.done.connect(on_done)
    if on_error:
        task.failed.connect(on_error)
    if on_progress:
        task.progressed.connect(on_progress)
    _RUNNING.add(task)
    (writer() if write else pool()).start(_Runnable(task))
    return task


def run_write(fn: Callable[[Task], Any], **kwargs) -> Task:
    """:func:`run_task` on the writer thread: every change the UI asks for runs there."""
    return run_task(fn, write=True, **kwargs)


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question, yes by default."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes
