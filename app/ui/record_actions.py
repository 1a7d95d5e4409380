"""A register view's record actions: 新增, 修改, 删除, 恢复 and 推进 (a workflow's next step),
each in its form or dialog, the write on the writer thread, then the row shown and the change
announced.

``RecordActions`` is a mixin of :class:`app.ui.register_view.RegisterView`; its methods use the
view's ``db``, ``reg``, ``today``, ``defaults`` (a new record's starting values), ``model``,
``deleted`` (the 显示已删除 box), ``records_changed``, ``current_row`` and ``select_position``.
The view's context menu and key presses call them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from ..registry import get as get_register
from ..services import records
from ..services.changes import Changes
from .record_dialog import RecordDialog, current_actor
from .tasks import ask, run_write, show_error
from .workflow_dialog import AdvanceDialog


class RecordActions:
    """新增/修改/删除/恢复/推进 of the selected record (编辑 menu, toolbar, context menu)."""

    def _after_write(self, row: dict, changes: Changes) -> None:
        """Show the written row and announce what the write changed (every register and
        record, hooks included: the window refreshes exactly the views showing them)."""
        if row.get("deleted_at") and not self.deleted.isChecked():
            self.model.remove(row["id"])
        else:
            self.select_position(self.model.upsert(row))
        self._announcing = True
        try:
            self.records_changed.emit(changes)
        finally:
            self._announcing = False

    def on_add(self) -> None:
        dlg = RecordDialog(self, self.db, self.reg, initial=self.defaults, today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved:
            self._after_write(dlg.saved, dlg.changes)
            self._offer_form(dlg.offer_after)

    def _offer_form(self, offer) -> None:
        """A follow-up that opens another register's form filled in (e.g. a 党员 record for
        someone transferred in), asked after the save."""
        if offer is None or offer.form is None or not ask(self, offer.title, offer.question):
            return
        dlg = RecordDialog(self, self.db, get_register(offer.form), initial=offer.initial,
                           today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved:
            self.records_changed.emit(dlg.changes)

    def on_edit(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if row.get("deleted_at"):
            QMessageBox.information(self, "已删除", "这条记录已删除，请先“恢复”再修改。")
            return
        dlg = RecordDialog(self, self.db, self.reg, records.get(self.db, self.reg.key, row["id"]),
                           today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved:
            self._after_write(dlg.saved, dlg.changes)

    def _write(self, title: str, fn) -> None:
        """Run a write on the writer thread; show the row it returns, or why it was refused."""
        def done(row) -> None:
            self._after_write(row, row.changes)

        def refused(exc: Exception) -> None:
            if isinstance(exc, (records.ValidationError, records.NotFound,
                                records.StaleRecord)):
                QMessageBox.warning(self, title, str(exc))
            else:
                show_error(self, title, exc)
        run_write(lambda _task: fn(), owner=self, on_done=done, on_error=refused)

    def on_delete(self) -> None:
        row = self.current_row()
        if row is None or row.get("deleted_at"):
            return
        reason, ok = QInputDialog.getText(
            self, f"删除{self.reg.label}",
            "删除后可勾选“显示已删除”找回并恢复。\n删除原因（可不填）：")
        if not ok:
            return
        key, rid, actor, version = (self.reg.key, row["id"], current_actor(self.db),
                                    row.get("version"))
        self._write("不能删除", lambda: records.soft_delete(self.db, key, rid, actor,
                                                        reason.strip(), version=version))

    def on_restore(self) -> None:
        row = self.current_row()
        if row is None or not row.get("deleted_at"):
            return
        key, rid, actor, version = (self.reg.key, row["id"], current_actor(self.db),
                                    row.get("version"))
        self._write("不能恢复", lambda: records.restore(self.db, key, rid, actor,
                                                    version=version))

    def on_advance(self) -> None:
        row = self.current_row()
        if row is None or self.reg.workflow is None or row.get("deleted_at"):
            return
        dlg = AdvanceDialog(self, self.db, self.reg, row, today=self.today)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved:
            self._after_write(dlg.saved, dlg.saved.changes)
