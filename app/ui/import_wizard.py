"""The Excel import wizard: file → sheet and header row → column mapping → policy → preview
of the plan → commit → report.

Everything slow (reading and checking the file, computing the plan, the commit) runs in the
background-task pool with a progress bar and a 取消 button; the worker never touches widgets.
Cancelling the commit rolls the one transaction back: nothing is written.  The mapping a user
edits is remembered by header text (``app.excel.mapping``) when leaving the mapping page.

Entry point: :func:`app.ui.excel_dialogs.run_import_wizard`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPlainTextEdit,
                               QPushButton, QRadioButton, QSpinBox, QTableView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage)

from ..excel import mapping
from ..excel.commit import CommitError, commit_plan, nothing_message
from ..excel.columns import UUID_KEY, excel_columns
from ..excel.errors import Cancelled, FileRefused
from ..excel.importer import known_headers, load_sheets
from ..excel.layout import detect, is_blank
from ..excel.plan import (STATUS_LABELS, STATUSES, Options, Plan, PlanOptionError, Policy,
                          SheetInput, build_plan)
from ..excel.values import unknown_values
from ..services import records, settings
from ..excel.reader import Workbook
from ..excel.safety import col_letter
from ..excel.writer import write_rejected
from ..registry import PEOPLE, REGISTERS
from ..registry import get as get_register
from .excel_dialogs import Busy, PlanModel, details
from .tasks import run_task, run_write
from .sizing import fit_size


def cell_text(value: object) -> str:
    """A raw cell as the preview shows it: ``3.0`` → ``3``, dates as yyyy-mm-dd."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


#: Every kind the importer reads (the kind is decided by the content, not the name).
FILE_FILTER = ("表格文件 (*.xlsx *.xls *.et *.xlsb *.ods *.csv *.txt);;"
               "Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)")
IMPORT_GUIDE = (
    "<p><b>接下来的步骤</b></p><ol>"
    "<li>工作表和表头：程序自动找到表头所在行，跳过标题、填报单位、合计、制表人。</li>"
    "<li>列对应：每一列对应台账的哪一项，已按表头自动对应，可修改（“不导入”也行）。</li>"
    "<li>导入方式：已有的记录是否更新；表中写到而程序中还没有的党组织是否新建。</li>"
    "<li>值对应：表中有程序不认识的写法时（如“本科”“走访”），逐个选定。</li>"
    "<li>预览：每行将新增、更新、无变化还是有错误；错误写明第几行哪一列，可当场改正。</li>"
    "<li>开始导入：一次写入，要么全部写入，要么什么也不写。</li></ol>"
    "<p>在“开始导入”之前不会写入任何数据。导入后如发现不对，可用“文件 → 导入记录与撤销”"
    "整批撤销。支持 .xlsx、.xls（含 WPS .et）、.xlsb、.ods、.csv/.txt。</p>")


class FilePage(QWizardPage):
    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("选择文件")
        self.setSubTitle("选择要导入的表格文件和要导入到的台账。")
        form = QFormLayout(self)
        self.register_box = QComboBox()
        for reg in REGISTERS:
            self.register_box.addItem(f"{reg.area_label} · {reg.label}", reg.key)
        if wiz.key:
            self.register_box.setCurrentIndex(self.register_box.findData(wiz.key))
        form.addRow("导入到台账", self.register_box)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.on_browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("文件", row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.busy = Busy()
        form.addRow(self.busy)
        # What happens next, so a first-time user knows nothing is written until 开始导入.
        guide = QLabel(IMPORT_GUIDE)
        guide.setWordWrap(True)
        guide.setTextFormat(Qt.TextFormat.RichText)
        guide.setObjectName("guide")
        form.addRow(guide)
        self.loaded_for: tuple[str, str] | None = None
        self.path_edit.textChanged.connect(lambda: self.completeChanged.emit())

    def on_browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "选择工作簿", self.path_edit.text(),
                                                FILE_FILTER)
        if chosen:
            self.path_edit.setText(chosen)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and not self.busy.isVisible()

    def validatePage(self) -> bool:
        path, key = self.path_edit.text().strip(), self.register_box.currentData()
        if self.loaded_for == (path, key):
            return True
        self.wiz.key = key
        self.status.setText("正在检查和读取文件…")
        self.status.setStyleSheet("")
        self.busy.start()
        self.completeChanged.emit()
        db = self.wiz.db

        def work(task):
            wb = Workbook(path)
            return wb, load_sheets(db, wb, key)
        run_task(work, owner=self, on_done=lambda r: self.on_loaded(path, key, r),
                 on_error=self.on_failed)
        return False

    def on_loaded(self, path: str, key: str, result) -> None:
        self.busy.hide()
        self.wiz.set_source(*result)
        self.loaded_for = (path, key)
        self.status.setText(f"已读取：{len(result[1])} 个工作表可导入。")
        self.completeChanged.emit()
        self.wiz.next()

    def on_failed(self, exc: Exception) -> None:
        self.busy.hide()
        self.status.setStyleSheet("color: #C00000")
        self.status.setText(str(exc) if isinstance(exc, FileRefused) else f"无法读取：{exc}")
        self.completeChanged.emit()


