"""推进: move a workflow row (协商议事, 调解, 典型选树, 阵地, 发展党员) to its next step.

Only the steps that may come next are offered (alternatives such as 调解成功/调解不成功 share a
position), so a step can never be skipped; the services check the order and the date again.
The history of the steps already done is shown below.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QPlainTextEdit, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget, QAbstractItemView, QHeaderView)

from ..core.validators import InvalidValue, parse_date
from ..registry import base as k
from ..registry.base import Field, Register
from ..services import records
from .fields import DateEditor
from .record_dialog import ERROR_STYLE, actor_name
from .sizing import fit_size


class AdvanceDialog(QDialog):
    """Choose the next step, its date and a note; ``saved`` is the row after Accepted."""

    def __init__(self, parent: QWidget | None, db, reg: Register, row: dict,
                 actor: str | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db, self.reg, self.row = db, reg, row
        self.actor = actor or actor_name()
        self.saved: dict | None = None
        title = row.get(f"{reg.title}__title") or row.get(reg.title) or ""
        self.setWindowTitle(f"推进{reg.workflow.label}：{title}")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        current = row.get("step") or "（未开始）"
        since = f"（{row['step_date']:%Y-%m-%d}）" if row.get("step_date") else ""
        form.addRow("当前步骤", QLabel(current + since))
        self.next_steps = records.next_steps(db, reg.key, row.get("step"))
        self.step = QComboBox()
        self.step.addItems(list(self.next_steps))
        form.addRow("下一步", self.step)
        self.date = DateEditor(Field("done_on", "日期", k.DATE))
        self.date.set_value(today or dt.date.today())
        form.addRow("日期", self.date)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form.addRow("说明", self.note)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        lay.addWidget(QLabel("已完成的步骤"))
        self.history = QTableWidget(0, 4)
        # The note is the long one: last, taking the rest of the width.
        self.history.setHorizontalHeaderLabels(["步骤", "日期", "经办人", "说明"])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        events = records.history(db, reg.key, row["id"])
        self.history.setRowCount(len(events))
        for r, ev in enumerate(events):
            for c, text in enumerate((ev["step"], f"{ev['done_on']:%Y-%m-%d}", ev["actor"],
                                      ev["note"] or "")):
                self.history.setItem(r, c, QTableWidgetItem(text))
        lay.addWidget(self.history, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("推进")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.on_advance)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        lay.addWidget(buttons)
        if not self.next_steps:
            self.error.setText(f"“{current}”已是最后一步，不能再推进。")
            self.step.setEnabled(False)
            self.ok_button.setEnabled(False)
        else:
            self.error.hide()
        fit_size(self, 560, 440)

    def on_advance(self) -> None:
        try:
            done_on = parse_date(self.date.value()) if self.date.value() else None
        except InvalidValue as exc:
            self._fail(f"日期：{exc}")
            return
        if done_on is None:
            self._fail("请填写这一步完成的日期")
            return
        try:
            self.saved = records.advance(self.db, self.reg.key, self.row["id"],
                                         self.step.currentText(), self.actor, done_on,
                                         self.note.toPlainText().strip(),
                                         version=self.row.get("version"))
        except (records.WorkflowError, records.ValidationError, records.StaleRecord) as exc:
            # Stale: another PC advanced (or edited) it since the list was read.
            self._fail(str(exc))
            return
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
