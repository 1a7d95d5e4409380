"""The application and window icon (``resources/icons/``: PNG sizes drawn from taizhang.svg by
``packaging/make_icons.py``)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from ..paths import resources_dir


def app_icon() -> QIcon:
    """All the PNG sizes in one QIcon (no SVG plugin needed); an empty icon if missing."""
    icon = QIcon()
    try:
        folder = resources_dir() / "icons"
    except FileNotFoundError:
        return icon
    for path in sorted(folder.glob("taizhang-*.png")):
        size = int(path.stem.rsplit("-", 1)[1])
        icon.addFile(str(path), QSize(size, size))
    return icon
