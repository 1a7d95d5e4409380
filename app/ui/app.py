"""Starting the GUI: the QApplication, the bundled CJK font, the main window, the database, and
an offer to load demo data into an empty database.

The window is shown first and the database opened right after its first paint: importing the
data layer (SQLAlchemy, Alembic) and checking the schema take longer than drawing the window,
and a window that appears at once is what tells the user the program started.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from .. import APP_ID
from ..paths import default_db_path, resources_dir
from .settings import Settings


def load_bundled_font(app: QApplication) -> str | None:
    """Register the bundled CJK font; use it as the UI font except on Windows (which has
    Microsoft YaHei).  Returns the family loaded, if any."""
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


def install_translations(app: QApplication) -> bool:
    """Qt's own Chinese texts (取消/确定 on standard buttons, the print preview's tool tips,
    the right-click menu of text fields 撤销/复制/粘贴, the wizard's buttons, the calendar's
    month names): Qt ships them as ``qtbase_zh_CN.qm``; without it those widgets speak
    English.  True if installed."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    # Month and weekday names (the date fields' calendar) and Qt's own dialogs in Chinese,
    # whatever language the computer is set to.
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China),
                           "qtbase", "_", path):
        return False
    app.installTranslator(translator)
    return True


_FONT: list[str | None] = []  # the bundled family, once loaded


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named, with the bundled font registered once."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("taizhang")
    # No applicationDisplayName: on X11 and Windows Qt appends it to every window title,
    # which would turn the title into 社区治理台账 — file — 社区治理台账.
    app.setOrganizationName("taizhang")
    if not _FONT:
        from .icon import app_icon
        app.setWindowIcon(app_icon())
        app.setDesktopFileName(APP_ID)  # the launcher matches the window to its .desktop
        _FONT.append(load_bundled_font(app))
        install_translations(app)
    return app


def database_is_empty(db) -> bool:
    from ..registry import REGISTERS
    from ..services import records
    return all(records.count(db, reg.key, include_deleted=True) == 0 for reg in REGISTERS)


def open_database_file(parent, path: Path):
    """An ``app.storage.Database`` for ``path``, or None after telling the user why not."""
    import sqlalchemy.exc
    from PySide6.QtWidgets import QMessageBox
    from ..storage import Database, DatabaseError, encryption
    credentials = None
    if encryption.needs_unlock(path):
        from PySide6.QtWidgets import QDialog
        from .unlock_dialog import UnlockDialog
        import os
        dlg = UnlockDialog(parent, path, user=os.environ.get("TAIZHANG_USER", ""))
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        credentials = dlg.credentials
    try:
        # A new file is created encrypted (plain, with a log line, where SQLCipher is missing).
        db = Database(path, encrypt=True)
        db.unlocked_as = credentials
        return db
    except DatabaseError as exc:
        QMessageBox.critical(parent, "无法打开数据库", str(exc))
    except (sqlalchemy.exc.DatabaseError, OSError) as exc:
        # Not an SQLite file at all, damaged, or unreadable (permissions, a locked share).
        QMessageBox.critical(
            parent, "无法打开数据库",
            f"无法打开 {path}：它不是社区治理台账的数据库文件，或文件已损坏、无权读取。\n"
            f"请选择正确的文件；如是备份，请用“打开数据库”选择备份文件。\n（详细信息：{exc}）")
    return None


def connect_database(address: str, password: str | None = None):
    """(Database, "") for a server address, or (None, why not) — the message goes back into
    the connect dialog rather than a box of its own."""
    import sqlalchemy.exc
    from ..storage import Database, DatabaseError
    try:
        return Database(address, password=password), ""
    except DatabaseError as exc:
        return None, str(exc)
    except (sqlalchemy.exc.SQLAlchemyError, OSError, ValueError) as exc:
        return None, f"无法连接：{exc}"


def announce_backup(window, db) -> None:
    """An older database was upgraded: say where the copy of the old file is."""
    if getattr(db, "backup_path", None):
        window.statusBar().showMessage(
            f"数据库已升级到新版本；升级前的文件已备份为 {db.backup_path.name}", 60000)