class LayoutPage(QWizardPage):
    """Which sheets, and where the header is (detected, changeable)."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("工作表和表头")
        self.setSubTitle("系统已自动识别表头所在行；如不对，请修改。"
                         "标题、填报单位、合计、制表人等行会自动跳过。")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.sheet_list = QListWidget()
        self.sheet_list.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 12)
        self.sheet_list.currentRowChanged.connect(self.on_sheet)
        self.sheet_list.itemChanged.connect(lambda _i: self.completeChanged.emit())
        top.addWidget(self.sheet_list)
        right = QVBoxLayout()
        form = QHBoxLayout()
        form.addWidget(QLabel("表头在第"))
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 100)
        form.addWidget(self.header_spin)
        form.addWidget(QLabel("行"))
        self.two_level = QCheckBox("两行表头（与上一行合起来）")
        form.addWidget(self.two_level)
        form.addStretch(1)
        right.addLayout(form)
        self.info = QLabel("")
        right.addWidget(self.info)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        right.addWidget(self.preview, 1)
        top.addLayout(right, 1)
        lay.addLayout(top)
        self.header_spin.valueChanged.connect(self.on_header_changed)
        self.two_level.toggled.connect(self.on_header_changed)
        self._filling = False

    def initializePage(self) -> None:
        self._filling = True
        self.sheet_list.clear()
        for s in self.wiz.sheets:
            item = QListWidgetItem(s.layout.sheet)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.sheet_list.addItem(item)
        self._filling = False
        self.sheet_list.setCurrentRow(0)

    def current(self) -> SheetInput | None:
        i = self.sheet_list.currentRow()
        return self.wiz.sheets[i] if 0 <= i < len(self.wiz.sheets) else None

    def on_sheet(self, _row: int) -> None:
        s = self.current()
        if s is None:
            return
        self._filling = True
        self.header_spin.setValue(s.layout.header_row)
        self.two_level.setChecked(s.layout.header_top < s.layout.header_row)
        self._filling = False
        self.show_sheet(s)

    def on_header_changed(self, *_args) -> None:
        s = self.current()
        if s is None or self._filling:
            return
        sd = self.wiz.workbook.sheet(s.layout.sheet)
        memory = mapping.recall(self.wiz.db, self.wiz.key)
        s.layout = detect(sd, known_headers(self.wiz.key, memory),
                          header_row=self.header_spin.value(),
                          two_level=self.two_level.isChecked())
        s.targets = mapping.auto_map(self.wiz.key, s.layout.match, memory)
        self.show_sheet(s)

    def show_sheet(self, s: SheetInput) -> None:
        rows = self.wiz.workbook.sheet(s.layout.sheet).rows[:40]
        width = max((len(r) for r in rows), default=0)
        self.preview.setRowCount(len(rows))
        self.preview.setColumnCount(width)
        self.preview.setHorizontalHeaderLabels([col_letter(c + 1) for c in range(width)])
        self.preview.setVerticalHeaderLabels([str(r + 1) for r in range(len(rows))])
        header_rows = range(s.layout.header_top, s.layout.header_row + 1)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                item = QTableWidgetItem(cell_text(v))
                if r + 1 in header_rows:
                    item.setBackground(QBrush(QColor("#D9E1F2")))
                self.preview.setItem(r, c, item)
        # Columns as wide as their cells (an ID number must be readable whole), within reason.
        self.preview.resizeColumnsToContents()
        em = self.fontMetrics().horizontalAdvance("中")
        for c in range(width):
            # Our own 系统编号 (a long code, for matching rows back) needs no room to be read.
            cap = em * (4 if c < len(s.targets) and s.targets[c] == UUID_KEY else 16)
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), cap))
        mapped = sum(1 for t in s.targets if t)
        self.info.setText(f"数据从第 {s.layout.first_data_row} 行开始，共 {len(s.layout.data)} 行；"
                          f"跳过 {len(s.layout.skipped)} 行（表尾、说明、重复表头）；"
                          f"认出 {mapped} 列。")

    def isComplete(self) -> bool:
        return any(self.sheet_list.item(i).checkState() == Qt.CheckState.Checked
                   for i in range(self.sheet_list.count()))

    def validatePage(self) -> bool:
        self.wiz.selected = [s for i, s in enumerate(self.wiz.sheets)
                             if self.sheet_list.item(i).checkState() == Qt.CheckState.Checked]
        return bool(self.wiz.selected)


class MappingPage(QWizardPage):
    """Each workbook column → a field, or 不导入; remembered by header text."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("列对应")
        self.setSubTitle("每一列对应台账的哪个字段。已按表头自动对应；改过的对应会记住，"
                         "下次同样的表头自动套用。")
        lay = QVBoxLayout(self)
        self.sheet_box = QComboBox()
        self.sheet_box.currentIndexChanged.connect(self.show_sheet)
        lay.addWidget(self.sheet_box)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(("列", "表头", "示例", "对应字段"))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        for s in self.wiz.selected:
            self.sheet_box.addItem(s.layout.sheet)
        self.sheet_box.blockSignals(False)
        self.show_sheet(0)

    def sheet(self) -> SheetInput:
        return self.wiz.selected[max(self.sheet_box.currentIndex(), 0)]

    def show_sheet(self, _i: int) -> None:
        s = self.sheet()
        cols = excel_columns(self.wiz.key)
        n = max(len(s.layout.headers), len(s.targets))
        self.table.setRowCount(n)
        self.combos = []
        for i in range(n):
            header = s.layout.headers[i] if i < len(s.layout.headers) else ""
            samples = [cell_text(cells[i]) for _r, cells in s.layout.data[:3]
                       if i < len(cells) and not is_blank(cells[i])]
            hidden = i in s.hidden
            letter = QTableWidgetItem(col_letter(i + 1) + ("（隐藏）" if hidden else ""))
            if hidden:
                letter.setForeground(QBrush(QColor("#888888")))
                letter.setToolTip("这一列在文件中是隐藏的，默认不导入")
            self.table.setItem(i, 0, letter)
            self.table.setItem(i, 1, QTableWidgetItem(header))
            if i < len(s.targets) and s.targets[i] == UUID_KEY:
                samples = ["（导出时写入的记录编号，用来对回原记录，不必看）"]
            self.table.setItem(i, 2, QTableWidgetItem("；".join(samples)))
            box = QComboBox()
            box.addItem(mapping.SKIP_LABEL, None)
            for c in cols:
                box.addItem(c.label, c.key)
            target = s.targets[i] if i < len(s.targets) else None
            box.setCurrentIndex(max(box.findData(target), 0))
            box.currentIndexChanged.connect(lambda _x, col=i: self.on_target(col))
            self.table.setCellWidget(i, 3, box)
            self.combos.append(box)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(3, 200)

    def on_target(self, col: int) -> None:
        s = self.sheet()
        while len(s.targets) <= col:
            s.targets.append(None)
        target = self.combos[col].currentData()
        if target:  # one field per column: the other column that had it lets go
            for i, t in enumerate(s.targets):
                if t == target and i != col:
                    s.targets[i] = None
                    self.combos[i].blockSignals(True)
                    self.combos[i].setCurrentIndex(0)
                    self.combos[i].blockSignals(False)
        s.targets[col] = target

    def validatePage(self) -> bool:
        if not any(t for s in self.wiz.selected for t in s.targets):
            QMessageBox.warning(self, "列对应", "还没有任何列对应到台账字段。")
            return False
        for s in self.wiz.selected:
            if s.meta is None:
                mapping.remember(self.wiz.db, self.wiz.key, s.layout.match, s.targets)
        return True


