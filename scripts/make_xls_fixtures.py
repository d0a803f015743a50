#!/usr/bin/env python3
"""Write the BIFF8 .xls files that `yilian sample` embeds (src/sample/xls/).

Rust has no .xls writer, so the sample module describes each sheet as JSON (cells, merges,
column widths, bold rows) and this script turns the descriptions into real Excel 97-2003
workbooks with xlwt. The results are committed; `write_sample` embeds them with include_bytes!
and a unit test in src/sample/mod.rs checks that they still decode to the model's values.

Regenerate after changing the sample model (figures, labels or layout of county_tcm 2025):

    pip install xlwt
    YILIAN_SAMPLE_XLS_SPECS=/tmp/xls-specs cargo run -- sample /tmp/yilian-sample
    python3 scripts/make_xls_fixtures.py /tmp/xls-specs src/sample/xls
    cargo build   # re-embeds the new files

`/tmp/xls-specs` then holds one `<asset name>.json` per file (e.g.
`county_tcm_2025-03.xls.json`); each is written to `<out dir>/<asset name>`.

JSON format:
    {"sheets": [{"name": str,
                 "cells": [{"r": int, "c": int, "t": "n" | "s", "v": number | str}, ...],
                 "merges": [[first_row, first_col, last_row, last_col], ...],   # inclusive
                 "col_widths": [characters, ...],
                 "bold_rows": [row, ...]}]}
Formulas are given as their values: xlwt cannot store a cached formula result.
"""

import json
import pathlib
import sys

import xlwt


def build(spec: dict) -> xlwt.Workbook:
    wb = xlwt.Workbook(encoding="utf-8")
    plain = xlwt.XFStyle()
    bold = xlwt.easyxf("font: bold on; align: horiz center, vert center")
    for sh in spec["sheets"]:
        ws = wb.add_sheet(sh["name"], cell_overwrite_ok=False)
        for i, w in enumerate(sh.get("col_widths", [])):
            ws.col(i).width = int(w * 256)
        bold_rows = set(sh.get("bold_rows", []))
        cells = {(c["r"], c["c"]): c for c in sh["cells"]}

        def value(c):
            return float(c["v"]) if c["t"] == "n" else str(c["v"])

        merged_origins = set()
        for r1, c1, r2, c2 in sh.get("merges", []):
            c = cells.get((r1, c1))
            ws.write_merge(r1, r2, c1, c2, value(c) if c else "", bold if r1 in bold_rows else plain)
            merged_origins.add((r1, c1))
        for (r, col), c in sorted(cells.items()):
            if (r, col) in merged_origins:
                continue
            ws.write(r, col, value(c), bold if r in bold_rows else plain)
    return wb


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        print("usage: make_xls_fixtures.py SPEC_DIR OUT_DIR", file=sys.stderr)
        return 2
    spec_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = sorted(spec_dir.glob("*.json"))
    if not specs:
        print(f"no *.json in {spec_dir}", file=sys.stderr)
        return 1
    for path in specs:
        name = path.name[: -len(".json")]
        spec = json.loads(path.read_text(encoding="utf-8"))
        target = out_dir / name
        build(spec).save(str(target))
        print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
