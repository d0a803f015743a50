//! The CJK font: a subset of Noto Sans CJK SC (SIL OFL 1.1, assets/fonts/OFL.txt) compiled
//! into the binary, so charts render Chinese on machines without any CJK font.

use crate::i18n::{Msg, SaidContext};
use crate::said;
use ab_glyph::{Font, FontRef};
use anyhow::{anyhow, Result};
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::OnceLock;

/// The OpenType subset (charts; GB2312 + ASCII + punctuation, see scripts/subset_font.py).
pub static FONT_OTF: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-subset.otf");
/// The same subset as WOFF2, inlined into index.html.
pub static FONT_WOFF2: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-subset.woff2");

/// The family name charts ask plotters for; plotters' own default labels use it too.
pub const FAMILY: &str = "sans-serif";

static FONT: OnceLock<&'static [u8]> = OnceLock::new();

/// Registers the chart font once per process: `--font FILE` if given, else the embedded one.
/// Plotters keeps fonts for the life of the process, hence the leaked copy of a user file.
pub fn register(user: Option<&Path>) -> Result<&'static [u8]> {
    if let Some(bytes) = FONT.get() {
        return Ok(bytes);
    }
    let bytes: &'static [u8] = match user {
        Some(p) => {
            let data = std::fs::read(p).said(|| said!(Msg::FontUnreadable, path = p.display()))?;
            FontRef::try_from_slice(&data)
                .map_err(|_| said!(Msg::FontInvalid, path = p.display()))?;
            Box::leak(data.into_boxed_slice())
        }
        None => FONT_OTF,
    };
    for style in [FontStyle::Normal, FontStyle::Bold] {
        plotters::style::register_font(FAMILY, style, bytes)
            .map_err(|_| crate::i18n::internal("the chart font cannot be loaded"))?;
    }
    Ok(*FONT.get_or_init(|| bytes))
}

/// The registered chart font (the embedded one if `register` has not run).
pub fn current() -> &'static [u8] {
    FONT.get().copied().unwrap_or(FONT_OTF)
}

/// Characters of `text` the font has no glyph for (they would draw as empty boxes).
pub fn missing_glyphs(font: &[u8], text: &str) -> Result<Vec<char>> {
    let f = FontRef::try_from_slice(font).map_err(|_| anyhow!("invalid font"))?;
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_control() && *c != ' ' && f.glyph_id(*c).0 == 0)
        .collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
