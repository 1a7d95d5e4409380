"""Default sizes that fit the screen.

Dialogs open at a size chosen for their content, but never larger than the screen they appear
on: offices still use 1366×768 laptops, where a 760-pixel-high dialog would put its 保存 button
under the task bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

#: Share of the screen's free area a window may take by default.
WIDTH_SHARE, HEIGHT_SHARE = 0.96, 0.90


def screen_room(widget: QWidget | None = None) -> tuple[int, int]:
    """Width and height of the free area (without task bars) of the widget's screen."""
    screen = (widget.screen() if widget is not None else None) or QApplication.primaryScreen()
    room = screen.availableGeometry()
    return int(room.width() * WIDTH_SHARE), int(room.height() * HEIGHT_SHARE)


def fit_size(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` × ``height``, shrunk to fit its screen."""
    room_w, room_h = screen_room(widget.parentWidget() or widget)
    widget.resize(min(width, room_w), min(height, room_h))