def lock_and_sign_in(window, db) -> bool:
    """Take the writer lock (the login prompt included), then sign in.  False after telling
    the user why not (the database is then closed)."""
    from PySide6.QtWidgets import QMessageBox
    from ..storage.lock import LockHeld, WriterLock
    from .login_dialog import sign_in_window
    lock = WriterLock(db.path, what="窗口")
    try:
        lock.acquire()
    except LockHeld as exc:
        db.close()
        QMessageBox.warning(window, "数据库正在使用", str(exc))
        return False
    except OSError as exc:  # a read-only folder: no lock file can be made there
        db.close()
        QMessageBox.warning(window, "无法打开数据库",
                            f"无法在 {db.path.parent} 中建立锁文件（{exc.strerror or exc}）："
                            "文件夹可能是只读的。请把数据库复制到可写的位置再打开。")
        return False
    actor = sign_in_window(window, db)
    if actor is None:
        lock.release()
        db.close()
        _drop_if_never_used(db)
        return False
    db.actor = actor
    db.writer_lock = lock
    lock.rename(actor.name)
    password, db.encrypt_with = getattr(db, "encrypt_with", None), None
    if password is not None:
        encrypt_file(window, db, password)
    db.audit_mark = _audit_mark(db)
    return True


def _drop_if_never_used(db) -> None:
    """An encrypted file created just now whose first administrator was not created: its
    recovery key was never shown, so no one could ever open it — remove it (it is empty)."""
    from ..storage import keyslots
    if getattr(db, "recovery_code", None) and db.path is not None:
        for p in (db.path, db.path.with_name(db.path.name + "-wal"),
                  db.path.with_name(db.path.name + "-shm"), keyslots.sidecar(db.path)):
            p.unlink(missing_ok=True)


def encrypt_file(window, db, password: str) -> bool:
    """Encrypt the plain file of ``db`` (signed in as an administrator, holding the lock)
    in the background, with its progress shown; the recovery key is shown by
    :func:`announce_encryption`.  False after saying why not (cancelled included)."""
    from PySide6.QtWidgets import QMessageBox
    from ..services import audit
    from ..storage import cipher
    from ..storage.encryption import ConversionCancelled, ConversionError
    from ..storage.backup import BackupError
    from .security_dialogs import run_conversion
    # On the writer thread, while a progress dialog keeps every window of the program
    # waiting: nothing else may touch the file meanwhile (the window does not show it yet).
    try:
        done = run_conversion(window, db, password)
    except ConversionCancelled:
        QMessageBox.information(window, "未加密",
                                "已取消加密：数据库文件没有改动，仍可照常使用。\n"
                                "以后要加密时，管理员可用“工具 → 加密数据库文件…”。")
        return False
    except (ConversionError, BackupError, OSError, *cipher.errors()) as exc:
        QMessageBox.warning(window, "未能加密", f"数据库没有加密，仍可照常使用：{exc}")
        return False
    audit.record(db, db.actor, audit.ENCRYPT,
                 detail={"未加密副本": str(done.plain_copy), "表": len(done.tables),
                         "账号": done.accounts})
    db.recovery_code = done.recovery_code
    db.plain_copy = done.plain_copy
    return True


def announce_encryption(window, db) -> None:
    """Show a recovery key made when ``db`` was created or encrypted (once, in
    :class:`~app.ui.recovery_dialog.RecoveryKeyDialog`), and where the verified plain copy
    of a converted file is."""
    from .recovery_dialog import show_recovery_key
    code, db.recovery_code = getattr(db, "recovery_code", None), None
    if not code:
        return
    plain, db.plain_copy = getattr(db, "plain_copy", None), None
    show_recovery_key(window, db.name, code, plain_copy=plain,
                      today=getattr(window, "today", None))


def start_idle_lock(window, db) -> None:
    """Lock the window after the administrator's idle time: every window of the program is
    covered (:mod:`.lock_cover`) until the signed-in account's password (audited like a
    sign-in) unlocks it; 退出程序 closes it."""
    from PySide6.QtWidgets import QApplication, QDialog
    from ..services import accounts
    from .lock_cover import LockCover
    from .login_dialog import IdleLock, LoginDialog
    app = QApplication.instance()
    old = getattr(window, "idle_lock", None)
    if old is not None:
        app.removeEventFilter(old)
        old.deleteLater()
    lock = IdleLock(window, accounts.idle_minutes(db))
    app.installEventFilter(lock)

    def on_locked() -> None:
        dlg = LoginDialog(window, db, unlock=db.actor)
        cover = LockCover(window)
        lock.cover = cover
        cover.engage(exempt={dlg})
        try:
            accepted = dlg.exec() == QDialog.DialogCode.Accepted
            if not accepted:
                window.close()  # 退出程序: closed while still covered
        finally:
            cover.release()
            cover.deleteLater()
            lock.cover = None
            dlg.deleteLater()
        if accepted:
            lock.set_minutes(lock.minutes)
            window.statusBar().showMessage("已解锁。", 5000)
    lock.locked.connect(on_locked)
    window.idle_lock = lock


def _audit_mark(db) -> int:
    """The newest audit row now: a backup at exit is made when rows came after it."""
    import sqlalchemy as sa
    from ..storage.schema import audit_log
    with db.connect() as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(audit_log.c.id), 0))
                            ).scalar_one()


