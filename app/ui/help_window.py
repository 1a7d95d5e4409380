"""帮助 → 使用说明: the user manual shipped in ``resources/manual`` (Chinese Markdown with
screenshots made from the demo by ``packaging/manual_screenshots.py``), read offline in a
window of its own: the chapters on the left, the page on the right, links between pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton,
                               QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from ..paths import resources_dir
from .sizing import fit_size

INDEX = "index.md"


def manual_dir() -> Path:
    return resources_dir() / "manual"


def chapters(folder: Path | None = None) -> list[tuple[str, str]]:
    """(file name, title) of the manual's pages in reading order: the index, then every page
    it links to, titled by its first heading."""
    folder = folder or manual_dir()
    text = (folder / INDEX).read_text("utf-8")
    out = [(INDEX, "目录")]
    for name in re.findall(r"\]\(([^)#]+\.md)\)", text):
        if name != INDEX and name not in [n for n, _ in out]:
            head = (folder / name).read_text("utf-8").splitlines()[0]
            out.append((name, head.lstrip("# ").strip()))
    return out


class HelpWindow(QDialog):
    """The manual: a chapter list and a browser (not modal: it stays open beside the work)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.folder = manual_dir()
        lay = QVBoxLayout(self)
        split = QSplitter(self)
        self.list = QListWidget(split)
        self.pages = chapters(self.folder)
        for name, title in self.pages:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.browser = QTextBrowser(split)
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(self.folder)])
        self.browser.sourceChanged.connect(self._on_source_changed)
        split.setStretchFactor(1, 1)
        em = self.fontMetrics().horizontalAdvance("中")
        split.setSizes([em * 12, em * 60])
        lay.addWidget(split, 1)
        row = QHBoxLayout()
        back = QPushButton("后退", self)
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.close)
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.list.currentRowChanged.connect(self._on_chapter)
        self.list.setCurrentRow(0)
        fit_size(self, 1000, 720)

    def _on_chapter(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            url = QUrl.fromLocalFile(str(self.folder / self.pages[row][0]))
            if self.browser.source() != url:
                self.browser.setSource(url)

    def fit_images(self) -> None:
        """Pictures no wider than the page (they are 960 pixels; the window may be smaller):
        a picture that needs scrolling sideways is half a picture."""
        doc = self.browser.document()
        room = max(200, self.browser.viewport().width() - 24)
        block = doc.begin()
        while block.isValid():
            for it in block:
                frag = it.fragment()
                fmt = frag.charFormat()
                if not fmt.isImageFormat():
                    continue
                img = fmt.toImageFormat()
                pic = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(img.name()))
                if pic is None or pic.width() <= 0:
                    continue
                width = min(pic.width(), room)
                if abs(img.width() - width) < 1:
                    continue
                img.setWidth(width)
                img.setHeight(pic.height() * width / pic.width())
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position())
                cursor.setPosition(frag.position() + frag.length(),
                                   QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(img)
            block = block.next()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_images()

    def _on_source_changed(self, url: QUrl) -> None:
        """A link followed inside the text: mark its chapter in the list (and fit its
        pictures to the page)."""
        self.fit_images()
        name = Path(url.toLocalFile()).name
        for i, (page, _title) in enumerate(self.pages):
            if page == name and self.list.currentRow() != i:
                self.list.blockSignals(True)
                self.list.setCurrentRow(i)
                self.list.blockSignals(False)

    def show_page(self, name: str) -> None:
        """Open a page of the manual by file name (e.g. ``03-import.md``)."""
        self.browser.setSource(QUrl.fromLocalFile(str(self.folder / name)))
