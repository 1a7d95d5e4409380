"""Showing what other PCs write (issue 14): every few seconds, in the background, read the
audit log on from the last entry seen (:mod:`app.services.watch`) and announce what others
changed through the window's ``data_changed`` — the same path and the same
:class:`~app.services.changes.Changes` as the window's own writes, so exactly the views that
show those registers reload.  Works alike for a server and for two windows on one file.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from ..services.changes import Changes

log = logging.getLogger(__name__)

#: How often to look (ms): "within a few seconds" at the cost of one indexed query.
INTERVAL_MS = 3000


class RemoteChanges(QObject):
    """Polls for writes made elsewhere while ``window`` shows a database."""

    def __init__(self, window, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.db = None
        self.last = 0
        self.busy = False
        self.failing = False
        #: Records this window wrote itself since the last look (already shown).
        self.own = Changes()
        self._announcing = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        window.database_changed.connect(self.watch)
        window.data_changed.connect(self._note_own)

    def watch(self, db) -> None:
        """Start from the newest entry of ``db`` (what it holds now is on screen)."""
        from ..services import watch
        self.db, self.own, self.busy = db, Changes(), False
        try:
            self.last = watch.last_seen(db)
        except Exception:  # noqa: BLE001 - a server gone already: polling will say so
            log.warning("无法读取审计记录，其他电脑的修改将不会自动显示", exc_info=True)
            self.last = 0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.db = None

    def _note_own(self, changes) -> None:
        if not self._announcing:
            self.own.merge(changes)

    def poll(self) -> None:
        from ..services import watch
        from .tasks import run_task
        if self.busy or self.db is None:
            return
        self.busy = True
        db, after, own = self.db, self.last, self.own
        self.own = Changes()
        run_task(lambda _task: watch.changes_since(db, after, own), owner=self,
                 on_done=lambda result, db=db: self._arrived(db, result),
                 on_error=self._failed)

    def _arrived(self, db, result) -> None:
        self.busy = False
        if db is not self.db:  # another database opened meanwhile
            return
        newest, changes, actors = result
        self.last = newest
        if self.failing:
            self.failing = False
            self.window.statusBar().showMessage("与数据库的连接已恢复。", 10000)
        if not changes:
            return
        from ..registry import get as get_register
        self._announcing = True
        try:
            self.window.data_changed.emit(changes)
        finally:
            self._announcing = False
        what = "、".join(get_register(k).label for k in sorted(changes.ids)
                        if changes.ids[k])
        who = "、".join(sorted(a for a in actors if a))
        if what:
            self.window.statusBar().showMessage(
                f"{who or '其他用户'}刚刚修改了：{what}（已刷新）", 15000)

    def _failed(self, exc) -> None:
        self.busy = False
        if not self.failing:  # say it once, not every few seconds
            self.failing = True
            log.warning("读取其他电脑的修改失败：%s", exc)
            self.window.statusBar().showMessage(
                "暂时连不上数据库，其他电脑的修改暂不能显示；恢复后会自动刷新。", 30000)
