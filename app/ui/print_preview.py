"""Print preview, printing and PDF export of rosters and sign-in sheets.

What the main window calls (``spec`` is an :class:`app.printing.spec.RosterSpec`, e.g.
``roster_spec(reg, view.visible_rows(), office=…, scope=…)`` from :mod:`app.printing.roster`
or ``signin_spec(db, meeting_id)`` from :mod:`app.printing.signin`)::

    preview(parent, spec) -> bool              打印预览 (QPrintPreviewDialog); True if printed
    print_dialog(parent, spec) -> bool         打印… (QPrintDialog); True if printed
    export_pdf(parent, spec, path=None) -> Path | None
                                               导出 PDF (asks for a file unless ``path``)

Or, for a menu or toolbar, ``print_actions(parent, get_spec)`` gives the four actions
(打印预览, 打印…, 导出 PDF…, and the checkable 打印完整身份证号) wired to those functions;
``get_spec(mask_ids: bool) -> RosterSpec | None`` builds the spec when the user acts, e.g.
``lambda mask: roster_for_rows(db, key, model.visible_rows(), scope=…, mask_ids=mask)``
or ``lambda mask: signin_spec(db, meeting_id)``; None means nothing to print.

Each function takes an optional ``settings`` (a QSettings; default ``QSettings("taizhang",
"taizhang")``) where the last printer, the orientation chosen per document title and the
last PDF folder are remembered.

The pages are laid out once by :func:`app.printing.layout.layout` and painted here with the
bundled font, so the preview matches the PDF (written by reportlab).  When the user turns the
page in the preview, the document is laid out again for the new orientation.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from typing import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, QSettings, QStandardPaths
from PySide6.QtGui import (QAction, QColor, QFont, QFontDatabase, QKeySequence, QPageLayout,
                           QPageSize, QPainter, QPen)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from ..printing.fonts import FONT_FAMILY, font_path
from ..printing.layout import Document, Line, Rect, Text, layout
from ..printing.spec import RosterSpec
from .sizing import fit_size

_family: str | None = None


def print_font_family() -> str:
    """Load the bundled font into Qt once; the family name to use for printing."""
    global _family
    if _family is None:
        fid = QFontDatabase.addApplicationFont(str(font_path()))
        families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        _family = FONT_FAMILY if FONT_FAMILY in families else (families or [FONT_FAMILY])[0]
    return _family


def _font(size: float, bold: bool) -> QFont:
    f = QFont(print_font_family())
    f.setPointSizeF(size)
    f.setBold(bold)
    # The layout measured advance widths with no kerning or hinting: draw the same way.
    f.setKerning(False)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


def paint_page(painter: QPainter, doc: Document, index: int, scale: float) -> None:
    """Paint page ``index`` of ``doc``; ``scale`` = device pixels per point.  Font sizes are
    in points, which the device converts with its own resolution."""
    fonts: dict[tuple[float, bool], QFont] = {}
    pen = QPen(QColor(0, 0, 0))
    for op in doc.pages[index].ops:
        if isinstance(op, Rect):
            g = round(op.gray * 255)
            painter.fillRect(QRectF(op.x * scale, op.y * scale, op.w * scale, op.h * scale),
                             QColor(g, g, g))
        elif isinstance(op, Line):
            pen.setWidthF(op.width * scale)
            painter.setPen(pen)
            painter.drawLine(QLineF(op.x1 * scale, op.y1 * scale, op.x2 * scale,
                                    op.y2 * scale))
        elif isinstance(op, Text):
            key = (op.size, op.bold)
            if key not in fonts:
                fonts[key] = _font(op.size, op.bold)
            painter.setFont(fonts[key])
            painter.setPen(QColor(0, 0, 0))
            painter.drawText(QPointF(op.x * scale, op.y * scale), op.text)


def _orientation(printer: QPrinter) -> str:
    landscape = printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    return "landscape" if landscape else "portrait"


def print_document(printer: QPrinter, doc: Document) -> None:
    """Paint every page of ``doc`` on ``printer`` (its page already set to A4 and the
    document's orientation)."""
    printer.setFullPage(True)  # our layout has its own margins, measured from the paper edge
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印：打印机不可用或输出文件无法写入")
    try:
        scale = printer.resolution() / 72.0
        for i in range(doc.page_count):
            if i:
                printer.newPage()
            paint_page(painter, doc, i, scale)
    finally:
        painter.end()


class PrintJob:
    """One spec on its way to paper: lays it out per orientation (cached) and remembers the
    page setup in ``settings``."""

    def __init__(self, spec: RosterSpec, settings: QSettings | None = None) -> None:
        self.spec = spec
        self.settings = settings or QSettings("taizhang", "taizhang")
        self._docs: dict[str, Document] = {}

    @property
    def _orientation_key(self) -> str:
        return f"print/orientation/{self.spec.title}"

    def document(self, orientation: str | None = None) -> Document:
        """The layout for ``orientation`` (default: the spec's own, else the one remembered
        for this title, else chosen to fit)."""
        if orientation is None:
            orientation = self.spec.orientation
            if orientation == "auto":
                orientation = str(self.settings.value(self._orientation_key, "auto"))
        if orientation not in self._docs:
            doc = layout(self.spec, orientation)
            self._docs[orientation] = doc
            self._docs.setdefault(doc.orientation, doc)
        return self._docs[orientation]

    def make_printer(self, mode=QPrinter.PrinterMode.HighResolution) -> QPrinter:
        printer = QPrinter(mode)
        name = str(self.settings.value("print/printer", "") or "")
        if name and name in QPrinterInfo.availablePrinterNames():
            printer.setPrinterName(name)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        landscape = self.document().orientation == "landscape"
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                                   else QPageLayout.Orientation.Portrait)
        printer.setDocName(self.spec.full_title)
        return printer

    def paint(self, printer: QPrinter) -> None:
        """Slot for ``paintRequested``: lay out for the printer's current orientation."""
        print_document(printer, self.document(_orientation(printer)))

    def remember(self, printer: QPrinter) -> None:
        if self.spec.orientation == "auto":
            self.settings.setValue(self._orientation_key, _orientation(printer))
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
            self.settings.setValue("print/printer", printer.printerName())
        self.settings.sync()


