"""What a printout says, as plain data: the document spec the layout engine paginates.

A :class:`RosterSpec` holds only strings and numbers (no database rows, no Qt), so the same spec
feeds the PDF writer, the Qt preview and the tests.  It is built by :mod:`.roster` (a 花名册 from
a register) or :mod:`.signin` (a 签到表 from a meeting), or by hand.

Every cell is already the text to print: IDs are masked (or not) by whoever builds the spec,
so the layout never sees data it should not show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: Allowed orientations; ``auto`` lets the layout pick the one the columns fit.
ORIENTATIONS = ("auto", "portrait", "landscape")
ALIGNS = ("left", "center", "right")


@dataclass(frozen=True)
class Column:
    """One printed column.

    ``width`` is the preferred width in Chinese characters (the declaration's ``Field.width``):
    a wrapping column is never laid out wider than its longest cell, and is narrowed (with its
    text wrapped) only when the page is too narrow.  ``wrap=False`` keeps a cell on one line
    (dates, ID numbers, phone numbers: breaking them makes them unreadable).
    ``min_width`` (characters) reserves room for handwriting (签名, 备注 of a sign-in sheet).
    """

    label: str
    width: float = 8
    align: str = "left"
    wrap: bool = True
    min_width: float = 0

    def __post_init__(self) -> None:
        if self.align not in ALIGNS:
            raise ValueError(f"column {self.label}: align {self.align!r} not in {ALIGNS}")


@dataclass
class Section:
    """A run of rows under one heading, e.g. one 支部 of a grouped roster.

    ``new_page`` starts the section on a fresh page (grouping); ``blank_rows`` adds empty rows
    after the data (the 列席 lines of a sign-in sheet).
    """

    rows: list[list[str]]
    heading: str = ""
    new_page: bool = True
    blank_rows: int = 0


@dataclass
class RosterSpec:
    """A printable table document.

    The printed title is ``office + title`` (e.g. ``XX街道`` + ``党员花名册``).  ``scope`` is the
    line under it (range, filter, count) and ``as_of`` the date printed at its right.
    ``info`` are label/value pairs printed as a block above the table (a meeting's 时间, 地点 …).
    ``numbered`` adds a 序号 column, counted from 1 in each section.
    ``footer`` names the signature fields at the bottom of each page (制表人, 审核人), each with
    an optional pre-filled name; 打印日期 and 第 X 页 共 Y 页 are always printed.
    ``min_row_mm`` is the least row height (a sign-in sheet needs room for a signature).
    """

    title: str
    columns: list[Column]
    sections: list[Section]
    office: str = ""
    scope: str = ""
    as_of: str = ""
    info: list[tuple[str, str]] = field(default_factory=list)
    orientation: str = "auto"
    numbered: bool = True
    footer: list[tuple[str, str]] = field(default_factory=lambda: [("制表人", ""),
                                                                  ("审核人", "")])
    printed_on: dt.date = field(default_factory=dt.date.today)
    note: str = ""
    min_row_mm: float = 0.0

    def __post_init__(self) -> None:
        if self.orientation not in ORIENTATIONS:
            raise ValueError(f"orientation {self.orientation!r} not in {ORIENTATIONS}")
        for sec in self.sections:
            for i, row in enumerate(sec.rows):
                if len(row) != len(self.columns):
                    raise ValueError(f"section {sec.heading!r} row {i + 1} has {len(row)} cells "
                                     f"for {len(self.columns)} columns")

    @property
    def full_title(self) -> str:
        """The title as printed: the office name in front unless the title already has it.
        Where the name ends as the title begins (和谐嘉园4栋党小组 + 党小组会签到表) the words
        are written once: 和谐嘉园4栋党小组会签到表."""
        if not self.office or self.title.startswith(self.office):
            return self.title
        for n in range(min(len(self.office), len(self.title)), 1, -1):
            if self.office.endswith(self.title[:n]):
                return self.office + self.title[n:]
        return self.office + self.title

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def chinese_date(day: dt.date) -> str:
    """``2026年11月25日`` — the form printed on Chinese office paperwork."""
    return f"{day.year}年{day.month}月{day.day}日"