def close_database(db) -> None:
    """Back up when data changed since the sign-in, release the lock, close."""
    import logging
    from .tasks import wait_all
    wait_all()
    mark = getattr(db, "audit_mark", None)
    try:
        if mark is not None and db.path is not None and _audit_mark(db) > mark:
            from ..storage.backup import make_backup
            make_backup(db.path, "退出时")
    except Exception:  # noqa: BLE001 - a failed backup must not stop the program closing
        logging.getLogger(__name__).exception("backup at exit failed")
    db.audit_mark = None
    lock = getattr(db, "writer_lock", None)
    if lock is not None:
        lock.release()
    db.close()


def reopen_after_restore(window, path: Path, lock, actor, backup: Path, aside) -> None:
    """After 文件 → 恢复: open the restored file, with the same lock and account."""
    from PySide6.QtWidgets import QMessageBox
    from ..services import audit
    db = open_database_file(window, path)
    if db is None:
        if lock is not None:
            lock.release()
        return
    db.actor, db.writer_lock = actor, lock
    audit.record(db, actor, audit.RESTORE, detail={"备份文件": str(backup),
                                                   "原文件移至": str(aside) if aside else None})
    db.audit_mark = _audit_mark(db)
    window.set_database(db)
    if aside:
        QMessageBox.information(window, "恢复", f"已恢复。原来的文件保留为 {aside.name}")


def open_into(window, path: Path, *, offer_demo: bool = True) -> bool:
    """Open ``path`` in ``window`` (lock, sign in); offer demo data if it is empty.  False if
    it could not be opened (the user was told why)."""
    db = open_database_file(window, path)
    if db is None:
        return False
    if not lock_and_sign_in(window, db):
        return False
    old = window.db
    window.set_database(db)
    start_idle_lock(window, db)
    if old is not None and old is not db:
        close_database(old)
    announce_backup(window, db)
    if offer_demo and database_is_empty(db):
        from PySide6.QtWidgets import QMessageBox
        answer = QMessageBox.question(
            window, "空数据库",
            f"数据库 {db.name} 还没有数据。\n要载入一个演示街道（2 个社区）先熟悉一下吗？\n"
            "演示数据可随时换用新的数据库文件代替。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            window.load_demo()
    announce_encryption(window, db)
    return True


def choose_path(db_path: Path | str | None, settings: Settings
                ) -> tuple[Path | str, Path | None]:
    """The database to open: the one asked for, else the last one used if it still exists,
    else the default.  Also returns the last one when it was missing (never silently create
    an empty database where the user's data used to be).  A server address stays text."""
    from ..paths import is_server_address
    if db_path:
        return (db_path if is_server_address(db_path) else Path(db_path)), None
    last = settings.get("database/last")
    if last and is_server_address(last):
        return last, None
    if last and Path(last).exists():
        return Path(last), None
    return default_db_path(), (Path(last) if last else None)


def start_gui(db_path: Path | None, settings: Settings | None = None, *,
              offer_demo: bool = True):
    """Create the application and show the window; the database opens on the first turn of
    the event loop.  Returns (app, window) without running the loop."""
    app = make_app()
    settings = settings or Settings()
    from .main_window import MainWindow
    window = MainWindow(None, settings)
    window.show()

    def open_database() -> None:
        from ..paths import is_server_address
        path, missing = choose_path(db_path, settings)
        if is_server_address(path):
            # The password is asked for only if the server wants one (libpq's password file
            # or PGPASSWORD may give it); cancelled, a file can still be opened.
            if not window.connect_server(path, ask=False):
                window.on_open_database()
                window.show_no_database()
            return
        if not open_into(window, path, offer_demo=offer_demo):
            window.on_open_database()
            window.show_no_database()  # if that was cancelled too
        elif missing:
            window.statusBar().showMessage(
                f"上次使用的数据库 {missing} 已不存在（移动、改名或 U 盘未插入），"
                f"已打开 {path}。可用“文件 → 打开数据库”另选。", 30000)
    window._first_paint = _AfterFirstPaint(window, open_database)
    return app, window


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, on the event-loop turn after the window first painted (a zero
    timer alone can fire before the first paint)."""

    def __init__(self, window, then) -> None:
        super().__init__(window)
        self.then = then
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.then is not None:
            then, self.then = self.then, None
            obj.removeEventFilter(self)
            QTimer.singleShot(0, then)
        return False


def run_gui(db_path: Path | None) -> int:
    """Open ``db_path`` (or the last / default database) in the main window; returns the exit
    code of the event loop."""
    app, window = start_gui(db_path)
    code = app.exec()
    from .tasks import wait_all
    wait_all()  # a load still running in the pool must finish before its database closes
    if window.db is not None:
        close_database(window.db)
    return code