def preview(parent: QWidget | None, spec: RosterSpec,
            settings: QSettings | None = None) -> bool:
    """打印预览: the pages as they will print; the user may turn the page, pick a printer and
    print from the dialog.  True if printed."""
    job = PrintJob(spec, settings)
    printer = job.make_printer()
    dlg = QPrintPreviewDialog(printer, parent)
    dlg.setWindowTitle(f"打印预览 — {spec.full_title}")
    dlg.paintRequested.connect(job.paint)
    fit_size(dlg, 1000, 760)
    try:
        accepted = dlg.exec() == QDialog.DialogCode.Accepted
    except OSError as exc:
        QMessageBox.warning(parent, "打印失败", str(exc))
        return False
    if accepted:
        job.remember(printer)
    return accepted


def print_dialog(parent: QWidget | None, spec: RosterSpec,
                 settings: QSettings | None = None) -> bool:
    """打印…: the system print dialog, then print.  True if printed."""
    job = PrintJob(spec, settings)
    printer = job.make_printer()
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle(f"打印 — {spec.full_title}")
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        job.paint(printer)
    except OSError as exc:
        QMessageBox.warning(parent, "打印失败", str(exc))
        return False
    job.remember(printer)
    return True


def default_pdf_name(spec: RosterSpec, today: dt.date | None = None) -> str:
    """``和平街道党员花名册_20261125.pdf`` with characters Windows forbids replaced."""
    stem = re.sub(r'[\\/:*?"<>|]', "_", spec.full_title)
    return f"{stem}_{(today or dt.date.today()):%Y%m%d}.pdf"


def export_pdf(parent: QWidget | None, spec: RosterSpec, path: Path | str | None = None,
               settings: QSettings | None = None) -> Path | None:
    """导出 PDF (reportlab, the bundled font embedded).  Asks where to save unless ``path``
    is given; returns the file written, or None if cancelled or failed (after telling the
    user why)."""
    from ..printing.cli import missing_message, write_atomically
    job = PrintJob(spec, settings)
    if path is None:
        folder = str(job.settings.value("print/pdf_dir", "") or "") or QStandardPaths.\
            writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getSaveFileName(parent, "导出 PDF",
                                                str(Path(folder) / default_pdf_name(spec)),
                                                "PDF 文件 (*.pdf)")
        if not chosen:
            return None
        path = chosen
    out = Path(path)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    doc = job.document()
    try:
        write_atomically(spec, out, doc.orientation)
    except OSError as exc:
        QMessageBox.warning(parent, "导出失败",
                            f"无法写入 {out}：{exc.strerror or exc}。\n如果该文件正在 PDF "
                            "阅读器中打开，请先关闭；或换一个文件名/文件夹。")
        return None
    job.settings.setValue("print/pdf_dir", str(out.parent))
    job.settings.sync()
    if doc.missing:
        QMessageBox.information(parent, "导出 PDF",
                                f"已导出 {out.name}。\n{missing_message(doc.missing)}")
    return out


def print_actions(parent: QWidget, get_spec: Callable[[bool], RosterSpec | None],
                  settings: QSettings | None = None) -> list[QAction]:
    """打印预览 / 打印… / 导出 PDF… / 打印完整身份证号, for a menu or toolbar.

    Full ID numbers are an explicit choice for one printout: the check box is cleared again
    after each print or export, so the next printout is masked unless asked again."""
    full_ids = QAction("打印完整身份证号", parent)
    full_ids.setCheckable(True)
    full_ids.setToolTip("默认打印时隐去身份证号第 7–14 位；勾选后本次打印完整号码")

    def run(func) -> None:
        spec = get_spec(not full_ids.isChecked())
        if spec is None:
            QMessageBox.information(parent, "打印", "当前没有可打印的内容，请先选择台账或记录。")
            return
        try:
            func(parent, spec, settings=settings)
        finally:
            full_ids.setChecked(False)

    out = []
    for text, func, key, tip in (
            ("打印预览…", preview, None, "按 A4 排版预览，可在预览中切换横向/纵向后打印"),
            ("打印…", print_dialog, QKeySequence.StandardKey.Print, "选择打印机并打印"),
            ("导出 PDF…", export_pdf, None, "保存为 PDF 文件（内嵌中文字体）")):
        act = QAction(text, parent)
        act.setToolTip(tip)
        if key is not None:
            act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda _checked=False, f=func: run(f))
        out.append(act)
    out.append(full_ids)
    return out
