"""Writing a laid-out :class:`~.layout.Document` as a PDF with reportlab.

The bundled font is embedded as a subset (only the glyphs used), so the PDF shows the same
Chinese text on any machine and stays small.  Drawing is batched per page (one text object,
lines grouped by width) because a 2,000-row roster is some 30,000 strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from .fonts import FONT_NAME, reportlab_font
from .layout import Document, Line, Rect, Text, layout
from .spec import RosterSpec

#: Outline width (points) that emboldens title and header text: the font has no bold face.
BOLD_STROKE = 0.35


def write_pdf(doc: Document, target: str | Path | BinaryIO, *, title: str = "",
              subject: str = "") -> None:
    """Draw every page of ``doc`` into ``target`` (a path or a binary file object)."""
    reportlab_font()  # registers the font with reportlab on first use
    out = str(target) if isinstance(target, Path) else target
    c = Canvas(out, pagesize=(doc.width, doc.height), pageCompression=1,
               initialFontName=FONT_NAME, initialFontSize=10)
    c.setTitle(title)
    c.setSubject(subject)
    c.setAuthor("社区治理台账")
    c.setCreator("社区治理台账 taizhang")
    h = doc.height
    for page in doc.pages:
        _draw_page(c, page.ops, h)
        c.showPage()
    c.save()


def _draw_page(c: Canvas, ops, h: float) -> None:
    lines: dict[float, list[tuple[float, float, float, float]]] = {}
    for op in ops:
        if isinstance(op, Rect):
            c.setFillGray(op.gray)
            c.rect(op.x, h - op.y - op.h, op.w, op.h, stroke=0, fill=1)
        elif isinstance(op, Line):
            lines.setdefault(op.width, []).append((op.x1, h - op.y1, op.x2, h - op.y2))
    c.setFillGray(0)
    c.setStrokeGray(0)
    for width, segs in lines.items():
        c.setLineWidth(width)
        c.lines(segs)
    t = c.beginText()
    size = None
    bold = False
    for op in ops:
        if not isinstance(op, Text):
            continue
        if op.size != size:
            size = op.size
            t.setFont(FONT_NAME, size)
        if op.bold != bold:
            bold = op.bold
            t.setTextRenderMode(2 if bold else 0)
        t.setTextOrigin(op.x, h - op.y)
        t.textOut(op.text)
    c.setLineWidth(BOLD_STROKE)
    c.drawText(t)


def spec_to_pdf(spec: RosterSpec, target: str | Path | BinaryIO,
                orientation: str | None = None) -> Document:
    """Lay out ``spec`` and write it; returns the laid-out document (page count etc.)."""
    doc = layout(spec, orientation)
    write_pdf(doc, target, title=spec.full_title, subject=spec.scope)
    return doc

