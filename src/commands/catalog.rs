//! `yilian catalog`: every metric and indicator with code, name, unit, aggregation, aliases,
//! 口径 and source; `--sets` the named indicator sets; `--format md` the reference page
//! docs/indicators.md.

use crate::catalog::{Catalog, Direction, NeverReported};
use crate::cli::CatalogArgs;
use crate::config::Consortium;
use crate::export::table::Markdown;
use crate::export::{Exporter, Format, Table, WriteOptions};
use anyhow::Result;
use std::io::Write;

pub fn run(args: &CatalogArgs) -> Result<i32> {
    let (catalog, settings) = match &args.config {
        Some(p) => {
            let c = Consortium::load(p)?;
            (c.catalog, c.file.output)
        }
        None => (Catalog::builtin(), Default::default()),
    };
    let bytes = args.csv.bytes(&settings, args.format == Format::Csv)?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        // JSON keeps aliases and set items as arrays.
        let v = if args.sets {
            serde_json::json!({ "sets": catalog.sets })
        } else {
            serde_json::json!({ "metrics": catalog.metrics, "indicators": catalog.indicators })
        };
        serde_json::to_writer_pretty(&mut out, &v)?;
        println!();
        return Ok(crate::exit::OK);
    }
    if args.format == Format::Jsonl {
        // One metric, indicator or set a line, as in the JSON, with its kind.
        let lines: Vec<(&str, serde_json::Result<serde_json::Value>)> = if args.sets {
            let sets = catalog.sets.iter();
            sets.map(|s| ("set", serde_json::to_value(s))).collect()
        } else {
            let metrics = catalog.metrics.iter();
            let metrics = metrics.map(|m| ("metric", serde_json::to_value(m)));
            let inds = catalog.indicators.iter();
            metrics
                .chain(inds.map(|i| ("indicator", serde_json::to_value(i))))
                .collect()
        };
        for (kind, v) in lines {
            let mut v = v?;
            if let Some(o) = v.as_object_mut() {
                o.insert("kind".into(), kind.into());
            }
            serde_json::to_writer(&mut out, &v)?;
            writeln!(out)?;
        }
        return Ok(crate::exit::OK);
    }
    if args.format == Format::Md && !args.sets {
        out.write_all(reference_page(&catalog)?.as_bytes())?;
        return Ok(crate::exit::OK);
    }
    let opts = WriteOptions::new(args.csv.csv_raw, false).with_bytes(bytes);
    let t = if args.sets {
        sets_table(&catalog)
    } else {
        table(&catalog)
    };
    // Column names in the reader's language on the terminal only: Markdown is the reference
    // page (docs/indicators.md) and must not depend on who generated it.
    let t = match args.format {
        Format::Table => t.labelled(super::ui::lang()),
        _ => t,
    };
    t.write_with(args.format, opts, &mut out)?;
    Ok(crate::exit::OK)
}

fn dir(d: Direction) -> String {
    format!("{d:?}").to_lowercase()
}

/// An indicator's formula as the table shows it (`built-in` for the engine's own).
fn formula(i: &crate::catalog::Indicator) -> String {
    if i.expr == i.code {
        "built-in".into()
    } else {
        i.expr.clone()
    }
}

pub fn table(catalog: &Catalog) -> Table {
    let mut t = Table::new([
        "kind",
        "code",
        "name",
        "name_en",
        "unit",
        "aggregation",
        "direction",
        "aliases",
        "stock_flow",
        "definition",
        "source",
    ]);
    for m in &catalog.metrics {
        t.push(vec![
            "metric".into(),
            m.code.clone(),
            m.name.clone(),
            m.name_en.clone(),
            m.unit.clone(),
            m.over_time.as_str().into(),
            dir(m.direction),
            m.aliases.join(" / "),
            m.kind().as_str().into(),
            m.definition.clone(),
            m.source.clone(),
        ]);
    }
    for i in &catalog.indicators {
        t.push(vec![
            "indicator".into(),
            i.code.clone(),
            i.name.clone(),
            i.name_en.clone(),
            i.unit.clone(),
            formula(i),
            dir(i.direction),
            i.aliases.join(" / "),
            String::new(),
            i.definition.clone(),
            i.source.clone(),
        ]);
    }
    t
}

/// One row per item of each set, with the item's name and unit.
pub fn sets_table(catalog: &Catalog) -> Table {
    let mut t = Table::new(["set", "set_name", "code", "name", "unit", "source"]);
    for s in &catalog.sets {
        for code in &s.items {
            let (name, unit) = name_and_unit(catalog, code);
            t.push(vec![
                s.code.clone(),
                s.name.clone(),
                code.clone(),
                name,
                unit,
                s.source.clone(),
            ]);
        }
    }
    t
}

fn name_and_unit(catalog: &Catalog, code: &str) -> (String, String) {
    match catalog.metric(code) {
        Some(m) => (m.name.clone(), m.unit.clone()),
        None => catalog
            .indicators
            .iter()
            .find(|i| i.code == code)
            .map(|i| (i.name.clone(), i.unit.clone()))
            .unwrap_or_default(),
    }
}

const PAGE_INTRO: &str = "# 指标目录 (indicator catalog)

<!-- Generated by `yilian catalog --format md > docs/indicators.md`; edit src/catalog/catalog.toml
and regenerate (a test checks this page is current). -->

Every figure yilian reads or computes, with its code (used in every machine-readable output,
in formulas, rules, targets and `--indicator`), its Chinese and English names, unit, how months
combine into a window, the header texts it is recognised by, its 口径 (what is counted) and the
document the 口径 follows. Matching ignores spaces, full/half width, units in brackets and a
leading `其中：`/`#`, so `执业（助理）医师数` reads as `执业医师数`.

