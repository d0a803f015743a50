//! `yilian bureau`: several consortia side by side (docs/bureau.md).

use super::ui::t;
use crate::bureau::{self, rank, Bureau, By, Engines, Loaded, Scopes};
use crate::cli::{
    BureauArgs, BureauCommand, BureauCommon, BureauIndicatorsArgs, BureauRankArgs,
    BureauReportArgs, BureauScopeArg, BureauSubmissionsArgs, CsvArgs, RankByArg, WindowArg,
};
use crate::compute::{Record, Request, Window};
use crate::export::{escape_terminal, Format, Table, WriteOptions};
use crate::i18n::Msg;
use crate::model::period::{MonthOrQuarter, Period};
use anyhow::Result;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

pub fn run(args: &BureauArgs) -> Result<i32> {
    match &args.command {
        BureauCommand::Init(a) => {
            let (path, _) = bureau::scaffold(&a.dir, a.name.as_deref())?;
            let path = path.display().to_string();
            eprintln!("{}", escape_terminal(&t(Msg::Wrote, &[("path", &path)])));
            eprintln!("{}", t(Msg::BureauInitNext, &[("path", &path)]));
            Ok(crate::exit::OK)
        }
        BureauCommand::Indicators(a) => indicators(a),
        BureauCommand::Rank(a) => ranks(a, false),
        BureauCommand::League(a) => ranks(a, true),
        BureauCommand::Submissions(a) => submissions(a),
        BureauCommand::Report(a) => report(a, false),
        BureauCommand::Export(a) => report(a, true),
    }
}

/// The bureau file, the month and window asked (a quarter is its window up to the last month
/// any consortium stores, as `yilian indicators` takes it; default: the newest stored month),
/// and every consortium's figures of the months `needs` gives for them; warnings on stderr.
fn open(
    common: &BureauCommon,
    asked: Option<MonthOrQuarter>,
    window: Option<WindowArg>,
    needs: impl Fn(Period, Window) -> std::collections::BTreeSet<Period>,
) -> Result<(Bureau, Loaded, Period, Window)> {
    super::store_options(&crate::cli::Common::default())?;
    let path = bureau::config::discover(common.config.as_deref())?;
    let b = Bureau::load(&path)?;
    let t0 = std::time::Instant::now();
    let stored = match asked {
        Some(MonthOrQuarter::Quarter(_)) => Loaded::stored_months(&b)?,
        _ => Default::default(),
    };
    let (month, window) =
        super::indicators::period_and_window(asked, window.map(Window::from), &stored)?;
    let l = Loaded::for_months(&b, month, |p| needs(p, window))?;
    let period = l.resolve_period(month)?;
    log::debug!(
        "bureau: stores read, region built {:.3}s",
        t0.elapsed().as_secs_f64()
    );
    for w in &l.warnings {
        super::ui::line(Msg::Warning, w);
    }
    Ok((b, l, period, window))
}

fn codes(l: &Loaded, asked: &Option<Vec<String>>) -> Result<Option<Vec<String>>> {
    match asked {
        Some(texts) => Ok(Some(super::indicator_codes(&l.region.consortium, texts)?)),
        None => Ok(None),
    }
}

fn write(table: &Table, format: Format, csv: &CsvArgs, output: Option<&Path>) -> Result<()> {
    let bytes = csv.bytes(&Default::default(), format == Format::Csv)?;
    let opts = WriteOptions::new(csv.csv_raw, output.is_some()).with_bytes(bytes);
    let mut sink = super::sink(output)?;
    table.write_with(format, opts, &mut sink)?;
    sink.flush()?;
    Ok(())
}

