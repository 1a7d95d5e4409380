"""While the window is locked after idle time, nothing of the data may show: every top-level
window of the program — the main window, 操作日志, 回收站, 使用说明, a print preview, a form or
any other dialog left open — is covered by an opaque panel, and the panels are removed once
the account's password unlocked it.

Covering rather than hiding: hiding a dialog that runs its own ``exec()`` ends it (Qt quits
its event loop), which would throw away a half-filled form.  A window that opens while locked
(a background task's message) is covered as it appears.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

COVER_NAME = "lock_cover"
COVER_STYLE = ("QLabel#lock_cover { background: #dfe3e8; color: #4a5560; "
               "font-size: 16pt; }")
COVER_TEXT = "窗口已锁定（长时间未操作）\n请在“解锁”窗口中输入密码"


class LockCover(QObject):
    """:meth:`engage` covers every visible top-level window except ``exempt`` (the unlock
    dialog); :meth:`release` uncovers them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.covers: dict[QWidget, QLabel] = {}
        self.exempt: set[QWidget] = set()
        self.engaged = False

    def engage(self, exempt=()) -> None:
        app = QApplication.instance()
        self.exempt = set(exempt)
        self.engaged = True
        popup = app.activePopupWidget()
        while popup is not None:  # an open menu or list would float above the covers
            popup.close()
            popup = app.activePopupWidget()
        for w in app.topLevelWidgets():
            if w.isVisible():
                self._cover(w)
        app.installEventFilter(self)

    def release(self) -> None:
        app = QApplication.instance()
        app.removeEventFilter(self)
        self.engaged = False
        for w, panel in list(self.covers.items()):
            try:
                panel.hide()
                panel.deleteLater()
            except RuntimeError:  # the window (and its panel) was deleted meanwhile
                pass
        self.covers.clear()
        self.exempt.clear()

    def _cover(self, w: QWidget) -> None:
        if w in self.exempt or w in self.covers or not w.isWindow():
            return
        if w.objectName() == COVER_NAME or w.windowType() in (Qt.WindowType.ToolTip,):
            return
        panel = QLabel(COVER_TEXT, w)
        panel.setObjectName(COVER_NAME)
        panel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        panel.setStyleSheet(COVER_STYLE)
        panel.setAutoFillBackground(True)
        panel.setGeometry(w.rect())
        panel.show()
        panel.raise_()
        self.covers[w] = panel
        w.destroyed.connect(lambda _=None, w=w: self.covers.pop(w, None))

    def covered(self, w: QWidget) -> bool:
        panel = self.covers.get(w)
        return panel is not None and panel.isVisible() and panel.geometry() == w.rect()

    def eventFilter(self, obj, event) -> bool:
        if not self.engaged or not isinstance(obj, QWidget):
            return False
        kind = event.type()
        if kind == QEvent.Type.Show and obj.isWindow() and obj not in self.exempt:
            self._cover(obj)
        elif obj in self.covers:
            if kind == QEvent.Type.Resize:
                self.covers[obj].setGeometry(obj.rect())
            elif kind == QEvent.Type.ChildAdded:
                self.covers[obj].raise_()  # a child added later would stack above it
        return False
