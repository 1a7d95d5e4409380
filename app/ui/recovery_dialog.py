"""Showing a recovery key, once: when a database is created or encrypted, and after 工具 →
生成新的恢复密钥… (which makes a new one in place of the old).

The key is shown large in a monospaced font and can be selected, copied, printed on a sheet
with the database's name, the date and what to do with it, or saved as a PDF of that sheet.
The dialog closes only after 我已妥善保存恢复密钥 is ticked: the key is never shown again.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QPageLayout, QPageSize, \
    QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QFrame, QHBoxLayout, QLabel, \
    QMessageBox, QPushButton, QVBoxLayout, QWidget


#: What the sheet and the dialog say to do with the key.
INSTRUCTIONS = (
    "忘记所有账号的密码时，只有恢复密钥能打开数据库：打开时在“恢复密钥”一栏填写"
    "（命令行用环境变量 TAIZHANG_RECOVERY_KEY）。",
    "请打印本页或抄写，与电脑分开妥善保管（如单位的文件柜、保险柜）；不要拍照，"
    "不要存在电脑、手机或网盘里。",
    "数据库旁的 .keys 文件必须和数据库放在一起，备份时一起复制。",
    "以后生成新的恢复密钥时，本页即作废，请销毁。",
)

#: The same in the dialog, without the command line (the printed sheet keeps it for whoever
#: helps the office).
SCREEN_INSTRUCTIONS = (
    "打开数据库时在“恢复密钥”一栏填写它。",
    *INSTRUCTIONS[1:],
)


def split_lines(code: str) -> str:
    """The 8 groups on two lines of 4, as shown on screen and on the sheet."""
    groups = code.split("-")
    return "-".join(groups[:4]) + "-\n" + "-".join(groups[4:])


def key_font(point_size: float) -> QFont:
    """A monospaced font for the key (the system's fixed font; any font if none)."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    font.setPointSizeF(point_size)
    font.setBold(True)
    return font


def sheet_html(db_name: str, code: str, day: dt.date, *, new: bool = False) -> str:
    """The printed page: title, database, date, the key, what to do with it."""
    steps = "".join(f"<li>{html.escape(t)}</li>" for t in INSTRUCTIONS)
    mono = html.escape(key_font(20).family())
    why = "生成新的恢复密钥（原来的恢复密钥已失效）" if new else "建立加密"
    return (
        "<h2 align='center'>社区治理台账　数据库恢复密钥</h2>"
        f"<p>数据库文件：<b>{html.escape(db_name)}</b><br>"
        f"日期：{day.year} 年 {day.month} 月 {day.day} 日（{why}）</p>"
        "<p>恢复密钥（8 组，每组 5 个字母或数字；不区分大小写，字母 O 与数字 0 等同）：</p>"
        f"<p align='center' style='font-family: \"{mono}\", monospace; font-size: 20pt; "
        f"font-weight: bold;'>{html.escape(split_lines(code)).replace(chr(10), '<br>')}</p>"
        f"<h3>请这样保管</h3><ol>{steps}</ol>"
        "<p><br>保管人（签名）：____________________　　保管地点：____________________</p>")


def paint_sheet(printer: QPrinter, db_name: str, code: str, day: dt.date, *,
                new: bool = False) -> None:
    """Draw the one-page sheet on ``printer`` (a printer, a PDF or the preview)."""
    doc = QTextDocument()
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(12)
    doc.setDefaultFont(font)
    doc.setHtml(sheet_html(db_name, code, day, new=new))
    painter = QPainter(printer)
    try:
        rect = printer.pageLayout().paintRectPixels(printer.resolution())
        # Lay the text out in points, then scale to the printer's pixels.
        scale = printer.resolution() / 72.0
        doc.setPageSize(QSizeF(rect.width() / scale, rect.height() / scale))
        painter.scale(scale, scale)
        doc.drawContents(painter)
    finally:
        painter.end()


def make_printer(mode=QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                      QPageLayout.Orientation.Portrait,
                                      QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    return printer


def default_pdf_name(db_name: str, day: dt.date) -> str:
    stem = re.sub(r'[\\/:*?"<>|]', "_", Path(db_name).stem)
    return f"{stem}_恢复密钥_{day:%Y%m%d}.pdf"


class RecoveryKeyDialog(QDialog):
    """The recovery key ``code`` of database ``db_name``, shown once.  ``plain_copy``: where
    a converted file's verified plain copy was kept; ``new``: a key made in place of an old
    one.  Closes only when :attr:`saved` is ticked."""

    def __init__(self, parent: QWidget | None, db_name: str, code: str, *,
                 plain_copy: Path | None = None, new: bool = False,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db_name, self.code, self.new = db_name, code, new
        self.today = today or dt.date.today()
        self.setWindowTitle("请保存恢复密钥")
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        head = (f"已为数据库 {db_name} 生成新的恢复密钥，原来的恢复密钥已失效。"
                if new else f"数据库 {db_name} 已加密（SQLCipher，AES-256）。")
        intro = QLabel()
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setText(html.escape(head) + "<br>下面是它的恢复密钥：忘记所有账号的密码时，"
                      "只有它能打开数据库。<b>它只显示这一次</b>，请现在打印或保存为 PDF。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.key_label = QLabel(split_lines(code))
        self.key_label.setObjectName("recovery_key")
        self.key_label.setFont(key_font(18))
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse |
            Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.key_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.key_label.setMargin(12)
        self.key_label.setStyleSheet("QLabel#recovery_key { background: #ffffff; }")
        self.key_label.setAccessibleName("恢复密钥")
        lay.addWidget(self.key_label)
        steps = QLabel("请这样保管：\n" + "\n".join(
            f"{i}. {t}" for i, t in enumerate(SCREEN_INSTRUCTIONS, 1)))
        steps.setWordWrap(True)
        lay.addWidget(steps)
        if plain_copy is not None:
            note = QLabel(f"加密前核对过的未加密副本保存在 {plain_copy}：它仍含全部数据，"
                          "确认无误后请删除或妥善保管。")
            note.setObjectName("plain_copy_note")
            note.setWordWrap(True)
            note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(note)
        row = QHBoxLayout()
        self.copy_button = QPushButton("复制(&C)")
        self.copy_button.setToolTip("把恢复密钥复制到剪贴板（关闭本窗口时清空剪贴板中的密钥）")
        self.copy_button.clicked.connect(self.on_copy)
        self.print_button = QPushButton("打印(&P)…")
        self.print_button.setToolTip("预览并打印一页：数据库名称、日期、恢复密钥和保管说明")
        self.print_button.clicked.connect(self.on_print)
        self.pdf_button = QPushButton("保存为 PDF(&S)…")
        self.pdf_button.setToolTip("把打印的那一页保存为 PDF 文件（请存到 U 盘等与电脑分开的地方）")
        self.pdf_button.clicked.connect(lambda: self.on_save_pdf())
        for b in (self.copy_button, self.print_button, self.pdf_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        bottom = QHBoxLayout()
        self.saved = QCheckBox("我已妥善保存恢复密钥(&Y)")
        self.close_button = QPushButton("关闭")
        self.close_button.setEnabled(False)
        self.close_button.setToolTip("勾选“我已妥善保存恢复密钥”后才能关闭：它不会再显示")
        self.saved.toggled.connect(self.close_button.setEnabled)
        self.close_button.clicked.connect(self.accept)
        bottom.addWidget(self.saved)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        lay.addLayout(bottom)
        self.print_button.setFocus()

    # -- the three ways to keep it -----------------------------------------------------------
    def on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
        self.status.setText("已复制到剪贴板。请粘贴到要保存的地方；关闭本窗口时会清空剪贴板。")

    def paint(self, printer: QPrinter) -> None:
        paint_sheet(printer, self.db_name, self.code, self.today, new=self.new)

    def on_print(self) -> bool:
        """打印…: the sheet in Qt's print preview, which prints it."""
        printer = make_printer()
        dlg = QPrintPreviewDialog(printer, self)
        dlg.setWindowTitle("打印恢复密钥")
        dlg.paintRequested.connect(self.paint)
        from .sizing import fit_size
        fit_size(dlg, 900, 760)
        self.preview = dlg
        try:
            printed = dlg.exec() == QDialog.DialogCode.Accepted
        except OSError as exc:
            QMessageBox.warning(self, "打印失败", str(exc))
            return False
        finally:
            self.preview = None
        if printed:
            self.status.setText("已送去打印。请确认打印出的纸上密钥完整清楚。")
        return printed

    def on_save_pdf(self, path: Path | str | None = None) -> Path | None:
        """保存为 PDF…: the printed sheet as a PDF where the user chooses."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "保存恢复密钥", default_pdf_name(self.db_name, self.today),
                "PDF 文件 (*.pdf)")
            if not chosen:
                return None
            path = chosen
        out = Path(path)
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        printer = make_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        try:
            self.paint(printer)
            if not out.is_file():
                raise OSError("文件没有写成")
        except OSError as exc:
            QMessageBox.warning(self, "保存为 PDF",
                                f"无法写入 {out}：{exc}。请换一个文件夹再试。")
            return None
        self.status.setText(f"已保存为 {out}。请把它存到与电脑分开的地方，并从这台电脑上删除。")
        return out

    # -- closing only once it is kept ------------------------------------------------------------
    def done(self, result: int) -> None:
        if not self.saved.isChecked():
            self.status.setText("请先保存（打印、保存为 PDF 或抄写）恢复密钥，"
                                "再勾选“我已妥善保存恢复密钥”：它不会再显示。")
            return
        clip = QGuiApplication.clipboard()
        if clip.text() == self.code:
            clip.clear()
        super().done(result)

    def closeEvent(self, event) -> None:
        if not self.saved.isChecked():
            event.ignore()
            self.done(QDialog.DialogCode.Rejected)
            return
        super().closeEvent(event)


def show_recovery_key(parent: QWidget | None, db_name: str, code: str, **kwargs) -> None:
    """Show ``code`` in :class:`RecoveryKeyDialog` until it is kept."""
    dlg = RecoveryKeyDialog(parent, db_name, code, **kwargs)
    dlg.exec()
