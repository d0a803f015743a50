#!/usr/bin/env python3
"""Writes tests/fixtures/labels/*.xlsx: member forms as people fill them in (issue 12).

Each workbook is small and written by hand here, independently of yilian; the figures the
tests expect are stated next to each cell below and in tests/it/real_world.rs.
Regenerate:  pip install openpyxl && python3 scripts/make_label_fixtures.py
"""
import datetime
import io
import pathlib
import re
import zipfile

import openpyxl

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "labels"
OUT.mkdir(parents=True, exist_ok=True)

HEADER = ["指标名称", "单位", "本月"]


def form(path, top, rows, footer=(), merges=(), header=HEADER):
    """A vertical member form: `top` lines (each a list of cells), the header, `rows`, `footer`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "月报"
    for line in top:
        ws.append(line)
    ws.append(header)
    for r in rows:
        ws.append(r)
    for line in footer:
        ws.append(line)
    for m in merges:
        ws.merge_cells(m)
    save(wb, path)


def save(wb, path):
    """Saves with fixed dates, so that regenerating gives the same bytes."""
    wb.properties.created = datetime.datetime(2025, 1, 1)
    wb.properties.modified = datetime.datetime(2025, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2025-01-01T00:00:00Z<", data)
            dst.writestr(fixed, data)
    (OUT / path).write_bytes(out.getvalue())
    print("wrote", OUT / path)


# 1. 填报单位 typed with half-width spaces between the characters (member 白沙乡卫生院).
form(
    "spaced_name.xlsx",
    [["白沙乡卫生院医疗业务月报表"], ["填报单位：白 沙 乡 卫 生 院", None, "统计期间：2025年3月"]],
    [["门急诊人次", "人次", 1500], ["出院人数", "人次", 40]],
)

# 2. The label alone, the name in the next cell with ideographic spaces (U+3000) and a no-break
#    space (U+00A0), and a trailing （盖章）.
form(
    "spaced_name_seal.xlsx",
    [["医疗业务月报表"], ["填报单位：", "白\u3000沙\u3000乡\u00a0卫生院（盖章）"], ["统计期间：2025年4月"]],
    [["门急诊人次", "人次", 1600], ["出院人数", "人次", 42]],
)

# 3. An unknown member typed with spaces: the error must quote it as written.
form(
    "spaced_unknown.xlsx",
    [["医疗业务月报表"], ["填报单位：黑 水 乡 卫 生 院"], ["统计期间：2025年3月"]],
    [["门急诊人次", "人次", 700]],
)

# 4. Numbers as people type them (member 大沙镇中心卫生院, 2025-05).
form(
    "typed_numbers.xlsx",
    [["大沙镇中心卫生院医疗业务月报表"], ["填报单位：大沙镇中心卫生院"], ["统计期间：2025年5月"]],
    [
        ["门急诊人次", "人次", "1.19万"],  # 11900
        ["出院人数", "人次", "3.5千"],  # 3500
        ["医疗收入", "万元", "12.3亿元"],  # 123000 万元, scaled: a warning
        ["住院手术例数", "台次", "86台次"],  # 86 (the row's own unit written after it)
        ["实际开放床位数", "张", "１２０"],  # 120
        ["病床使用率", "%", "74.0%"],  # 74.0 (the member's own rate, kept as derived)
    ],
)

# 5. Figures nobody can be sure of, negatives in count rows and a percentage in a count row:
#    each is an error naming its cell (rows 5..11 of column C).
form(
    "unsure_numbers.xlsx",
    [["大沙镇中心卫生院医疗业务月报表"], ["填报单位：大沙镇中心卫生院"], ["统计期间：2025年6月"]],
    [
        ["门急诊人次", "人次", "约1200"],  # C5
        ["出院人数", "人次", "1200左右"],  # C6
        ["住院手术例数", "台次", "1.2k?"],  # C7
        ["医疗收入", "万元", "(1,234)"],  # C8: a finance negative; no item can be negative
        ["急诊人次", "人次", "△56"],  # C9: the same with △
        ["入院人次", "人次", "85%"],  # C10: a percentage in a count row
        ["实际开放床位数", "张", "12.3万元"],  # C11: money in a bed count
    ],
)

# 6. Indented, numbered and merged item labels, and a footer with people, a phone number and
#    a print date (2025-01-03) that must not become the period (2024-12, from 统计期间).
form(
    "labels_footer.xlsx",
    [["龙泉镇卫生院医疗业务月报表"], ["填报单位：龙泉镇卫生院", None, "统计期间：2024年12月"]],
    [
        ["一、门诊情况", None, None],  # a section heading: not data
        ["  1. 门急诊人次", "人次", 2100],
        ["\u3000\u3000其中：急诊人次", "人次", 130],
        ["二、住院情况", None, None],
        ["（1）出院人数", "人次", 75],
        ["1.1 入院人次", "人次", 77],
        ["①住院手术例数", "台次", 31],
        ["\u3000\u3000▲其中：三级手术", "台次", 9],
        ["实际开放床位数", None, 60],  # merged over A12:B12 below (a label over the unit column)
    ],
    footer=[
        ["制表人：张三", None, "审核人：李四"],
        ["负责人：王五", None, "联系电话：0759-1234567"],
        ["填报人", None, "赵六"],
        ["打印时间：2025-01-03 10:32", None, None],
        ["打印时间", None, datetime.datetime(2025, 1, 3, 10, 32)],
        ["制表日期", datetime.datetime(2025, 1, 3), None],
    ],
    merges=["A12:B12"],
)

# 7. No 统计期间 and no month in the title: the month is in the file name (2024年11月). The footer's
#    unlabelled print date (2025年1月3日) must not be read as the period.
form(
    "石门乡卫生院_2024年11月.xlsx",
    [["石门乡卫生院医疗业务月报表"], ["填报单位：石门乡卫生院"]],
    [["门急诊人次", "人次", 880], ["出院人数", "人次", 12]],
    footer=[["打印时间 2025年1月3日 10:32"], ["2025-01-03"]],
)

# 8. Sub-items beside a group label merged down the item column, under a header merged over
#    A:B (member 大沙镇中心卫生院, 2025-07). Row 5 `手术例数 | 合计` is the group's own figure.
form(
    "merged_groups.xlsx",
    [["大沙镇中心卫生院医疗业务月报表"], ["填报单位：大沙镇中心卫生院", None, None, "统计期间：2025年7月"]],
    [
        ["门急诊人次", None, "人次", 2000],  # A4:B4 merged
        ["手术例数", "合计", "台次", 500],  # A5:A8 merged: inpatient_surgeries 500
        [None, "一级", "台次", 100],  # surgeries_grade1
        [None, "三级", "台次", 150],  # surgeries_grade3
        [None, "四级", "台次", 50],  # surgeries_grade4
        ["远程医疗", "影像", "人次", 12],  # A9:A10 merged: remote_imaging
        [None, "心电", "人次", 8],  # remote_ecg
    ],
    header=["指标名称", None, "单位", "本月"],
    merges=["A3:B3", "A4:B4", "A5:A8", "A9:A10"],
)

# 9. Rows written in another unit than the item's (member 龙泉镇卫生院, 2025-02): the 单位 cell
#    or a unit in brackets after the label says so, and the figures are converted.
form(
    "unit_column.xlsx",
    [["龙泉镇卫生院医疗业务月报表"], ["填报单位：龙泉镇卫生院", None, "统计期间：2025年2月"]],
    [
        ["医疗收入", "元", 1234567],  # 123.4567 万元
        ["门急诊人次", "万人次", 1.19],  # 11900
        ["出院人数", "人", 40],  # 40: 人 for 人次 is a naming habit, not a scale
        ["入院人次（万人次）", None, 0.0077],  # 77
        ["急诊人次", "人次", 300],  # 300
    ],
)

# 10. A summary of many members whose revenue column is headed in 元 (2025-08): converted to
#     万元 and said once, at the header cell D3.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "汇总"
ws.append(["医联体成员单位业务量汇总表"])
ws.append(["统计期间：2025年8月"])
ws.append(["序号", "单位名称", "门急诊人次", "医疗收入（元）"])
ws.append([1, "大沙镇中心卫生院", 2100, 2345678])  # 234.5678 万元
ws.append([2, "龙泉镇卫生院", 1500, 1000000])  # 100 万元
ws.append([None, "合计", 3600, 3345678])  # agrees with the rows
save(wb, "wide_yuan.xlsx")
