"""``taizhang --smoke-test OUT.pdf``: passes on a working installation (here: the checkout)
and fails loudly, in Chinese, naming the step, when something is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TAIZHANG_HOME": str(tmp_path / "home")}
    env.pop("QT_QPA_PLATFORM", None)  # the smoke test sets offscreen itself
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_smoke_test_passes_and_writes_the_roster(tmp_path):
    out = tmp_path / "out" / "smoke.pdf"
    r = _run(tmp_path, "--smoke-test", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "自检通过" in r.stdout
    for step in ("新建数据库并执行迁移", "加密的数据库", "生成演示数据", "计算概览数字",
                 "打印花名册到 PDF",
                 "Excel 导出再导入", "Qt 中文翻译已加载", "Qt 打印模块", "主窗口"):
        assert f"通过\t{step}" in r.stdout, step
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"/FontFile2" in data
    # never the user's database
    assert not (tmp_path / "home" / "taizhang.db").exists()
    # the log went to the data folder
    assert (tmp_path / "home" / "logs" / "taizhang.log").exists()


def test_smoke_test_failure_is_loud_and_chinese(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    r = _run(tmp_path, "--smoke-test", str(blocker / "smoke.pdf"))
    assert r.returncode == 1
    assert "自检失败（打印花名册到 PDF）" in r.stderr
    assert "自检通过" not in r.stdout


def test_check_pdf_rejects_a_pdf_without_the_font(tmp_path):
    import pytest

    from app.smoke import SmokeFailure, check_pdf
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n")
    with pytest.raises(SmokeFailure, match="中文字体"):
        check_pdf(bad)
    with pytest.raises(SmokeFailure, match="没有生成"):
        check_pdf(tmp_path / "missing.pdf")