fn indicators(a: &BureauIndicatorsArgs) -> Result<i32> {
    let (b, l, period, window) = open(&a.common, a.period, a.window, |p, w| {
        crate::compute::months_read(w, p)
    })?;
    let req = Request {
        period,
        window,
        scopes: vec![],
        like_for_like: a.like_for_like,
        indicators: codes(&l, &a.indicator)?,
    };
    let scopes = Scopes {
        consortia: a.scope != BureauScopeArg::Region,
        region: a.scope != BureauScopeArg::Consortium,
    };
    let t0 = std::time::Instant::now();
    let engines = Engines::new(&b, &l)?;
    log::debug!("bureau: engines {:.3}s", t0.elapsed().as_secs_f64());
    let records = engines.indicators(&req, scopes)?;
    log::debug!("bureau: indicators {:.3}s", t0.elapsed().as_secs_f64());
    let shared = l.region.shared(&b, &window.months(period));
    let table = match a.format {
        Format::Table | Format::Md => {
            for s in &shared {
                let what = format!("{} ({})", s.name, s.consortia.join(", "));
                eprintln!(
                    "{}",
                    escape_terminal(&t(Msg::BureauShared, &[("what", &what)]))
                );
            }
            crate::render::people_table(&records, &engines.directions())
        }
        _ => bureau::indicators_table(&records, &shared),
    };
    write(&table, a.format, &a.csv, a.output.as_deref())?;
    Ok(crate::exit::OK)
}

/// Consortium records of `codes`, on the basis a ranking by `by` compares.
fn ranked_records(
    e: &Engines,
    period: Period,
    window: Window,
    codes: &[String],
    by: By,
) -> Result<Vec<Record>> {
    let req = Request {
        period,
        window,
        scopes: vec![],
        like_for_like: by == By::Change,
        indicators: Some(codes.to_vec()),
    };
    let scopes = Scopes {
        consortia: true,
        region: false,
    };
    e.indicators(&req, scopes)
}

fn ranks(a: &BureauRankArgs, league: bool) -> Result<i32> {
    let (b, l, period, window) = open(&a.common, a.period, a.window, |p, w| {
        crate::compute::months_read(w, p)
    })?;
    let codes = codes(&l, &a.indicator)?
        .unwrap_or_else(|| bureau::MONITORING.iter().map(|c| c.to_string()).collect());
    let by = match a.by {
        RankByArg::Value => By::Value,
        RankByArg::Change => By::Change,
    };
    let engines = Engines::new(&b, &l)?;
    let records = ranked_records(&engines, period, window, &codes, by)?;
    let dirs = engines.directions();
    let targets: HashMap<String, bureau::Target> = b.file.targets.clone().into_iter().collect();
    let table = if league {
        bureau::league_table(&records, &codes, by, &dirs, &targets)
    } else {
        let mut rows = Vec::new();
        for code in &codes {
            let of: Vec<Record> = records
                .iter()
                .filter(|r| &r.indicator == code)
                .cloned()
                .collect();
            rows.extend(rank::ranked(
                of,
                by,
                dirs.get(code).copied().unwrap_or_default(),
            ));
        }
        match a.format {
            Format::Table | Format::Md => bureau::rank_people_table(&rows, by, &targets, &dirs),
            _ => bureau::rank_table(&rows, by, &targets),
        }
    };
    write(&table, a.format, &a.csv, a.output.as_deref())?;
    Ok(crate::exit::OK)
}

fn submissions(a: &BureauSubmissionsArgs) -> Result<i32> {
    // Figures only to tell which month is the newest with any.
    let asked = a.period.map(MonthOrQuarter::Month);
    let (b, _, period, _) = open(&a.common, asked, None, |p, _| [p].into())?;
    let rows = bureau::submissions::rows(&b, &[period])?;
    for r in &rows {
        for n in &r.notes {
            eprintln!("{}", escape_terminal(&t(Msg::Note, &[("what", n)])));
        }
    }
    write(
        &bureau::submissions_table(&rows),
        a.format,
        &a.csv,
        a.output.as_deref(),
    )?;
    Ok(crate::exit::OK)
}

fn report(a: &BureauReportArgs, export: bool) -> Result<i32> {
    let (b, l, period, window) = open(&a.common, a.period, None, |p, _| bureau::report_months(p))?;
    std::fs::create_dir_all(&a.out)?;
    let written = if export {
        bureau::report::export(&b, &l, period, window, &a.out)?
    } else {
        crate::report::font::register(None)?;
        bureau::report::bundle(&b, &l, period, window, &a.out)?
    };
    for p in written {
        let path = p.display().to_string();
        eprintln!("{}", escape_terminal(&t(Msg::Wrote, &[("path", &path)])));
    }
    Ok(crate::exit::OK)
}
