"""Helpers for the printing tests: read a PDF back with poppler (pdftotext, pdffonts, pdfinfo),
the way a person would check it.  No tests here."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

#: Skipped without poppler on a developer's machine, failed in CI (tests/conftest.py).
needs_poppler = pytest.mark.needs_tool("pdftotext", "poppler-utils")


def pdf_pages(path: Path, raw: bool = False) -> list[str]:
    """The text of every page (pdftotext splits pages with a form feed).  ``raw`` keeps the
    drawing order, so a header wrapped over two lines reads as one label."""
    mode = "-raw" if raw else "-layout"
    out = subprocess.run(["pdftotext", mode, "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, check=True).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def pdf_fonts(path: Path) -> list[list[str]]:
    """Rows of ``pdffonts``: name, type, encoding, emb, sub, uni, object, id."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                         text=True).stdout.splitlines()
    return [line.split() for line in out[2:] if line.strip()]


def pdf_page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True,
                         text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo printed no page count")


def squash(text: str) -> str:
    """Text without the spaces pdftotext puts between glyphs of a laid-out line."""
    return "".join(text.split())


def pdf_text_modes(path: Path) -> list[list[tuple[str, int]]]:
    """Every string shown on each page with its text render mode, as pdfminer reads the page
    description (0 = filled, 2 = filled and outlined, which is how a font without a bold face
    is emboldened).  pdfplumber's characters do not carry the mode."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class Recorder(PDFPageAggregator):
        def __init__(self, rsrc):
            super().__init__(rsrc, laparams=LAParams())
            self.shown: list[tuple[str, int]] = []

        def render_string(self, textstate, seq, ncs, graphicstate):
            before = len(self.cur_item._objs)
            super().render_string(textstate, seq, ncs, graphicstate)
            text = "".join(o.get_text() for o in self.cur_item._objs[before:]
                           if isinstance(o, LTChar))
            if text:
                self.shown.append((text, textstate.render))

    rsrc = PDFResourceManager()
    pages = []
    with open(path, "rb") as f:
        for page in PDFPage.get_pages(f):
            device = Recorder(rsrc)
            PDFPageInterpreter(rsrc, device).process_page(page)
            pages.append(device.shown)
    return pages
