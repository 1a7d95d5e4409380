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
