"""The import wizard driven with a generated district roster: detection shown, mapping
editable and remembered, plan previewed in the background, commit and cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from app.excel import mapping
from app.services import records
from app.ui import import_wizard as iw
from app.ui.import_wizard import ImportWizard
from tests.data import make_corpus as mc
from tests.unit.excel.excel_helpers import dump, sheet_rows
from app.services.access import system


def _orgs(db):
    return [r["name"] for r in records.list_rows(db, "party_orgs") if r["org_type"] == "党支部"]


def _to_preview(qtbot, wiz, path):
    wiz.show()
    qtbot.waitExposed(wiz)
    wiz.file_page.path_edit.setText(str(path))
    wiz.next()  # starts reading in the background, moves on when done
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.layout_page, timeout=10000)
    wiz.next()
    assert wiz.currentPage() is wiz.mapping_page
    wiz.next()
    assert wiz.currentPage() is wiz.policy_page
    wiz.next()
    assert wiz.currentPage() is wiz.preview_page
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=10000)


def test_wizard_imports_district_roster(qtbot, demo_db, tmp_path, message_boxes):
    path = mc.make_district_roster(tmp_path / "d.xlsx", *_orgs(demo_db)[:2])
    wiz = ImportWizard(None, demo_db, "party_members", actor=system("测试"))
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path_edit.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.layout_page, timeout=10000)
    assert wiz.layout_page.header_spin.value() == 4
    assert "跳过 3 行" in wiz.layout_page.info.text()
    wiz.next()
    page = wiz.mapping_page
    headers = [page.table.item(i, 1).text() for i in range(page.table.rowCount())]
    assert headers[4] == "身份证号码" and page.combos[4].currentData() == "person_id_number"
    assert page.combos[0].currentData() is None  # 序号 is not imported
    # The user says 备注 is not to be imported: remembered by its header text.
    page.combos[11].setCurrentIndex(0)
    wiz.next()
    with demo_db.connect() as conn:
        assert mapping.recall(conn, "party_members") == {"备注": ""}
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=10000)
    plan = wiz.plan
    assert plan.counts["new"] == 4 and plan.counts["invalid"] == 3
    assert wiz.preview_page.model.rowCount() == 7
    wiz.preview_page.filter_box.setCurrentIndex(wiz.preview_page.filter_box.findData("invalid"))
    assert wiz.preview_page.model.rowCount() == 3
    wiz.preview_page.view.selectRow(0)
    assert "第 7 行" in wiz.preview_page.detail.toPlainText()
    out = tmp_path / "rejected.xlsx"
    assert wiz.save_rejected_to(out) == 3 and sheet_rows(out)[0][-2] == "错误原因"
    before = records.count(demo_db, "party_members")
    wiz.next()
    assert wiz.currentPage() is wiz.report_page
    qtbot.waitUntil(lambda: wiz.report_page.isComplete(), timeout=20000)
    assert "导入完成" in wiz.report_page.report.text()
    assert wiz.changed and records.count(demo_db, "party_members") == before + 4
    wiz.button(QWizard.WizardButton.FinishButton).click()


def test_wizard_cancel_writes_nothing(qtbot, demo_db, tmp_path, monkeypatch):
    path = mc.make_district_roster(tmp_path / "d.xlsx", *_orgs(demo_db)[:2])
    wiz = ImportWizard(None, demo_db, "party_members")
    qtbot.addWidget(wiz)
    _to_preview(qtbot, wiz, path)
    before = dump(demo_db, "people", "party_members")
    real = iw.commit_plan

    def cancel_then_commit(db, plan, actor, progress=None):
        wiz.report_page.busy.flag.set()  # the user pressed 取消 while it was writing
        return real(db, plan, actor, progress=progress)
    monkeypatch.setattr(iw, "commit_plan", cancel_then_commit)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.report_page.isComplete(), timeout=20000)
    assert "没有写入任何数据" in wiz.report_page.report.text()
    assert not wiz.changed
    assert dump(demo_db, "people", "party_members") == before


def test_wizard_refuses_hostile_file(qtbot, db, tmp_path):
    bad = mc.make_not_zip(tmp_path / "bad.xlsx")
    wiz = ImportWizard(None, db, "people")
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path_edit.setText(str(bad))
    wiz.next()
    qtbot.waitUntil(lambda: "不是工作簿" in wiz.file_page.status.text(), timeout=10000)
    assert wiz.currentPage() is wiz.file_page


def test_wizard_header_row_can_be_changed(qtbot, db, tmp_path):
    path = mc.make_simple_people(tmp_path / "p.xlsx", [["甲", "乙"], ["张三", mc.valid_id()]],
                                 headers=("某表", ""))
    wiz = ImportWizard(None, db, "people")
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path_edit.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.layout_page, timeout=10000)
    assert wiz.layout_page.header_spin.value() == 1   # nothing recognised: row 1, to adjust
    wiz.layout_page.header_spin.setValue(2)
    s = wiz.sheets[0]
    assert s.layout.header_row == 2 and s.layout.headers[:2] == ["甲", "乙"]
    wiz.next()
    wiz.mapping_page.combos[0].setCurrentIndex(wiz.mapping_page.combos[0].findData("name"))
    wiz.mapping_page.combos[1].setCurrentIndex(
        wiz.mapping_page.combos[1].findData("id_number"))
    wiz.next()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=10000)
    assert wiz.plan.counts["new"] == 1


def _to_policy(qtbot, db, path):
    """A party_members wizard on ``path``, at the mapping page, with the policy page set to
    建设社区 and create-missing (as --community 建设社区 --create-missing)."""
    wiz = ImportWizard(None, db, "party_members", actor=system("测试"))
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.file_page.path_edit.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.layout_page, timeout=10000)
    wiz.next()
    policy = wiz.policy_page
    policy.initializePage()
    policy.community.setCurrentIndex(policy.community.findData("建设社区"))
    policy.create_missing.setChecked(True)
    return wiz


def test_wizard_district_file_with_community_new_orgs_and_values(qtbot, demo_db, tmp_path,
                                                                 message_boxes):
    """The choices the CLI takes as --community, --create-missing and --value, in the
    wizard: a roster naming an unregistered 支部 and a 学历 no alias knows (中师)."""
    from openpyxl import load_workbook

    from tests.data import district as dd
    path, _ = dd.district_roster(tmp_path / "roster.xlsx")
    wb = load_workbook(path)
    wb.active["G4"] = "中师"
    wb.save(path)
    wiz = _to_policy(qtbot, demo_db, path)
    page = wiz.mapping_page
    assert page.table.item(4, 0).text() == "E（隐藏）" and page.combos[4].currentData() is None
    wiz.next()
    wiz.next()
    values = wiz.values_page
    assert wiz.currentPage() is values
    assert [(values.table.item(i, 0).text(), values.table.item(i, 1).text())
            for i in range(values.table.rowCount())] == [("学历", "中师")]
    box = values.items[0][2]
    box.setCurrentIndex(box.findData("中专"))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.preview_page.isComplete(), timeout=10000)
    assert wiz.plan.counts["new"] == 5, wiz.plan.summary
    assert "将新建「党组织」1 个：幸福里党支部" in wiz.preview_page.counts.text()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.report_page.isComplete(), timeout=20000)
    assert "导入完成" in wiz.report_page.report.text()
    people = records.list_rows(demo_db, "people", filters={"name": "王秀英"}, reveal=True)
    assert [p["education"] for p in people if p["id_number"] == dd.IDS["王秀英"]] == ["中专"]
    assert settings_values(demo_db) == {"person_education": {"中师": "中专"}}


def settings_values(db):
    from app.services import settings
    return settings.recall_values(db, "party_members")


def test_preview_names_rows_and_fixes_a_cell_in_place(qtbot, demo_db, tmp_path, monkeypatch,
                                                      message_boxes):
    """The preview says whose row it is; a number-typed ID is corrected in the wizard (not
    in the file) and the row is checked again at once."""
    from tests.data import district as dd
    path, _ = dd.district_roster(tmp_path / "roster.xlsx")
    wiz = _to_policy(qtbot, demo_db, path)
    wiz.next()
    wiz.next()
    page = wiz.preview_page
    qtbot.waitUntil(page.isComplete, timeout=10000)
    model = page.model
    names = [model.data(model.index(i, 3)) for i in range(model.rowCount())]
    assert names == ["王秀英", "李建国", "张丽华", "刘洋", "陈静", "杨帆"]
    bad = names.index("杨帆")
    assert model.rows[bad].status == "invalid"
    page.view.setCurrentIndex(model.index(bad, 0))

    def fix(dlg):
        [edit] = [e for e in dlg.edits.values() if "1.1" in e.text() or "e+" in e.text()]
        edit.setText(dd.IDS["杨帆"])
        dlg.on_ok()
    monkeypatch.setattr(iw.FixRowDialog, "exec", lambda dlg: (fix(dlg), dlg.result())[1])
    page.on_fix()
    qtbot.waitUntil(page.isComplete, timeout=10000)
    assert wiz.plan.counts["new"] == 6 and wiz.plan.counts["invalid"] == 0


def test_wizard_does_not_offer_to_import_nothing(qtbot, db, tmp_path, message_boxes):
    """Every row has an error: the preview says there is nothing to write, and 开始导入
    stays off (no empty import batch can be recorded)."""
    path = mc.make_simple_people(tmp_path / "bad.xlsx", [["张三", mc.bad_check(mc.valid_id())]])
    wiz = ImportWizard(None, db, "people", actor=system("测试"))
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    wiz.file_page.path_edit.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.layout_page, timeout=10000)
    for _ in range(3):
        wiz.next()
    page = wiz.preview_page
    assert wiz.currentPage() is page
    qtbot.waitUntil(lambda: wiz.plan is not None and not page.running, timeout=10000)
    assert wiz.plan.counts["invalid"] == 1
    assert not page.isComplete()
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "没有需要写入的行" in page.counts.text()
