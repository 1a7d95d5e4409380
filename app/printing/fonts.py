"""The bundled print font (WenQuanYi Micro Hei) and its metrics.

Every printout uses this one font, loaded from ``resources/fonts/`` rather than from the system,
so a PC without Chinese fonts still prints Chinese, and the layout measured here matches what
the PDF writer and the Qt renderer draw.  Widths come from the font's own advance widths.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..paths import resources_dir

#: Name the font is registered under with reportlab.
FONT_NAME = "TaizhangCJK"
#: Family name Qt reports for face 0 of the collection.
FONT_FAMILY = "WenQuanYi Micro Hei"
FONT_FILE = "wqy-microhei.ttc"

#: Closing punctuation that must not start a line (避头点): it hangs at the end instead.
NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…,.;:!?)]}%")


def font_path() -> Path:
    path = resources_dir() / "fonts" / FONT_FILE
    if not path.exists():
        raise FileNotFoundError(f"缺少打印字体文件 {path}，请重新安装社区治理台账")
    return path


@lru_cache(maxsize=1)
def reportlab_font() -> TTFont:
    """The TTFont, registered with reportlab once (subset-embedded in every PDF)."""
    font = TTFont(FONT_NAME, str(font_path()), subfontIndex=0)
    pdfmetrics.registerFont(font)
    return font


class Metrics:
    """Text measurement at any size, in points, from the font's advance widths."""

    def __init__(self, font: TTFont) -> None:
        face = font.face
        self._widths: dict[int, float] = face.charWidths
        self._default = float(face.defaultWidth)
        # Per-character cache in em/1000: names and dates repeat the same few hundred glyphs.
        self._cache: dict[str, float] = {}
        self.ascent = face.ascent / 1000.0
        self.descent = -face.descent / 1000.0  # positive, below the baseline

    def has_glyph(self, ch: str) -> bool:
        """Whether the font can draw ``ch`` (spaces and line breaks need no glyph)."""
        return ord(ch) in self._widths or ch.isspace()

    def char_width(self, ch: str) -> float:
        """Advance of ``ch`` at 1 pt."""
        w = self._cache.get(ch)
        if w is None:
            w = self._widths.get(ord(ch), self._default) / 1000.0
            self._cache[ch] = w
        return w

    def width(self, text: str, size: float) -> float:
        cache = self._cache
        total = 0.0
        for ch in text:
            w = cache.get(ch)
            if w is None:
                w = self.char_width(ch)
            total += w
        return total * size

    def wrap(self, text: str, max_width: float, size: float) -> list[str]:
        """Break ``text`` into lines no wider than ``max_width``.

        Chinese breaks between any two characters; a run of Latin letters/digits breaks at its
        last space or hyphen when it has one; closing punctuation hangs rather than starting a
        line.  Explicit newlines are kept.  Never drops a character.
        """
        limit = max_width / size
        lines: list[str] = []
        for para in text.split("\n"):
            start = 0
            used = 0.0
            i = 0
            n = len(para)
            while i < n:
                ch = para[i]
                w = self.char_width(ch)
                if used + w > limit and i > start and ch not in NO_LINE_START:
                    cut = i
                    if _is_word(ch) and _is_word(para[i - 1]):
                        # Do not split an English word / number if the line has a break point.
                        for j in range(i - 1, start, -1):
                            if para[j] in " -/":
                                cut = j + 1
                                break
                    lines.append(para[start:cut].rstrip(" "))
                    start = cut
                    while start < n and para[start] == " ":
                        start += 1
                    used = self.width(para[start:i], 1.0) if start < i else 0.0
                    i = max(i, start)
                    continue
                used += w
                i += 1
            lines.append(para[start:])
        return lines


    def wrap_balanced(self, text: str, max_width: float, size: float) -> list[str]:
        """Like :meth:`wrap`, but with lines of even length (``申请人/姓名``, not
        ``申请人姓/名``): used for header cells."""
        lines = self.wrap(text, max_width, size)
        if len(lines) < 2 or "\n" in text:
            return lines
        w = self.width(text, size) / len(lines)
        while w < max_width:
            candidate = self.wrap(text, w + 0.01, size)
            if len(candidate) == len(lines):
                return candidate
            w += size / 2
        return lines


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@lru_cache(maxsize=1)
def metrics() -> Metrics:
    return Metrics(reportlab_font())
