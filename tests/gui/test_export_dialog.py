"""Export dialog: writes in the background, honours the given rows and masking."""

from __future__ import annotations

from app.services import records
from app.ui.excel_dialogs import ExportDialog, HistoryDialog
from tests.unit.excel.excel_helpers import sheet_rows
from app.services.access import system


def test_export_dialog_writes_filtered_rows(qtbot, demo_db, tmp_path, message_boxes):
    rows = records.list_rows(demo_db, "party_members", filters={"category": "预备党员"})
    dlg = ExportDialog(None, demo_db, "party_members", rows)
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(tmp_path / "预备党员"))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.written is not None, timeout=10000)
    assert dlg.written.suffix == ".xlsx"
    data = [r for r in sheet_rows(dlg.written)[2:] if r[0]]
    assert len(data) == len(rows)
    assert message_boxes.shown[-1][1] == "导出完成"


def test_export_all_masked(qtbot, demo_db, tmp_path, message_boxes):
    dlg = ExportDialog(None, demo_db, None)
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(tmp_path / "all.xlsx"))
    dlg.mask_box.setChecked(True)
    dlg.start()
    qtbot.waitUntil(lambda: dlg.written is not None, timeout=20000)
    assert "脱敏" in message_boxes.shown[-1][2]


def test_history_dialog_undo(qtbot, demo_db, tmp_path, message_boxes):
    from app.excel.commit import commit_plan
    from app.excel.importer import plan_file
    from tests.data import make_corpus as mc
    path = mc.make_simple_people(tmp_path / "p.xlsx", [["新人", mc.valid_id("19860606", "066")]])
    commit_plan(demo_db, plan_file(demo_db, "people", path), system("t"))
    n = records.count(demo_db, "people")
    dlg = HistoryDialog(None, demo_db, None)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1
    dlg.table.selectRow(0)
    dlg.on_undo()
    assert dlg.changed and records.count(demo_db, "people") == n - 1
    assert dlg.table.item(0, 7).text() == "已撤销"


def test_consolidate_dialog(qtbot, demo_db, tmp_path):
    from app.ui.excel_dialogs import ConsolidateDialog
    from tests.data import make_corpus as mc
    idn = mc.valid_id("19771111", "017")
    f1 = mc.make_simple_people(tmp_path / "一.xlsx", [["甲", idn]])
    f2 = mc.make_simple_people(tmp_path / "二.xlsx", [["甲", idn], ["乙", mc.valid_id()]])
    dlg = ConsolidateDialog(None, demo_db, "people")
    qtbot.addWidget(dlg)
    dlg.add_files([f1, f2])
    dlg.out_edit.setText(str(tmp_path / "汇总.xlsx"))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.outcome is not None, timeout=10000)
    assert dlg.outcome.per_file == {"一.xlsx": 1, "二.xlsx": 2}
    assert "重复" in dlg.report.toPlainText()
    assert (tmp_path / "汇总.xlsx").exists()