class PolicyPage(QWizardPage):
    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("导入方式")
        self.setSubTitle("文件中没有的行不会被删除。")
        lay = QVBoxLayout(self)
        self.groups: dict[str, QButtonGroup] = {}
        for name, title, options in (
                ("mode", "导入哪些行", (("both", "新增和更新"), ("insert", "只新增新记录"),
                                       ("update", "只更新已有记录"))),
                ("on_match", "与已有记录匹配时", (("update", "用表中的值更新"),
                                                 ("fill", "只填补程序中为空的项"),
                                                 ("skip", "跳过，不修改"))),
                ("blank", "表中空白的格", (("keep", "保留程序中的原值"),
                                          ("clear", "清空程序中的值")))):
            lay.addWidget(QLabel(f"<b>{title}</b>"))
            group = QButtonGroup(self)
            row = QHBoxLayout()
            for i, (value, text) in enumerate(options):
                b = QRadioButton(text)
                b.setProperty("value", value)
                b.setChecked(i == 0)
                group.addButton(b)
                row.addWidget(b)
            row.addStretch(1)
            lay.addLayout(row)
            self.groups[name] = group
        self.name_birth = QCheckBox("没有身份证号时，按姓名和出生日期匹配人员")
        lay.addWidget(self.name_birth)
        lay.addWidget(QLabel("<b>区里的表</b>"))
        form = QFormLayout()
        self.community = QComboBox()
        self.community.setToolTip("表中没有“社区”列时，所有行都属于这个社区")
        form.addRow("表中没有社区列时，都属于：", self.community)
        lay.addLayout(form)
        self.create_missing = QCheckBox("表中写到、程序里还没有的党组织等，按名称一并新建"
                                        "（预览中列出，撤销导入时一并撤销）")
        lay.addWidget(self.create_missing)
        lay.addStretch(1)

    def initializePage(self) -> None:
        keep = self.community.currentData()
        self.community.clear()
        self.community.addItem("（不指定）", None)
        for r in records.list_rows(self.wiz.db, PEOPLE.field("community_id").ref):
            self.community.addItem(r["name"], r["name"])
        self.community.setCurrentIndex(max(self.community.findData(keep), 0))

    def nextId(self) -> int:  # noqa: N802 - Qt override
        """The value step only when some value needs it."""
        pages = self.wiz.page_ids
        if unknown_values(self.wiz.key, self.wiz.selected,
                          settings.recall_values(self.wiz.db, self.wiz.key)):
            return pages[self.wiz.values_page]
        return pages[self.wiz.preview_page]

    def options(self) -> Options:
        return Options(community=self.community.currentData(),
                       create_missing=self.create_missing.isChecked(),
                       values=self.wiz.values_page.chosen())

    def policy(self) -> Policy:
        values = {n: g.checkedButton().property("value") for n, g in self.groups.items()}
        return Policy(values["mode"], values["on_match"], values["blank"],
                      self.name_birth.isChecked())

