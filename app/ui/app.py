"""Starting the GUI: the QApplication, the bundled CJK font, the database, the main window, and
an offer to load demo data into an empty database."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import APP_NAME
from ..paths import default_db_path, resources_dir
from ..services import records
from ..storage import Database, DatabaseError
from .settings import Settings


def load_bundled_font(app: QApplication) -> str | None:
    """Register the bundled CJK font; use it as the UI font where the system has no CJK font
    we prefer (Windows keeps Microsoft YaHei).  Returns the family loaded, if any."""
    try:
        fonts = resources_dir() / "fonts"
    except FileNotFoundError:
        return None
    family = None
    for path in sorted(fonts.glob("*.tt[fc]")) + sorted(fonts.glob("*.otf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid >= 0 and QFontDatabase.applicationFontFamilies(fid):
            family = family or QFontDatabase.applicationFontFamilies(fid)[0]
    if family and sys.platform != "win32":
        font = QFont(family)
        font.setPointSize(max(app.font().pointSize(), 10))
        app.setFont(font)
    return family


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("taizhang")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("taizhang")
    load_bundled_font(app)
    return app


def database_is_empty(db: Database) -> bool:
    return all(records.count(db, key, include_deleted=True) == 0
               for key in ("people", "communities", "party_orgs"))


def run_gui(db_path: Path | None) -> int:
    """Open ``db_path`` (or the last / default database) in the main window; returns the exit
    code of the event loop."""
    app = make_app()
    settings = Settings()
    path = Path(db_path) if db_path else Path(settings.get("database/last") or default_db_path())
    try:
        db = Database(path)
    except DatabaseError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 2
    from .main_window import MainWindow
    window = MainWindow(db, settings)
    window.show()
    if database_is_empty(db):
        answer = QMessageBox.question(
            window, "空数据库",
            f"数据库 {db.path.name} 还没有数据。\n要载入一个演示街道（2 个社区）先熟悉一下吗？\n"
            "演示数据可随时换用新的数据库文件代替。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            window.load_demo()
    code = app.exec()
    window.db.close()
    return code
