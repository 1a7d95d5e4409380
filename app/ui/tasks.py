"""The one background-task helper: run a function in a thread pool, get its result (or its
exception) back on the GUI thread.

The function never touches widgets; it receives the :class:`Task` so it can report progress
and check :attr:`Task.cancelled`.  Results are delivered through queued signals of a QObject
that lives in the GUI thread, and dropped if the task was cancelled or its owner destroyed.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

_POOL: QThreadPool | None = None
#: Tasks in flight, kept alive until their result has been delivered.
_RUNNING: set["Task"] = set()


def pool() -> QThreadPool:
    """The pool every task runs in (a few threads: SQLite allows one writer anyway)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(2)
    return _POOL


def wait_all(msecs: int = 30000) -> bool:
    """Block until every running task has finished (tests, closing a database)."""
    return pool().waitForDone(msecs)


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
        self._task._run()


def run_task(fn: Callable[[Task], Any], *, owner: QObject | None = None,
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None,
             on_progress: Callable[[int, int, str], None] | None = None) -> Task:
    """Start ``fn(task)`` in the pool; callbacks run on the GUI thread.  ``owner`` ties the
    task's lifetime to a widget: once the widget is gone, nothing is delivered."""
    task = Task(fn, owner)
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
    pool().start(_Runnable(task))
    return task
