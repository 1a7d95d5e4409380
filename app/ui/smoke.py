"""The Qt half of ``taizhang --smoke-test`` (:mod:`app.smoke`): what only the window needs,
checked offscreen.  Each check raises with a Chinese message, or yields one line saying what
passed.  Settings go to an INI file in the smoke test's temporary folder, never the user's.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QtMsgType, \
    qInstallMessageHandler
from PySide6.QtGui import QFontDatabase, QGuiApplication

from ..printing.spec import RosterSpec


class GuiCheckFailed(Exception):
    """``str()`` is the Chinese message."""


#: What the offscreen platform says about any window (it has no window manager).
OFFSCREEN_NOISE = "This plugin does not support"


def _qt_messages_to_log(kind, context, message: str) -> None:
    if OFFSCREEN_NOISE in message:
        return
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def check_gui(db, spec: RosterSpec, tmp: Path) -> Iterator[str]:
    from .app import make_app
    qInstallMessageHandler(_qt_messages_to_log)
    app = make_app()
    platform = QGuiApplication.platformName()
    yield f"Qt {QLibraryInfo.version().toString()}，平台插件 {platform}"

    # Qt's own texts in Chinese (QPlatformTheme's standard buttons).
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    if cancel != "取消":
        raise GuiCheckFailed(
            "Qt 中文翻译（qtbase_zh_CN.qm）没有加载："
            f"{QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)}")
    yield "Qt 中文翻译已加载（Cancel → 取消）"

    from .print_preview import print_document, print_font_family
    family = print_font_family()
    if family not in QFontDatabase.families():
        raise GuiCheckFailed(f"打印字体 {family} 没有加载到 Qt")
    yield f"自带字体 {family}"

    from PySide6.QtPrintSupport import QPrinter
    from ..printing.layout import layout
    qt_pdf = tmp / "qt-roster.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(qt_pdf))
    doc = layout(spec, "portrait")
    print_document(printer, doc)
    size = qt_pdf.stat().st_size if qt_pdf.exists() else 0
    if size < 1000:
        raise GuiCheckFailed(f"通过 Qt 打印（QPrinter）没有生成完整的 PDF（{size} 字节）")
    yield f"Qt 打印模块（QPrinter → PDF，{doc.page_count} 页，{size:,} 字节）"

    from .main_window import MainWindow
    from .settings import Settings
    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(db, settings)
    try:
        window.show()
        app.processEvents()
        tabs = window.tabs.count()
        if tabs < 7:
            raise GuiCheckFailed(f"主窗口只有 {tabs} 个页签")
        icon = app.windowIcon()
        yield (f"主窗口（{tabs} 个页签{'，有图标' if not icon.isNull() else ''}）："
               f"{window.windowTitle()}")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        from .tasks import wait_all
        wait_all()