class ValuesPage(QWizardPage):
    """Values the register does not know (学历 “中师”, 纠纷类别 “拆迁纠纷” …): each distinct
    value → a choice or 不导入, for all rows with that value; remembered per field."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("值对应")
        self.setSubTitle("下列值不是台账的可选值。为每个值选一个可选值（所有同值的行一起改），"
                         "或选“不导入”；选择会记住，下次自动套用。")
        lay = QVBoxLayout(self)
        self.note = QLabel("")
        lay.addWidget(self.note)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(("字段", "表中的值", "行数", "对应为"))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.items: list[tuple[str, str, QComboBox]] = []

    def initializePage(self) -> None:
        found = unknown_values(self.wiz.key, self.wiz.selected,
                               settings.recall_values(self.wiz.db, self.wiz.key))
        self.table.setRowCount(len(found))
        self.items = []
        for i, (col, value, n) in enumerate(found):
            self.table.setItem(i, 0, QTableWidgetItem(col.label))
            self.table.setItem(i, 1, QTableWidgetItem(value))
            self.table.setItem(i, 2, QTableWidgetItem(str(n)))
            box = QComboBox()
            box.addItem("（请选择：不选则该行报错）", None)
            box.addItem(mapping.SKIP_LABEL, "")
            for choice in col.choices:
                box.addItem(choice, choice)
            self.table.setCellWidget(i, 3, box)
            self.items.append((col.key, value, box))
        self.note.setText("所有值都能识别，可直接下一步。" if not found else
                          f"有 {len(found)} 个值需要对应。")
        self.table.resizeColumnToContents(0)

    def chosen(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for key, value, box in self.items:
            if box.currentData() is not None:
                out.setdefault(key, {})[value] = box.currentData()
        return out

    def validatePage(self) -> bool:
        chosen = self.chosen()
        if chosen:
            settings.remember_values(self.wiz.db, self.wiz.key, chosen)
        return True


class PreviewPage(QWizardPage):
    """The plan, computed in the background: counts, per-row status, before → after."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("预览")
        self.setSubTitle("以下是导入计划，尚未写入。确认无误后点“开始导入”。")
        self.setButtonText(QWizard.WizardButton.NextButton, "开始导入")
        lay = QVBoxLayout(self)
        self.counts = QLabel("")
        lay.addWidget(self.counts)
        self.busy = Busy()
        lay.addWidget(self.busy)
        row = QHBoxLayout()
        row.addWidget(QLabel("只看："))
        self.filter_box = QComboBox()
        self.filter_box.addItem("全部", None)
        for s in STATUSES:
            self.filter_box.addItem(STATUS_LABELS[s], s)
        self.filter_box.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(self.filter_box.currentData()))
        row.addWidget(self.filter_box)
        row.addStretch(1)
        self.fix_button = QPushButton("改正此行…")
        self.fix_button.setToolTip("在这里改正所选行的单元格（不改原文件），立即重新检查")
        self.fix_button.clicked.connect(self.on_fix)
        row.addWidget(self.fix_button)
        self.save_rejected = QPushButton("把有问题的行另存为工作簿…")
        self.save_rejected.clicked.connect(lambda: self.wiz.on_save_rejected(self))
        row.addWidget(self.save_rejected)
        lay.addLayout(row)
        self.model = PlanModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.view, 1)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(110)
        self.detail.setPlaceholderText("点选上面的一行，这里显示它的全部内容和要改动的项（原值 → 新值）。")
        lay.addWidget(self.detail)
        self.running = False

    def initializePage(self) -> None:
        self.wiz.plan = None
        self.model = PlanModel()
        self.view.setModel(self.model)
        self.counts.setText("正在计算导入计划…")
        self.running = True
        self.busy.start()
        self.completeChanged.emit()
        db, key, sheets = self.wiz.db, self.wiz.key, list(self.wiz.selected)
        policy, name = self.wiz.policy_page.policy(), self.wiz.workbook.path.name
        options = self.wiz.policy_page.options()
        busy, today = self.busy, self.wiz.today

        def work(task):
            with db.connect() as conn:
                return build_plan(conn, key, sheets, policy, file_name=name,
                                  progress=busy.progress_fn(task), options=options,
                                  today=today)
        run_task(work, owner=self, on_done=self.on_planned, on_error=self.on_failed,
                 on_progress=self.busy.on_progress)

    def on_planned(self, plan: Plan) -> None:
        self.running = False
        self.busy.hide()
        self.wiz.plan = plan
        c = plan.counts
        nothing = [] if c["new"] or c["update"] else [nothing_message(plan)]
        self.counts.setText("，".join(f"{STATUS_LABELS[s]} {c[s]}" for s in STATUSES) +
                            "".join("\n" + line for line in
                                    (*nothing, *plan.summary, *plan.notes)))
        self.counts.setWordWrap(True)
        self.model = PlanModel(plan)
        self.view.setModel(self.model)
        self.model.set_filter(self.filter_box.currentData())
        self.view.selectionModel().currentRowChanged.connect(self.on_row)
        self.view.resizeColumnsToContents()
        self.completeChanged.emit()

    def on_fix(self) -> None:
        """Correct the selected row's cells in place: the fix goes into the data the plan is
        made from (not the file) and the plan is checked again at once."""
        idx = self.view.currentIndex()
        if not idx.isValid() or self.running:
            return
        pr = self.model.rows[idx.row()]
        s = next((x for x in self.wiz.selected if x.layout.sheet == pr.sheet), None)
        cells = next((c for r, c in s.layout.data if r == pr.row), None) if s else None
        if cells is None:
            return
        dlg = FixRowDialog(self, s, pr, cells)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.changed:
            self.initializePage()

    def on_row(self, current: QModelIndex, _prev=None) -> None:
        if current.isValid():
            self.detail.setPlainText(details(self.model.rows[current.row()]))

    def on_failed(self, exc: Exception) -> None:
        self.running = False
        self.busy.hide()
        self.counts.setText("已取消计算。" if isinstance(exc, Cancelled) else
                            f"不能计算导入计划：{exc}" if isinstance(exc, PlanOptionError)
                            else f"计算失败：{exc}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        # "开始导入" only when there is a row to write: an import of nothing is never
        # offered (it would record an empty batch).
        plan = self.wiz.plan
        return not self.running and plan is not None and \
            bool(plan.counts["new"] or plan.counts["update"])


class FixRowDialog(QDialog):
    """The mapped cells of one row, editable; the row's messages above them."""

    def __init__(self, parent: QWidget, s: SheetInput, pr, cells: list) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"改正「{pr.sheet}」第 {pr.row} 行")
        self.cells, self.changed = cells, False
        lay = QVBoxLayout(self)
        if pr.messages:
            note = QLabel("\n".join(m.split("：", 1)[-1] for m in pr.messages))
            note.setWordWrap(True)
            note.setStyleSheet("color: #c0392b;")
            lay.addWidget(note)
        form = QFormLayout()
        self.edits: dict[int, QLineEdit] = {}
        for i, target in enumerate(s.targets):
            if not target:
                continue
            header = s.layout.headers[i] if i < len(s.layout.headers) else col_letter(i + 1)
            edit = QLineEdit(cell_text(cells[i]) if i < len(cells) else "")
            edit.setProperty("original", edit.text())
            form.addRow(f"{col_letter(i + 1)}「{header}」", edit)
            self.edits[i] = edit
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("改正并重新检查")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.on_ok)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def on_ok(self) -> None:
        for i, edit in self.edits.items():
            if edit.text() != edit.property("original"):
                while len(self.cells) <= i:
                    self.cells.append("")
                self.cells[i] = edit.text()  # as text: normalised like any typed cell
                self.changed = True
        self.accept()


