"""The Qt side of printing: the bundled font in Qt, the QPainter renderer of the layout (to a
PDF through QPrinter and to an image), orientation from the printer, remembered page setup,
PDF export and the preview dialog."""

from __future__ import annotations

import re
import subprocess

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QColor, QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from app.printing.layout import Text, layout
from app.printing.spec import Column, RosterSpec, Section
from app.ui import print_preview as pp

needs_poppler = pytest.mark.needs_tool("pdftotext", "poppler-utils")

NAMES = [f"测试{chr(0x4e00 + i * 37)}{chr(0x4e50 + i)}" for i in range(60)]


def _spec(orientation="auto"):
    cols = [Column("姓名", 6), Column("所在党组织", 14), Column("入党日期", 9, "center", False)]
    rows = [[n, "阳光社区第一党支部", "2001-07-01"] for n in NAMES]
    return RosterSpec("党员花名册", cols, [Section(rows)], office="和平街道",
                      scope="范围：全部社区", orientation=orientation)


@pytest.fixture
def settings(tmp_path):
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield s
    s.sync()


def _pdf_printer(path, landscape=False) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                               else QPageLayout.Orientation.Portrait)
    return printer


def _text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode()
    return "".join(out.split())


def test_bundled_font_is_loaded_into_qt(qapp):
    assert pp.print_font_family() == "WenQuanYi Micro Hei"


@needs_poppler
def test_qt_renderer_prints_the_same_pages(qapp, tmp_path, settings):
    job = pp.PrintJob(_spec(), settings)
    out = tmp_path / "qt.pdf"
    printer = _pdf_printer(out)
    job.paint(printer)
    doc = job.document("portrait")
    text = _text(out)
    assert "和平街道党员花名册" in text
    for name in NAMES:
        assert name in text
    for n in range(1, doc.page_count + 1):
        assert f"第{n}页共{doc.page_count}页" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages == doc.page_count == 2
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts


@needs_poppler
def test_turning_the_page_in_the_printer_lays_out_again(qapp, tmp_path, settings):
    job = pp.PrintJob(_spec(), settings)
    out = tmp_path / "landscape.pdf"
    job.paint(_pdf_printer(out, landscape=True))
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert w > h  # landscape paper
    assert job.document("landscape").orientation == "landscape"
    assert job.document("landscape").page_count > job.document("portrait").page_count


def test_image_rendering_matches_the_layout_metrics(qapp):
    """Qt draws the title as wide as reportlab measured it (same font, no kerning)."""
    doc = layout(_spec())
    dpi = 150
    img = QImage(round(doc.width / 72 * dpi), round(doc.height / 72 * dpi),
                 QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))
    img.fill(QColor(255, 255, 255))
    painter = QPainter(img)
    pp.paint_page(painter, doc, 0, dpi / 72)
    painter.end()
    title = next(op for op in doc.pages[0].ops if isinstance(op, Text) and op.size == 16)
    from app.printing.fonts import metrics
    k = dpi / 72
    y0, y1 = round((title.y - title.size) * k), round((title.y + 2) * k)
    dark = [x for x in range(img.width()) for y in range(y0, y1, 2)
            if QColor(img.pixel(x, y)).lightness() < 128]
    assert dark, "title not painted"
    measured = (max(dark) - min(dark)) / k
    expected = metrics().width(title.text, title.size)
    assert abs(min(dark) / k - title.x) < 3
    assert measured == pytest.approx(expected, rel=0.05)


def test_page_setup_is_remembered(qapp, tmp_path, settings):
    job = pp.PrintJob(_spec(), settings)
    assert job.document().orientation == "portrait"
    printer = _pdf_printer(tmp_path / "x.pdf", landscape=True)
    job.remember(printer)
    again = pp.PrintJob(_spec(), settings)
    assert again.make_printer().pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert again.document().orientation == "landscape"
    # an explicit orientation in the spec still wins
    assert pp.PrintJob(_spec("portrait"), settings).document().orientation == "portrait"


@needs_poppler
def test_export_pdf_writes_the_reportlab_pdf(qapp, tmp_path, settings):
    out = pp.export_pdf(None, _spec(), tmp_path / "导出", settings=settings)
    assert out == tmp_path / "导出.pdf" and out.exists()
    assert "和平街道党员花名册" in _text(out)
    assert settings.value("print/pdf_dir") == str(tmp_path)


def test_export_pdf_failure_tells_the_user(qapp, tmp_path, settings, monkeypatch):
    shown = []
    monkeypatch.setattr(pp.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert pp.export_pdf(None, _spec(), tmp_path / "no" / "x.pdf", settings=settings) is None
    assert shown and "无法写入" in shown[0]


def test_default_pdf_name_is_safe_for_windows():
    spec = _spec()
    spec.title = "调解员/普法志愿者名册"
    import datetime as dt
    assert pp.default_pdf_name(spec, dt.date(2026, 11, 25)) == \
        "和平街道调解员_普法志愿者名册_20261125.pdf"


def test_preview_dialog_paints_and_closes(qapp, qtbot, settings, monkeypatch):
    painted = []
    original = pp.PrintJob.paint

    def spy(self, printer):
        painted.append(pp._orientation(printer))
        original(self, printer)

    monkeypatch.setattr(pp.PrintJob, "paint", spy)

    def close():
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(50, close)
            return
        assert "打印预览" in dlg.windowTitle()
        dlg.reject()

    QTimer.singleShot(50, close)
    assert pp.preview(None, _spec(), settings=settings) is False
    assert painted and painted[0] == "portrait"
    assert settings.value("print/orientation/党员花名册") is None  # not printed: not remembered


def test_print_actions_mask_by_default_and_full_ids_only_once(qapp, qtbot, tmp_path, settings,
                                                              monkeypatch):
    from PySide6.QtWidgets import QWidget
    parent = QWidget()
    qtbot.add_widget(parent)
    asked = []

    def get_spec(mask_ids):
        asked.append(mask_ids)
        return _spec()

    target = tmp_path / "a.pdf"
    monkeypatch.setattr(pp.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    actions = pp.print_actions(parent, get_spec, settings)
    texts = [a.text() for a in actions]
    assert texts == ["打印预览…", "打印…", "导出 PDF…", "打印完整身份证号"]
    export, full = actions[2], actions[3]
    export.trigger()
    full.setChecked(True)
    export.trigger()
    export.trigger()
    assert asked == [True, False, True]  # full numbers for one printout only
    assert target.exists()


def test_print_actions_with_nothing_to_print(qapp, qtbot, settings, monkeypatch):
    from PySide6.QtWidgets import QWidget
    parent = QWidget()
    qtbot.add_widget(parent)
    shown = []
    monkeypatch.setattr(pp.QMessageBox, "information", lambda *a: shown.append(a[2]))
    pp.print_actions(parent, lambda mask: None, settings)[0].trigger()
    assert shown and "没有可打印的内容" in shown[0]
