"""The command line on encrypted files: ``demo`` makes one and prints its recovery key, every
command unlocks it with the signing-in account (or ``TAIZHANG_RECOVERY_KEY``), ``check``
says whether a file is encrypted, and ``encrypt`` converts a plain file (administrators only).
"""

from __future__ import annotations

import re
import shutil

import pytest

from app.cli import main
from app.storage import cipher, keyslots
from app.storage.probe import SQLITE_MAGIC

pytestmark = pytest.mark.skipif(not cipher.available(), reason="sqlcipher3 not installed")


def run(argv: list[str]) -> int:
    """``main``'s exit status, whether a refusal returns it or raises SystemExit."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


@pytest.fixture(autouse=True)
def _forget_keys():
    keyslots.forget_all()
    yield
    keyslots.forget_all()


@pytest.fixture(scope="module")
def _demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-demo") / "演示.db"
    import io
    from contextlib import redirect_stdout
    out = io.StringIO()
    with redirect_stdout(out):
        assert run(["demo", "--db", str(path)]) == 0
    keyslots.forget_all()
    return path, out.getvalue()


@pytest.fixture
def demo_file(_demo, tmp_path, sqlite_only):
    src, printed = _demo
    path = tmp_path / src.name
    shutil.copyfile(src, path)
    shutil.copy(keyslots.sidecar(src), keyslots.sidecar(path))
    code = re.search(r"恢复密钥.*：([0-9A-Z]{5}(?:-[0-9A-Z]{5}){7})", printed).group(1)
    return path, code, printed


def test_demo_makes_an_encrypted_file_and_prints_its_passwords(demo_file):
    path, _code, printed = demo_file
    assert path.read_bytes()[:16] != SQLITE_MAGIC
    assert "管理员账号 admin，密码 demo" in printed
    assert "已加密" in printed and "恢复密钥" in printed


def test_check_unlocks_with_the_account_and_says_encrypted(demo_file, capsys):
    path, _code, _ = demo_file
    assert run(["check", "--db", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("结构版本\t")
    assert captured.out.splitlines()[-1] == "结论\t正常"
    assert "加密\t是（SQLCipher" in captured.err


def test_without_a_login_or_with_a_wrong_password_nothing_is_read(demo_file, capsys,
                                                                 monkeypatch):
    path, _code, _ = demo_file
    monkeypatch.delenv("TAIZHANG_USER")
    assert run(["check", "--db", str(path)]) == 1
    assert "已加密" in capsys.readouterr().err
    monkeypatch.setenv("TAIZHANG_USER", "admin")
    monkeypatch.setenv("TAIZHANG_PASSWORD", "not-demo")
    assert run(["stats", "--db", str(path)]) == 1
    assert "账号或密码不正确" in capsys.readouterr().err


def test_readers_sign_in_and_read(demo_file, capsys, tmp_path):
    path, _code, _ = demo_file
    assert run(["stats", "--db", str(path), "--json"]) == 0
    assert capsys.readouterr().out.startswith("{")
    out = tmp_path / "people.xlsx"
    assert run(["export", "people", str(out), "--db", str(path)]) == 0
    assert out.exists()


def test_the_recovery_key_unlocks_for_the_command_line(demo_file, capsys, monkeypatch):
    path, code, _ = demo_file
    monkeypatch.setenv("TAIZHANG_RECOVERY_KEY", code)
    monkeypatch.setenv("TAIZHANG_PASSWORD", "demo")
    assert run(["check", "--db", str(path)]) == 0
    capsys.readouterr()
    keyslots.forget_all()
    monkeypatch.setenv("TAIZHANG_RECOVERY_KEY", "0" * 40)
    assert run(["check", "--db", str(path)]) == 1
    assert "恢复密钥不正确" in capsys.readouterr().err


def test_a_new_account_and_password_change_open_the_file(demo_file, capsys, monkeypatch):
    path, _code, _ = demo_file
    monkeypatch.setenv("TAIZHANG_NEW_PASSWORD", "clerk-pw-1")
    assert run(["users", "add", "小李", "--role", "录入员", "--db", str(path)]) == 0
    keyslots.forget_all()
    monkeypatch.setenv("TAIZHANG_USER", "小李")
    monkeypatch.setenv("TAIZHANG_PASSWORD", "clerk-pw-1")
    monkeypatch.setenv("TAIZHANG_NEW_PASSWORD", "clerk-pw-2")
    assert run(["users", "passwd", "--db", str(path)]) == 0
    keyslots.forget_all()
    assert run(["check", "--db", str(path)]) == 1  # the old password no longer opens it
    monkeypatch.setenv("TAIZHANG_PASSWORD", "clerk-pw-2")
    capsys.readouterr()
    assert run(["check", "--db", str(path)]) == 0


def test_encrypt_converts_a_plain_file(demo_db, capsys, sqlite_only):
    path = demo_db.path
    demo_db.close()
    assert run(["encrypt", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "逐表核对一致" in out and "加密前" in out
    code = re.search(r"([0-9A-Z]{5}(?:-[0-9A-Z]{5}){7})", out).group(1)
    assert path.read_bytes()[:16] != SQLITE_MAGIC
    copies = list(path.parent.glob("demo.加密前-*.db"))
    assert len(copies) == 1 and copies[0].read_bytes()[:16] == SQLITE_MAGIC
    keyslots.forget_all()
    assert run(["check", "--db", str(path)]) == 0
    assert "加密\t是" in capsys.readouterr().err
    keyslots.forget_all()
    from app.storage import encryption
    encryption.unlock_with_recovery(path, code)
    assert run(["encrypt", "--db", str(path)]) == 0
    assert "已经是加密的数据库" in capsys.readouterr().out
    assert run(["audit", "--action", "encrypt", "--db", str(path)]) == 0
    assert "加密数据库" in capsys.readouterr().out


def test_encrypt_needs_an_administrator(demo_db, capsys, monkeypatch, sqlite_only):
    from app.services import accounts
    from app.services.access import VIEWER
    admin = accounts.sign_in(demo_db, "admin", "demo")
    accounts.create_account(demo_db, admin, "查阅", VIEWER, "viewer-pw-1")
    demo_db.close()
    monkeypatch.setenv("TAIZHANG_USER", "查阅")
    monkeypatch.setenv("TAIZHANG_PASSWORD", "viewer-pw-1")
    assert run(["encrypt", "--db", str(demo_db.path)]) == 1
    assert "无权" in capsys.readouterr().err
    assert demo_db.path.read_bytes()[:16] == SQLITE_MAGIC
