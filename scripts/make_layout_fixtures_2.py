#!/usr/bin/env python3
"""Writes the fixtures of the second wave of layouts (docs/layouts.md, layouts 5-7) with
openpyxl, an independent writer: months as columns (a full year and a year in progress),
a form with a two-row merged header, and a workbook with a sheet per member.

    pip install openpyxl
    python3 scripts/make_layout_fixtures_2.py

Output: tests/fixtures/layouts/*.xlsx (committed). The values each file must store are
written by hand in the matching tests/fixtures/layouts/*.json; tests/it/layouts_more.rs checks
the store against them. Members are those of tests/fixtures/consortium.toml.
"""

import os

from openpyxl import Workbook
from openpyxl.workbook.properties import CalcProperties

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "layouts")


def save(wb, name):
    # Fixed metadata so that a rerun writes the same content.
    import datetime

    stamp = datetime.datetime(2025, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "make_layout_fixtures_2.py"
    wb.calculation = CalcProperties(fullCalcOnLoad=False)
    wb.save(os.path.join(OUT, name))


def annual_full():
    """大沙镇中心卫生院, 2024, all twelve months, quarter columns between the months.

    The year is in the title only. The 二季度 figure of 门急诊人次 is wrong (the months add
    up to 3300, the clerk wrote 3030), everything else adds up by the item's rule:
    open beds average, family doctor contracts the last month.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "年报"
    ws.append(["大沙镇中心卫生院2024年度业务统计表"])
    ws.merge_cells("A1:T1")
    ws.append(["填报单位：大沙镇中心卫生院"])
    header = ["指标", "单位"]
    for q, name in enumerate(["一季度", "二季度", "三季度", "四季度"]):
        header += [f"{q * 3 + m}月" for m in (1, 2, 3)] + [name]
    header += ["合计"]
    ws.append(header)
    visits = [1000, 1050, 1100, 1080, 1120, 1100, 990, 1010, 1150, 1200, 1180, 1220]
    beds = [60, 60, 60, 60, 60, 60, 70, 70, 70, 70, 70, 70]
    contracts = [5100, 5150, 5200, 5230, 5260, 5300, 5310, 5350, 5400, 5420, 5450, 5500]
    occupancy = [80.5, 81.0, 79.2, 78.0, 77.5, 80.1, 82.3, 83.0, 81.1, 80.0, 79.9, 81.4]

    def row(label, unit, vals, rule, wrong_q2=None):
        out = [label, unit]
        for q in range(4):
            part = vals[q * 3 : q * 3 + 3]
            out += part
            if rule == "sum":
                total = sum(part)
            elif rule == "avg":
                total = sum(part) / 3
            elif rule == "last":
                total = part[-1]
            else:
                total = None  # a rate: the member leaves the quarter blank
            if q == 1 and wrong_q2 is not None:
                total = wrong_q2
            out.append(total)
        if rule == "sum":
            out.append(sum(vals))
        elif rule == "avg":
            out.append(sum(vals) / 12)
        elif rule == "last":
            out.append(vals[-1])
        else:
            out.append(80.3)  # the member's own annual rate: not checked, not stored
        ws.append(out)

    row("门急诊人次", "人次", visits, "sum", wrong_q2=3030)
    row("实际开放床位数", "张", beds, "avg")
    row("家庭医生签约人数", "人", contracts, "last")
    row("病床使用率", "%", occupancy, "rate")
    ws.append(["填表人：王五    审核人：赵六"])
    save(wb, "annual_full.xlsx")


def annual_partial():
    """示例县人民医院 (written as its alias 县医院), 2025 in progress: January and February
    filled, March to December blank. The year is only in the sheet name `2025年`.

    出院人数 has no February figure (blank: missing, not zero). 合计 of 门急诊人次 says 9300
    but January + February are 6200 (the clerk added March's plan). 下转人次 is `-` in every
    month (not provided). 
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "2025年"
    ws.append(["医疗业务年度统计表"])
    ws.append(["填报单位：县医院"])
    ws.append(["指标名称", "单位"] + [f"{m}月" for m in range(1, 13)] + ["合计"])
    blank = [None] * 10
    ws.append(["门急诊人次", "人次", 3000, 3200] + blank + [9300])
    ws.append(["出院人数", "人次", 410, None] + blank + [410])
    ws.append(["住院手术台次", "台次", 120, 130] + blank + [250])
    ws.append(["医疗收入(万元)", "万元", 812.5, 790.25] + blank + [1602.75])
    ws.append(["下转人次", "人次", "-", "-"] + ["-"] * 10 + ["-"])
    save(wb, "annual_partial.xlsx")


def annual_dates():
    """石门乡卫生院, months typed as dates: Excel turns `2025/1` into a date cell shown as
    `2025年1月`. January to March 2025 filled, the year's 合计 agrees."""
    import datetime

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["填报单位：石门乡卫生院"])
    ws.append(["指标", "单位"] + [datetime.datetime(2025, m, 1) for m in (1, 2, 3)] + ["合计"])
    for c in range(3, 6):
        ws.cell(2, c).number_format = 'yyyy"年"m"月"'
    ws.append(["门急诊人次", "人次", 800, 760, 905, 2465])
    ws.append(["上转人次", "人次", 12, 9, 15, 36])
    save(wb, "annual_dates.xlsx")


def two_row_form(ws, with_prior, values):
    """A member's own form under a two-row merged header:
    指标名称 | 单位 | 本月 (数值[, 去年同期], 同比%) | 累计 (数值, 同比%) | 环比%."""
    top = ["指标名称", "单位", "本月"]
    sub = [None, None, "数值"]
    if with_prior:
        top += [None]
        sub += ["去年同期"]
    top += [None, "累计", None, "环比%"]
    sub += ["同比%", "数值", "同比%", None]
    start = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value else 1
    ws.append(top)
    ws.append(sub)
    r = start
    ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
    ws.merge_cells(start_row=r, start_column=2, end_row=r + 1, end_column=2)
    month_end = 5 if with_prior else 4
    ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=month_end)
    ws.merge_cells(start_row=r, start_column=month_end + 1, end_row=r, end_column=month_end + 2)
    ws.merge_cells(start_row=r, start_column=month_end + 3, end_row=r + 1, end_column=month_end + 3)
    for v in values:
        ws.append(v)


