"""The log file: in the user data folder, rotating, and never holding a full ID or mobile
number — in the message, its arguments, a traceback or the crash hook's output."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from app import logsetup
from app.logsetup import mask_sensitive

ROOT = Path(__file__).resolve().parents[2]
ID = "11010519900101002X"      # a valid 18-character ID (check character X)
ID_DIGITS = "110105199001010023"
MOBILE = "13812345678"


@pytest.fixture
def logfile(tmp_path):
    path = logsetup.configure(tmp_path / "home")
    yield path
    logsetup.reset()


def _text(path: Path) -> str:
    for h in logsetup._handlers:
        h.flush()
    return path.read_text(encoding="utf-8")


def test_mask_sensitive_keeps_region_and_last_four():
    assert mask_sensitive(f"身份证号 {ID}") == "身份证号 110105********002X"
    assert mask_sensitive(ID_DIGITS) == "110105********0023"
    assert mask_sensitive(f"电话{MOBILE}。") == "电话138****5678。"
    assert mask_sensitive(f"+86{MOBILE}") == "+86138****5678"
    assert mask_sensitive(f"{ID_DIGITS},{MOBILE}") == "110105********0023,138****5678"
    # Old 15-digit numbers and mistyped ones (a digit too many) are masked as well.
    assert "90010100" not in mask_sensitive("110105900101002")
    assert "19900101" not in mask_sensitive(ID_DIGITS + "9")


def test_mask_sensitive_leaves_ordinary_numbers_alone():
    for text in ("2026-11-25 13:39:17,123", "第 12 行，共 2400 人", "编号 20260001",
                 "12345678901", "010-12345678", "批次 42"):
        assert mask_sensitive(text) == text


def test_log_file_in_data_folder_with_masked_id_and_phone(logfile, tmp_path):
    assert logfile == tmp_path / "home" / "logs" / "taizhang.log"
    log = logging.getLogger("app.services.test")
    log.info("新增人员 %s，电话 %s", ID, MOBILE)
    log.warning(f"导入第 3 行：身份证号 {ID_DIGITS} 已登记")
    text = _text(logfile)
    assert "110105********002X" in text and "138****5678" in text
    assert "110105********0023" in text
    for secret in (ID, ID_DIGITS, MOBILE, "19900101"):
        assert secret not in text


def test_traceback_and_stack_are_masked(logfile):
    log = logging.getLogger("app.excel.test")
    try:
        raise ValueError(f"身份证号校验位不正确：{ID}，联系电话 {MOBILE}")
    except ValueError:
        log.exception("导入失败")
    log.error("现场", stack_info=True, extra={"who": ID})
    text = _text(logfile)
    assert "ValueError: 身份证号校验位不正确：110105********002X，联系电话 138****5678" in text
    assert ID not in text and MOBILE not in text


def test_records_of_every_logger_are_masked(logfile):
    logging.getLogger("sqlalchemy.engine").warning("params (%r,)", ID)
    logging.getLogger().error("%s", {"phone": MOBILE})
    text = _text(logfile)
    assert ID not in text and MOBILE not in text


def test_configure_again_replaces_its_handler(tmp_path):
    try:
        first = logsetup.configure(tmp_path / "a")
        second = logsetup.configure(tmp_path / "b")
        ours = [h for h in logging.getLogger().handlers if h in logsetup._handlers]
        assert len(ours) == 1 and first != second and logsetup.log_path() == second
    finally:
        logsetup.reset()


def test_log_rotates(logfile, monkeypatch):
    handler = logsetup._handlers[0]
    monkeypatch.setattr(handler, "maxBytes", 2000)
    for i in range(100):
        logging.getLogger("x").info("第 %d 条 %s", i, "台账" * 20)
    assert logfile.with_name("taizhang.log.1").exists()
    assert len(list(logfile.parent.glob("taizhang.log*"))) <= logsetup.BACKUPS + 1


def test_uncaught_error_is_logged_masked(tmp_path):
    """A real process: the excepthook writes the (masked) traceback to the log and stderr."""
    home = tmp_path / "home"
    code = (
        "from app import logsetup\n"
        "logsetup.configure()\n"
        "logsetup.install_excepthook()\n"
        f"raise RuntimeError('保存失败：{ID} {MOBILE}')\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                       text=True, encoding="utf-8", timeout=60,
                       env={**__import__("os").environ, "TAIZHANG_HOME": str(home),
                            "PYTHONPATH": str(ROOT)})
    assert r.returncode != 0
    log_text = (home / "logs" / "taizhang.log").read_text(encoding="utf-8")
    assert "RuntimeError: 保存失败：110105********002X 138****5678" in log_text
    assert "CRITICAL" in log_text
    assert ID not in log_text + r.stderr and MOBILE not in log_text + r.stderr
    assert "110105********002X" in r.stderr
