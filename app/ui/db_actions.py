"""The main window's database-level actions: undo (Ctrl+Z), what the signed-in role may use,
the security items of 工具 (安全设置, 生成新的恢复密钥, 加密数据库文件), backup and restore,
the integrity check and the demo data.

``DatabaseActions`` is a mixin of :class:`app.ui.main_window.MainWindow`; its methods use the
window's ``db``, ``settings``, ``today``, ``remote``, ``data_changed``, its ``act_*`` actions
(app/ui/window_menus.py) and its status bar.  The data layer is imported inside the methods,
as in the window (it paints before the database opens).
"""

from __future__ import annotations

from pathlib import Path


class DatabaseActions:
    """文件 → 备份/用备份恢复, 编辑 → 撤销, 工具 → 安全设置/恢复密钥/加密/检查/演示数据, and
    the enabling of every action by the signed-in account's role."""

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

    # -- what the signed-in role may do -----------------------------------------------------
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

    # -- security ----------------------------------------------------------------------------
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

    # -- backup and restore ------------------------------------------------------------------
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

    # -- check and demo data -----------------------------------------------------------------
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
