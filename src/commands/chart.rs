//! `yilian chart KIND`: one chart of the report, as SVG or PNG by the output's extension.

use crate::cli::ChartArgs;
use crate::report::charts::{self, ChartSpec};
use crate::store::Store;
use anyhow::{bail, Result};

pub fn run(args: &ChartArgs) -> Result<i32> {
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ext != "svg" && ext != "png" {
        bail!("{}", super::ui::t(crate::i18n::Msg::ChartOutExtension, &[]));
    }
    crate::report::font::register(args.font.as_deref())?;
    let (consortium, store_dir) = super::setup(&args.common, &[])?;
    let member = match &args.member {
        Some(m) => Some(super::member_id(&consortium, m)?),
        None => None,
    };
    let indicator = match &args.indicator {
        Some(i) => Some(super::indicator_codes(&consortium, std::slice::from_ref(i))?.remove(0)),
        None => None,
    };
    let store = Store::open_existing(&store_dir)?;
    let (data, _, side) = super::report::load(
        &consortium,
        &store,
        args.period,
        args.lang.into(),
        crate::report::ChangeBasis::Comparable,
        member.as_deref(),
        |_, _, _, _| (),
    )?;
    side.join();
    let spec = ChartSpec::new(args.kind.into(), indicator.as_deref(), member.as_deref());
    charts::validate(&data, &spec)?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    if ext == "svg" {
        crate::export::write_file(&args.out, charts::render_svg(&data, &spec)?)?;
    } else {
        charts::render_png(&data, &spec, &args.out)?;
    }
    let path = args.out.display().to_string();
    let line = super::ui::t(crate::i18n::Msg::Wrote, &[("path", &path)]);
    eprintln!("{}", crate::export::escape_terminal(&line));
    Ok(crate::exit::OK)
}
