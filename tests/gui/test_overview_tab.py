"""The 总览 tab on the hand-built 街道 of tests/unit/stats: figures beside last year, the scope
and period pickers, the charts, and clicking a number opens exactly the rows it counts."""

from __future__ import annotations

import pytest

from app.stats import catalogue
from app.ui.overview_tab import COL_BEFORE, COL_NOW, ChartView, OverviewTab

from ..unit.stats.conftest import TODAY, build_street


@pytest.fixture
def tab(qtbot, db):
    build_street(db)
    w = OverviewTab(db, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1366, 700)
    with qtbot.wait_signal(w.updated, timeout=20000):
        w.show()
    with qtbot.wait_signal(w.updated, timeout=20000):
        w.set_period("2026Q3")
    return w


def _load(qtbot, dlg):
    qtbot.addWidget(dlg)
    view = dlg.view
    if view.loading or view.stale:
        with qtbot.wait_signal(view.loaded, timeout=20000):
            view.ensure_loaded()
    return view.model.rowCount()


def test_figures_beside_last_year(tab):
    assert "2026年第三季度" in tab.caption.text() and "2025年第三季度" in tab.caption.text()
    item = tab.item_for("members_total")
    assert (item.text(COL_NOW), item.text(COL_BEFORE), item.text(3)) == ("4", "3", "+1")
    assert tab.item_for("compound_coverage").text(COL_NOW) == "66.7"
    assert tab.item_for("members_by_status", "转出").text(COL_NOW) == "1"
    heads = [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]
    assert heads == ["党建引领", "自治基础", "法治保障", "德治支撑", "服务群众", "干部担当"]
    charts = tab.charts_box.findChildren(ChartView)
    assert {c.data.title for c in charts} >= {
        "党组织对小区的覆盖率（按社区）", "调解案件结果", "政务服务办理渠道（按月）",
        "“三会一课”召开与应召开（按支部，差距最大的在前）", "在册党员年龄结构", "本期与上年同期"}
    tab.grab()  # every chart paints


def test_scope_and_period_pickers(tab, qtbot):
    with qtbot.wait_signal(tab.updated, timeout=20000):
        tab.set_scope(["甲社区"])
    assert tab.scope.text() == "范围：甲社区"
    assert tab.item_for("members_total").text(COL_NOW) == "2"
    assert tab.item_for("trainings").text(COL_NOW) == "2"
    with qtbot.wait_signal(tab.updated, timeout=20000):
        tab.set_period("2026-09")
    assert tab.report.period.label == "2026年9月"
    # 甲社区 in September: 支委会 9/30, 党员大会 9/15, 党小组会 9/30.
    assert tab.item_for("meetings_held").text(COL_NOW) == "3"


def test_every_count_figure_opens_its_rows(tab, qtbot):
    """The register view behind every count figure (and every part) shows as many rows as
    the figure says — checked through the real view, its default filters included."""
    report = tab.report
    checked = 0
    for fig in catalogue.FIGURES:
        if not fig.counts_rows:
            continue
        value = report.values[fig.key]
        parts = [(None, value)] if not isinstance(value, dict) else [
            (p, v) for p, v in value.items() if not isinstance(v, dict)]
        for part, want in parts:
            item = tab.item_for(fig.key, part)
            tab.on_item_clicked(item, COL_NOW)
            dlg = tab.drill_dialog
            assert _load(qtbot, dlg) == want, (fig.key, part)
            dlg.close()
            checked += 1
    assert checked > 100


def test_clicking_last_year_opens_last_years_rows(tab, qtbot):
    tab.on_item_clicked(tab.item_for("members_total"), COL_BEFORE)
    dlg = tab.drill_dialog
    assert _load(qtbot, dlg) == 3
    names = {r["person_name"] for r in dlg.view.model.visible_rows()}
    assert names == {"人员1", "人员3", "人员5"}        # 人员3 left in August 2026
    assert "2025年第三季度" in dlg.windowTitle()
