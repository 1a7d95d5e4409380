"""The main window's tabs, actions, menus, toolbar and status bar.

The tab order and labels live here (the 视图 menu switches tabs with Ctrl+1…); the window
imports them (``app.ui.main_window.TAB_AREAS`` and ``AREA_LABELS`` are the same objects).

``WindowMenus`` is a mixin of :class:`app.ui.main_window.MainWindow`: it builds the ``act_*``
actions, connected to the window's slots (its own, app/ui/db_actions.py and
app/ui/exchange_actions.py), the menus 文件 / 编辑 / 视图 / 工具 / 帮助, the toolbar
``toolbar`` and the status bar labels ``count_label``, ``totals_label`` and ``db_label``.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

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


class WindowMenus:
    """Builds the window's actions, menus, toolbar and status bar (called once, from
    ``MainWindow.__init__``)."""

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