- **Reported items** (上报指标项) are what members send. A **flow** (visits, revenue) adds up
  over the months of a window; a **stock** (beds, staff, people under management) takes the
  average or the last month's value. Over members, both are summed.
- **Indicators** (派生指标) are formulas over reported items, always recomputed from the
  aggregated numerator and denominator at every scope and window (never an average of member
  ratios). An item a member never reports is a service it does not provide and adds nothing;
  one it left blank this window makes the indicator undefined for it, and the tier and
  consortium figures say how many members they cover.
- Revenue and staff are not services: every institution with visits has them. Items marked
  `never_reported = \"unknown\"` ({unknown}) are unknown, not nothing, for a member that
  never sends them: a ratio over them (门诊次均费用, 药占比, 医护比) leaves that member out of
  numerator and denominator and says how many members it covers. `[[metrics]]` of your own
  take the same key. `days` in a formula is the calendar days of the window. An indicator's 增幅 (e.g.
  次均费用增幅) is its `yoy_pct` column.
- Money is in 万元 as members report it; 次均费用 convert it to 元.
- `primary_visit_share` / `primary_total_visit_share` exist for tiers and the consortium only, and only where the members a figure covers include a primary or village member: a 专科联盟 or the secondary tier has no such share (empty, never 0 %, and unranked in the bureau view).

## Your own items, indicators and targets (consortium.toml)

```toml
[[metrics]]                       # a reported item of your own, used like a built-in one
code = \"vaccinations\"             # letters, digits, _; used in formulas, rules, targets
name = \"预防接种人次\"
name_en = \"Vaccinations\"
unit = \"人次\"
over_time = \"sum\"                 # sum | average | last
kind = \"flow\"                     # flow (sum) | stock (average, last) [default: from over_time]
never_reported = \"unknown\"        # revenue, staff: a member that never sends it is left out of
                                  # ratios over it [default: not_provided, adds nothing]
direction = \"higher\"              # higher | lower | neutral
aliases = [\"接种人次\", \"疫苗接种人次\"]

[[indicators]]
code = \"vaccinations_per_100_visits\"
name = \"每百人次门急诊接种人次\"
unit = \"人次\"
expr = \"vaccinations / outpatient_visits * 100\"
direction = \"higher\"

[[targets]]                       # 目标值: `indicators` gains `target` and `met` columns
indicator = \"avg_los\"
value = 9.0
direction = \"lower\"               # met at or below [default: the indicator's direction]
# tier = \"secondary\"              # only this tier (and its members), or
# member = \"lead\"                 # only this member; the most specific target wins
# window = \"month\"                # only this window (month | ytd | quarter | year)
```

A code, name or alias of your own item that a built-in item already uses is an error naming
both (report the figure under the built-in code, adding header texts in `[aliases]`). A target
needs a direction: an indicator whose direction is `neutral` needs `direction` in the target.
`met` is empty when there is no target or the value is undefined.

## Named sets (`yilian catalog --sets`, `yilian indicators --set CODE`)

The monthly-computable part of each official system. Items no member reported in the window
are named on standard error as not reported (never shown as 0); scripts get their records with
empty values.

";

/// The reference page docs/indicators.md: the introduction, the sets, the items and the
/// indicators with their 口径 and source.
pub fn reference_page(catalog: &Catalog) -> Result<String> {
    let unknown: Vec<String> = catalog
        .metrics
        .iter()
        .filter(|m| m.never_reported == NeverReported::Unknown)
        .map(|m| format!("`{}` {}", m.code, m.name))
        .collect();
    let mut page = PAGE_INTRO.replace("{unknown}", &unknown.join("、"));
    let md = |t: &Table| -> Result<String> {
        let mut buf = Vec::new();
        Markdown.export(t, &mut buf)?;
        Ok(String::from_utf8(buf)?)
    };
    for s in &catalog.sets {
        page.push_str(&format!("### `{}` {}\n\n", s.code, s.name));
        if !s.source.is_empty() {
            page.push_str(&format!("依据：{}\n\n", s.source));
        }
        let mut t = Table::new(["code", "名称", "单位"]);
        for code in &s.items {
            let (name, unit) = name_and_unit(catalog, code);
            t.push(vec![format!("`{code}`"), name, unit]);
        }
        page.push_str(&md(&t)?);
        page.push('\n');
    }
    page.push_str("## Reported items (上报指标项)\n\n");
    let mut t = Table::new([
        "code",
        "名称",
        "name",
        "单位",
        "over time",
        "stock/flow",
        "别名",
        "口径",
        "依据",
    ]);
    for m in &catalog.metrics {
        t.push(vec![
            format!("`{}`", m.code),
            m.name.clone(),
            m.name_en.clone(),
            m.unit.clone(),
            m.over_time.as_str().into(),
            m.kind().as_str().into(),
            m.aliases.join("、"),
            m.definition.clone(),
            m.source.clone(),
        ]);
    }
    page.push_str(&md(&t)?);
    page.push_str("\n## Indicators (派生指标)\n\n");
    let mut t = Table::new([
        "code",
        "名称",
        "name",
        "单位",
        "formula",
        "direction",
        "别名",
        "口径",
        "依据",
    ]);
    for i in &catalog.indicators {
        t.push(vec![
            format!("`{}`", i.code),
            i.name.clone(),
            i.name_en.clone(),
            i.unit.clone(),
            format!("`{}`", formula(i)),
            dir(i.direction),
            i.aliases.join("、"),
            i.definition.clone(),
            i.source.clone(),
        ]);
    }
    page.push_str(&md(&t)?);
    Ok(page)
}
