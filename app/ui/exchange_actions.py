"""The main window's Excel exchange and printing: 导入 Excel, 导入记录与撤销, the exports,
汇总各社区报表, and the roster's preview, print and PDF, and the 签到表 (sign-in sheet).

``ExchangeActions`` is a mixin of :class:`app.ui.main_window.MainWindow`; its methods act on
the window's current register view (``current_view``) and use its ``db``, ``today``,
``data_changed``, ``reset_undo`` and ``act_full_ids``.  The dialogs are imported when first
used.
"""

from __future__ import annotations


class ExchangeActions:
    """文件 → 导入/导出/汇总 and 打印预览/打印/导出 PDF/打印签到表."""

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
