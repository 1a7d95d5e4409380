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
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from .. import APP_NAME, __version__
from .settings import Settings

#: Tab order: 总览 (every figure, app/ui/overview_tab.py), the six areas as in the source
#: report, then the shared basics.
OVERVIEW = "overview"
TAB_AREAS = (OVERVIEW, "party", "autonomy", "law", "virtue", "service", "cadre", "basics")
#: Their labels — the same as ``app.registry.AREA_LABELS`` (a test checks), repeated here so
#: the window paints before the register declarations are imported.
AREA_LABELS = {OVERVIEW: "总览", "party": "党建引领", "autonomy": "自治基础", "law": "法治保障",
               "virtue": "德治支撑", "service": "服务群众", "cadre": "干部担当", "basics": "基础信息"}
#: 视图 → 字号: point sizes offered (many clerks are older and want larger text); 0 is the
#: size the program starts with.
FONT_SIZES = ((0, "标准"), (12, "大"), (14, "较大"), (16, "特大"))
#: A screen at least this wide opens the window maximised the first time (1920×1080 and up);
#: a 1366×768 laptop gets a window that fits.
MAXIMISE_FROM = 1600


def default_register(area: str) -> str:
    """The register an area opens on before the user has chosen one: in the area of the
    person registry (基础信息) a clerk looks people up far more often than the one 街道 row."""
    from ..registry import PEOPLE
    return PEOPLE.key if PEOPLE.area == area else ""


