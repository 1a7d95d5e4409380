"""The account-and-password rows every sign-in dialog shares (登录, 解锁, 打开加密的数据库,
创建管理员账号, and typing the administrator's password again), with the red line under
them that says what was wrong."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

ERROR_STYLE = "color: #c0392b;"


class PasswordForm(QWidget):
    """账号 and 密码 (and 再输入一次 with ``confirm``) in a form, then the error line.

    ``name_fixed``: the account is shown but cannot be changed (unlocking, confirming an
    administrator's action).  More rows go into :attr:`form` (they come before the error
    line); :meth:`focus_first` puts the cursor where typing starts."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "",
                 name_fixed: bool = False, confirm: bool = False) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.name = QLineEdit(name)
        self.name.setReadOnly(name_fixed)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow("账号", self.name)
        self.form.addRow("密码", self.password)
        self.again: QLineEdit | None = None
        if confirm:
            self.again = QLineEdit()
            self.again.setEchoMode(QLineEdit.EchoMode.Password)
            self.form.addRow("再输入一次", self.again)
        lay.addLayout(self.form)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        lay.addWidget(self.error)

    def focus_first(self) -> None:
        """The password when the account is known, else the account."""
        (self.password if self.name.text() else self.name).setFocus()

    def show_error(self, text: str, *, clear_password: bool = True) -> None:
        self.error.setText(text)
        if clear_password:
            self.password.clear()
            if self.again is not None:
                self.again.clear()
        self.password.setFocus()
