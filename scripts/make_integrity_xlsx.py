#!/usr/bin/env python3
"""Writes the openpyxl-made .xlsx fixtures of tests/it/read_integrity.rs (an independent writer).

    pip install openpyxl && python3 scripts/make_integrity_xlsx.py

Both are one-sheet monthly forms of 示例县人民医院 without a month in the file name:
- openpyxl_1904.xlsx: saved with the 1904 date system (openpyxl's CALENDAR_MAC_1904); 统计期间
  (D1) is the date 2024-03-01, which openpyxl stores as 1904 serial 43890; 填报日期 (F1) is
  2024-04-08. 出院人数 1234, 门急诊人次 45678.
- openpyxl_formula.xlsx: 统计期间：2024年3月; 出院人数 1234; 门急诊人次 is the formula
  =SUM(C6:C7), which openpyxl saves without a result (it does not calculate).
"""
import datetime
import pathlib

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

out = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "integrity"
out.mkdir(parents=True, exist_ok=True)


def form(ws, visits):
    ws.title = "月报表"
    ws["A1"] = "填报单位：示例县人民医院"
    ws["C1"] = "统计期间："
    ws.append(["指标名称", "单位", "本月"])
    ws.append(["出院人数", "人次", 1234])
    ws.append(["门急诊人次", "人次", visits])


wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
form(ws, 45678)
ws["D1"] = datetime.date(2024, 3, 1)
ws["D1"].number_format = "yyyy-mm-dd"
ws["E1"] = "填报日期："
ws["F1"] = datetime.date(2024, 4, 8)
ws["F1"].number_format = "yyyy-mm-dd"
wb.save(out / "openpyxl_1904.xlsx")

wb = openpyxl.Workbook()
ws = wb.active
form(ws, "=SUM(C6:C7)")
ws["D1"] = "2024年3月"
wb.save(out / "openpyxl_formula.xlsx")
