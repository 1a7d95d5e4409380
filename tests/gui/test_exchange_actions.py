"""The main window's Excel and print actions hand the rows on screen (filtered, sorted) to the
Excel and printing dialogs."""

from __future__ import annotations

from app.services.changes import Changes
from app.ui import excel_dialogs, print_preview

from .conftest import open_register


def _rows_of(spec):
    return sum(len(s.rows) for s in spec.sections)


def test_print_actions_use_the_visible_rows(window, monkeypatch):
    got = {}
    for name in ("preview", "print_dialog", "export_pdf"):
        monkeypatch.setattr(print_preview, name,
                            lambda parent, spec, name=name, **kw: got.setdefault(name, spec))
    view = open_register(window, "party_members")
    view.search.setText("大学本科")
    shown = view.model.rowCount()
    assert 0 < shown < view.model.total
    window.act_preview.trigger()
    window.act_print.trigger()
    window.act_pdf.trigger()
    assert set(got) == {"preview", "print_dialog", "export_pdf"}
    spec = got["preview"]
    assert spec.title == "党员花名册" and _rows_of(spec) == shown
    assert "大学本科" in spec.scope
    # IDs are masked unless 打印完整身份证号 is ticked, and only for that printout.
    assert "********" in str(spec.sections[0].rows)
    got.clear()
    window.act_full_ids.setChecked(True)
    window.act_preview.trigger()
    assert "********" not in str(got["preview"].sections[0].rows)
    assert not window.act_full_ids.isChecked()


def test_signin_sheet_for_the_selected_meeting(window, monkeypatch):
    got = {}
    monkeypatch.setattr(print_preview, "preview", lambda parent, spec, **kw: got.update(s=spec))
    view = open_register(window, "party_meetings")
    assert window.act_signin.isEnabled()
    view.select_position(0)
    window.act_signin.trigger()
    assert "签到" in got["s"].title
    open_register(window, "petitions")
    assert not window.act_signin.isEnabled()


def test_excel_actions_get_register_and_rows(window, monkeypatch):
    got = {}
    monkeypatch.setattr(excel_dialogs, "export_register",
                        lambda parent, db, key, rows, columns=None: got.update(
                            key=key, rows=rows, columns=columns))
    monkeypatch.setattr(excel_dialogs, "run_import_wizard",
                        lambda parent, db, key=None, actor="", today=None:
                        got.update(imp=key, today=today) or
                        Changes().add(key, [1]))
    view = open_register(window, "petitions")
    view.search.setText("来访")
    window.act_export.trigger()
    assert got["key"] == "petitions" and len(got["rows"]) == view.model.rowCount()
    window.act_import.trigger()
    assert got["imp"] == "petitions"
    assert got["today"] == window.today  # rows judged as of the window's day


def test_consolidate_reached_from_the_file_menu(window, dialogs):
    from app.ui.excel_dialogs import ConsolidateDialog
    assert window.act_consolidate in window.menu_file.actions()
    open_register(window, "party_members")
    seen = {}
    dialogs.on(ConsolidateDialog, lambda d: seen.update(key=d.key))
    window.act_consolidate.trigger()
    assert seen == {"key": "party_members"}


def test_export_into_district_template_from_the_menu(window, qtbot, tmp_path, monkeypatch):
    """文件 → 按区里模板导出: the rows on screen go into the district's workbook."""
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from tests.data import district as dd
    template, _ = dd.district_roster(tmp_path / "模板.xlsx")
    out = tmp_path / "回报.xlsx"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(
        lambda *a, **k: (str(template), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda *a, **k: (str(out), "")))
    view = open_register(window, "party_members")
    shown = view.model.visible_rows()
    assert window.act_export_template in window.menu_file.actions()
    window.act_export_template.trigger()
    with qtbot.waitSignal(window.template_task.done, timeout=20000):
        pass
    ws = load_workbook(out).active
    names = [ws.cell(r, 3).value for r in range(4, 4 + len(shown))]
    assert names == [r["person_name"] for r in shown]
