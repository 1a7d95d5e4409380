"""The self-test (``--smoke-test``) run inside this process, so that what it exercises is
seen by coverage too (tests/unit/test_smoke.py runs it as a real subprocess): every step
passes on the checkout and the roster PDF carries the bundled font."""

from __future__ import annotations

import io


def test_self_test_in_process_passes_every_step(qapp, tmp_path):
    from PySide6.QtCore import qInstallMessageHandler
    from app.smoke import run
    out, said = tmp_path / "smoke.pdf", io.StringIO()
    try:
        code = run(out, gui=True, stream=said)
    finally:
        qInstallMessageHandler(None)  # the self-test logs Qt's messages; give them back
    text = said.getvalue()
    assert code == 0, text
    for step in ("新建数据库并执行迁移", "生成演示数据", "登录（argon2id）", "计算概览数字",
                 "打印花名册到 PDF", "Qt 中文翻译已加载", "主窗口"):
        assert f"通过\t{step}" in text, step
    assert out.read_bytes().startswith(b"%PDF-") and b"/FontFile2" in out.read_bytes()
