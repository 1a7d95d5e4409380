"""Wrong passwords at the key slot of an encrypted file count toward the lockout that sign-ins
have (issue 11): 5 in a row lock the account for 15 minutes, said in Chinese (who, until when);
an unlock resets the count; the recovery key is throttled on its own and is not locked by an
account's failures.  The clock is passed in (or replaced): nothing sleeps."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest

from app.storage import keyslots

T0 = dt.datetime(2026, 11, 25, 9, 0)


@pytest.fixture(autouse=True)
def _forget_keys():
    keyslots.forget_all()
    yield
    keyslots.forget_all()


@pytest.fixture
def slots(tmp_path):
    """A key file for ``台账.db`` with 小李/right-pw-1 and 小王/other-pw-1 (no database is
    needed: the slots are read before it opens)."""
    path = tmp_path / "台账.db"
    key = keyslots.new_key()
    code = keyslots.create(path, key)
    keyslots.set_password(path, key, "小李", "right-pw-1")
    keyslots.set_password(path, key, "小王", "other-pw-1")
    keyslots.forget_all()
    return path, key, code


def _wrong(path, n, name="小李", at=T0):
    messages = []
    for i in range(n):
        with pytest.raises(keyslots.KeySlotError) as exc:
            keyslots.unlock(path, name, "wrong-pw", now=at + dt.timedelta(seconds=i))
        messages.append(str(exc.value))
    return messages


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(slots):
    path, key, _code = slots
    said = _wrong(path, 5)
    # Until the lockout, the same words as for an unknown name.
    assert set(said[:4]) == {"账号或密码不正确（无法解开加密的数据库）"}
    assert said[4] == "账号“小李”密码连续错误 5 次，已锁定到 09:15，请稍后再试或请管理员重设密码"
    # The right password is refused while locked, with who and until when …
    with pytest.raises(keyslots.LockedOut) as exc:
        keyslots.unlock(path, "小李", "right-pw-1", now=T0 + dt.timedelta(minutes=14))
    assert "小李" in str(exc.value) and "09:15" in str(exc.value)
    assert exc.value.until == dt.datetime(2026, 11, 25, 9, 15, 4)
    assert keyslots.key_for(path) is None
    # … another account is not …
    assert keyslots.unlock(path, "小王", "other-pw-1", now=T0) == key
    keyslots.forget_all()
    # … and once the time has passed, it opens.
    assert keyslots.unlock(path, "小李", "right-pw-1",
                           now=T0 + dt.timedelta(minutes=15, seconds=5)) == key


def test_an_unlock_resets_the_count(slots):
    path, key, _code = slots
    _wrong(path, 4)
    assert keyslots.unlock(path, "小李", "right-pw-1", now=T0) == key
    said = _wrong(path, 4, at=T0 + dt.timedelta(minutes=1))
    assert not any("锁定" in m for m in said)  # counted from zero again: not locked
    assert "锁定到 09:16" in _wrong(path, 1, at=T0 + dt.timedelta(minutes=1))[0]


def test_a_new_password_clears_the_count(slots):
    path, key, _code = slots
    _wrong(path, 5)
    keyslots.set_password(path, key, "小李", "new-pw-22")  # an administrator's reset
    assert keyslots.unlock(path, "小李", "new-pw-22", now=T0) == key


def test_unknown_names_say_the_same_and_write_nothing(slots):
    path, _key, _code = slots
    said = _wrong(path, 6, name="没有这人")
    assert set(said) == {"账号或密码不正确（无法解开加密的数据库）"}
    assert not keyslots.attempts_file(path).exists()


def test_the_count_lives_beside_the_key_file_0600_and_is_not_a_key_slot(slots):
    path, _key, _code = slots
    before = keyslots.read(path)
    _wrong(path, 2)
    assert keyslots.read(path) == before  # the slots are not rewritten on a failure
    side = keyslots.attempts_file(path)
    assert side.name == "台账.db.keys.attempts"
    if os.name == "posix":
        assert stat.S_IMODE(side.stat().st_mode) == 0o600
    data = json.loads(side.read_text(encoding="utf-8"))
    assert data["who"] == {"password:小李": {"failures": 2, "locked_until": None}}
    assert not [p for p in side.parent.iterdir() if p.name.startswith(".taizhang-keys-")]
    side.write_text("{not json", encoding="utf-8")  # a damaged count never blocks the right one
    assert keyslots.unlock(path, "小李", "right-pw-1", now=T0)


def test_the_recovery_key_is_throttled_on_its_own(slots):
    path, key, code = slots
    _wrong(path, 5)  # 小李 locked: the recovery key still opens the file
    assert keyslots.unlock_recovery(path, code, now=T0) == key
    keyslots.forget_all()
    other = "0" * 40
    said = []
    for i in range(5):
        with pytest.raises(keyslots.KeySlotError) as exc:
            keyslots.unlock_recovery(path, other, now=T0 + dt.timedelta(seconds=i))
        said.append(str(exc.value))
    assert set(said[:4]) == {"恢复密钥不正确（或不是这个数据库的恢复密钥）"}
    assert isinstance(exc.value, keyslots.LockedOut) and "09:15" in said[4]
    with pytest.raises(keyslots.LockedOut, match="恢复密钥连续输错 5 次"):
        keyslots.unlock_recovery(path, code, now=T0 + dt.timedelta(minutes=10))
    # A mistyped key (wrong length) is said so and not counted; accounts are unaffected.
    with pytest.raises(keyslots.WrongSecret, match="40 个字母或数字"):
        keyslots.unlock_recovery(path, "ABC", now=T0 + dt.timedelta(minutes=20))
    assert keyslots.unlock(path, "小王", "other-pw-1", now=T0 + dt.timedelta(minutes=10)) == key
    assert keyslots.unlock_recovery(path, code, now=T0 + dt.timedelta(minutes=16)) == key


def test_sign_in_says_the_same_lockout(db):
    from app.services import accounts
    from app.services.access import ADMIN
    admin = accounts.sign_in(db, "admin", "demo")
    accounts.create_account(db, admin, "小李", ADMIN, "right-pw-1")
    for i in range(4):
        with pytest.raises(accounts.AccountError):
            accounts.sign_in(db, "小李", "wrong", now=T0)
    with pytest.raises(accounts.AccountError) as exc:
        accounts.sign_in(db, "小李", "wrong", now=T0)
    assert str(exc.value) == keyslots.lockout_message("小李", dt.datetime(2026, 11, 25, 9, 15))
    with pytest.raises(accounts.AccountError) as exc:
        accounts.sign_in(db, "小李", "right-pw-1", now=T0 + dt.timedelta(minutes=1))
    assert str(exc.value) == keyslots.lockout_message("小李", dt.datetime(2026, 11, 25, 9, 15))


# -- the command line on an encrypted file --------------------------------------------------
def _run(argv):
    from app.cli import main
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_the_command_line_is_refused_with_the_message(tmp_path, monkeypatch, capsys,
                                                      sqlite_only):
    from app.services import accounts
    from app.storage import Database, cipher
    if not cipher.available():
        pytest.skip("sqlcipher3 not installed")
    path = tmp_path / "台账.db"
    db = Database(path, encrypt=True)
    accounts.create_first_admin(db, "admin", "demo", demo=True)
    db.close()
    keyslots.forget_all()
    now = [T0]
    monkeypatch.setattr(keyslots, "clock", lambda: now[0])
    monkeypatch.setenv("TAIZHANG_PASSWORD", "not-demo")
    for i in range(5):
        assert _run(["users", "list", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("错误：账号或密码不正确") == 4
    assert "错误：账号“admin”密码连续错误 5 次，已锁定到 09:15" in err
    monkeypatch.setenv("TAIZHANG_PASSWORD", "demo")
    now[0] = T0 + dt.timedelta(minutes=14)
    assert _run(["users", "list", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：账号“admin”密码连续错误 5 次，已锁定到 09:15")
    assert "Traceback" not in err
    assert keyslots.key_for(path) is None
    now[0] = T0 + dt.timedelta(minutes=16)
    assert _run(["users", "list", "--db", str(path)]) == 0
    capsys.readouterr()
    assert "password:admin" not in keyslots._read_attempts(path)  # reset by the success
