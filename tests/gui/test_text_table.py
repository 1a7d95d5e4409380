"""The read-only table of texts under the 操作日志 and the 回收站: a valid Qt model
(qtmodeltester) loaded and searched, and the rows behind what it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.text_table import ROW_ROLE, TextTableModel

ROWS = [{"id": i} for i in range(5)]
TEXTS = [("2026-11-25", "张三", "修改", "人员信息", f"谢梅（编号 {i}）", "联系电话：138****5678")
         for i in range(3)] + [("2026-11-24", "李四", "删除", "党组织", "某支部（编号 8）", ""),
                               ("2026-11-23", "admin", "登录", "", "", "位置：本机")]


def test_model_passes_qtmodeltester_loaded_and_searched(qtmodeltester):
    model = TextTableModel(("时间", "账号", "操作", "台账", "记录", "内容"))
    qtmodeltester.check(model)
    seen = []
    model.filtered.connect(lambda shown, total: seen.append((shown, total)))
    model.set_rows(ROWS, TEXTS)
    qtmodeltester.check(model)
    assert model.rowCount() == 5 and model.columnCount() == 6
    model.set_search("李四 支部")
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.row_at(0) == {"id": 3}
    assert model.data(model.index(0, 2), Qt.ItemDataRole.DisplayRole) == "删除"
    assert model.data(model.index(0, 0), ROW_ROLE) == {"id": 3}
    model.set_search("ADMIN")  # case does not matter
    assert model.visible_texts() == [TEXTS[4]]
    model.set_search("")
    assert model.visible_rows() == ROWS
    assert seen == [(5, 5), (1, 5), (1, 5), (5, 5)]
    assert model.headerData(4, Qt.Orientation.Horizontal) == "记录"
