//! `yilian report`: the monthly report bundle, optionally ingesting the month's mailbox first.

use super::ui::t;
use crate::cli::{IngestArgs, ReportArgs};
use crate::compute::{BaseData, Def, Engine, Record};
use crate::config::Consortium;
use crate::export::escape_terminal;
use crate::i18n::Msg;
use crate::model::period::Period;
use crate::report::{self, ChangeBasis, Lang, ReportData};
use crate::store::Store;
use anyhow::Result;

pub fn run(args: &ReportArgs) -> Result<i32> {
    let mut code = crate::exit::OK;
    if !args.inputs.is_empty() {
        // Same as `yilian ingest`: rejected files are reported, the rest stored, and the
        // report is still written from what the store holds.
        code = super::ingest::run(&IngestArgs {
            common: args.common.clone(),
            period: None,
            add_unknown_members: false,
            format: crate::export::Format::Table,
            verbose: false,
            paths: args.inputs.clone(),
        })?;
    }
    let started = std::time::Instant::now();
    report::font::register(args.font.as_deref())?;
    let (consortium, (), store) = super::setup_store(&args.common, &args.inputs, |_| Ok(()))?;
    let lang: Lang = args.lang.into();
    let (book, tidy) = report::xlsx::begin()?;
    let (data, _, tidy) = load(
        &consortium,
        &store,
        args.period,
        lang,
        args.basis.into(),
        None,
        move |month, ytd, defs, period| {
            let t0 = std::time::Instant::now();
            let filled = report::xlsx::fill_tidy(tidy, month, ytd, defs, period, lang);
            crate::check::stage("report", "the workbook's tidy sheet", t0);
            filled
        },
    )?;
    let written = report::write_bundle(&data, book, || tidy.join(), &args.out)?;
    let line = t(
        Msg::ReportWritten,
        &[
            ("n", &written.files.len()),
            ("dir", &args.out.display()),
            ("secs", &format!("{:.1}", started.elapsed().as_secs_f64())),
        ],
    );
    eprintln!("{}", escape_terminal(&line));
    Ok(code)
}

/// Figures for the report of `period` (default: the latest month stored), and `beside`
/// making what it makes of the month's and year's records (it may still be at it).
pub fn load<T: Send + 'static>(
    consortium: &Consortium,
    store: &Store,
    period: Option<Period>,
    lang: Lang,
    basis: ChangeBasis,
    trend_member: Option<&str>,
    beside: impl FnOnce(&[Record], &[Record], &[Def], Period) -> T + Send + 'static,
) -> Result<(ReportData, Period, report::Side<T>)> {
    // The submissions' part of the report (completeness, blank items, the year's check)
    // reads the store's rows with their lineage and nothing of the figures': it runs on a
    // thread of its own, from the start when the month is asked (a month asked is the
    // month reported, or an error), beside the figures' read and the indicators, which
    // spend much of their time on one core.
    std::thread::scope(|s| {
        let received = |p: Period| s.spawn(move || report::Received::gather(consortium, store, p));
        let early = period.map(|p| (p, received(p)));
        // Only the months the report shows are read (report::months_read).
        let (base, resolved) =
            BaseData::for_period(store, period, BaseData::stored_months(store)?, |p| {
                report::months_read(consortium, p)
            })?;
        for w in &base.warnings {
            super::ui::line(Msg::Warning, w);
        }
        let period = resolved?;
        let received = match early {
            Some((p, h)) if p == period => h,
            _ => received(period),
        };
        let engine = Engine::from_base(consortium, base)?;
        let (data, made) = ReportData::gather(
            consortium,
            engine,
            period,
            lang,
            basis,
            trend_member,
            || report::joined(received),
            move |month, ytd, defs| beside(month, ytd, defs, period),
        )?;
        Ok((data, period, made))
    })
}
