"""Step 4 of the import wizard: the policy (which rows, what a match does, blank cells) and the
options for a district's table (the community, creating missing organisations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFormLayout, QHBoxLayout,
                               QLabel, QRadioButton, QVBoxLayout, QWizardPage)

from ...excel.plan import Options, Policy
from ...excel.values import unknown_values
from ...registry import PEOPLE
from ...services import records, settings

if TYPE_CHECKING:
    from .wizard import ImportWizard


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
