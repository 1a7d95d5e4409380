"""The add/edit form of any register, built from its declaration.

Required fields carry a red star; each field checks itself when the user leaves it (the same
coercion the services use), and on 保存 the services validate the whole row: every problem is
shown in red under its field and nothing is written.  Warnings (e.g. a birth date that
disagrees with the ID number) are listed and need a confirmation.  Esc cancels.
"""

from __future__ import annotations

import datetime as dt
import getpass

import shiboken6

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFrame, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from ..core.validators import InvalidValue
from ..registry import base as k
from ..registry import get as get_register
from ..registry.base import Field, Register
from ..services import followups, records
from ..services.changes import Changes
from ..services.coerce import coerce_value
from .fields import make_editor
from .sizing import fit_size, screen_room
from .tasks import ask

ERROR_STYLE = "color: #c0392b;"
WARNING_STYLE = "color: #b9770e;"


def actor_name() -> str:
    """Who is writing (the OS user until a login exists)."""
    try:
        return getpass.getuser() or "用户"
    except Exception:  # no user name in some sandboxes
        return "用户"


def _shown(value) -> str:
    """A value as the comparison shows it."""
    if value in (None, "", []):
        return "（空）"
    if isinstance(value, list):
        return k.MULTI_SEP.join(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _names_person(f: Field) -> bool:
    return f.kind == k.REF and get_register(f.ref).people


class RecordDialog(QDialog):
    """Add (``row`` None) or edit a record of ``reg``.

    After ``exec()`` returns Accepted, ``saved`` holds the row as stored, or ``existing`` holds
    an already registered person the user chose instead of creating a duplicate.
    """

    def __init__(self, parent: QWidget | None, db, reg: Register, row: dict | None = None, *,
                 initial: dict | None = None, actor: str | None = None,
                 offer_existing: bool = False, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db, self.reg, self.row = db, reg, row
        self.today = today  # the day values are judged on (None: the clock)
        self.actor = actor or actor_name()
        self.saved: dict | None = None
        self.existing: dict | None = None
        #: A follow-up to offer once saved that opens another form (see ``on_save``).
        self.offer_after: followups.Offer | None = None
        self.offer_existing = offer_existing
        self.setWindowTitle(f"{'修改' if row else '新增'}{reg.label}")
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._initial: dict[str, object] = {}
        self._build()
        self._load(row, initial)

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        if self.reg.description:
            note = QLabel(self.reg.description)
            note.setWordWrap(True)
            outer.addWidget(note)
        body = QWidget()
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        fields = self.reg.editable_fields
        # Two columns of fields for a long form, if the screen is wide enough for them at this
        # font size (视图 → 字号 特大 on a 1366×768 laptop: one column, scrolling down).
        em = self.fontMetrics().horizontalAdvance("中")
        two_columns = len(fields) > 9 and em * 62 <= screen_room(self.parentWidget())[0]
        row = col = 0
        for f in fields:
            # Long text, check-box groups and people (name · ID · phone) take a whole row.
            wide = (f.kind in (k.LONGTEXT, k.MULTI) or _names_person(f)) or not two_columns
            if wide and col == 1:
                row, col = row + 2, 0
            label = QLabel(f.label + ("<span style='color:#c0392b'> *</span>" if f.required
                                      else ""))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            editor = make_editor(f, self.db, body)
            editor.setObjectName(f"field_{f.key}")
            if f.kind != k.LONGTEXT:
                # Composite editors (date + calendar button, person + 选择…) are plain
                # QWidgets that would take a share of spare height and open gaps in the form;
                # only long text grows.
                editor.setSizePolicy(editor.sizePolicy().horizontalPolicy(),
                                     QSizePolicy.Policy.Fixed)
            em = self.fontMetrics().horizontalAdvance("中")
            # A person shows as 姓名 · 身份证号 · 电话 · 社区 (~40 characters): room for all.
            # A reference box shows the hint 输入社区名称的一部分 until something is chosen.
            chars = 36 if _names_person(f) else max(12 if f.ref else 8, min(f.width, 24))
            editor.setMinimumWidth(chars * em)
            label.setBuddy(editor)
            if f.help:
                editor.setToolTip(f.help)
                if isinstance(editor, QLineEdit) and not editor.placeholderText():
                    editor.setPlaceholderText(f.help)  # e.g. 案件编号: 留空则自动编号
            error = QLabel(body)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            # Each field keeps one line for its message, empty or not: a message that comes
            # and goes must not move the fields below it under the user's pointer.
            error.setMinimumHeight(error.fontMetrics().height())
            c = col * 2
            span = 3 if wide and two_columns else 1
            grid.addWidget(label, row, c)
            grid.addWidget(editor, row, c + 1, 1, span)
            grid.addWidget(error, row + 1, c + 1, 1, span)
            editor.edited.connect(lambda f=f: self._check_field(f))
            self.editors[f.key] = editor
            self.errors[f.key] = error
            if wide or col == 1:
                row, col = row + 2, 0
            else:
                col = 1
        if self.reg.people and self.offer_existing:
            self._build_existing_bar(grid, row)
        if not any(f.kind == k.LONGTEXT for f in fields):
            grid.setRowStretch(row + 2, 1)  # spare height below the fields, not between them
        self.body = body
        scroll = QScrollArea()
        self.scroll = scroll
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        outer.addWidget(self.general_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        for b in buttons.buttons():
            # Enter moves to the next field (keyPressEvent); only 保存 or Ctrl+S save, so an
            # Enter pressed too soon never submits a half-filled or empty form.
            b.setAutoDefault(False)
            b.setDefault(False)
        buttons.accepted.connect(self.on_save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        # Ctrl+S saves as in WPS/Excel (Enter does too; Esc cancels).
        save_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_key.activated.connect(self.on_save)
        self.save_button.setToolTip("保存（Ctrl+S）；Esc 取消，不保存")
        outer.addWidget(buttons)
        hint = body.sizeHint()
        fit_size(self, min(hint.width() + 60, 1100), min(hint.height() + 130, 760))

    def _build_existing_bar(self, grid: QGridLayout, row: int) -> None:
        """The offer shown when the typed 身份证号 is already registered."""
        self.existing_bar = QWidget()
        lay = QHBoxLayout(self.existing_bar)
        lay.setContentsMargins(0, 4, 0, 4)
        self.existing_label = QLabel()
        self.existing_label.setStyleSheet(WARNING_STYLE)
        self.existing_label.setWordWrap(True)  # a narrow form wraps it, never scrolls sideways
        self.use_existing_button = QPushButton("使用已登记的人员")
        self.use_existing_button.clicked.connect(self.on_use_existing)
        lay.addWidget(self.existing_label, 1)
        lay.addWidget(self.use_existing_button)
        grid.addWidget(self.existing_bar, row, 0, 1, 4)
        self.existing_bar.hide()
        self._existing_candidate: dict | None = None

    def _load(self, row: dict | None, initial: dict | None) -> None:
        for f in self.reg.editable_fields:
            if row is not None:
                value = row.get(f.key)
            elif initial and f.key in initial:
                value = initial[f.key]
            else:
                value = f.default
            self.editors[f.key].set_value(value)
            self._initial[f.key] = self._raw(f.key)
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus()  # typing starts in the first field

    def keyPressEvent(self, event) -> None:
        """Enter in a field goes on to the next one (as in a paper form read top to bottom);
        fields that use Enter themselves (the person box picks, long text breaks the line)
        consume it before it gets here."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if self.focusWidget() is self.save_button:
                self.on_save()  # Enter on a focused 保存 is a click on it
            else:
                self.focus_next_field()
            return
        super().keyPressEvent(event)

    def focus_next_field(self) -> None:
        """To the next field of the form (a field's own buttons — 日历, 选择…, 清除 — are
        skipped: Enter goes field by field, as on paper)."""
        editors = list(self.editors.values())
        focus = self.focusWidget()
        here = next((i for i, e in enumerate(editors)
                     if focus is not None and (focus is e or e.isAncestorOf(focus))), None)
        if here is None:
            self.focusNextChild()
            return
        for e in editors[here + 1:]:
            if e.isEnabled() and e.focusPolicy() != Qt.FocusPolicy.NoFocus or e.focusProxy():
                e.setFocus(Qt.FocusReason.TabFocusReason)
                return
        self.save_button.setFocus(Qt.FocusReason.TabFocusReason)  # the last field: 保存 next

    # -- values and checks ---------------------------------------------------------------------
    @property
    def created_people(self) -> list[dict]:
        """People registered on the way through a person picker of this form."""
        return [p for e in self.editors.values() for p in getattr(e, "created", [])]

    @property
    def changes(self) -> Changes:
        """Everything this form wrote: the record (with what its write changed elsewhere)
        and the people registered through its pickers."""
        out = Changes()
        for written in (*self.created_people, self.saved):
            out.merge(getattr(written, "changes", None))
        return out

    def _raw(self, key: str):
        return self.editors[key].value()

    def values(self) -> dict:
        """What to send: everything filled in for a new row, only the changes for an edit."""
        out = {}
        for f in self.reg.editable_fields:
            raw = self._raw(f.key)
            if self.row is None:
                if raw not in (None, [], "") and not (f.kind == k.BOOL and raw is False
                                                      and f.default is None):
                    out[f.key] = raw
            elif raw != self._initial[f.key]:
                out[f.key] = raw
        return out

    def _check_field(self, f: Field) -> None:
        try:
            value = coerce_value(f, self._raw(f.key), self.today)
        except InvalidValue as exc:
            self.show_error(f.key, str(exc))
            return
        self.show_error(f.key, None)
        if f.key == "id_number" and self.reg.people and self.offer_existing:
            self._look_for_existing(value)

    def _look_for_existing(self, id_number: str | None) -> None:
        found = None
        if id_number:
            hits = records.list_rows(self.db, self.reg.key, filters={"id_number": id_number})
            found = next((h for h in hits if not self.row or h["id"] != self.row["id"]), None)
        self._existing_candidate = found
        if found:
            self.existing_label.setText(
                f"身份证号 {id_number} 已登记为“{found['name']}”"
                f"（{found.get('community_id__title') or '未填社区'}），不必重复录入。")
            self.use_existing_button.setText(f"使用已登记的“{found['name']}”")
            self.existing_bar.show()
            self._fit_height()
        else:
            self.existing_bar.hide()

    def on_use_existing(self) -> None:
        self.existing = self._existing_candidate
        self.accept()

    def show_error(self, key: str, message: str | None, level: str = "error") -> None:
        label = self.errors.get(key)
        if label is None:
            self.general_error.setText(message or "")
            self.general_error.setVisible(bool(message))
            return
        label.setStyleSheet(ERROR_STYLE if level == "error" else WARNING_STYLE)
        label.setText(message or "")  # stays shown: its line is kept (see _build)
        label.setToolTip(message or "")
        if message:
            self._fit_height()

    def _fit_height(self) -> None:
        """Grow (never shrink) so messages that appeared under the fields are seen without
        scrolling, up to 760 px; beyond that the form scrolls."""
        if not shiboken6.isValid(self) or not self.isVisible():
            return  # a field losing focus as the closed form is destroyed
        chrome = self.height() - self.scroll.viewport().height()
        need = min(self.body.sizeHint().height() + chrome, 760, screen_room(self)[1])
        if need > self.height():
            self.resize(self.width(), need)

    def clear_errors(self) -> None:
        for key in self.errors:
            self.show_error(key, None)
        self.show_error("", None)

    def show_issues(self, issues) -> None:
        by_field: dict[str, list] = {}
        for issue in issues:
            by_field.setdefault(issue.field if issue.field in self.errors else "", []).append(issue)
        for key, items in by_field.items():
            text = "；".join(i.message if key else str(i) for i in items)
            level = "error" if any(i.level == "error" for i in items) else "warning"
            self.show_error(key, text, level)
        first = next((key for key in self.editors if key in by_field), None)
        if first:
            self.editors[first].setFocus()

    # -- saving --------------------------------------------------------------------------------
    def _write(self, accept_warnings: bool, with_followups: bool = False) -> dict:
        values = self.values()
        if self.row is None:
            return records.create(self.db, self.reg.key, values, self.actor,
                                  accept_warnings=accept_warnings, followups=with_followups,
                                  today=self.today)
        return records.update(self.db, self.reg.key, self.row["id"], values, self.actor,
                              accept_warnings=accept_warnings, today=self.today,
                              version=self.row.get("version"))

    def _followup_wanted(self) -> bool:
        """For a new record whose register declares follow-ups: check the row first (a
        question about a row that cannot be saved would be asked in vain), then ask.  A
        follow-up that opens another form is kept for after the save."""
        if self.row is not None or not self.reg.followups:
            return False
        clean, issues = records.check(self.db, self.reg.key, self.values(), today=self.today)
        if any(i.level == "error" for i in issues):
            return False  # the save below shows them
        offer = followups.offer(self.db, self.reg.key, clean)
        if offer is None:
            return False
        if offer.form is not None:
            self.offer_after = offer
            return False
        return ask(self, offer.title, offer.question)

    def on_save(self) -> None:
        self.clear_errors()
        if self.row is not None and not self.values():
            self.reject()  # nothing changed
            return
        with_followups = self._followup_wanted()
        try:
            self.saved = self._write(False, with_followups)
        except records.StaleRecord as exc:
            self.on_stale(exc)
            return
        except records.ValidationError as exc:
            self.show_issues(exc.errors)
            if any(e.level == "error" for e in exc.errors):
                return
            text = "\n".join(str(e) for e in exc.errors)
            answer = QMessageBox.question(
                self, "请核对", f"{text}\n\n仍要保存吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
            try:
                self.saved = self._write(True, with_followups)
            except records.StaleRecord as exc2:
                self.on_stale(exc2)
                return
            except records.ValidationError as exc2:
                self.show_issues(exc2.errors)
                return
        self.accept()

    def comparison(self, current: dict) -> list[str]:
        """One line per field someone else changed since the form opened: as opened, as
        stored now, and what was typed here (if anything)."""
        mine = self.values()
        lines = []
        for f in self.reg.editable_fields:
            opened, now = self.row.get(f.key), current.get(f.key)
            if opened != now:
                typed = f"；您填写的：{_shown(mine[f.key])}" if f.key in mine else ""
                lines.append(f"「{f.label}」您打开时：{_shown(opened)}；现在：{_shown(now)}{typed}")
        return lines

    def on_stale(self, exc) -> None:
        """Another PC saved this record after the form opened; nothing was saved here.  Show
        who changed what, and offer to reload the stored record with this form's own edits
        put back on top, to check and save again (or go on comparing, and cancel)."""
        lines = self.comparison(exc.current) or ["（没有改动表单中的项目）"]
        answer = QMessageBox.question(
            self, "记录已被他人修改",
            f"{exc}\n\n" + "\n".join(lines) +
            "\n\n重新载入对方保存后的内容，并填回您改过的项目，核对后再保存？"
            "\n（选“否”则表单保持原样，可继续对比，或取消不保存。）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return
        mine = self.values()
        self.row = records.get(self.db, self.reg.key, self.row["id"])
        self._load(self.row, None)
        for key, raw in mine.items():
            self.editors[key].set_value(k.MULTI_SEP.join(raw) if isinstance(raw, list)
                                        else raw)
        self.show_error("", f"已载入 {self.row.get('updated_by') or '他人'} 保存的内容，"
                            "并填回了您改过的项目。请核对后再保存。", "warning")