def two_row():
    """示例市第一人民医院, 2025-03 (period labelled), with 去年同期 beside 本月.

    出院人次: 同比 5.0% agrees with 2100 against 2000; 门急诊人次: the member wrote 同比 8.5
    but 52000 against 50000 is 4.0% (a warning). The 同比%/环比% columns are never stored.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "月报"
    ws.append(["示例市第一人民医院医疗业务月报表"])
    ws.append(["填报单位：示例市第一人民医院", None, None, None, "统计期间：2025年3月"])
    two_row_form(
        ws,
        True,
        [
            # 指标, 单位, 本月, 去年同期, 同比%, 累计, 累计同比%, 环比%
            ["门急诊人次", "人次", 52000, 50000, 8.5, 150000, 3.45, 2.1],
            ["出院人次", "人次", 2100, 2000, 5.0, 6000, 4.35, -1.2],
            ["住院手术台次", "台次", 900, 880, 2.27, 2650, 1.9, 0.5],
            ["病床使用率", "%", 91.5, 90.0, 1.5, 90.8, 0.6, 0.3],
        ],
    )
    save(wb, "two_row.xlsx")


def sheet_per_member():
    """One workbook for 2025-03 (month in the file name): a 填报说明 sheet, then a sheet per
    member named by alias: `市一院` (single-row form, no 填报单位), `县医院` (two-row header,
    no 去年同期), `大沙卫生院` (single-row form)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "填报说明"
    ws.append(["填报说明"])
    ws.append(["指标名称", "说明"])
    ws.append(["门急诊人次", "含急诊，不含体检"])
    ws.append(["出院人次", "按出院日期统计"])
    ws.append(["每家单位填写以本单位命名的工作表，数值请勿带单位。"])

    a = wb.create_sheet("市一院")
    a.append(["医联体成员单位月报表"])
    a.append(["指标名称", "单位", "本月", "本年累计"])
    a.append(["门急诊人次", "人次", 61000, 180500])
    a.append(["出院人次", "人次", 7400, 21900])
    a.append(["远程会诊例数", "例", 35, 101])

    b = wb.create_sheet("县医院")
    b.append(["医联体成员单位月报表"])
    two_row_form(
        b,
        False,
        [
            ["门急诊人次", "人次", 28000, 6.2, 81000, 5.1, 3.3],
            ["出院人次", "人次", 1500, -2.0, 4400, 1.4, 2.0],
        ],
    )

    c = wb.create_sheet("大沙卫生院")
    c.append(["指标名称", "单位", "本月"])
    c.append(["门急诊人次", "人次", 3100])
    c.append(["家庭医生签约人数", "人", 5600])
    save(wb, "2025年3月成员单位月报.xlsx")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    annual_full()
    annual_partial()
    annual_dates()
    two_row()
    sheet_per_member()
    print("wrote", OUT)
