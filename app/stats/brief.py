"""The 数据简报: per area, sentences with the figures filled in (已建立小区党支部5个，党组织对
小区的覆盖率达50.0%…), the area's charts and a table of its figures beside last year — as an
editable .docx (WPS/Word, python-docx) or a PDF (reportlab, the bundled font embedded).

The title and the office's name come from the database's settings (``app_settings``:
``office_name``, ``stats_title``), like the printed rosters' headers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import catalogue
from .charts import layout, report_charts, to_png, to_reportlab
from .fmt import change, digits_of, number, sentences

FONT_NAME = "TaizhangCJK"  # the name app.printing registers the same font under
NUMERALS = "一二三四五六七八九十"


def font_file() -> str:
    from ..paths import resources_dir
    path = resources_dir() / "fonts" / "wqy-microhei.ttc"
    if not path.exists():
        raise FileNotFoundError(f"缺少字体文件 {path}，请重新安装社区治理台账")
    return str(path)


@lru_cache(maxsize=1)
def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, font_file(), subfontIndex=0))
    return FONT_NAME


def title_of(report) -> str:
    return f"{report.office}{report.title}"


def subtitle_of(report) -> str:
    return (f"统计期间：{report.period.label}　范围：{report.scope}　"
            f"对比：上年同期（{report.previous.label}）")


def table_rows(report, area: str) -> list[tuple[str, str, str, str]]:
    """The area's single-number figures: 指标, 本期, 上年同期, 增减 (with units)."""
    rows = []
    for line in report.area(area):
        f = line.figure
        if isinstance(line.value, dict):
            continue
        d = digits_of(f)
        unit = f.unit if line.value is not None else ""
        rows.append((f.label, number(line.value, d) + unit,
                     number(line.previous, d) + (f.unit if line.previous is not None else ""),
                     change(f, line.value, line.previous)))
    return rows


def _charts_by_area(report):
    """Charts grouped under the area of the figure they draw; the comparison chart last."""
    titles = {}
    for area in catalogue.AREAS:
        for line in report.area(area):
            if line.figure.chart is not None:
                titles[line.figure.chart.title] = area
    out: dict[str, list] = {a: [] for a in catalogue.AREAS}
    tail = []
    for data in report_charts(report):
        (out[titles[data.title]] if data.title in titles else tail).append(data)
    return out, tail


def write_brief(report, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".pdf":
        _write_pdf(report, path)
    else:
        _write_docx(report, path)
    return path


# -- .docx ---------------------------------------------------------------------------------

def _write_docx(report, path: Path) -> None:
    import io
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    for style_name, size in (("Normal", 12), ("Title", 20), ("Heading 1", 15), ("Caption", 10)):
        style = doc.styles[style_name]
        style.font.size = Pt(size)
        style.font.name = "宋体" if style_name in ("Normal", "Caption") else "黑体"
        rpr = style.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), style.font.name)
    t = doc.add_paragraph(title_of(report), style="Title")
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    s = doc.add_paragraph(subtitle_of(report), style="Caption")
    s.alignment = WD_ALIGN_PARAGRAPH.CENTER
    by_area, tail = _charts_by_area(report)
    fonts = font_file()
    width_pt = 16 * 28.35
    for i, area in enumerate(catalogue.AREAS):
        doc.add_paragraph(f"{NUMERALS[i]}、{catalogue.area_label(area)}", style="Heading 1")
        for text in sentences(area, report.values):
            p = doc.add_paragraph(text)
            p.paragraph_format.first_line_indent = Pt(24)
        for data in by_area[area]:
            png = to_png(layout(data, width_pt * 0.8), fonts)
            doc.add_picture(io.BytesIO(png), width=Cm(16 * 0.8))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        rows = table_rows(report, area)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("指标", "本期", "上年同期", "增减")):
            cell.text = text
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    for data in tail:
        doc.add_paragraph(data.title, style="Heading 1")
        png = to_png(layout(data, width_pt * 0.9), fonts)
        doc.add_picture(io.BytesIO(png), width=Cm(16 * 0.9))
    doc.add_paragraph(f"（由社区治理台账根据台账记录自动生成，{report.today:%Y年%m月%d日}）",
                      style="Caption")
    doc.save(str(path))


# -- PDF -----------------------------------------------------------------------------------

def _write_pdf(report, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=18, wordWrap="CJK",
                          firstLineIndent=22)
    title = ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1,
                           firstLineIndent=0)
    sub = ParagraphStyle("sub", parent=base, fontSize=9, leading=14, alignment=1,
                         firstLineIndent=0, textColor=colors.HexColor("#555555"))
    head = ParagraphStyle("head", parent=base, fontSize=14, leading=22, firstLineIndent=0,
                          spaceBefore=10, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=12, firstLineIndent=0)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, title=title_of(report),
                            author=report.office or "社区治理台账")
    width = A4[0] - 4.4 * cm
    story = [Paragraph(title_of(report), title), Paragraph(subtitle_of(report), sub),
             Spacer(1, 8)]
    by_area, tail = _charts_by_area(report)
    for i, area in enumerate(catalogue.AREAS):
        story.append(Paragraph(f"{NUMERALS[i]}、{catalogue.area_label(area)}", head))
        for text in sentences(area, report.values):
            story.append(Paragraph(text, base))
        for data in by_area[area]:
            story += [Spacer(1, 6), to_reportlab(layout(data, width * 0.85), font)]
        rows = [("指标", "本期", "上年同期", "增减"), *table_rows(report, area)]
        tbl = Table([[Paragraph(x, cell) for x in r] for r in rows],
                    colWidths=[width * 0.46, width * 0.18, width * 0.18, width * 0.18],
                    repeatRows=1)
        tbl.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6F0")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story += [Spacer(1, 6), tbl]
    for data in tail:
        story += [Paragraph(data.title, head), to_reportlab(layout(data, width * 0.9), font)]
    story.append(Paragraph(f"（由社区治理台账根据台账记录自动生成，{report.today:%Y年%m月%d日}）", sub))

    def footer(canvas, _doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"第 {canvas.getPageNumber()} 页")
        canvas.restoreState()
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
