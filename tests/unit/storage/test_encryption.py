"""Encryption at rest (issue 11, item 5): SQLCipher files, key slots per account and for the
recovery key, password changes, conversion of a plain file, encrypted backups and restore.

Every test but the last is about the database file (``sqlite_only``); the last checks that
account changes on a server (no file, no slots) are unaffected.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from app.services import accounts
from app.services.access import ADMIN, CLERK, SYSTEM, VIEWER
from app.storage import Database, cipher, encryption, keyslots
from app.storage.backup import BackupError, make_backup, restore, verify
from app.storage.database import DatabaseLocked, known_revisions
from app.storage.probe import SQLITE_MAGIC

pytestmark = pytest.mark.skipif(not cipher.available(), reason="sqlcipher3 not installed")


@pytest.fixture(autouse=True)
def _forget_keys():
    """Each test starts, and leaves, with no key unlocked in the process."""
    keyslots.forget_all()
    yield
    keyslots.forget_all()


def _new_encrypted(path, people: int = 3):
    """An encrypted file with admin/secret-1, clerk 录入员 and viewer 查阅员, and some rows."""
    db = Database(path, encrypt=True)
    assert db.encrypted and db.recovery_code
    admin = accounts.create_first_admin(db, "admin", "secret-1")
    accounts.create_account(db, admin, "clerk", CLERK, "clerk-pw-1")
    accounts.create_account(db, admin, "viewer", VIEWER, "viewer-pw-1")
    db.actor = SYSTEM
    from app.services import records
    for i in range(people):
        records.create(db, "communities", {"name": f"第{i + 1}社区",
                                        "community_type": "城市社区"}, SYSTEM)
    code = db.recovery_code
    db.close()
    keyslots.forget_all()  # as after the program ends: the key is nowhere but in the slots
    return code


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    if os.environ.get("TAIZHANG_TEST_PG"):
        pytest.skip("about the SQLite file")
    path = tmp_path_factory.mktemp("encrypted") / "台账.db"
    code = _new_encrypted(path, people=5)
    return path, code


@pytest.fixture
def encrypted(_template, tmp_path, sqlite_only):
    """(path, recovery key) of a copy of the encrypted template (file and key slots): the
    argon2id work of three accounts is done once per module."""
    import shutil
    src, code = _template
    path = tmp_path / src.name
    shutil.copyfile(src, path)
    shutil.copy(keyslots.sidecar(src), keyslots.sidecar(path))  # with its mode (0600)
    return path, code


def _digest(path, key=None):
    con = cipher.open_any(path, key, read_only=True)
    try:
        return encryption.table_digest(con)
    finally:
        con.close()


def test_the_file_is_unreadable_without_the_key(encrypted, tmp_path, sqlite_only):
    path, _code = encrypted
    assert path.read_bytes()[:16] != SQLITE_MAGIC
    assert b"admin" not in path.read_bytes() and "第1社区".encode() not in path.read_bytes()
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    con.close()
    with pytest.raises(cipher.module().DatabaseError):
        cipher.connect(path, b"\x00" * 32)
    # Nothing unlocked in this process: the program refuses to open it, with a message.
    with pytest.raises(DatabaseLocked, match="已加密"):
        Database(path)
    slots = keyslots.sidecar(path)
    assert slots.exists()
    if os.name == "posix":
        assert (slots.stat().st_mode & 0o777) == 0o600
    assert "secret-1" not in slots.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, password", [("admin", "secret-1"), ("clerk", "clerk-pw-1"),
                                            ("viewer", "viewer-pw-1")])
def test_each_account_opens_it(encrypted, tmp_path, sqlite_only, name, password):
    path, _code = encrypted
    key = encryption.unlock(path, name, password)
    db = Database(path)
    try:
        assert db.encrypted and db.key == key
        actor = accounts.sign_in(db, name, password)
        assert actor.name == name
        assert db.integrity_check() == []
    finally:
        db.close()


def test_the_recovery_key_opens_it_as_typed(encrypted, tmp_path, sqlite_only):
    path, code = encrypted
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    typed = " ".join(groups).lower()  # spaces instead of dashes, lower case
    encryption.unlock_with_recovery(path, typed)
    db = Database(path)
    assert db.integrity_check() == []
    db.close()
    keyslots.forget_all()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(keyslots.WrongSecret):
        encryption.unlock_with_recovery(path, wrong)


def test_a_wrong_password_or_unknown_account_does_not_unwrap(encrypted, sqlite_only):
    path, _code = encrypted
    for name, password in (("admin", "secret-2"), ("clerk", "secret-1"), ("nobody", "x")):
        with pytest.raises(keyslots.WrongSecret) as exc:
            encryption.unlock(path, name, password)
        assert str(exc.value) == "账号或密码不正确（无法解开加密的数据库）"
    assert keyslots.key_for(path) is None


def test_a_slot_copied_under_another_name_does_not_unwrap(encrypted, tmp_path, sqlite_only):
    path, _code = encrypted
    data = keyslots.read(path)
    clerk = next(s for s in data["slots"] if s.get("name") == "clerk")
    data["slots"].append(dict(clerk, name="intruder"))
    keyslots.write(path, data)
    with pytest.raises(keyslots.WrongSecret):
        encryption.unlock(path, "intruder", "clerk-pw-1")


def test_password_change_and_reset_rewrap(encrypted, tmp_path, sqlite_only):
    path, _code = encrypted
    encryption.unlock(path, "admin", "secret-1")
    db = Database(path)
    admin = accounts.sign_in(db, "admin", "secret-1")
    clerk = accounts.sign_in(db, "clerk", "clerk-pw-1")
    accounts.change_password(db, clerk, "clerk-pw-1", "clerk-pw-2")
    accounts.reset_password(db, admin, "viewer", "viewer-pw-2")
    # A refused change leaves the slot as it was.
    with pytest.raises(accounts.AccountError):
        accounts.change_password(db, admin, "not-it", "secret-9")
    db.close()
    assert [s.get("name") for s in keyslots.read(path)["slots"]].count("clerk") == 1
    keyslots.forget_all()
    for name, old in (("clerk", "clerk-pw-1"), ("viewer", "viewer-pw-1"),
                      ("admin", "secret-9")):
        with pytest.raises(keyslots.WrongSecret):
            encryption.unlock(path, name, old)
    for name, new in (("clerk", "clerk-pw-2"), ("viewer", "viewer-pw-2"),
                      ("admin", "secret-1")):
        keyslots.forget_all()
        encryption.unlock(path, name, new)
        db = Database(path)
        assert accounts.sign_in(db, name, new).name == name
        db.close()


def test_an_account_added_later_gets_its_own_slot(encrypted, tmp_path, sqlite_only):
    path, _code = encrypted
    encryption.unlock(path, "admin", "secret-1")
    db = Database(path)
    admin = accounts.sign_in(db, "admin", "secret-1")
    with pytest.raises(accounts.AccountError):  # refused: no slot is left behind
        accounts.create_account(db, admin, "clerk", CLERK, "another-1")
    accounts.create_account(db, admin, "新人", CLERK, "xinren-1")
    db.close()
    assert sorted(keyslots.names(path)) == sorted(["admin", "clerk", "viewer", "新人"])
    keyslots.forget_all()
    encryption.unlock(path, "新人", "xinren-1")
    Database(path).close()


def test_a_disabled_account_no_longer_opens_it_until_enabled(encrypted, sqlite_only):
    path, _code = encrypted
    encryption.unlock(path, "admin", "secret-1")
    db = Database(path)
    admin = accounts.sign_in(db, "admin", "secret-1")
    accounts.set_disabled(db, admin, "clerk", True)
    assert keyslots.slot_of(path, "clerk") is None
    keyslots.forget_all()
    with pytest.raises(keyslots.WrongSecret):
        encryption.unlock(path, "clerk", "clerk-pw-1")
    encryption.unlock(path, "admin", "secret-1")
    accounts.set_disabled(db, admin, "clerk", False)
    db.close()
    assert keyslots.slot_of(path, "clerk")["transitional"]
    keyslots.forget_all()
    encryption.unlock(path, "clerk", "clerk-pw-1")


def test_converting_a_plain_file_keeps_every_row_and_a_verified_plain_copy(
        demo_db, sqlite_only):
    path = demo_db.path
    admin = accounts.sign_in(demo_db, "admin", "demo")
    accounts.create_account(demo_db, admin, "clerk", CLERK, "clerk-pw-1")
    before = _digest(path)
    assert sum(n for n, _h in before.values()) > 10000
    done = demo_db.encrypt_in_place("admin", "demo")
    assert demo_db.encrypted and path.read_bytes()[:16] != SQLITE_MAGIC
    assert _digest(path, demo_db.key) == before
    assert demo_db.integrity_check() == []
    # The plain copy: kept aside, a plain SQLite file, checked, the same rows.
    assert done.plain_copy.exists() and done.plain_copy.read_bytes()[:16] == SQLITE_MAGIC
    assert _digest(done.plain_copy) == before
    assert sorted(done.accounts) == ["admin", "clerk"]
    demo_db.close()
    # The administrator's slot is under the password given; the clerk's is transitional
    # (its password hash) until its next sign-in, which replaces it.
    assert not keyslots.slot_of(path, "admin").get("transitional")
    assert keyslots.slot_of(path, "clerk")["transitional"]
    keyslots.forget_all()
    encryption.unlock(path, "clerk", "clerk-pw-1")
    db = Database(path)
    accounts.sign_in(db, "clerk", "clerk-pw-1")
    db.close()
    assert not keyslots.slot_of(path, "clerk").get("transitional")
    keyslots.forget_all()
    encryption.unlock_with_recovery(path, done.recovery_code)
    keyslots.forget_all()
    encryption.unlock(path, "clerk", "clerk-pw-1")
    with pytest.raises(encryption.ConversionError, match="已经是加密"):
        encryption.convert(path, "admin", "demo")


def test_backups_stay_encrypted_and_restore(encrypted, tmp_path, sqlite_only):
    path, _code = encrypted
    encryption.unlock(path, "admin", "secret-1")
    before = _digest(path, keyslots.key_for(path))
    backup = make_backup(path, "测试")
    assert backup.read_bytes()[:16] != SQLITE_MAGIC
    assert keyslots.sidecar(backup).exists()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(backup).execute("SELECT * FROM sqlite_master").fetchall()
    # Damage the database, then restore it from the backup.
    with open(path, "r+b") as fh:
        fh.seek(4096)
        fh.write(os.urandom(4096))
    aside = restore(path, backup, known_revisions())
    assert aside is not None and keyslots.sidecar(aside).exists()
    keyslots.forget_all()
    with pytest.raises(BackupError, match="已加密"):
        verify(backup, known_revisions())
    encryption.unlock(path, "viewer", "viewer-pw-1")
    assert path.read_bytes()[:16] != SQLITE_MAGIC
    assert _digest(path, keyslots.key_for(path)) == before
    db = Database(path)
    assert db.integrity_check() == []
    db.close()


def test_a_backup_opens_with_the_passwords_of_its_time(encrypted, tmp_path, sqlite_only):
    path, _code = encrypted
    encryption.unlock(path, "admin", "secret-1")
    backup = make_backup(path, "改密码前")
    db = Database(path)
    admin = accounts.sign_in(db, "admin", "secret-1")
    accounts.change_password(db, admin, "secret-1", "secret-2")
    db.close()
    keyslots.forget_all()
    with pytest.raises(keyslots.WrongSecret):
        encryption.unlock(path, "admin", "secret-1")
    encryption.unlock(backup, "admin", "secret-1")
    assert verify(backup, known_revisions())
    with pytest.raises(keyslots.WrongSecret):
        encryption.unlock(backup, "admin", "secret-2")


def test_a_plain_database_stays_plain(tmp_path, sqlite_only):
    """``Database(path)`` without ``encrypt`` makes what the suite always made."""
    path = tmp_path / "plain.db"
    Database(path).close()
    assert path.read_bytes()[:16] == SQLITE_MAGIC and not keyslots.exists(path)
    assert encryption.state(path) == encryption.PLAIN
    db = Database(path, encrypt=True)  # an existing plain file is not converted silently
    assert not db.encrypted
    db.close()


def test_without_sqlcipher_new_files_are_plain_and_say_why(encrypted, tmp_path, monkeypatch,
                                                           sqlite_only, caplog):
    encrypted, _code = encrypted
    monkeypatch.setattr(cipher, "module", lambda: None)
    db = Database(tmp_path / "new.db", encrypt=True)
    assert not db.encrypted and db.recovery_code is None
    db.close()
    assert "SQLCipher" in caplog.text
    assert "缺少 SQLCipher" in encryption.describe(tmp_path / "new.db")
    from app.storage import DatabaseError
    with pytest.raises(DatabaseError, match="缺少 SQLCipher"):
        Database(encrypted)


def test_a_missing_key_file_is_named(encrypted, tmp_path, sqlite_only):
    path, _code = encrypted
    keyslots.sidecar(path).rename(tmp_path / "elsewhere.keys")
    from app.storage import DatabaseError
    with pytest.raises(DatabaseError, match="台账.db.keys"):
        Database(path)


def test_account_changes_on_any_backend_need_no_key_file(db, tmp_path):
    """On a server (or a plain file) the slot hooks do nothing: no sidecar appears."""
    admin = accounts.sign_in(db, "admin", "demo")
    accounts.create_account(db, admin, "clerk", CLERK, "clerk-pw-1")
    accounts.change_password(db, admin, "demo", "demo-2")
    accounts.reset_password(db, admin, "clerk", "clerk-pw-2")
    assert accounts.sign_in(db, "clerk", "clerk-pw-2").role == CLERK
    if db.path is not None:
        assert not keyslots.exists(db.path)
    assert not db.encrypted
    assert admin.role == ADMIN
