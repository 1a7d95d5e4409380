"""The window and encrypted files: a new file is created encrypted and its recovery key shown
once; an encrypted file asks for the account before it opens and signs it in; the first
administrator of a plain file encrypts it."""

from __future__ import annotations

import pytest

from app.storage import Database, cipher, keyslots
from app.storage.probe import SQLITE_MAGIC
from app.ui import app as gui
from app.ui.login_dialog import LoginDialog
from app.ui.unlock_dialog import UnlockDialog

pytestmark = pytest.mark.skipif(not cipher.available(), reason="sqlcipher3 not installed")


@pytest.fixture(autouse=True)
def _forget_keys(sqlite_only):
    keyslots.forget_all()
    yield
    keyslots.forget_all()


def test_a_new_file_is_encrypted_and_its_recovery_key_shown(qtbot, tmp_path, settings,
                                                             message_boxes, recovery_keys):
    path = tmp_path / "新台账.db"
    message_boxes.answer = message_boxes.answer.No  # no demo data
    _app, window = gui.start_gui(path, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.db is not None, timeout=10000)
    assert window.db.encrypted and path.read_bytes()[:16] != SQLITE_MAGIC
    assert len(recovery_keys) == 1 and recovery_keys[0]["db"] == "新台账.db"
    shown = recovery_keys[0]
    code = shown["code"]
    # On screen: the 8 groups, two lines of four, exactly the key.
    assert shown["key_text"].replace("\n", "") == code and code.count("-") == 7
    assert not shown["plain_copy"] and not shown["new"]
    window.db.close()
    keyslots.forget_all()
    from app.storage import encryption
    encryption.unlock_with_recovery(path, code)


def test_an_encrypted_file_asks_for_the_account_then_signs_it_in(window, dialogs, tmp_path):
    from app.services import accounts
    path = tmp_path / "加密.db"
    db = Database(path, encrypt=True)
    accounts.create_first_admin(db, "主任", "secret-1")
    db.close()
    keyslots.forget_all()

    def wrong_then_right(dlg):
        dlg.name.setText("主任")
        dlg.password.setText("secret-2")
        dlg.on_accept()
        assert "不正确" in dlg.error.text() and not dlg.result()
        dlg.password.setText("secret-1")
        dlg.on_accept()
    dialogs.on(UnlockDialog, wrong_then_right)
    # No LoginDialog: the account that unlocked the file is signed in (with no handler
    # queued, a LoginDialog opening fails the test).
    dialogs.on(LoginDialog, lambda dlg: None)
    dialogs.handlers[LoginDialog].clear()
    assert window.open_path(path)
    assert window.db.actor.name == "主任" and window.db.encrypted


def test_cancelling_the_unlock_opens_nothing(window, dialogs, tmp_path, demo_db):
    path = tmp_path / "加密.db"
    db = Database(path, encrypt=True)
    db.close()
    keyslots.forget_all()
    dialogs.on(UnlockDialog, lambda dlg: dlg.reject())
    assert not window.open_path(path)
    assert window.db is not None and window.db.name == demo_db.name


def test_the_first_administrator_of_a_plain_file_encrypts_it(window, tmp_path,
                                                             recovery_keys):
    path = tmp_path / "旧文件.db"
    Database(path).close()  # plain, no account yet (as an older version left it)
    assert window.open_path(path)  # the first administrator: admin / secret-1, box ticked
    assert window.db.encrypted and path.read_bytes()[:16] != SQLITE_MAGIC
    assert list(tmp_path.glob("旧文件.加密前-*.db"))
    assert recovery_keys[-1]["db"] == "旧文件.db"
    assert "加密前" in recovery_keys[-1]["plain_copy"]
    keyslots.forget_all()
    from app.storage import encryption
    encryption.unlock(path, "admin", "secret-1")
