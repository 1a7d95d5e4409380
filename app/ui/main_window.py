"""The main window: one tab per work area in the order of the source report (党建引领 · 自治基础 ·
法治保障 · 德治支撑 · 服务群众 · 干部担当), then 基础信息 (places and people).

Menus 文件 / 编辑 / 视图 / 工具 / 帮助 with shortcuts, a toolbar, and a status bar with the
database file and record counts.  A write in any view is announced once
(``data_changed``) and every tab reloads only what shows the changed registers.

The window can be shown before a database is open (``MainWindow(None)``): the tabs, menus and
toolbar paint at once, and :meth:`set_database` fills them.  That is why the data layer
(SQLAlchemy, Alembic) is imported inside the methods that need it, not at the top.
"""

from __future__ import annotations

from pathlib import Path

# ``Qt`` (the namespace of enums) and the dialogs (QMessageBox, QFileDialog, QProgressDialog)
# are imported where used: PySide builds a class's Python enums when the class is first
# touched, and none of them is needed to draw the first window.
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from .. import APP_NAME, __version__
from .db_actions import DatabaseActions
from .exchange_actions import ExchangeActions
from .settings import Settings
# The tab order and labels (and 字号 choices) are declared with the menus; imported here, where
# callers have always found them (``from app.ui.main_window import TAB_AREAS``).
from .window_menus import AREA_LABELS, FONT_SIZES, OVERVIEW, TAB_AREAS, WindowMenus

__all__ = ["AREA_LABELS", "FONT_SIZES", "MAXIMISE_FROM", "OVERVIEW", "TAB_AREAS", "MainWindow",
           "default_register"]

#: A screen at least this wide opens the window maximised the first time (1920×1080 and up);
#: a 1366×768 laptop gets a window that fits.
MAXIMISE_FROM = 1600


def default_register(area: str) -> str:
    """The register an area opens on before the user has chosen one: in the area of the
    person registry (基础信息) a clerk looks people up far more often than the one 街道 row."""
    from ..registry import PEOPLE
    return PEOPLE.key if PEOPLE.area == area else ""


