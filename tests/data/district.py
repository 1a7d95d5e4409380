"""Workbooks as a 区 or 社区 office makes them, built with openpyxl by hand — not with our
exporter, and with none of its names: their own titles, merged 支部 cells, 学历 as 本科/大专,
IDs typed as numbers, hidden stale columns, a 调解 ledger with several 调解员 in one cell, a
信访 sheet with 来访日期 and the usual form words.  Each builder returns the file and the
records a correct import must store (the oracle), written out by hand here.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# 18-digit ID numbers whose check characters ``_check`` (the GB 11643 rule written out
# here, not the app's) confirms; tests assert that first.
IDS = {
    "王秀英": "110101195503070028",
    "李建国": "11010119601215001X",
    "张丽华": "110101197208050023",
    "刘洋": "110101198811230058",
    "陈静": "110101199002280041",
    "杨帆": "110101198507010034",
}


def _check(first17: str) -> str:
    """Only used by the tests to prove the table above; not by the generator."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def district_roster(path: Path) -> tuple[Path, list[dict]]:
    """党员花名册 as the 区 sends it: title, 填报单位, 支部 merged down its members (with a
    blank row inside the merged range), 学历 本科/大专, 家庭住址 free text, one ID typed as a
    number, a hidden stale 身份证号码 column beside the visible 公民身份号码."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws["A1"] = "东风街道党员花名册（2026年）"
    ws["A1"].font = Font(bold=True, size=16)
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位：东风街道党工委（盖章）"
    heads = ["序号", "所在党支部", "姓名", "性别", "身份证号码", "公民身份号码", "学历",
             "入党时间", "家庭住址"]
    ws.append([])
    for c, h in enumerate(heads, 1):
        ws.cell(3, c, h).alignment = Alignment(horizontal="center")
    rows = [
        ("幸福里党支部", "王秀英", "女", "大专", dt.date(1985, 7, 1), "幸福里3栋2单元101"),
        (None, "李建国", "男", "本科", dt.date(1988, 6, 20), "幸福里5栋1单元302"),
        (None, None, None, None, None, None),  # blank row inside the merged 支部
        (None, "张丽华", "女", "高中", dt.date(1999, 12, 1), "幸福里5栋1单元303"),
        ("明珠华府党支部", "刘洋", "男", "硕士", dt.date(2012, 7, 1), "和谐嘉园1栋101"),
        (None, "陈静", "女", "本科", dt.date(2015, 5, 4), "和谐嘉园2栋202"),
    ]
    r = 4
    for i, (branch, name, gender, edu, joined, addr) in enumerate(rows):
        if name is None:
            ws.append([None] * len(heads))
            r += 1
            continue
        idn = IDS[name]
        ws.append([i + 1, branch, name, gender, "110101190001010000", idn, edu, joined, addr])
        ws.cell(r, 8).number_format = "yyyy年m月d日"
        r += 1
    ws.merge_cells("B4:B7")
    ws.merge_cells("B8:B9")
    ws.column_dimensions["E"].hidden = True  # an old, wrong copy of the IDs
    # 杨帆: the ID typed as a number (Excel keeps 15 digits: the rest is lost)
    ws.append([7, "明珠华府党支部", "杨帆", "男", None, 110101198507010034, "本科",
               dt.date(2016, 7, 1), "和谐嘉园3栋303"])
    ws.append([])
    ws.append(["制表人：赵敏", None, None, "审核人：孙伟"])
    wb.save(path)
    expected = [
        {"name": "王秀英", "org": "幸福里党支部", "gender": "女", "education": "大学专科",
         "joined_on": dt.date(1985, 7, 1), "address": "幸福里3栋2单元101"},
        {"name": "李建国", "org": "幸福里党支部", "gender": "男", "education": "大学本科",
         "joined_on": dt.date(1988, 6, 20), "address": "幸福里5栋1单元302"},
        {"name": "张丽华", "org": "幸福里党支部", "gender": "女", "education": "高中",
         "joined_on": dt.date(1999, 12, 1), "address": "幸福里5栋1单元303"},
        {"name": "刘洋", "org": "明珠华府党支部", "gender": "男", "education": "研究生",
         "joined_on": dt.date(2012, 7, 1), "address": "和谐嘉园1栋101"},
        {"name": "陈静", "org": "明珠华府党支部", "gender": "女", "education": "大学本科",
         "joined_on": dt.date(2015, 5, 4), "address": "和谐嘉园2栋202"},
    ]
    return path, expected


def mediation_ledger(path: Path) -> tuple[Path, list[dict]]:
    """矛盾纠纷调解登记表 without a 社区 column: 案件编号 as the office numbered them, 当事人
    （申请人）/（被申请人）, 纠纷类别 with 纠纷, several 调解员 in one cell, 调解结果 and 结案日期,
    回访情况."""
    wb = Workbook()
    ws = wb.active
    ws.title = "调解台账"
    ws["A1"] = "人民调解案件登记表"
    ws.merge_cells("A1:J1")
    heads = ["案件编号", "受理时间", "当事人（申请人）", "当事人（被申请人）", "纠纷类型",
             "简要案情", "调解员", "调解结果", "结案日期", "回访情况"]
    ws.append(heads)
    cases = [
        ("东调〔2026〕3号", dt.date(2026, 3, 2), "周桂兰", "吴中岳", "相邻关系纠纷",
         "楼上漏水损坏天花板", "潘明兰、尹伟", "调解成功", dt.date(2026, 3, 9), "双方满意"),
        ("东调〔2026〕4号", dt.date(2026, 3, 15), "郑海", "冯丽", "损害赔偿纠纷",
         "电动车刮蹭赔偿", "潘明兰", "调解中", None, None),
    ]
    for c in cases:
        ws.append(list(c))
    wb.save(path)
    expected = [
        {"case_no": "东调〔2026〕3号", "received_on": dt.date(2026, 3, 2), "applicant": "周桂兰",
         "respondent": "吴中岳", "category": "邻里纠纷", "mediator": "潘明兰",
         "volunteers": "尹伟", "step": "调解成功", "closed_on": dt.date(2026, 3, 9),
         "revisit_result": "双方满意"},
        {"case_no": "东调〔2026〕4号", "received_on": dt.date(2026, 3, 15), "applicant": "郑海",
         "respondent": "冯丽", "category": "损害赔偿", "mediator": "潘明兰",
         "volunteers": None, "step": "调解中", "closed_on": None, "revisit_result": None},
    ]
    return path, expected


def petition_sheet(path: Path) -> tuple[Path, list[dict]]:
    """信访登记 with 信访人, 来访日期 and the form words offices use."""
    wb = Workbook()
    ws = wb.active
    ws.title = "信访登记"
    ws.append(["信访人", "身份证号", "来访日期", "信访方式", "反映问题", "是否息访"])
    rows = [("刘洋", IDS["刘洋"], dt.date(2026, 4, 1), "走访", "小区停车位不足", "是"),
            ("陈静", IDS["陈静"], dt.date(2026, 4, 3), "12345热线", "夜间施工噪音", "否"),
            ("王秀英", IDS["王秀英"], dt.date(2026, 4, 8), "网上信访", "加装电梯补贴", "否")]
    for r in rows:
        ws.append(list(r))
        ws.cell(ws.max_row, 3).number_format = "yyyy/m/d"
    wb.save(path)
    expected = [{"name": "刘洋", "received_on": dt.date(2026, 4, 1), "form": "来访",
                 "matter": "小区停车位不足", "settled": True},
                {"name": "陈静", "received_on": dt.date(2026, 4, 3), "form": "电话",
                 "matter": "夜间施工噪音", "settled": False},
                {"name": "王秀英", "received_on": dt.date(2026, 4, 8), "form": "网上",
                 "matter": "加装电梯补贴", "settled": False}]
    return path, expected


def as_gbk_csv(xlsx: Path, out: Path) -> Path:
    """The first sheet as a GBK CSV the way a 区 system exports it: every value as text,
    dates as 2026/3/2."""
    from openpyxl import load_workbook
    ws = load_workbook(xlsx, data_only=True).active
    with out.open("w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        for row in ws.iter_rows(values_only=True):
            w.writerow(["" if v is None else
                        f"{v.year}/{v.month}/{v.day}" if isinstance(v, (dt.date, dt.datetime))
                        else str(v) for v in row])
    return out


def converted(xlsx: Path, ext: str) -> Path:
    """The workbook re-saved by LibreOffice as .xls or .ods (what WPS/Excel users send)."""
    subprocess.run(["soffice", "--headless", "--convert-to", ext, "--outdir", str(xlsx.parent),
                    str(xlsx)], check=True, capture_output=True, timeout=180)
    return xlsx.with_suffix("." + ext)