class MainWindow(QMainWindow):
    """The application window over one database.

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

    # -- actions and menus -------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        act.setStatusTip(tip or text)
        act.triggered.connect(slot)
        self.addAction(act)  # shortcuts work even with the menu bar hidden
        return act

    def _make_actions(self) -> None:
        K = QKeySequence
        self.act_open = self._action("打开数据库…", self.on_open_database, K(K.StandardKey.Open))
        self.act_new_db = self._action("新建数据库…", self.on_new_database)
        self.act_connect = self._action(
            "连接服务器…", self.on_connect_server,
            tip="几台电脑共用一个台账：连接单位的 PostgreSQL 数据库服务器")
        self.act_quit = self._action("退出", self.close, K("Ctrl+Q"))
        self.act_undo = self._action("撤销", self.on_undo, K(K.StandardKey.Undo),
                                     "撤销本次打开以来自己的上一次修改（Ctrl+Z），可连续撤销")
        self.act_add = self._action("新增", lambda: self._view_do("on_add"), K(K.StandardKey.New),
                                    "新增一条记录（Ctrl+N）")
        self.act_edit = self._action("修改", lambda: self._view_do("on_edit"), K("Ctrl+E"),
                                     "修改选中的记录（Enter 或双击）")
        # Delete, as the README says and WPS does; a text box with the focus keeps the key
        # for its own text (it claims the shortcut first).
        self.act_delete = self._action("删除", lambda: self._view_do("on_delete"),
                                       K(K.StandardKey.Delete), "删除选中的记录（Delete，可恢复）")
        self.act_restore = self._action("恢复", lambda: self._view_do("on_restore"),
                                        K("Ctrl+R"), "恢复已删除的记录")
        self.act_advance = self._action("推进", lambda: self._view_do("on_advance"), K("Ctrl+J"),
                                        "把选中的事项推进到下一步（Ctrl+J）")
        self.act_find = self._action("查找", self.on_find, K(K.StandardKey.Find),
                                     "在当前台账中搜索（Ctrl+F）")
        self.act_list = self._action("台账列表", self.on_focus_list, K("Ctrl+L"),
                                     "跳到左侧台账列表（Ctrl+L）")
        self.act_refresh = self._action("刷新", self.on_refresh, K(K.StandardKey.Refresh))
        self.act_mask = self._action("隐藏身份证号中间位", self.on_toggle_mask)
        self.act_mask.setCheckable(True)
        self.act_mask.setChecked(bool(self.settings.get("view/mask_ids")))
        self.act_demo = self._action("载入演示数据…", self.on_load_demo)
        self.act_check = self._action("检查数据库", self.on_check)
        self.act_about = self._action("关于", self.on_about)
        self.act_manual = self._action("使用说明", self.on_manual, K(K.StandardKey.HelpContents),
                                       "打开使用说明（F1）：第一次使用、各台账、导入、打印、备份")
        self.act_backup = self._action("备份数据库…", self.on_backup,
                                       tip="把整个数据库复制一份到别处（U 盘、另一块硬盘），"
                                           "使用中也可以备份")
        # Excel exchange and printing (their dialogs are imported when first used).
        self.act_import = self._action("导入 Excel…", self.on_import, K("Ctrl+I"),
                                       "从 Excel/WPS 表格导入到当前台账（Ctrl+I）")
        self.act_export = self._action("导出当前台账 Excel…", self.on_export, K("Ctrl+Shift+E"),
                                       "把当前台账中显示的行导出为 Excel 表格")
        self.act_export_all = self._action("导出全部台账 Excel…", self.on_export_all)
        self.act_export_template = self._action(
            "按区里模板导出…", self.on_export_template,
            tip="把当前台账（表中显示的行）填进区里发来的工作簿，保留其标题、格式和列顺序")
        self.act_consolidate = self._action(
            "汇总各社区报表…", self.on_consolidate,
            tip="把各社区报来的同一台账工作簿汇总成一张表，注明来源并列出重复人员（不写入数据库）")
        self.act_history = self._action("导入记录与撤销…", self.on_import_history)
        self.act_preview = self._action("打印预览…", lambda: self._print("preview"),
                                        tip="按 A4 排版预览当前台账中显示的行（花名册）")
        self.act_print = self._action("打印…", lambda: self._print("print"),
                                      K(K.StandardKey.Print), "打印当前台账中显示的行")
        self.act_pdf = self._action("导出 PDF…", lambda: self._print("pdf"),
                                    tip="把当前台账中显示的行保存为 PDF")
        self.act_full_ids = self._action("打印完整身份证号", lambda: None,
                                         tip="默认打印时隐去身份证号第 7–14 位；勾选后仅本次打印完整号码")
        self.act_full_ids.setCheckable(True)
        self.act_signin = self._action("打印签到表…", self.on_signin,
                                       tip="为选中的组织生活打印签到表")
        self.act_recycle = self._action("回收站…", self.on_recycle_bin, K("Ctrl+Shift+R"),
                                        "各台账中删除的记录：查看，选中后恢复（Ctrl+Shift+R）")
        self.act_audit = self._action("操作日志…", self.on_audit_log, K("Ctrl+Shift+L"),
                                      "谁在什么时候做了什么：按账号、操作、台账、日期筛选，"
                                      "可导出（管理员，Ctrl+Shift+L）")
        self.act_security = self._action(
            "安全设置…", self.on_security_settings,
            tip="空闲多久自动锁定窗口，以及数据库文件是否加密（管理员）")
        self.act_new_recovery = self._action(
            "生成新的恢复密钥…", self.on_new_recovery_key,
            tip="为加密的数据库生成新的恢复密钥，原来的立即失效（管理员，须再次输入密码）")
        self.act_encrypt = self._action(
            "加密数据库文件…", self.on_encrypt_database,
            tip="把未加密的数据库文件加密保存：文件被拷走也无法读取（管理员，须再次输入密码）")
        self.act_restore_db = self._action("用备份恢复…", self.on_restore_backup,
                                           tip="用一个备份文件替换当前数据库（当前文件移到一旁保留）")
        self.act_tabs = []
        for i, area in enumerate(TAB_AREAS):
            act = self._action(AREA_LABELS[area], lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                               K(f"Ctrl+{i + 1}"))
            self.act_tabs.append(act)

    def _make_menus(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("文件(&F)")
        for a in (self.act_open, self.act_new_db, self.act_connect, self.act_backup):
            self.menu_file.addAction(a)
        self.menu_file.addSeparator()
        for a in (self.act_import, self.act_history, self.act_export, self.act_export_all,
                  self.act_export_template, self.act_consolidate):
            self.menu_file.addAction(a)
        self.menu_file.addSeparator()
        for a in (self.act_preview, self.act_print, self.act_pdf, self.act_full_ids,
                  self.act_signin):
            self.menu_file.addAction(a)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_restore_db)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        m = mb.addMenu("编辑(&E)")
        for a in (self.act_undo, None, self.act_add, self.act_edit, self.act_delete,
                  self.act_restore, self.act_recycle, None, self.act_advance, None,
                  self.act_find):
            m.addSeparator() if a is None else m.addAction(a)
        m = mb.addMenu("视图(&V)")
        for a in self.act_tabs:
            m.addAction(a)
        m.addSeparator()
        for a in (self.act_list, self.act_mask, self.act_refresh):
            m.addAction(a)
        m.addSeparator()
        self.menu_font = m.addMenu("字号")
        from PySide6.QtGui import QActionGroup
        group = QActionGroup(self)
        self.act_font_sizes = {}
        chosen = int(self.settings.get("view/font_size"))
        for size, label in FONT_SIZES:
            act = self.menu_font.addAction(label + (f"（{size} 磅）" if size else ""))
            act.setCheckable(True)
            act.setChecked(size == chosen)
            act.triggered.connect(lambda _=False, size=size: self.set_font_size(size))
            group.addAction(act)
            self.act_font_sizes[size] = act
        self.menu_tools = mb.addMenu("工具(&T)")
        self.menu_tools.addAction(self.act_audit)
        self.menu_tools.addSeparator()
        self.menu_tools.addAction(self.act_security)
        self.menu_tools.addAction(self.act_new_recovery)
        self.menu_tools.addAction(self.act_encrypt)
        self.menu_tools.addSeparator()
        self.menu_tools.addAction(self.act_demo)
        self.menu_tools.addAction(self.act_check)
        m = mb.addMenu("帮助(&H)")
        m.addAction(self.act_manual)
        m.addSeparator()
        m.addAction(self.act_about)
        tb = self.addToolBar("常用")
        tb.setObjectName("main_toolbar")
        # No icons: tool buttons show their text (ToolButtonIconOnly falls back to it).
        for a in (self.act_add, self.act_edit, self.act_delete, self.act_restore, None,
                  self.act_undo, self.act_advance, None, self.act_import, self.act_export,
                  self.act_preview, None, self.act_refresh):
            tb.addSeparator() if a is None else tb.addAction(a)
        self.toolbar = tb

    def _make_status_bar(self) -> None:
        sb = self.statusBar()
        self.count_label = QLabel()
        self.totals_label = QLabel()
        self.db_label = QLabel()
        # Three separate facts: a thin rule between them, so they do not read as one sentence.
        for i, label in enumerate((self.count_label, self.totals_label, self.db_label)):
            if i:
                sb.addPermanentWidget(QLabel("｜", enabled=False))
            sb.addPermanentWidget(label)

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

    # -- undo --------------------------------------------------------------------------------
    def reset_undo(self) -> None:
        """Start the undo history here: edits made before (another session, an import undone
        as a batch, the demo) are not offered."""
        from ..services import undo
        self.undo_floor = undo.latest_id(self.db)
        self._update_undo_text()

    def _update_undo_text(self) -> None:
        from ..services import undo
        db = self.db
        edit = (undo.last_edit(db, db.actor, self.undo_floor)
                if db is not None and db.actor is not None else None)
        self.act_undo.setText(f"撤销{edit.text}" if edit else "撤销")
        self.act_undo.setEnabled(edit is not None)

    def on_undo(self) -> None:
        """Ctrl+Z: write back the values before this user's last edit (in this session)."""
        from PySide6.QtWidgets import QMessageBox
        from ..services import undo
        from .tasks import run_write
        if self.db is None or self.db.actor is None:
            return
        actor, db = self.db.actor, self.db
        edit = undo.last_edit(db, actor, self.undo_floor)
        if edit is None:
            self.statusBar().showMessage("没有可撤销的修改。", 5000)
            return

        def done(changes) -> None:
            self.statusBar().showMessage(f"已撤销：{edit.text}", 8000)
            self.data_changed.emit(changes)

        def refused(exc) -> None:
            QMessageBox.warning(self, "撤销", str(exc))
        self.undo_task = run_write(lambda _t: undo.undo(db, edit, actor), owner=self,
                                   on_done=done, on_error=refused)

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

    def _apply_role(self, actor) -> None:
        """Hide what the signed-in account's role may not do (the services refuse it
        anyway: this only spares the user a refusal)."""
        from ..services import access
        if actor is None:
            return
        may = actor.may
        for a in (self.act_add, self.act_edit, self.act_delete, self.act_restore,
                  self.act_advance, self.act_demo):
            a.setEnabled(may(access.WRITE))
        for a in (self.act_import, self.act_history):
            a.setEnabled(may(access.IMPORT))
        for a in (self.act_export, self.act_export_all, self.act_consolidate):
            a.setEnabled(may(access.EXPORT))
        for a in (self.act_preview, self.act_print, self.act_pdf, self.act_signin):
            a.setEnabled(may(access.PRINT))
        self.act_full_ids.setEnabled(may(access.PRINT_FULL))
        self.act_mask.setEnabled(may(access.VIEW_FULL))
        if not may(access.VIEW_FULL) and not self.act_mask.isChecked():
            self.act_mask.setChecked(True)
        self.act_backup.setEnabled(may(access.BACKUP))
        self.act_audit.setEnabled(may(access.AUDIT))
        self.act_recycle.setEnabled(may(access.READ))  # restoring there needs WRITE
        self.act_restore_db.setEnabled(may(access.RESTORE) and not self.db.is_server)
        self._apply_security_role(actor)
        # What the role allows, remembered: switching registers enables the view's actions
        # only within it.
        self._role_allows = {a: a.isEnabled() for a in self.actions()}

    def on_audit_log(self) -> None:
        """工具 → 操作日志… (administrators): app/ui/audit_view.py."""
        from .audit_view import show_audit_view
        show_audit_view(self)

    def _apply_security_role(self, actor) -> None:
        """The security items of 工具: not even shown to other roles (the services refuse
        them too); those about the file's encryption only where they apply."""
        from ..services import access
        from ..storage import cipher
        may = actor.may
        self.act_security.setVisible(may(access.SETTINGS))
        self.act_security.setEnabled(may(access.SETTINGS))
        for act in (self.act_new_recovery, self.act_encrypt):
            act.setVisible(may(access.USERS))
        self.act_new_recovery.setEnabled(may(access.USERS) and self.db.encrypted)
        self.act_encrypt.setEnabled(may(access.USERS) and not self.db.is_server
                                    and not self.db.encrypted and cipher.available())

    def on_security_settings(self) -> None:
        """工具 → 安全设置… (administrators): the idle lock's time, applied at once."""
        from .security_dialogs import SecuritySettingsDialog
        dlg = SecuritySettingsDialog(self, self.db)
        if dlg.exec() != SecuritySettingsDialog.DialogCode.Accepted or dlg.stored is None:
            return
        lock = getattr(self, "idle_lock", None)
        if lock is not None:
            lock.set_minutes(dlg.stored)
        self.statusBar().showMessage(
            "已保存：窗口不再自动锁定。" if not dlg.stored
            else f"已保存：{dlg.stored} 分钟无操作后锁定窗口。", 8000)

    def on_new_recovery_key(self) -> None:
        """工具 → 生成新的恢复密钥… (administrators, an encrypted file): the password again,
        then the new key, shown once."""
        from .recovery_dialog import show_recovery_key
        from .security_dialogs import new_recovery_key_dialog
        dlg = new_recovery_key_dialog(self, self.db)
        if dlg.exec() != dlg.DialogCode.Accepted or not dlg.value:
            return
        self.statusBar().showMessage("已生成新的恢复密钥，原来的恢复密钥已失效。", 10000)
        show_recovery_key(self, self.db.name, dlg.value, new=True, today=self.today)

    def on_encrypt_database(self) -> None:
        """工具 → 加密数据库文件… (administrators, a plain file): the password again, then the
        conversion in the background (app/ui/app.py), then the recovery key, shown once."""
        from .app import announce_encryption, encrypt_file
        from .security_dialogs import encrypt_dialog
        from .tasks import wait_all
        db = self.db
        dlg = encrypt_dialog(self, db)
        if dlg.exec() != dlg.DialogCode.Accepted or not dlg.password:
            return
        # Nothing else may read or write the file while it is converted: no poll for other
        # PCs' writes, no load still running.
        self.remote.stop()
        wait_all()
        try:
            encrypted = encrypt_file(self, db, dlg.password)
        finally:
            self.remote.watch(db)
        self._apply_security_role(db.actor)
        if encrypted:
            self.statusBar().showMessage(f"数据库 {db.name} 已加密。", 15000)
            announce_encryption(self, db)

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

    def on_restore_backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox
        from ..storage.backup import BackupError, backups_dir, restore
        from ..storage.database import known_revisions
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件",
                                              str(backups_dir(self.db.path)),
                                              "数据库 (*.db);;所有文件 (*)")
        if not path:
            return
        answer = QMessageBox.question(
            self, "恢复", f"用 {Path(path).name} 替换当前数据库？当前的文件会移到一旁保留，"
            "不会删除。", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        from .tasks import wait_all
        wait_all()
        target, lock, actor = self.db.path, getattr(self.db, "writer_lock", None), \
            self.db.actor
        self.db.close()
        try:
            aside = restore(target, Path(path), known_revisions())
        except BackupError as exc:
            QMessageBox.warning(self, "恢复", str(exc))
            aside = None
        from .app import reopen_after_restore
        reopen_after_restore(self, target, lock, actor, Path(path), aside)

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

    def on_backup(self) -> None:
        """文件 → 备份数据库…: a consistent copy where the user chooses, in the background."""
        import datetime as dt
        from PySide6.QtWidgets import QFileDialog, QMessageBox
        from .tasks import run_task
        day = self.today or dt.date.today()
        if self.db.is_server:  # pg_dump's own format, restored with pg_restore
            name = f"{self.db.url.database}-备份-{day:%Y%m%d}.dump"
            path, _ = QFileDialog.getSaveFileName(self, "备份服务器数据库到",
                                                  str(Path.home() / name),
                                                  "PostgreSQL 备份 (*.dump)")
        else:
            name = f"{self.db.path.stem}-备份-{day:%Y%m%d}.db"
            path, _ = QFileDialog.getSaveFileName(self, "备份数据库到",
                                                  str(self.db.path.parent / name),
                                                  "台账数据库 (*.db)")
        if not path:
            return
        db = self.db
        from ..services.access import BACKUP, PermissionDenied, require
        try:
            require(db.actor, BACKUP)
        except PermissionDenied as exc:
            QMessageBox.warning(self, "备份数据库", str(exc))
            return

        def done(target) -> None:
            from ..services import audit
            audit.record(db, db.actor, audit.BACKUP, detail={"文件": str(target)})
            self.statusBar().showMessage(f"已备份到 {target}", 10000)
            how = ("要恢复时，请管理员用 pg_restore 把它恢复到一个新的数据库。" if db.is_server
                   else "要用备份恢复时，用“文件 → 用备份恢复…”选择这个文件。")
            QMessageBox.information(self, "备份数据库",
                                    f"已把数据库完整地备份到：\n{target}\n\n{how}")

        def failed(exc) -> None:
            QMessageBox.warning(self, "备份数据库", f"未能备份：{exc}\n请换一个位置再试。")
        self.backup_task = run_task(lambda _t: db.backup_to(Path(path)), owner=self,
                                    on_done=done, on_error=failed)

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

    def on_check(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        problems = self.db.integrity_check()
        if problems:
            QMessageBox.warning(self, "数据库检查", "发现问题：\n" + "\n".join(problems[:20]))
        else:
            QMessageBox.information(self, "数据库检查", f"数据库 {self.db.name} 完好。")

    def on_load_demo(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        from ..registry import PEOPLE
        from ..services import records
        if records.count(self.db, PEOPLE.key, include_deleted=True):
            QMessageBox.information(self, "载入演示数据",
                                    "当前数据库已有人员数据，演示数据只能载入空数据库。"
                                    "请先用“文件 → 新建数据库”建一个新文件。")
            return
        self.load_demo()

    def load_demo(self, scale: str = "community") -> None:
        """Build the demo data in the background, with a busy indicator."""
        from PySide6.QtWidgets import QMessageBox, QProgressDialog
        from ..demo import build_demo
        from .tasks import run_write
        progress = QProgressDialog("正在生成演示数据…", "", 0, 0, self)
        progress.setCancelButton(None)
        progress.setWindowTitle("载入演示数据")
        from PySide6.QtCore import Qt
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()
        db = self.db

        def done(_result) -> None:
            progress.close()
            self.reset_undo()
            self.on_refresh()

        def failed(exc) -> None:
            progress.close()
            QMessageBox.warning(self, "载入演示数据", f"未能载入演示数据：{exc}")

        self.demo_task = run_write(lambda task: build_demo(db, scale), owner=self,
                                   on_done=done, on_error=failed)

    # -- Excel and printing -------------------------------------------------------------------
    def on_import(self) -> None:
        from .excel_dialogs import run_import_wizard
        view = self.current_view()
        changes = run_import_wizard(self, self.db, view.reg.key if view else None,
                                    actor=self.db.actor, today=self.today)
        if changes:
            self.reset_undo()  # an import is undone as a whole (导入记录与撤销)
            self.data_changed.emit(changes)

    def on_consolidate(self) -> None:
        from .excel_dialogs import run_consolidation
        view = self.current_view()
        if view is None:
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.information(self, "汇总各社区报表", "请先打开要汇总的台账。")
            return
        run_consolidation(self, self.db, view.reg.key)

    def on_import_history(self) -> None:
        from .excel_dialogs import show_import_history
        changes = show_import_history(self, self.db, self.db.actor)
        if changes:
            self.reset_undo()
            self.data_changed.emit(changes)

    def on_export(self) -> None:
        from .excel_dialogs import export_register
        view = self.current_view()
        if view is not None:
            # What the table shows: its rows, and its columns in their order.
            export_register(self, self.db, view.reg.key, view.model.visible_rows(),
                            columns=view.visible_column_keys())

    def on_export_template(self) -> None:
        from .excel_dialogs import export_to_template
        view = self.current_view()
        if view is None:
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.information(self, "按区里模板导出", "请先打开要导出的台账。")
            return
        self.template_task = export_to_template(self, self.db, view.reg.key,
                                                view.model.visible_rows())

    def on_export_all(self) -> None:
        from .excel_dialogs import export_all
        export_all(self, self.db)

    def roster_spec(self, mask_ids: bool = True):
        """The printed roster of the rows the current view shows (its filters and order)."""
        from ..printing.roster import roster_for_rows
        view = self.current_view()
        if view is None or not view.model.rowCount():
            return None
        from ..services import records
        rows = view.model.visible_rows()
        if not mask_ids:
            # The table holds masked numbers: read these rows again in full (audited).
            order = [r["id"] for r in rows]
            full = {r["id"]: r for r in records.list_rows(
                self.db, view.reg.key, filters={"id": order}, include_deleted=True,
                reveal=True)}
            rows = [full[i] for i in order if i in full]
        return roster_for_rows(self.db, view.reg.key, rows,
                               scope=view.scope_text(), mask_ids=mask_ids)

    def _print(self, kind: str) -> None:
        from PySide6.QtWidgets import QMessageBox
        from . import print_preview
        spec = self.roster_spec(mask_ids=not self.act_full_ids.isChecked())
        if spec is None:
            QMessageBox.information(self, "打印", "当前台账没有可打印的行。")
            return
        try:
            {"preview": print_preview.preview, "print": print_preview.print_dialog,
             "pdf": print_preview.export_pdf}[kind](self, spec)
        finally:
            # Full ID numbers are a choice for one printout only.
            self.act_full_ids.setChecked(False)

    def on_signin(self) -> None:
        from PySide6.QtWidgets import QMessageBox
        from ..printing.roster import RosterError
        from ..printing.signin import signin_spec
        from . import print_preview
        view = self.current_view()
        row = view.current_row() if view is not None else None
        if view is None or "sign_in" not in view.reg.actions or row is None:
            QMessageBox.information(self, "签到表", "请先在“组织生活”中选中一次会议。")
            return
        try:
            spec = signin_spec(self.db, row["id"])
        except RosterError as exc:
            QMessageBox.warning(self, "签到表", str(exc))
            return
        print_preview.preview(self, spec)

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
