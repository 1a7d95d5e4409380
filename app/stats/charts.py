"""Charts as plain drawing primitives, laid out once and drawn by three small painters: QPainter
on the 总览 tab (app/ui), Pillow for the PNG in the .docx brief, reportlab for the PDF brief.
So the screen and both briefs show the same chart, and nothing here imports Qt.

Why not a chart library: QtCharts lives in PySide6-Addons (a second ~200 MB wheel beside
PySide6-Essentials) and needs its own fonts set up for Chinese; matplotlib adds numpy and
~0.5 s of import to every start.  Bars, labels and a legend are a few hundred lines, and text
widths come from the bundled 文泉驿微米黑's own advance widths (CJK one em, Latin below).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fmt import number

PALETTE = ("#2F6DB5", "#E08A2E", "#4A9A5B", "#C0504D", "#8064A2", "#4BACC6", "#9C8B56")
GREY, INK, LIGHT = "#8A8F98", "#222222", "#E6E9EE"

#: Advance widths of printable ASCII in 文泉驿微米黑, in em (from the font's hmtx table).
_ASCII = (
    0.260, 0.269, 0.402, 0.646, 0.551, 0.825, 0.702, 0.226, 0.301, 0.301, 0.551, 0.551, 0.250,
    0.322, 0.268, 0.373, *(0.551,) * 10, 0.268, 0.268, 0.551, 0.551, 0.551, 0.426, 0.866,
    0.608, 0.621, 0.603, 0.684, 0.528, 0.491, 0.690, 0.701, 0.339, 0.271, 0.579, 0.491, 0.870,
    0.729, 0.742, 0.576, 0.741, 0.590, 0.519, 0.519, 0.698, 0.568, 0.884, 0.547, 0.527, 0.539,
    0.303, 0.373, 0.303, 0.532, 0.411, 0.577, 0.531, 0.586, 0.463, 0.586, 0.535, 0.329, 0.518,
    0.589, 0.259, 0.259, 0.496, 0.259, 0.896, 0.589, 0.577, 0.586, 0.586, 0.399, 0.451, 0.339,
    0.589, 0.479, 0.746, 0.500, 0.489, 0.441, 0.354, 0.551, 0.354, 0.551,
)


def text_width(text: str, size: float) -> float:
    return size * sum(_ASCII[ord(c) - 32] if 32 <= ord(c) < 127 else 1.0 for c in text)


def fit(text: str, size: float, room: float) -> str:
    """``text`` cut with … to fit ``room``."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    color: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float          # the baseline
    text: str
    size: float
    color: str = INK
    anchor: str = "start"  # start | middle | end


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str = GREY


@dataclass
class Drawing:
    """Primitives in a ``width`` × ``height`` box, origin top left, in points."""

    width: float
    height: float
    items: list = field(default_factory=list)


@dataclass(frozen=True)
class ChartData:
    """What to draw: categories (x or y labels), series (name, values per category)."""

    title: str
    kind: str                 # vbars | hbars
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str = ""
    stacked: bool = False
    per_row_scale: bool = False  # hbars: each row scaled to itself (figures of unlike size)
    digits: int = 0


def chart_data(fig, value, previous=None) -> ChartData | None:
    """The chart declared on ``fig`` for its value (None if it has none or nothing to draw)."""
    c = fig.chart
    if c is None or not isinstance(value, dict) or not value:
        return None
    digits = 1 if fig.unit == "%" else 0
    if c.kind in ("bars", "hbars"):
        items = list(value.items())
        if c.limit:
            items = sorted(items, key=lambda kv: -(kv[1] or 0))[:c.limit]
        return ChartData(c.title, "vbars" if c.kind == "bars" else "hbars",
                         tuple(k for k, _ in items),
                         (("本期", tuple(float(v or 0) for _, v in items)),), fig.unit,
                         digits=digits)
    inner = list(dict.fromkeys(k for v in value.values() for k in v))
    items = list(value.items())
    if c.limit:
        items = items[:c.limit]
    series = tuple((name, tuple(float(v.get(name) or 0) for _, v in items)) for name in inner)
    if c.kind == "stacked":
        return ChartData(c.title, "vbars", tuple(k for k, _ in items), series, fig.unit,
                         stacked=True)
    return ChartData(c.title, "hbars", tuple(k for k, _ in items), series, fig.unit)


