"""User settings, declared once with their default and Chinese title, kept in ``QSettings``.

Window geometry, the last tab and register, the last database file and display choices are
remembered between runs.  Tests pass their own ``QSettings`` (an INI file in a temp folder) so
they never touch the user's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSettings


class Option(NamedTuple):
    """One setting: its key in QSettings, its default (which also gives its type) and its
    Chinese title."""

    key: str
    default: Any
    title: str


OPTIONS: tuple[Option, ...] = (
    Option("window/geometry", QByteArray(), "窗口位置和大小"),
    Option("window/state", QByteArray(), "工具栏和停靠窗口"),
    Option("window/tab", 0, "上次打开的页签"),
    Option("database/last", "", "上次打开的数据库文件"),
    Option("view/mask_ids", True, "表格中隐藏身份证号中间位"),
    Option("view/font_size", 0, "字号（磅；0 为系统默认）"),
)
_BY_KEY = {o.key: o for o in OPTIONS}


class Settings:
    """Typed access to the declared options (unknown keys such as ``area/<key>/register`` are
    allowed with an explicit default)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or QSettings("taizhang", "taizhang")

    def get(self, key: str, default: Any = None) -> Any:
        opt = _BY_KEY.get(key)
        fallback = opt.default if opt else default
        value = self.q.value(key, fallback)
        # INI files give strings back; convert to the declared default's type.
        if isinstance(fallback, bool) and isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        if isinstance(fallback, int) and not isinstance(fallback, bool):
            try:
                return int(value)
            except (TypeError, ValueError):
                return fallback
        return value

    def set(self, key: str, value: Any) -> None:
        self.q.setValue(key, value)

    def sync(self) -> None:
        self.q.sync()
