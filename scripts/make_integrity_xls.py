#!/usr/bin/env python3
"""Writes the .xls (BIFF8) fixtures of tests/it/read_integrity.rs with xlwt, an independent writer.

    pip install xlwt && python3 scripts/make_integrity_xls.py

Each is a one-sheet monthly form of 示例县人民医院 (no month in the file name, so the period
comes from the sheet):
- date1904.xls: saved with the 1904 date system; 统计期间 is a date cell holding serial 43890,
  which in the 1904 system is 2024-03-01 (1904-01-01 + 43890 days; the 1900 system would
  read 2020-02-29). 出院人数 1234, 门急诊人次 45678.
- not_finite.xls: 统计期间 2024年3月 as text; 出院人数 holds NaN and 门急诊人次 +infinity as
  IEEE doubles (no spreadsheet program saves these; a generator can).
"""
import pathlib

import xlwt

out = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "integrity"
out.mkdir(parents=True, exist_ok=True)


def form(wb, period_cell, discharges, visits):
    ws = wb.add_sheet("月报表")
    ws.write(0, 0, "填报单位：示例县人民医院")
    ws.write(0, 2, "统计期间：")
    period_cell(ws)
    for c, v in enumerate(["指标名称", "单位", "本月"]):
        ws.write(1, c, v)
    ws.write(2, 0, "出院人数")
    ws.write(2, 1, "人次")
    ws.write(2, 2, discharges)
    ws.write(3, 0, "门急诊人次")
    ws.write(3, 1, "人次")
    ws.write(3, 2, visits)


wb = xlwt.Workbook(encoding="utf-8")
wb.dates_1904 = True
# The serial itself, date-formatted: xlwt would convert a datetime by its own epoch rules.
date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
form(wb, lambda ws: ws.write(0, 3, 43890, date), 1234, 45678)
wb.save(str(out / "date1904.xls"))

wb = xlwt.Workbook(encoding="utf-8")
form(wb, lambda ws: ws.write(0, 3, "2024年3月"), float("nan"), float("inf"))
wb.save(str(out / "not_finite.xls"))
