"""The 总览 tab: every figure of the six areas for a chosen period and scope, beside the same
period a year earlier, with the charts; clicking a number opens the records behind it.

The figures are counted by ``app.stats`` in a background task (a 街道 of 100,000 people takes
more than the 50 ms a click may block); a newer choice supersedes a running count.  Nothing
here knows a register by name: what a figure drills into is declared on the figure.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QHBoxLayout, QLabel, QMenu,
                               QMessageBox, QPushButton, QScrollArea, QSpinBox, QSplitter,
                               QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ..stats import catalogue
from ..stats import charts as ch
from ..stats.fmt import NONE, change, digits_of, number, summable, total
from ..stats.period import Period, custom, month_of, parse_period, quarter_of, year_of
from .tasks import run_task

log = logging.getLogger(__name__)

KINDS = ("年度", "季度", "月份", "自定义")
#: Item data: (figure key, part) of a row of the figure tree.
ROLE = Qt.ItemDataRole.UserRole
COL_NOW, COL_BEFORE = 1, 2


class ChartView(QWidget):
    """One chart of ``app.stats.charts``, drawn with QPainter at the widget's width.

    The chart is laid out at 1/ZOOM of the width and painted magnified, so its proportions
    (text to bars) are those of the brief while the text is big enough on screen."""

    ZOOM = 1.25

    def __init__(self, data: ch.ChartData, parent=None) -> None:
        super().__init__(parent)
        self.data = data
        self.setMinimumWidth(280)
        self._fit()

    def _fit(self) -> None:
        w = max(self.width(), 280) / self.ZOOM
        self.setFixedHeight(int(ch.preferred_height(self.data, w) * self.ZOOM))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def paintEvent(self, _event) -> None:
        drawing = ch.layout(self.data, self.width() / self.ZOOM, self.height() / self.ZOOM)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        p.scale(self.ZOOM, self.ZOOM)
        base = QFont(self.font())
        for it in drawing.items:
            if isinstance(it, ch.Rect):
                p.fillRect(QRectF(it.x, it.y, it.w, it.h), QColor(it.color))
            elif isinstance(it, ch.Line):
                p.setPen(QPen(QColor(it.color), 0.8))
                p.drawLine(QPointF(it.x1, it.y1), QPointF(it.x2, it.y2))
            elif isinstance(it, ch.Text):
                font = QFont(base)
                font.setPixelSize(max(7, round(it.size)))
                p.setFont(font)
                p.setPen(QColor(it.color))
                w = QFontMetricsF(font).horizontalAdvance(it.text)
                x = it.x - (w / 2 if it.anchor == "middle" else w if it.anchor == "end" else 0)
                p.drawText(QPointF(x, it.y), it.text)
        p.end()


class DrillDialog(QDialog):
    """A register filtered to the rows behind one figure."""

    def __init__(self, parent, db, register_key: str, ids: list[int], caption: str) -> None:
        from ..registry import get as get_register
        from .register_view import RegisterView
        super().__init__(parent)
        reg = get_register(register_key)
        self.setWindowTitle(f"{reg.label} — {caption}")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"{caption}：{reg.label}中对应的 {len(ids):,} 条记录", self))
        self.view = RegisterView(db, reg, self, fixed_filters={"id": list(ids)})
        if self.view.status is not None:
            # The rows are the figure's whatever their status (e.g. 转出 members): the
            # register's default status filter must not hide some of them.
            self.view.status.blockSignals(True)
            self.view.status.setCurrentIndex(0)
            self.view.status.blockSignals(False)
        lay.addWidget(self.view, 1)
        from .sizing import fit_size
        fit_size(self, 1100, 600)


class OverviewTab(QWidget):
    """Period and scope pickers, the figure tree and the charts.

    Signals:
        updated(): a count finished and is shown.
        records_changed(object): a write from a drill-down view (its Changes).
    """

    updated = Signal()
    records_changed = Signal(object)

    def __init__(self, db, parent=None, *, today: dt.date | None = None, settings=None) -> None:
        super().__init__(parent)
        self.db, self.settings = db, settings
        self.today = today or dt.date.today()
        self.report = None
        self.stale = True
        self.loading = False
        self._seq = 0
        self._communities: list[str] = []  # chosen names; empty = whole 街道
        self._build()

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("期间", self))
        self.kind = QComboBox(self)
        self.kind.addItems(KINDS)
        self.year = QSpinBox(self, minimum=1990, maximum=self.today.year, suffix=" 年")
        self.year.setValue(self.today.year)
        self.quarter = QComboBox(self)
        self.quarter.addItems([f"第{c}季度" for c in "一二三四"])
        self.quarter.setCurrentIndex((self.today.month - 1) // 3)
        self.month = QComboBox(self)
        self.month.addItems([f"{m}月" for m in range(1, 13)])
        self.month.setCurrentIndex(self.today.month - 1)
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for w, d in ((self.date_from, self.today.replace(month=1, day=1)),
                     (self.date_to, self.today)):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.setDate(QDate(d.year, d.month, d.day))
        self.to_label = QLabel("至", self)
        for w in (self.kind, self.year, self.quarter, self.month, self.date_from, self.to_label,
                  self.date_to):
            bar.addWidget(w)
        bar.addSpacing(12)
        self.scope = QToolButton(self)
        self.scope.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.scope.setMenu(QMenu(self.scope))
        self.scope.setMinimumWidth(self.fontMetrics().horizontalAdvance("范围：全街道") + 40)
        bar.addWidget(self.scope)
        bar.addStretch(1)
        self.export_button = QPushButton("导出统计表…", self)
        self.brief_button = QPushButton("生成数据简报…", self)
        bar.addWidget(self.export_button)
        bar.addWidget(self.brief_button)
        lay.addLayout(bar)
        self.caption = QLabel(self)
        self.caption.setObjectName("caption")
        lay.addWidget(self.caption)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree = QTreeWidget(split)
        self.tree.setHeaderLabels(["指标", "本期", "上年同期", "增减", "单位"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setToolTip("点击本期或上年同期的数字，查看对应的记录")
        em = self.fontMetrics().horizontalAdvance("中")
        for i, w in enumerate((20, 6, 6, 7, 3)):
            self.tree.setColumnWidth(i, w * em + 16)
        self.charts_area = QScrollArea(split)
        self.charts_area.setWidgetResizable(True)
        self.charts_box = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_box)
        self.charts_area.setWidget(self.charts_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([em * 46, em * 32])
        lay.addWidget(split, 1)
        self.kind.currentIndexChanged.connect(self._on_kind)
        for sig in (self.year.valueChanged, self.quarter.currentIndexChanged,
                    self.month.currentIndexChanged, self.date_from.dateChanged,
                    self.date_to.dateChanged):
            sig.connect(lambda *_: self.reload())
        self.tree.itemClicked.connect(self.on_item_clicked)
        self.tree.itemActivated.connect(self.on_item_clicked)
        self.export_button.clicked.connect(lambda: self.on_export("xlsx"))
        self.brief_button.clicked.connect(lambda: self.on_export("brief"))
        self._on_kind(0, load=False)
        self._fill_scope_menu()

    def _fill_scope_menu(self) -> None:
        from ..registry import PEOPLE
        from ..services import records
        menu = self.scope.menu()
        menu.clear()
        whole = QAction("全街道", menu, checkable=True, checked=not self._communities)
        whole.triggered.connect(lambda: self.set_scope([]))
        menu.addAction(whole)
        menu.addSeparator()
        names = [r["name"] for r in records.list_rows(
            self.db, PEOPLE.field("community_id").ref)]
        self._communities = [n for n in self._communities if n in names]
        for name in names:
            act = QAction(name, menu, checkable=True, checked=name in self._communities)
            act.triggered.connect(lambda checked, n=name: self._toggle(n, checked))
            menu.addAction(act)
        self.scope.setText("范围：" + ("、".join(self._communities) or "全街道"))

    def _toggle(self, name: str, checked: bool) -> None:
        chosen = [n for n in self._communities if n != name] + ([name] if checked else [])
        self.set_scope(chosen)

    def set_scope(self, names: list[str]) -> None:
        """Count for these communities (empty: the whole 街道)."""
        self._communities = list(names)
        self._fill_scope_menu()
        self.reload()

    def _on_kind(self, index: int, load: bool = True) -> None:
        kind = KINDS[index]
        self.year.setVisible(kind != "自定义")
        self.quarter.setVisible(kind == "季度")
        self.month.setVisible(kind == "月份")
        for w in (self.date_from, self.to_label, self.date_to):
            w.setVisible(kind == "自定义")
        if load:
            self.reload()

    # -- the period ------------------------------------------------------------------------------
    def period(self) -> Period:
        kind = KINDS[self.kind.currentIndex()]
        y = self.year.value()
        if kind == "年度":
            return year_of(dt.date(y, 1, 1))
        if kind == "季度":
            return quarter_of(dt.date(y, self.quarter.currentIndex() * 3 + 1, 1))
        if kind == "月份":
            return month_of(dt.date(y, self.month.currentIndex() + 1, 1))
        a, b = self.date_from.date().toPython(), self.date_to.date().toPython()
        return custom(min(a, b), max(a, b))

    def set_period(self, text: str) -> None:
        """Choose a period as written on the command line (2026, 2026Q3, 2026-09, a..b)."""
        p = parse_period(text)
        widgets = (self.kind, self.year, self.quarter, self.month, self.date_from, self.date_to)
        for w in widgets:
            w.blockSignals(True)
        t = text.strip().upper()
        kind = 3 if ".." in t else 1 if "Q" in t else 2 if "-" in t else 0
        self.kind.setCurrentIndex(kind)
        self.year.setValue(p.start.year)
        self.quarter.setCurrentIndex((p.start.month - 1) // 3)
        self.month.setCurrentIndex(p.start.month - 1)
        self.date_from.setDate(QDate(p.start.year, p.start.month, p.start.day))
        self.date_to.setDate(QDate(p.end.year, p.end.month, p.end.day))
        for w in widgets:
            w.blockSignals(False)
        self._on_kind(kind, load=False)
        self.reload()

    # -- counting --------------------------------------------------------------------------------
    def reload(self) -> None:
        """Count again for the chosen period and scope (in the background)."""
        from ..stats import compute
        self.stale = False
        self._seq += 1
        seq = self._seq
        try:
            period = self.period()
            period.effective(self.today)
        except ValueError as exc:
            self.caption.setText(str(exc))
            return
        db, names, today = self.db, list(self._communities) or None, self.today
        self.loading = True
        self.caption.setText(f"正在统计 {period.label}…")
        run_task(lambda task: compute(db, period, names, today), owner=self,
                 on_done=lambda report: self._show(seq, report), on_error=self._on_failed)

    def _on_failed(self, exc: Exception) -> None:
        self.loading = False
        log.error("统计失败：%s", getattr(exc, "traceback_text", exc))
        self.caption.setText(f"统计失败：{exc}")

    def _show(self, seq: int, report) -> None:
        if seq != self._seq:
            return  # a newer choice is being counted
        self.report = report
        self.loading = False
        self.caption.setText(
            f"{report.heading}　对比：上年同期（{report.previous.label}）　"
            f"统计用时 {report.seconds * 1000:.0f} 毫秒　点击数字可查看对应记录")
        self._fill_tree(report)
        self._fill_charts(report)
        self.updated.emit()

    def _fill_tree(self, report) -> None:
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        grey = QColor("#8A8F98")
        for area in catalogue.AREAS:
            head = QTreeWidgetItem(self.tree, [catalogue.area_label(area)])
            f = head.font(0)
            f.setBold(True)
            head.setFont(0, f)
            for line in report.area(area):
                fig, v, p = line.figure, line.value, line.previous
                d = digits_of(fig)
                if isinstance(v, dict):
                    sums = summable(fig) and not any(isinstance(x, dict) for x in v.values())
                    item = QTreeWidgetItem(head, [
                        fig.label, number(total(v), d) if sums else "",
                        number(total(p), d) if sums and isinstance(p, dict) else "", "",
                        fig.unit])
                    item.setData(0, ROLE, (fig.key, None))
                    for part, pv in v.items():
                        prev = p.get(part) if isinstance(p, dict) else None
                        if isinstance(pv, dict):
                            texts = ["、".join(f"{k}{number(x, d)}" for k, x in pv.items()),
                                     "、".join(f"{k}{number(x, d)}" for k, x in prev.items())
                                     if isinstance(prev, dict) else NONE, ""]
                        else:
                            texts = [number(pv, d), number(prev, d), change(fig, pv, prev)]
                        child = QTreeWidgetItem(item, [part, *texts, fig.unit])
                        child.setData(0, ROLE, (fig.key, part))
                else:
                    item = QTreeWidgetItem(head, [fig.label, number(v, d), number(p, d),
                                                  change(fig, v, p), fig.unit])
                    item.setData(0, ROLE, (fig.key, None))
                tip = fig.note or (fig.rows.note if fig.rows is not None else "")
                # The whole name first: a long one (未按期召开“三会一课”的支部和党小组) is cut
                # in the column at 1366×768.
                item.setToolTip(0, f"{fig.label}\n{tip}" if tip else fig.label)
                for col in (1, 2, 3):
                    item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                item.setForeground(4, grey)
            head.setExpanded(True)
        self.tree.setUpdatesEnabled(True)

    def _fill_charts(self, report) -> None:
        while self.charts_layout.count():
            w = self.charts_layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        for data in ch.report_charts(report):
            self.charts_layout.addWidget(ChartView(data, self.charts_box))
        self.charts_layout.addStretch(1)

    # -- drill-down ------------------------------------------------------------------------------
    def item_for(self, key: str, part=None) -> QTreeWidgetItem | None:
        """The tree row of a figure (or of one of its parts)."""
        it = self.tree.invisibleRootItem()
        stack = [it.child(i) for i in range(it.childCount())]
        while stack:
            item = stack.pop()
            if item.data(0, ROLE) == (key, part):
                return item
            stack += [item.child(i) for i in range(item.childCount())]
        return None

    def drill_rows(self, key: str, part=None, previous: bool = False) -> tuple[str, list[int]]:
        """The register and ids behind a figure of the report shown."""
        from ..stats import drill
        r = self.report
        return drill(self.db, key, r.period, list(self._communities) or None, self.today,
                     part=part, previous=previous)

    def open_drill(self, key: str, part=None, previous: bool = False) -> DrillDialog | None:
        register, ids = self.drill_rows(key, part, previous)
        if not register:
            return None
        fig = catalogue.get(key)
        r = self.report
        when = r.previous.label if previous else r.period.label
        caption = " · ".join(x for x in (fig.label + (f"（{part}）" if part else ""), when,
                                         r.scope) if x)
        dlg = DrillDialog(self, self.db, register, ids, caption)
        dlg.view.records_changed.connect(self.records_changed)
        dlg.show()
        self.drill_dialog = dlg
        return dlg

    def on_item_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        data = item.data(0, ROLE)
        if not data or self.report is None or column not in (COL_NOW, COL_BEFORE):
            return
        key, part = data
        self.open_drill(key, part, previous=column == COL_BEFORE)

    # -- outputs ---------------------------------------------------------------------------------
    def on_export(self, what: str) -> None:
        from PySide6.QtWidgets import QFileDialog
        if self.report is None:
            return
        r = self.report
        stem = f"{r.office}{r.period.label}{'统计表' if what == 'xlsx' else '数据简报'}"
        if what == "xlsx":
            path, _ = QFileDialog.getSaveFileName(self, "导出统计表", f"{stem}.xlsx",
                                                  "Excel 工作簿 (*.xlsx)")
        else:
            path, _ = QFileDialog.getSaveFileName(self, "生成数据简报", f"{stem}.docx",
                                                  "Word 文档 (*.docx);;PDF 文件 (*.pdf)")
        if path:
            self.write_output(what, path)

    def write_output(self, what: str, path: str) -> None:
        from pathlib import Path
        from ..stats.brief import write_brief
        from ..stats.workbook import write_workbook
        report = self.report
        fn = write_workbook if what == "xlsx" else write_brief

        def done(written) -> None:
            QMessageBox.information(self, "已保存", f"已保存到：{written}")

        run_task(lambda task: fn(report, Path(path)), owner=self, on_done=done,
                 on_error=lambda exc: QMessageBox.warning(self, "未能保存", str(exc)))

    # -- refreshing ------------------------------------------------------------------------------
    def refresh_for(self, _keys=None) -> None:
        """Records changed somewhere: count again now if shown, else when next shown."""
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # After the pending events: the window's first paint is not held up by the count
        # (its Python half shares the interpreter with the GUI thread).
        QTimer.singleShot(0, self._reload_if_stale)

    def _reload_if_stale(self) -> None:
        if self.stale and not self.loading and self.isVisible():
            self._fill_scope_menu()
            self.reload()
