"""The background-task helper: results, errors and progress arrive on the GUI thread; a
cancelled task delivers nothing."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from app.ui import tasks


def test_result_error_and_progress_on_the_gui_thread(qtbot):
    gui_thread = threading.get_ident()
    seen = {}

    def work(task):
        seen["worker"] = threading.get_ident()
        task.report(1, 2, "一半")
        return 42

    def done(value):
        seen["done"] = (value, threading.get_ident())

    def progress(done_, total, text):
        seen["progress"] = (done_, total, text, threading.get_ident())

    task = tasks.run_task(work, on_done=done, on_progress=progress)
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen["worker"] != gui_thread
    assert seen["done"] == (42, gui_thread)
    qtbot.waitUntil(lambda: "progress" in seen, timeout=5000)
    assert seen["progress"] == (1, 2, "一半", gui_thread)
    assert task.finished

    errors = []
    tasks.run_task(lambda t: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)
    assert "ZeroDivisionError" in errors[0].traceback_text


def test_cancelled_or_orphaned_tasks_deliver_nothing(qtbot):
    gate = threading.Event()
    got = []
    task = tasks.run_task(lambda t: gate.wait(5) and "late", on_done=got.append)
    task.cancel()
    gate.set()
    tasks.wait_all()
    qtbot.wait(50)
    assert got == [] and task.cancelled

    owner = QObject()
    gate2 = threading.Event()
    tasks.run_task(lambda t: gate2.wait(5) and "late", owner=owner, on_done=got.append)
    owner.deleteLater()
    qtbot.wait(20)
    gate2.set()
    tasks.wait_all()
    qtbot.wait(50)
    assert got == []


def test_pool_threads_are_traced_like_threading_threads(qtbot):
    """Coverage (and debuggers) trace new threads through ``threading.settrace``; Qt's pool
    threads get that hook too, so work done in them is measured."""
    import sys

    calls = []

    def hook(frame, event, arg):
        calls.append(event)
        return None

    before = threading.gettrace()
    if before is None:  # not under coverage: install a hook of our own
        threading.settrace(hook)
    try:
        seen = {}
        tasks.run_task(lambda t: sys.gettrace(), on_done=lambda v: seen.update(trace=v))
        tasks.run_write(lambda t: sys.gettrace(), on_done=lambda v: seen.update(write=v))
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    finally:
        threading.settrace(before)
    assert seen["trace"] is not None and seen["write"] is not None
