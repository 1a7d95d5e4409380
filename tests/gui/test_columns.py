"""Columns as a clerk arranges them (issue 12): the title column frozen while scrolling right,
columns shown/hidden and reordered (remembered per register), export of what the table
shows, per-column filters as in WPS/Excel (人员标签 included), and cell tooltips."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services import records

from .conftest import open_register


def _col(view, key):
    return [c.key for c in view.model.columns].index(key)


def test_the_name_stays_at_the_left_when_scrolling_right(window):
    view = open_register(window, "party_members")
    name = _col(view, "person_name")
    assert view.table.frozen_column == name
    assert view.table.horizontalHeader().visualIndex(name) == 0
    frozen = view.table.frozen
    assert frozen.isVisible() and not frozen.isColumnHidden(name)
    assert all(frozen.isColumnHidden(c) for c in range(view.model.columnCount()) if c != name)
    view.table.horizontalScrollBar().setValue(view.table.horizontalScrollBar().maximum())
    assert view.table.horizontalScrollBar().value() > 0
    assert frozen.geometry().width() == view.table.columnWidth(name)
    # A click in the frozen column selects the row in the table (one selection).
    frozen.selectionModel().select(
        view.model.index(3, name), frozen.selectionModel().SelectionFlag.ClearAndSelect
        | frozen.selectionModel().SelectionFlag.Rows)
    assert view.current_row() == view.model.row_at(3)


def test_columns_hidden_and_moved_are_remembered_per_register(qtbot, window, settings):
    from app.ui.main_window import MainWindow
    view = open_register(window, "party_members")
    header = view.table.horizontalHeader()
    phone, work = _col(view, "person_phone"), _col(view, "work_unit")
    view.set_column_shown(phone, False)
    header.moveSection(header.visualIndex(work), 1)
    assert view.visible_column_keys()[:2] == ["person_name", "work_unit"]
    assert "person_phone" not in view.visible_column_keys()
    # The name cannot be hidden.
    view.set_column_shown(view.title_column, False)
    assert not view.table.isColumnHidden(view.title_column)
    again = MainWindow(window.db, settings)
    qtbot.addWidget(again)
    view2 = open_register(again, "party_members")
    assert view2.visible_column_keys() == view.visible_column_keys()
    assert view2.table.isColumnHidden(phone)
    assert open_register(again, "people").visible_column_keys()[0] == "name"  # per register
    view2.reset_columns()
    assert not view2.table.isColumnHidden(phone)
    assert view2.visible_column_keys() == [c.key for c in view2.model.columns]


def test_export_keeps_the_columns_shown_and_goes_back_in_unchanged(window, tmp_path):
    from openpyxl import load_workbook
    from app.excel import writer
    from app.excel.importer import plan_file
    view = open_register(window, "party_members")
    view.set_column_shown(_col(view, "person_phone"), False)
    view.set_column_shown(_col(view, "person_address"), False)
    keys = view.visible_column_keys()
    out = tmp_path / "党员.xlsx"
    writer.export_register(window.db, "party_members", out, rows=view.model.visible_rows(),
                           columns=keys)
    ws = load_workbook(out)["党员"]
    headers = [c.value for c in ws[2]]
    labels = {c.key: c.label for c in view.model.columns}
    assert headers[1:] == [labels[k] for k in keys]
    assert "联系电话" not in headers and "住址" not in headers
    plan = plan_file(window.db, "party_members", out)
    assert plan.counts["unchanged"] == view.model.rowCount()
    assert not plan.counts.get("update") and not plan.counts.get("conflict")


def test_people_filtered_by_their_tags_from_the_column(window, dialogs):
    from app.ui.table_columns import ColumnFilterDialog
    view = open_register(window, "people")
    tags = _col(view, "tags")
    values = dict(view.model.column_values(tags))
    assert {"老年人", "残疾人", "流动人口"} <= set(values)

    def pick(d: ColumnFilterDialog):
        d.check_only({"老年人", "残疾人"})
        d.on_ok()
    dialogs.on(ColumnFilterDialog, pick)
    view.on_filter_column(tags)
    rows = view.model.visible_rows()
    assert rows and all({"老年人", "残疾人"} & set((r["tags"] or "").split("、")) for r in rows)
    everyone = records.list_rows(window.db, "people")
    assert len(rows) == sum(1 for r in everyone
                            if {"老年人", "残疾人"} & set((r["tags"] or "").split("、")))
    assert view.model.headerData(tags, Qt.Orientation.Horizontal).endswith("▼")
    assert "人员标签：残疾人或老年人" in view.scope_text()
    assert "已按列筛选" in view.count_label.text()
    # Any choice column, combined with the search box and other columns.
    gender = _col(view, "gender")
    view.model.set_column_filter(gender, {"女"})
    assert all(r["gender"] == "女" for r in view.model.visible_rows())
    assert dict(view.model.column_values(tags))["老年人"] < values["老年人"]
    view.clear_column_filters()
    assert view.model.rowCount() == len(everyone)


def test_long_cells_show_their_whole_text_as_a_tooltip(window):
    view = open_register(window, "people")
    address = _col(view, "address")
    pos = max(range(view.model.rowCount()), key=lambda r: len(view.model.text(r, address)))
    text = view.model.text(pos, address)
    index = view.model.index(pos, address)
    assert view.table.cell_tooltip(index) is None  # it fits: no tooltip needed
    view.table.setColumnWidth(address, 40)  # the user narrowed it
    assert view.table.cell_tooltip(index) == text
    # Widths fit the data: the name column is not 24 characters wide, the header reads whole.
    name = _col(view, "name")
    fm = view.table.fontMetrics()
    assert view.table.columnWidth(name) < fm.horizontalAdvance("中" * 8)
    for c, col in enumerate(view.model.columns):
        assert view.table.columnWidth(c) >= view.table.horizontalHeader().fontMetrics(
        ).horizontalAdvance(col.label), col.label


def test_right_click_on_a_cell_filters_by_its_value(window):
    view = open_register(window, "mediation_cases")
    step = _col(view, "step")
    pos = next(p for p in range(view.model.rowCount())
               if view.model.row_at(p)["step"] == "调解中")
    view.filter_by_cell(step, pos)
    rows = view.model.visible_rows()
    assert rows and {r["step"] for r in rows} == {"调解中"}
    assert "状态：调解中" in view.scope_text() or "调解中" in view.scope_text()


def test_the_menus_offer_the_filters_and_the_columns(window, monkeypatch):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QMenu
    from app.ui import register_view
    seen = []

    class Menu(QMenu):
        def exec(self, *args):  # record instead of waiting for a click
            seen.append([a.text() for a in self.actions()]
                        + [a.text() for m in self.findChildren(QMenu) for a in m.actions()])
    monkeypatch.setattr(register_view, "QMenu", Menu)
    view = open_register(window, "people")
    view.select_position(0)
    gender = _col(view, "gender")
    view._context_menu(view.table.visualRect(view.model.index(0, gender)).center())
    assert any(t.startswith("只看性别为“") for t in seen[-1])
    assert "按“性别”筛选…" in seen[-1]
    header = view.table.horizontalHeader()
    view._header_menu(QPoint(header.sectionViewportPosition(gender) + 5, 5))
    assert "筛选“性别”…" in seen[-1] and "恢复默认的列和顺序" in seen[-1]
    assert "公民身份号码" in seen[-1]  # the 显示的列 list


def test_restoring_the_default_columns_keeps_a_matter_s_step_second(window):
    view = open_register(window, "mediation_cases")
    step = _col(view, "step")
    header = view.table.horizontalHeader()
    header.moveSection(header.visualIndex(step), header.count() - 1)
    view.reset_columns()
    assert header.visualIndex(step) == 1 and header.logicalIndex(0) == _col(view, "case_no")
