"""Security settings through the services: the idle time (validated, audited, administrators
only) and a new recovery key (administrator's password again, old key void, audited)."""

from __future__ import annotations

import pytest

from app.services import accounts, audit, security
from app.services.access import CLERK, VIEWER, PermissionDenied, system
from app.storage import Database, cipher, encryption, keyslots

ADMIN = system("admin")


def _audit_rows(db, action):
    return [r for r in audit.read(db, ADMIN, actions=[action]) if r["actor"] == "admin"]


def test_an_administrator_sets_the_idle_time_and_it_is_audited(db):
    assert accounts.idle_minutes(db) == accounts.DEFAULT_IDLE_MINUTES
    assert security.set_idle_minutes(db, ADMIN, "30") == 30
    assert accounts.idle_minutes(db) == 30
    row = _audit_rows(db, audit.SECURITY)[0]
    assert row["changes"]["原值"] == 15 and row["changes"]["新值"] == 30
    assert security.set_idle_minutes(db, ADMIN, 0) == 0  # 0: never lock
    assert accounts.idle_minutes(db) == 0
    assert len(_audit_rows(db, audit.SECURITY)) == 2
    security.set_idle_minutes(db, ADMIN, 0)  # the same again: nothing written
    assert len(_audit_rows(db, audit.SECURITY)) == 2


@pytest.mark.parametrize("bad", [-1, 241, 100000, "abc", "", None, "1.5"])
def test_idle_times_out_of_range_are_refused_and_nothing_is_stored(db, bad):
    security.set_idle_minutes(db, ADMIN, 20)
    with pytest.raises(accounts.AccountError, match="空闲锁定时间"):
        security.set_idle_minutes(db, ADMIN, bad)
    assert accounts.idle_minutes(db) == 20
    # The older entry point goes through the same checks.
    with pytest.raises(accounts.AccountError):
        accounts.set_idle_minutes(db, ADMIN, bad)
    assert accounts.idle_minutes(db) == 20


@pytest.mark.parametrize("edge", [0, 1, 240])
def test_the_edges_of_the_range_are_accepted(db, edge):
    assert security.set_idle_minutes(db, ADMIN, edge) == edge
    assert accounts.idle_minutes(db) == edge


@pytest.mark.parametrize("role", [CLERK, VIEWER])
def test_only_administrators_change_the_idle_time(db, role):
    accounts.create_account(db, ADMIN, "someone", role, "pw-123456")
    who = accounts.sign_in(db, "someone", "pw-123456")
    with pytest.raises(PermissionDenied):
        security.set_idle_minutes(db, who, 5)
    with pytest.raises(PermissionDenied):
        accounts.set_idle_minutes(db, who, 5)
    assert accounts.idle_minutes(db) == accounts.DEFAULT_IDLE_MINUTES


# -- recovery keys ------------------------------------------------------------------------
needs_cipher = pytest.mark.skipif(not cipher.available(), reason="sqlcipher3 not installed")


@pytest.fixture
def encrypted(tmp_path, sqlite_only):
    keyslots.forget_all()
    path = tmp_path / "加密.db"
    db = Database(path, encrypt=True)
    old = db.recovery_code
    admin = accounts.create_first_admin(db, "admin", "secret-1")
    accounts.create_account(db, admin, "clerk", CLERK, "clerk-pw-1")
    yield db, old
    db.close()
    keyslots.forget_all()


def _opens_with_recovery(path, code) -> bool:
    keyslots.forget_all()
    try:
        encryption.unlock_with_recovery(path, code)
        return True
    except keyslots.WrongSecret:
        return False


@needs_cipher
def test_a_new_recovery_key_replaces_the_old_one(encrypted):
    db, old = encrypted
    admin = accounts.sign_in(db, "admin", "secret-1")
    code = security.new_recovery_key(db, admin, "secret-1")
    assert code != old and len(keyslots.normalise_recovery(code)) == 40
    slots = keyslots.read(db.path)["slots"]
    assert [s["kind"] for s in slots].count("recovery") == 1
    row = _audit_rows(db, audit.RECOVERY_KEY)[0]
    assert row["changes"]["操作"] == "生成新的恢复密钥"
    assert code not in str(row["changes"])  # the key itself is never logged
    # The passwords still open the file; the new key does, the old one no longer.
    assert _opens_with_recovery(db.path, code)
    assert not _opens_with_recovery(db.path, old)
    keyslots.forget_all()
    encryption.unlock(db.path, "clerk", "clerk-pw-1")


@needs_cipher
def test_a_wrong_password_makes_no_new_key_and_counts_as_a_failure(encrypted):
    db, old = encrypted
    admin = accounts.sign_in(db, "admin", "secret-1")
    before = keyslots.read(db.path)
    with pytest.raises(accounts.AccountError, match="不正确"):
        security.new_recovery_key(db, admin, "wrong-pw")
    assert keyslots.read(db.path) == before
    assert _audit_rows(db, audit.RECOVERY_KEY) == []
    failed = _audit_rows(db, audit.LOGIN_FAILED)[0]
    assert failed["changes"]["位置"] == "生成新的恢复密钥"
    assert _opens_with_recovery(db.path, old)


@needs_cipher
def test_a_clerk_may_not_make_a_new_recovery_key(encrypted):
    db, old = encrypted
    clerk = accounts.sign_in(db, "clerk", "clerk-pw-1")
    with pytest.raises(PermissionDenied):
        security.new_recovery_key(db, clerk, "clerk-pw-1")
    assert _opens_with_recovery(db.path, old)


def test_a_plain_database_has_no_recovery_key(db):
    with pytest.raises(accounts.AccountError, match="没有加密"):
        security.new_recovery_key(db, ADMIN, "demo")
