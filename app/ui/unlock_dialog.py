"""Opening an encrypted database file in the window: the account and password (or the
recovery key) unlock its key before the file can be read, then the sign-in that follows uses
the same account without asking again.  (A recovery key is shown by
:mod:`.recovery_dialog`.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, \
    QWidget

from ..storage import encryption, keyslots
from .password_form import PasswordForm


class UnlockDialog(QDialog):
    """Account and password, or the recovery key, for the encrypted file ``path``.  After
    Accepted the key is unlocked in this process; ``credentials`` is (name, password) when an
    account's password did it (None for the recovery key)."""

    def __init__(self, parent: QWidget | None, path: Path, *, user: str = "") -> None:
        super().__init__(parent)
        self.path = path
        self.credentials: tuple[str, str] | None = None
        self.setWindowTitle("打开加密的数据库")
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        intro = QLabel(f"数据库 {path.name} 已加密。请用账号和密码登录；"
                       "忘记所有密码时，可输入建立加密时打印的恢复密钥。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.fields = PasswordForm(self, name=user)
        self.name, self.password, self.error = (self.fields.name, self.fields.password,
                                                self.fields.error)
        self.recovery = QLineEdit()
        self.recovery.setPlaceholderText("XXXXX-XXXXX-…（只在忘记密码时填写）")
        self.fields.form.addRow("恢复密钥", self.recovery)
        lay.addWidget(self.fields)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打开")
        buttons.accepted.connect(self.on_accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.fields.focus_first()

    def on_accept(self) -> None:
        try:
            if self.recovery.text().strip():
                encryption.unlock_with_recovery(self.path, self.recovery.text())
            else:
                encryption.unlock(self.path, self.name.text(), self.password.text())
                self.credentials = (self.name.text().strip(), self.password.text())
        except keyslots.KeySlotError as exc:
            self.fields.show_error(str(exc))
            if self.recovery.text().strip():
                self.recovery.setFocus()
                self.recovery.selectAll()
            return
        self.accept()