def comparison(lines, title: str = "本期与上年同期") -> ChartData | None:
    """The figures marked ``compare``: this period beside the same period a year earlier,
    each row to its own scale (services run to thousands, trainings to a handful)."""
    rows = [ln for ln in lines if ln.figure.compare and not isinstance(ln.value, dict)]
    if not rows:
        return None
    return ChartData(title, "hbars", tuple(ln.figure.label for ln in rows),
                     (("本期", tuple(float(ln.value or 0) for ln in rows)),
                      ("上年同期", tuple(float(ln.previous or 0) for ln in rows))),
                     per_row_scale=True)


def preferred_height(data: ChartData, width: float) -> float:
    if data.kind == "hbars":
        per = 14 * len(data.series) + 8
        return 40 + per * len(data.categories) + (18 if len(data.series) > 1 else 0)
    return max(180.0, min(260.0, width * 0.55))


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    import math
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def layout(data: ChartData, width: float, height: float | None = None) -> Drawing:
    """The chart as primitives in a box ``width`` wide (height as preferred if not given)."""
    height = height or preferred_height(data, width)
    d = Drawing(width, height)
    d.items.append(Text(width / 2, 16, fit(data.title, 12, width - 8), 12, INK, "middle"))
    legend_h = 0.0
    if len(data.series) > 1:
        legend_h = 18.0
        x = 8.0
        for i, (name, _) in enumerate(data.series):
            d.items.append(Rect(x, 26, 10, 10, PALETTE[i % len(PALETTE)]))
            d.items.append(Text(x + 14, 35, name, 9))
            x += 14 + text_width(name, 9) + 14
    top = 28 + legend_h
    (_hbars if data.kind == "hbars" else _vbars)(d, data, top)
    return d


def _label(v: float, data: ChartData) -> str:
    return number(v if data.digits else int(round(v)), data.digits) + ("%" if data.unit == "%" else "")


def _hbars(d: Drawing, data: ChartData, top: float) -> None:
    n_series = len(data.series)
    label_w = min(d.width * 0.38, max(text_width(c, 9) for c in data.categories) + 10)
    value_w = 44.0
    x0, x1 = label_w, d.width - value_w
    bar_h, gap = 12.0, 8.0
    row_h = bar_h * n_series + 2 * (n_series - 1) + gap
    overall = _nice_max(max((v for _, vals in data.series for v in vals), default=0))
    for r, cat in enumerate(data.categories):
        y = top + r * row_h
        d.items.append(Text(label_w - 6, y + (row_h - gap) / 2 + 4, fit(cat, 9, label_w - 10), 9,
                            INK, "end"))
        scale = overall
        if data.per_row_scale:
            scale = _nice_max(max(vals[r] for _, vals in data.series)) or 1
        for s, (_, vals) in enumerate(data.series):
            v = vals[r]
            by = y + s * (bar_h + 2)
            w = (x1 - x0) * (v / scale if scale else 0)
            d.items.append(Rect(x0, by, max(w, 0.5 if v else 0), bar_h, PALETTE[s % len(PALETTE)]))
            d.items.append(Text(x0 + w + 4, by + bar_h - 2, _label(v, data), 8.5, INK))
    d.items.append(Line(x0, top - 2, x0, top + row_h * len(data.categories) - gap + 2))


