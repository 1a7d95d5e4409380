"""``taizhang --smoke-test OUT.pdf``: the self-test of an installed program.

Runs headless (``QT_QPA_PLATFORM=offscreen``) and never touches the user's database: in a
temporary folder it creates a database (running every migration), adds the demo records,
computes the overview figures (:func:`app.stats.compute_all`), prints the party-member roster
to ``OUT.pdf`` and checks that the PDF is complete and carries the embedded Chinese font, and
exports that register to Excel and plans its re-import (all rows unchanged).
Then, where Qt is present, it checks what only the window needs: the offscreen platform
plugin, Qt's Chinese translation, the bundled font, the print-support module (the roster is
painted through ``QPrinter`` too) and the main window over the demo database.

Each step prints one line with its time.  Exit 0 when all pass; otherwise a Chinese message on
stderr naming the step, and exit 1.  Used on the PyInstaller bundle, the installed .deb and
the Windows installation (see README 安装).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED = 0, 1
#: The roster printed (every register prints; this one has IDs, dates and long names).
ROSTER = "party_members"
#: Text the roster's PDF must contain (its title).
EXPECTED_TITLE = "党员花名册"


class SmokeFailure(Exception):
    """A check that did not hold; ``str()`` is the Chinese message."""


def check_pdf(path: Path) -> int:
    """Raise :class:`SmokeFailure` unless ``path`` is a non-empty PDF with the bundled font
    embedded; returns its size in bytes."""
    from .printing.fonts import reportlab_font
    font_name = reportlab_font().face.name  # b"WenQuanYiMicroHei", as the PDF names it
    if not path.exists():
        raise SmokeFailure(f"没有生成 PDF 文件 {path}")
    data = path.read_bytes()
    if len(data) < 1000 or not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise SmokeFailure(f"PDF 文件 {path} 不完整（{len(data)} 字节）")
    if b"/FontFile2" not in data or b"+" + font_name not in data:
        raise SmokeFailure(f"PDF 文件 {path} 中没有嵌入中文字体 {font_name.decode()}")
    return len(data)


def _check_encryption(tmp: Path) -> str | None:
    """Create an encrypted database, close it, forget its key, open it again with the
    account's password.  None where SQLCipher is missing (a failure in a bundle, which must
    carry it)."""
    from .services import accounts
    from .storage import Database, cipher, encryption, keyslots
    from .storage.probe import SQLITE_MAGIC
    if not cipher.available():
        if getattr(sys, "frozen", False):
            raise SmokeFailure("安装包中缺少 SQLCipher（sqlcipher3）：数据库无法加密")
        return None
    path = tmp / "encrypted.db"
    db = Database(path, encrypt=True)
    try:
        accounts.create_first_admin(db, "自检", "smoke-test-1")
    finally:
        db.close()
    keyslots.forget_all()
    if path.read_bytes()[:16] == SQLITE_MAGIC:
        raise SmokeFailure("加密的数据库文件头仍是明文")
    encryption.unlock(path, "自检", "smoke-test-1")
    db = Database(path)
    try:
        problems = db.integrity_check()
    finally:
        db.close()
    if problems:
        raise SmokeFailure(f"加密的数据库检查未通过：{problems[:3]}")
    version = cipher.module().connect(":memory:").execute("PRAGMA cipher_version").fetchone()
    return f"SQLCipher {version[0]}，密钥槽解开、重新打开、完整性检查通过"


def run(out: Path, *, gui: bool = True, stream=None) -> int:
    """The self-test; returns the exit code.  ``gui=False`` skips the Qt checks."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless, whatever the desktop is
    stream = stream or sys.stdout
    out = Path(out).resolve()
    t_all = time.perf_counter()
    step = "准备"

    def report(text: str, t0: float) -> None:
        print(f"通过\t{text}（{time.perf_counter() - t0:.1f} 秒）", file=stream, flush=True)

    try:
        from . import __version__
        print(f"社区治理台账 {__version__} 自检：Python {sys.version.split()[0]}，"
              f"{sys.platform}", file=stream, flush=True)
        with tempfile.TemporaryDirectory(prefix="taizhang-smoke-") as tmp:
            step = "新建数据库并执行迁移"
            t0 = time.perf_counter()
            from .storage import Database, head_revision
            db = Database(Path(tmp) / "smoke.db")
            from .services.access import system
            db.actor = system("自检")  # a throw-away database: the program works on it
            try:
                if db.revision != head_revision():
                    raise SmokeFailure(f"结构版本为 {db.revision}，应为 {head_revision()}")
                report(f"{step}：结构版本 {db.revision}", t0)

                step = "加密的数据库"
                t0 = time.perf_counter()
                line = _check_encryption(Path(tmp))
                if line is None:
                    print("跳过\t加密的数据库：本机缺少 SQLCipher（sqlcipher3），"
                          "新数据库将不加密", file=stream, flush=True)
                else:
                    report(f"{step}：{line}", t0)

                step = "生成演示数据"
                t0 = time.perf_counter()
                from .demo import build_demo
                today = dt.date.today()
                counts = build_demo(db, "community", seed=1, today=today)
                if not counts.get("people") or not counts.get("party_members"):
                    raise SmokeFailure(f"演示数据不完整：{counts}")
                report(f"{step}：{counts['people']:,} 人，{counts['party_members']:,} 名党员", t0)

                step = "登录（argon2id）"
                t0 = time.perf_counter()
                from .demo.build import DEMO_PASSWORD, DEMO_USER
                from .services import accounts
                db.actor = accounts.sign_in(db, DEMO_USER, DEMO_PASSWORD, where="自检")
                report(f"{step}：{db.actor.name}（{db.actor.role}）", t0)

                step = "计算概览数字"
                t0 = time.perf_counter()
                stats = importlib.import_module("app.stats")
                figures = stats.compute_all(db, period=str(today.year))
                count, nonzero = _count(figures)
                if not count or not nonzero:
                    raise SmokeFailure(f"概览数字为空（{count} 项，非零 {nonzero} 项）")
                report(f"{step}：{len(figures)} 个板块 {count} 项，非零 {nonzero} 项", t0)

                step = "打印花名册到 PDF"
                t0 = time.perf_counter()
                from .printing.pdf import spec_to_pdf
                from .printing.roster import roster_from_db
                spec = roster_from_db(db, ROSTER, printed_on=today)
                if EXPECTED_TITLE not in spec.full_title:
                    raise SmokeFailure(f"花名册标题不对：{spec.full_title}")
                out.parent.mkdir(parents=True, exist_ok=True)
                doc = spec_to_pdf(spec, out)
                size = check_pdf(out)
                report(f"{step}：{out}，{doc.page_count} 页，{size:,} 字节，已嵌入中文字体", t0)

                step = "Excel 导出再导入"
                t0 = time.perf_counter()
                from .excel.importer import plan_file
                from .excel.writer import export_register
                xlsx = Path(tmp) / "smoke.xlsx"
                export_register(db, ROSTER, xlsx)
                counts = plan_file(db, ROSTER, xlsx).counts
                rows = sum(counts.values())
                if rows == 0 or counts["unchanged"] != rows:
                    raise SmokeFailure(f"原样导回应全部“无变化”，实际为 {counts}")
                report(f"{step}：{rows} 行，全部无变化", t0)

                if gui:
                    step = "图形界面"
                    t0 = time.perf_counter()
                    from .ui.smoke import check_gui
                    for line in check_gui(db, spec, Path(tmp)):
                        print(f"通过\t{line}", file=stream, flush=True)
                    report(step, t0)
            finally:
                db.close()
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message and exit 1
        log.exception("自检失败：%s", step)
        detail = str(exc) or type(exc).__name__
        if not isinstance(exc, SmokeFailure):
            detail = f"{type(exc).__name__}: {detail}"
        print(f"自检失败（{step}）：{detail}", file=sys.stderr, flush=True)
        return EXIT_FAILED
    print(f"自检通过，共用时 {time.perf_counter() - t_all:.1f} 秒", file=stream, flush=True)
    return EXIT_OK


def _count(figures) -> tuple[int, int]:
    """(figures, figures with a non-zero value) in ``compute_all``'s
    ``{area: {key: {"value": …, …}}}``."""
    count = nonzero = 0
    for area in (figures or {}).values():
        for figure in (area or {}).values() if isinstance(area, dict) else ():
            count += 1
            value = figure.get("value") if isinstance(figure, dict) else figure
            nonzero += bool(value)
    return count, nonzero
