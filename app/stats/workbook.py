"""The statistics workbook (统计表): one sheet per area, the period and scope in the title, last
year's column beside this year's, ready to print (A4, header repeated, fit to page width)."""

from __future__ import annotations

from pathlib import Path

from . import catalogue
from .fmt import change, digits_of, summable, total
from .model import TIMING_LABELS


def _num(value, digits: int):
    """A cell value: numbers stay numbers (Excel can add them up), None stays empty."""
    if value is None or isinstance(value, dict):
        return None
    return round(value, digits) if isinstance(value, float) else value


def write_workbook(report, path: Path | str) -> Path:
    import xlsxwriter
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_numbers": False})
    font = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    title = wb.add_format({**font, "bold": True, "font_size": 16, "align": "center"})
    sub = wb.add_format({**font, "align": "center", "font_size": 10})
    head = wb.add_format({**font, "bold": True, "border": 1, "align": "center", "bg_color": "#DDE6F0",
                          "text_wrap": True})
    text = wb.add_format({**font, "border": 1, "text_wrap": True})
    part = wb.add_format({**font, "border": 1, "indent": 2, "text_wrap": True})
    small = wb.add_format({**font, "border": 1, "font_size": 9, "text_wrap": True})
    nums = {d: wb.add_format({**font, "border": 1, "num_format": "0" if d == 0 else "0." + "0" * d})
            for d in (0, 1, 2)}
    center = wb.add_format({**font, "border": 1, "align": "center"})
    heading = ("指标", f"本期\n{report.period.label}", f"上年同期\n{report.previous.label}",
               "增减", "单位", "口径")
    widths = (34, 14, 14, 12, 6, 46)
    for area in catalogue.AREAS:
        ws = wb.add_worksheet(catalogue.area_label(area))
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        ws.merge_range(0, 0, 0, 5, f"{report.office}{catalogue.area_label(area)}统计表", title)
        ws.merge_range(1, 0, 1, 5, f"统计期间：{report.period.label}　范围：{report.scope}　"
                                   f"制表日期：{report.today:%Y-%m-%d}", sub)
        ws.set_row(2, 32)
        ws.write_row(2, 0, heading, head)
        r = 3
        for line in report.area(area):
            f, v, p = line.figure, line.value, line.previous
            d = digits_of(f)
            note = f"{TIMING_LABELS[f.timing_of]}；" + (f.note or (f.rows.note if f.rows else ""))
            if isinstance(v, dict):
                has_total = summable(f) and not any(isinstance(x, dict) for x in v.values())
                ws.write(r, 0, f.label, text)
                ws.write(r, 1, _num(total(v), d) if has_total else None, nums[min(d, 2)])
                ws.write(r, 2, _num(total(p), d) if has_total and isinstance(p, dict) else None,
                         nums[min(d, 2)])
                ws.write(r, 3, "", center)
                ws.write(r, 4, f.unit, center)
                ws.write(r, 5, note, small)
                r += 1
                for name, pv in v.items():
                    prev = p.get(name) if isinstance(p, dict) else None
                    if isinstance(pv, dict):  # a breakdown of breakdowns: one row per inner part
                        for inner, x in pv.items():
                            px = prev.get(inner) if isinstance(prev, dict) else None
                            ws.write(r, 0, f"{name} · {inner}", part)
                            ws.write(r, 1, _num(x, d), nums[min(d, 2)])
                            ws.write(r, 2, _num(px, d), nums[min(d, 2)])
                            ws.write(r, 3, change(f, x, px), center)
                            ws.write(r, 4, f.unit, center)
                            ws.write(r, 5, "", small)
                            r += 1
                        continue
                    ws.write(r, 0, name, part)
                    ws.write(r, 1, _num(pv, d), nums[min(d, 2)])
                    ws.write(r, 2, _num(prev, d), nums[min(d, 2)])
                    ws.write(r, 3, change(f, pv, prev), center)
                    ws.write(r, 4, f.unit, center)
                    ws.write(r, 5, "", small)
                    r += 1
                continue
            ws.write(r, 0, f.label, text)
            ws.write(r, 1, _num(v, d), nums[min(d, 2)])
            ws.write(r, 2, _num(p, d), nums[min(d, 2)])
            ws.write(r, 3, change(f, v, p), center)
            ws.write(r, 4, f.unit, center)
            ws.write(r, 5, note, small)
            r += 1
        ws.freeze_panes(3, 1)
        ws.repeat_rows(2)
        ws.set_paper(9)  # A4
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C第 &P 页 共 &N 页")
        ws.print_area(0, 0, r - 1, 5)
    wb.close()
    return path