class ReportPage(QWizardPage):
    """The commit (one transaction, cancellable) and its report."""

    def __init__(self, wiz: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wiz
        self.setTitle("导入")
        self.setSubTitle("一次写入：要么全部写入，要么什么也不写；写入中可点“取消”。")
        lay = QVBoxLayout(self)
        self.busy = Busy()
        lay.addWidget(self.busy)
        self.report = QLabel("")
        self.report.setWordWrap(True)
        lay.addWidget(self.report)
        self.save_rejected = QPushButton("把有问题的行另存为工作簿…")
        self.save_rejected.clicked.connect(lambda: self.wiz.on_save_rejected(self))
        row = QHBoxLayout()  # a button of its own size, not a bar across the page
        row.addWidget(self.save_rejected)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        self.running = False
        self.finished = False

    def initializePage(self) -> None:
        plan = self.wiz.plan
        self.finished = False
        c = plan.counts
        self.save_rejected.setVisible(bool(c["invalid"] or c["conflict"]))
        if not (c["new"] or c["update"]):
            self.report.setText("没有需要写入的行（全部无变化、跳过或有问题）。未写入任何数据。")
            self.finished = True
            return
        self.report.setText(f"正在写入：新增 {c['new']} 行，更新 {c['update']} 行……")
        self.running = True
        self.busy.start()
        self.completeChanged.emit()
        db, actor, busy = self.wiz.db, self.wiz.actor, self.busy

        def work(task):
            from ..storage.backup import make_backup
            if not db.is_server:  # a server is backed up by its administrator (pg_dump)
                make_backup(db.path, "导入前")  # the state before the import, whatever happens
            return commit_plan(db, plan, actor, progress=busy.progress_fn(task))
        run_write(work, owner=self, on_done=self.on_done, on_error=self.on_failed,
                  on_progress=self.busy.on_progress)

    def on_done(self, result) -> None:
        self.running, self.finished = False, True
        self.busy.hide()
        self.wiz.changed = True
        self.wiz.result = result
        c = self.wiz.plan.counts
        people = (f"；人员信息新增 {result.people_created} 人、更新 {result.people_updated} 人"
                  if result.people_created or result.people_updated else "")
        self.report.setText(
            f"导入完成（批次 {result.batch_id}）：新增 {result.created} 行，更新 "
            f"{result.updated} 行{people}。\n无变化 {c['unchanged']} 行，跳过 {c['skipped']} 行，"
            f"有错误 {c['invalid']} 行，冲突 {c['conflict']} 行。\n"
            "如需撤销，可在“文件 → 导入记录与撤销”中撤销这一批。")
        self.completeChanged.emit()

    def on_failed(self, exc: Exception) -> None:
        self.running, self.finished = False, True
        self.busy.hide()
        if isinstance(exc, Cancelled):
            self.report.setText("已取消导入，没有写入任何数据。")
        elif isinstance(exc, CommitError):
            self.report.setText(str(exc))
        else:
            self.report.setText(f"导入失败，没有写入任何数据：{exc}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        # Once the import has ended there is nothing left to cancel: only 完成 remains.
        self.wiz.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage,
                           self.finished and not self.running)
        return self.finished and not self.running


class ImportWizard(QWizard):
    """The import wizard.  After ``exec()``: ``changed`` (data written), ``result``."""

    def __init__(self, parent: QWidget | None, db, key: str | None = None,
                 actor=None, today=None) -> None:
        super().__init__(parent)
        self.db, self.key, self.actor = db, key or REGISTERS[0].key, actor or db.actor
        self.today = today  # the day rows are judged on (None: the clock)
        self.workbook: Workbook | None = None
        self.sheets: list[SheetInput] = []
        self.selected: list[SheetInput] = []
        self.plan: Plan | None = None
        self.result = None
        self.changed = False
        self.setWindowTitle("从 Excel 导入" + (f"：{get_register(key).label}" if key else ""))
        self.file_page = FilePage(self)
        self.layout_page = LayoutPage(self)
        self.mapping_page = MappingPage(self)
        self.policy_page = PolicyPage(self)
        self.values_page = ValuesPage(self)
        self.preview_page = PreviewPage(self)
        self.report_page = ReportPage(self)
        self.page_ids = {p: self.addPage(p) for p in (
            self.file_page, self.layout_page, self.mapping_page, self.policy_page,
            self.values_page, self.preview_page, self.report_page)}
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< 上一步"),
                             (QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.CancelButton, "取消"),
                             (QWizard.WizardButton.FinishButton, "完成")):
            self.setButtonText(button, text)
        fit_size(self, 980, 640)

    def set_source(self, workbook: Workbook, sheets: list[SheetInput]) -> None:
        if self.workbook is not None and self.workbook is not workbook:
            self.workbook.close()
        self.workbook, self.sheets = workbook, sheets

    def on_save_rejected(self, parent: QWidget) -> None:
        if self.plan is None or not self.plan.rows_with("invalid", "conflict"):
            QMessageBox.information(parent, "有问题的行", "没有有问题的行。")
            return
        name = Path(self.plan.file_name).stem + "-有问题的行.xlsx"
        start = str(self.workbook.path.with_name(name)) if self.workbook else name
        chosen, _ = QFileDialog.getSaveFileName(parent, "另存有问题的行", start,
                                                "Excel 工作簿 (*.xlsx)")
        if chosen:
            self.save_rejected_to(Path(chosen), parent)

    def save_rejected_to(self, path: Path, parent: QWidget | None = None) -> int:
        n = write_rejected(path, self.plan)
        QMessageBox.information(parent or self, "有问题的行",
                                f"已把 {n} 行连同错误原因另存到\n{path}\n改正后可再次导入。")
        return n

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        if self.report_page.running:
            self.report_page.busy.on_cancel()  # closing while writing = cancel (rollback)
            return
        self.preview_page.busy.on_cancel()
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None
        super().done(result)