class MainWindow(WindowMenus, DatabaseActions, ExchangeActions, QMainWindow):
    """The application window over one database.

    Its actions, menus and status bar are built by ``WindowMenus`` (app/ui/window_menus.py);
    the database-level actions are in ``DatabaseActions`` (app/ui/db_actions.py), the Excel
    exchange and printing in ``ExchangeActions`` (app/ui/exchange_actions.py).

    Signals:
        data_changed(object): the Changes of a write (announced once per action).
        database_changed(object): the Database now shown.
    """

    data_changed = Signal(object)
    database_changed = Signal(object)

    def __init__(self, db=None, settings: Settings | None = None, parent=None, *,
                 today=None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        #: "Today" for reminders, forms, workflow steps and imports (tests and screenshots pin
        #: it; None: the system clock, read when needed).
        self.today = today
        self.db = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.area_tabs: list = []
        self._base_font = None
        self._apply_font_size(int(self.settings.get("view/font_size")))
        self._make_actions()
        self._make_menus()
        self._make_status_bar()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.data_changed.connect(self._on_data_changed)
        self.database_changed.connect(self._close_side_windows)
        from .remote_changes import RemoteChanges
        self.remote = RemoteChanges(self)  # other PCs' writes, shown within seconds
        if db is not None:
            self.set_database(db)
        else:
            self._show_placeholders()
        self._restore_geometry()

    def _show_placeholders(self) -> None:
        """Empty tabs while the database opens (the window shows before the data layer)."""
        self.setWindowTitle(APP_NAME)
        for area in TAB_AREAS:
            self.tabs.addTab(QLabel("  正在打开数据库…", objectName="placeholder"),
                             AREA_LABELS[area])
        self.tabs.setCurrentIndex(min(max(int(self.settings.get("window/tab", 0)), 0),
                                      len(TAB_AREAS) - 1))
        # Until a database is open only these make sense (opening one, if the start failed).
        for a in self.actions():
            a.setEnabled(a in (self.act_quit, self.act_about, self.act_manual, self.act_open,
                               self.act_new_db, self.act_connect,
                               *self.act_tabs))

    def show_no_database(self) -> None:
        """The start could not open a database and none was chosen: say so in the tabs
        instead of a 正在打开 that would never end."""
        if self.db is not None:
            return
        for i in range(self.tabs.count()):
            label = self.tabs.widget(i)
            if isinstance(label, QLabel):
                label.setText("  没有打开数据库。请用“文件 → 打开数据库…”（Ctrl+O）选择台账文件，"
                              "或用“文件 → 新建数据库…”新建一个。")

    # -- database ----------------------------------------------------------------------------
    def set_database(self, db) -> None:
        """Show a database (an ``app.storage.Database``): the tabs are rebuilt over it."""
        from .area_tab import AreaTab
        from .fields import invalidate_choices
        old_tab = self.tabs.currentIndex() if self.tabs.count() else int(
            self.settings.get("window/tab", 0))
        for a in self.actions():
            a.setEnabled(True)
        same_file = db is self.db  # a rebuild (e.g. a new 字号) keeps the undo history
        self.db = db
        self._apply_role(getattr(db, "actor", None))
        invalidate_choices()
        self.tabs.blockSignals(True)
        while self.tabs.count():
            w = self.tabs.widget(0)
            self.tabs.removeTab(0)
            w.deleteLater()
        self.area_tabs = []
        mask = bool(self.settings.get("view/mask_ids"))
        for i, area in enumerate(TAB_AREAS):
            if area == OVERVIEW:  # every figure of the areas; refreshed on any change
                from .overview_tab import OverviewTab
                self.overview = OverviewTab(db, self.tabs, today=self.today,
                                            settings=self.settings)
                self.overview.records_changed.connect(self.data_changed)
                self.data_changed.connect(self.overview.refresh_for)
                self.tabs.addTab(self.overview, AREA_LABELS[area])
                self.tabs.setTabToolTip(i, f"{AREA_LABELS[area]}（Ctrl+{i + 1}）")
                continue
            tab = AreaTab(db, area, self.tabs, mask_ids=mask, today=self.today,
                          settings=self.settings)
            tab.records_changed.connect(self.data_changed)
            tab.counts_changed.connect(self._on_counts)
            tab.list.currentRowChanged.connect(lambda _row, t=tab: self._on_register_changed(t))
            self.tabs.addTab(tab, f"{AREA_LABELS[area]}")
            self.tabs.setTabToolTip(i, f"{AREA_LABELS[area]}（Ctrl+{i + 1}）")
            self.area_tabs.append(tab)
        self.tabs.blockSignals(False)
        self.setWindowTitle(f"{APP_NAME} — {db.name}")
        self.db_label.setText(f"{'服务器' if db.is_server else '数据库'}：{db.name}")
        self.db_label.setToolTip(db.location)  # a server's address never with its password
        if db.is_server:
            from .server_dialog import SETTING
            self.settings.set("database/last", db.location)
            self.settings.set(SETTING, db.location)
        else:
            # Absolute: a relative path would open another file when started from another
            # folder.
            self.settings.set("database/last", str(Path(db.path).resolve()))
        if not same_file or not hasattr(self, "undo_floor"):
            self.reset_undo()
        else:
            self._update_undo_text()
        self.tabs.setCurrentIndex(min(max(old_tab, 0), self.tabs.count() - 1))
        self._on_tab_changed(self.tabs.currentIndex())
        self.update_totals()
        self.database_changed.emit(db)

    def on_open_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog
        start = str(self.db.path.parent) if self.db and self.db.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "打开数据库", start,
                                              "台账数据库 (*.db *.sqlite);;所有文件 (*)")
        if path:
            self.open_path(Path(path))

    def on_new_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog
        start = str(self.db.path.parent / "新台账.db") if self.db and self.db.path \
            else "新台账.db"
        path, _ = QFileDialog.getSaveFileName(self, "新建数据库", start, "台账数据库 (*.db)")
        if path:
            self.open_path(Path(path))

    def on_connect_server(self) -> None:
        self.connect_server()

    def connect_server(self, address: str | None = None, *, ask: bool = True) -> bool:
        """文件 → 连接服务器…: ask for the address (the last one filled in) and the password,
        until the server answers or the user cancels.  ``ask=False`` first tries ``address``
        as it is (a password from libpq's password file), asking only if that fails."""
        from .app import connect_database
        from .server_dialog import SETTING, ServerDialog
        address = address or self.settings.get(SETTING, "")
        password, message = None, ""
        while True:
            if ask or message:
                dlg = ServerDialog(self, address, message)
                if dlg.exec() != ServerDialog.DialogCode.Accepted:
                    return False
                address, password = dlg.address, dlg.password_text
            db, message = connect_database(address, password)
            if db is not None:
                from .app import lock_and_sign_in
                if not lock_and_sign_in(self, db):
                    return False
                return self.show_database(db)
            ask = True

    def open_path(self, path: Path) -> bool:
        """Open (creating or upgrading) the database file at ``path`` and show it."""
        from .app import lock_and_sign_in, open_database_file
        if self.db is not None and self.db.path is not None and \
                Path(path).resolve() == self.db.path.resolve():
            return True  # already open here (a second lock of our own would be refused)
        db = open_database_file(self, path)
        if db is None:
            return False
        if not lock_and_sign_in(self, db):
            return False
        shown = self.show_database(db)
        from .app import announce_encryption
        announce_encryption(self, db)
        return shown

    def show_database(self, db) -> bool:
        """Show ``db`` (signed in) in place of the one open (which is closed)."""
        from .app import announce_backup, close_database
        old = self.db
        self.set_database(db)
        from .app import start_idle_lock
        start_idle_lock(self, db)
        announce_backup(self, db)
        if old is not None and old is not db:
            close_database(old)
        return True

    # -- current view ------------------------------------------------------------------------
    def current_tab(self):
        """The current AreaTab (None while the database is still opening)."""
        w = self.tabs.currentWidget()
        return w if w in self.area_tabs else None

    def current_view(self):
        tab = self.current_tab()
        return tab.current_view() if tab else None

    def _view_do(self, method: str) -> None:
        view = self.current_view()
        if view is not None:
            getattr(view, method)()

    def _on_tab_changed(self, index: int) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        self.settings.set("window/tab", index)
        if tab.list.currentRow() < 0:
            last = self.settings.get(f"area/{tab.area}/register",
                                     default_register(tab.area))
            tab.list.setCurrentRow(tab.keys.index(last) if last in tab.keys else 0)
        self._on_register_changed(tab)

    def _on_register_changed(self, tab) -> None:
        if tab is not self.current_tab():
            return
        key = tab.current_key()
        if key:
            self.settings.set(f"area/{tab.area}/register", key)
        view = tab.current_view()
        has_view = view is not None
        allows = getattr(self, "_role_allows", {})
        for a in (self.act_add, self.act_edit, self.act_delete, self.act_restore, self.act_find,
                  self.act_export, self.act_preview, self.act_print, self.act_pdf):
            a.setEnabled(has_view and allows.get(a, True))
        self.act_advance.setEnabled(has_view and view.reg.workflow is not None
                                    and allows.get(self.act_advance, True))
        self.act_signin.setEnabled(has_view and "sign_in" in view.reg.actions
                                   and allows.get(self.act_signin, True))
        if view is not None and not view.loading and not view.stale:
            self._on_counts(view.model.rowCount(), view.model.total)

    def _on_counts(self, shown: int, total: int) -> None:
        view = self.current_view()
        label = view.reg.label if view else ""
        self.count_label.setText(f"{label}：共 {total:,} 条" if shown == total
                                 else f"{label}：显示 {shown:,} / 共 {total:,} 条")

    def update_totals(self) -> None:
        from ..registry import HEADLINES
        from ..services import records
        # Each register declaring a headline, counted as declared (党员: those 在册, as the
        # organisation tree counts them).
        self.totals_label.setText(" · ".join(
            reg.headline.format(n=records.count(self.db, reg.key,
                                                filters=dict([reg.active] if reg.active else [])))
            for reg in HEADLINES))

    # -- reacting to changes -----------------------------------------------------------------
    def _on_data_changed(self, changes) -> None:
        """Refresh exactly the views that show a register the write changed."""
        from .fields import invalidate_choices
        keys = set(changes.registers)
        invalidate_choices(keys)
        for tab in self.area_tabs:
            tab.refresh_for(keys)
        self.update_totals()
        self._update_undo_text()

    # -- slots -------------------------------------------------------------------------------
    def on_find(self) -> None:
        view = self.current_view()
        if view is not None:
            view.search.setFocus()
            view.search.selectAll()

    def on_focus_list(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.list.setFocus()

    def on_refresh(self) -> None:
        from ..services.changes import Changes
        self.data_changed.emit(Changes.of_registers(
            reg.key for tab in self.area_tabs for reg in tab.registers))

    def on_audit_log(self) -> None:
        """工具 → 操作日志… (administrators): app/ui/audit_view.py."""
        from .audit_view import show_audit_view
        show_audit_view(self)

    def on_recycle_bin(self) -> None:
        """编辑 → 回收站…: app/ui/recycle_bin.py; its restores are announced here."""
        from .recycle_bin import show_recycle_bin
        show_recycle_bin(self)

    def _close_side_windows(self, db=None) -> None:
        """The 操作日志 and 回收站 show one database: another one (or none) closes them."""
        for name in ("audit_view", "recycle_bin"):
            w = getattr(self, name, None)
            if w is not None and w.db is not db:
                try:
                    self.data_changed.disconnect(w.on_data_changed)
                except (RuntimeError, TypeError):
                    pass
                w.close()
                w.deleteLater()
                setattr(self, name, None)

    def on_toggle_mask(self, checked: bool) -> None:
        self.settings.set("view/mask_ids", checked)
        for tab in self.area_tabs:
            tab.set_mask_ids(checked)

    def _apply_font_size(self, size: int) -> None:
        """Set the application's font size (0: the size it started with)."""
        from PySide6.QtWidgets import QApplication
        app = QApplication.instance()
        if self._base_font is None:
            self._base_font = app.font()
        if not size and app.font() == self._base_font:
            return
        font = app.font()
        font.setPointSize(size or self._base_font.pointSize())
        app.setFont(font)
        # Widgets that exist learn of it from posted events: deliver them now, so the views
        # rebuilt below measure their columns with the new font.
        app.sendPostedEvents()

    def set_font_size(self, size: int) -> None:
        """视图 → 字号: remembered, applied at once (the tables are laid out again: their
        column widths and row heights follow the font)."""
        self.settings.set("view/font_size", size)
        self._apply_font_size(size)
        if size in self.act_font_sizes:
            self.act_font_sizes[size].setChecked(True)
        if self.db is not None:
            self.set_database(self.db)

    def on_manual(self, page: str = "") -> None:
        """帮助 → 使用说明 (F1): the manual shipped with the program, in its own window."""
        from .help_window import HelpWindow
        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self)
        if page:
            self.help_window.show_page(page)
        self.help_window.show()
        self.help_window.raise_()

    def on_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        # Also offered before a database is open (the start may have failed).
        if self.db is not None and self.db.is_server:
            where = f"数据库服务器：{self.db.location}"
        elif self.db is not None:
            where = f"数据库文件：{self.db.path}<br>升级前的备份也放在这个文件夹里。"
        else:
            where = "尚未打开数据库。"
        QMessageBox.about(self, f"关于{APP_NAME}",
                          f"<b>{APP_NAME}</b> 版本 {__version__}<br>"
                          f"党建引领基层治理台账（离线单机版：不联网，数据只存在本机）<br><br>"
                          f"{where}")

    # -- geometry ----------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geo = self.settings.get("window/geometry")
        if geo:
            self.restoreGeometry(geo)
        else:
            # 1280×800, but never larger than the screen: offices still have 1366×768 laptops.
            room = self.screen().availableGeometry()
            self.resize(min(1280, int(room.width() * 0.96)), min(800, int(room.height() * 0.92)))
            if room.width() >= MAXIMISE_FROM:
                # A big screen the first time: use it (a 1280×800 window in a corner of a
                # 1920×1080 screen reads as small text in a small box).
                from PySide6.QtCore import Qt
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        state = self.settings.get("window/state")
        if state:
            self.restoreState(state)

    def closeEvent(self, event) -> None:
        from .app import close_database
        self._close_side_windows()
        if self.db is not None:
            close_database(self.db)
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/state", self.saveState())
        self.settings.set("window/tab", self.tabs.currentIndex())
        self.settings.sync()
        super().closeEvent(event)
