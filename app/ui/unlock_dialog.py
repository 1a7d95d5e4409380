"""Opening an encrypted database file in the window: the account and password (or the
recovery key) unlock its key before the file can be read, then the sign-in that follows uses
the same account without asking again.  Also the messages that show a recovery key.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, \
    QVBoxLayout, QWidget

from ..storage import encryption, keyslots
from .login_dialog import ERROR_STYLE


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
        form = QFormLayout()
        self.name = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery = QLineEdit()
        self.recovery.setPlaceholderText("XXXXX-XXXXX-…（只在忘记密码时填写）")
        form.addRow("账号", self.name)
        form.addRow("密码", self.password)
        form.addRow("恢复密钥", self.recovery)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打开")
        buttons.accepted.connect(self.on_accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        (self.password if user else self.name).setFocus()

    def on_accept(self) -> None:
        try:
            if self.recovery.text().strip():
                encryption.unlock_with_recovery(self.path, self.recovery.text())
            else:
                encryption.unlock(self.path, self.name.text(), self.password.text())
                self.credentials = (self.name.text().strip(), self.password.text())
        except keyslots.KeySlotError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            return
        self.accept()


def recovery_message(db_name: str, code: str) -> str:
    return (f"数据库 {db_name} 已加密（SQLCipher）。\n\n"
            f"恢复密钥：\n{code}\n\n"
            "忘记所有账号的密码时，只有它能打开数据库。它只显示这一次：请现在打印或抄写，"
            "与电脑分开妥善保管。数据库旁的 .keys 文件须与数据库放在一起（备份时会一起复制）。")