def _vbars(d: Drawing, data: ChartData, top: float) -> None:
    n = len(data.categories)
    left, right, bottom = 36.0, 8.0, 30.0
    x0, x1, y0, y1 = left, d.width - right, d.height - bottom, top + 12
    if data.stacked:
        peak = max((sum(vals[i] for _, vals in data.series) for i in range(n)), default=0)
    else:
        peak = max((v for _, vals in data.series for v in vals), default=0)
    top_v = _nice_max(peak)
    for k in range(6):  # grid lines with their values
        v = top_v * k / 5
        y = y0 - (y0 - y1) * k / 5
        d.items.append(Line(x0, y, x1, y, LIGHT if k else GREY))
        d.items.append(Text(x0 - 4, y + 3, _label(v, data) if data.digits or v == int(v)
                            else number(round(v, 1), 1), 8, GREY, "end"))
    slot = (x1 - x0) / max(n, 1)
    groups = 1 if data.stacked else len(data.series)
    bar_w = min(36.0, slot * 0.7 / groups)
    for i, cat in enumerate(data.categories):
        cx = x0 + slot * (i + 0.5)
        base = y0
        for s, (_, vals) in enumerate(data.series):
            v = vals[i]
            h = (y0 - y1) * (v / top_v if top_v else 0)
            if data.stacked:
                bx, by = cx - bar_w / 2, base - h
                base -= h
            else:
                bx, by = cx - bar_w * groups / 2 + s * bar_w, y0 - h
            if h > 0:
                d.items.append(Rect(bx, by, bar_w - (0 if data.stacked else 1), h,
                                    PALETTE[s % len(PALETTE)]))
            if not data.stacked:
                d.items.append(Text(bx + bar_w / 2, by - 3, _label(v, data), 8, INK, "middle"))
        if data.stacked:
            tot = sum(vals[i] for _, vals in data.series)
            d.items.append(Text(cx, base - 3, _label(tot, data), 8, INK, "middle"))
        d.items.append(Text(cx, y0 + 13, fit(cat, 8.5, slot - 2), 8.5, INK, "middle"))


# -- painters for the brief ------------------------------------------------------------------

def to_png(drawing: Drawing, font_file: str, scale: float = 2.0) -> bytes:
    """The drawing as a PNG (Pillow), text in the bundled font."""
    import io
    from PIL import Image, ImageDraw, ImageFont
    img = Image.new("RGB", (int(drawing.width * scale), int(drawing.height * scale)), "white")
    g = ImageDraw.Draw(img)
    fonts: dict[float, object] = {}
    for it in drawing.items:
        if isinstance(it, Rect):
            x0, y0 = it.x * scale, it.y * scale
            g.rectangle([x0, y0, max(x0, (it.x + it.w) * scale - 1),
                         max(y0, (it.y + it.h) * scale - 1)], fill=it.color)
        elif isinstance(it, Line):
            g.line([it.x1 * scale, it.y1 * scale, it.x2 * scale, it.y2 * scale], fill=it.color,
                   width=max(1, int(scale)))
        elif isinstance(it, Text):
            font = fonts.get(it.size)
            if font is None:
                font = fonts[it.size] = ImageFont.truetype(font_file, int(it.size * scale),
                                                           index=0)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[it.anchor]
            g.text((it.x * scale, it.y * scale), it.text, fill=it.color, font=font, anchor=anchor)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def to_reportlab(drawing: Drawing, font_name: str):
    """The drawing as a reportlab Drawing (vector, for the PDF)."""
    from reportlab.graphics.shapes import Drawing as RLDrawing, Line as RLLine, Rect as RLRect, \
        String
    from reportlab.lib.colors import HexColor
    h = drawing.height
    out = RLDrawing(drawing.width, h)
    for it in drawing.items:
        if isinstance(it, Rect):
            out.add(RLRect(it.x, h - it.y - it.h, it.w, it.h, fillColor=HexColor(it.color),
                           strokeColor=None))
        elif isinstance(it, Line):
            out.add(RLLine(it.x1, h - it.y1, it.x2, h - it.y2, strokeColor=HexColor(it.color),
                           strokeWidth=0.6))
        elif isinstance(it, Text):
            out.add(String(it.x, h - it.y, it.text, fontName=font_name, fontSize=it.size,
                           fillColor=HexColor(it.color), textAnchor=it.anchor))
    return out


def report_charts(report) -> list[ChartData]:
    """Every chart of a report, in the order of the areas, then this year against last."""
    from . import catalogue
    out = []
    for area in catalogue.AREAS:
        for line in report.area(area):
            data = chart_data(line.figure, line.value, line.previous)
            if data is not None:
                out.append(data)
    cmp = comparison([ln for a in catalogue.AREAS for ln in report.area(a)])
    if cmp is not None:
        out.append(cmp)
    return out
