//! `yilian init`: a first consortium.toml proposed from an inbox of members' spreadsheets.
//!
//! Every file is read and located as ingest does (`read`, `locate`, ingest's folder walk) with
//! a consortium of no members, so the names found are the ones ingest will meet: `填报单位` and
//! the member column of summaries and tidy tables; for a single-member sheet that names no one,
//! the sheet name, a title or the file name, as ingest falls back to them. Names that are short
//! forms of a longer one (`县中医院` of `示例县中医医院`, `大沙卫生院` of `大沙镇中心卫生院`) become
//! its aliases. What cannot be decided is said, never guessed silently.

use crate::config::{tidy_name, Consortium, ConsortiumFile, Member};
use crate::i18n::{Lang, Msg, Sep, Text};
use crate::ingest::{collect_files, Status, Walked};
use crate::locate::{self, Layout};
use crate::model::{Period, Tier};
use crate::read;
use crate::said;
use crate::text::{normalize_label, to_halfwidth};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How sure the tier read from a member's name is.
#[derive(Clone, Debug, PartialEq)]
pub enum TierGuess {
    /// The name says the kind of institution (`卫生院`, `卫生室`, `县人民医院`); the word given.
    Sure(Tier, &'static str),
    /// A likely tier, to be checked: why.
    Unsure(Tier, Msg),
    /// The name says nothing we can read a tier from.
    Unknown,
}

/// The tier a member's name suggests: 人民医院/中医院 → secondary, 卫生院/社区卫生服务中心 →
/// primary, 卫生室 → village.
pub fn guess_tier(name: &str) -> TierGuess {
    let n = normalize_label(name);
    const VILLAGE: &[&str] = &["卫生室", "卫生所"];
    const PRIMARY: &[&str] = &["卫生服务中心", "卫生服务站", "卫生院"];
    const SECONDARY: &[&str] = &["人民医院", "中医医院", "中医院", "中西医结合医院"];
    if let Some(w) = VILLAGE.iter().find(|w| n.ends_with(*w)) {
        return TierGuess::Sure(Tier::Village, w);
    }
    if let Some(w) = PRIMARY.iter().find(|w| n.contains(*w)) {
        return TierGuess::Sure(Tier::Primary, w);
    }
    if let Some(w) = SECONDARY.iter().find(|w| n.contains(*w)) {
        // A city's or province's hospital is as often 三级 as 二级.
        let place = &n[..n.find(w).unwrap_or(0)];
        if place.contains(['市', '省']) {
            return TierGuess::Unsure(Tier::Secondary, Msg::CityHospitalTier);
        }
        return TierGuess::Sure(Tier::Secondary, w);
    }
    if n.contains("妇幼保健院") {
        return TierGuess::Unsure(Tier::Secondary, Msg::MaternalHospitalTier);
    }
    TierGuess::Unknown
}

/// Words ending an institution's name, longest first where one ends another.
const INSTITUTION_ENDS: &[&str] = &[
    "卫生服务中心",
    "卫生服务站",
    "卫生室",
    "卫生院",
    "卫生所",
    "医院",
    "中心",
    "院",
    "社区",
    "村",
    "站",
];

/// Texts that end like a name but name no one hospital (`村卫生室数据.csv`, `全院汇总`).
fn is_generic(name: &str) -> bool {
    const GENERIC: &[&str] = &[
        "村卫生室",
        "卫生室",
        "卫生院",
        "乡镇卫生院",
        "乡卫生院",
        "镇卫生院",
        "中心卫生院",
        "社区卫生服务中心",
        "社区卫生服务站",
        "卫生服务中心",
        "医院",
        "人民医院",
        "中医院",
        "医疗机构",
        "基层医疗机构",
        "数据中心",
        "信息中心",
        "统计中心",
        "服务中心",
    ];
    // Not `全` or `本` alone: 全椒县, 本溪市 are places.
    const OPENINGS: &[&str] = &[
        "各",
        "全县",
        "全市",
        "全区",
        "全院",
        "本院",
        "本县",
        "本单位",
        "基层",
        "成员",
        "所有",
        "汇总",
        "村级",
        "乡镇",
    ];
    GENERIC.contains(&name) || OPENINGS.iter().any(|p| name.starts_with(p))
}

/// A hospital's name inside a file name, sheet name or title (`县中医院2024年03月报表` →
/// `县中医院`, `新华社区_HIS导出_202401` → `新华社区`): the first piece between separators and
/// digits that ends with an institution word, cut after its last such word; None for texts
/// naming no one (`2024年1月基层医疗机构业务量汇总表`, `村卫生室数据_2024-03`).
pub fn name_in_text(text: &str) -> Option<String> {
    let t = to_halfwidth(text);
    let pieces = t.split(|c: char| {
        c.is_ascii_alphanumeric()
            || c.is_whitespace()
            || "_-—–.,，、;；:：()[]{}<>（）《》+·#~!@$%^&=/\\|'\"".contains(c)
    });
    for piece in pieces {
        // What a split date leaves (`2024年3月基层…` → `月基层…`).
        let piece = piece.trim_start_matches(['年', '月', '日', '度', '季', '份', '第']);
        let end = INSTITUTION_ENDS
            .iter()
            .filter_map(|w| piece.rfind(w).map(|i| i + w.len()))
            .max();
        let Some(end) = end else { continue };
        let name = &piece[..end];
        // Two characters are a word (`住院`, `全院`), not a name.
        if name.chars().count() >= 3 && !is_generic(name) {
            return Some(name.to_string());
        }
    }
    None
}

/// A short ASCII id: the pinyin initials of the name (`大沙镇中心卫生院` → `dszzxwsy`), its
/// ASCII letters and digits kept; empty when the name has neither.
pub fn pinyin_id(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut id = String::new();
    for c in tidy_name(name).chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            id.push_str(p.first_letter());
        }
    }
    id
}

/// Where a name was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// `填报单位：…` (or 单位名称, 报送单位…) beside the table.
    Unit,
    /// A row of the member column of a summary or tidy table.
    Column,
    /// The sheet's name, a title, the file's name: for a sheet that names no member inside.
    SheetName,
    Title,
    FileName,
}

impl Source {
    fn words(self) -> Text {
        said!(match self {
            Source::Unit => Msg::SourceUnit,
            Source::Column => Msg::SourceColumn,
            Source::SheetName => Msg::SourceSheetName,
            Source::Title => Msg::SourceTitle,
            Source::FileName => Msg::SourceFileName,
        })
    }
}

/// One name found in one file.
#[derive(Clone, Debug)]
struct Sighting {
    name: String,
    source: Source,
    /// `sheet!C3`, or the sheet alone.
    place: String,
    /// Months of the values under this name.
    periods: BTreeSet<Period>,
}

/// What one file says about members.
#[derive(Clone, Debug, Default)]
struct FileFinding {
    path: PathBuf,
    sightings: Vec<Sighting>,
    /// Names in the file's or a sheet's name, for the one member the file names inside: a
    /// short form of it, or its full name (`示例县妇幼保健院…月报.ods` with 填报单位 `县妇幼`).
    short_forms: Vec<(String, Source)>,
    /// Sheets with a table but no member named anywhere ingest looks.
    unnamed: Vec<String>,
    /// A sheet whose member was taken from its name, a title or the file name (checked again
    /// with the proposed members, as ingest will see it).
    by_name: bool,
    /// Why nothing in the file can be used (unreadable, no table).
    unusable: Option<Text>,
}

/// A member of the proposal.
#[derive(Clone, Debug)]
pub struct Proposed {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub tier: TierGuess,
    /// The first month of its values in the inbox.
    pub first: Option<Period>,
    /// Files naming it.
    pub files: usize,
    /// The first file naming it, and where.
    pub example: Text,
    /// Why an alias was taken, one line each (`县中医院: the file name of … names 示例县中医医院`).
    pub notes: Vec<Text>,
}

/// What `init` found, and what it could not decide.
#[derive(Clone, Debug, Default)]
pub struct Proposal {
    pub members: Vec<Proposed>,
    /// Spreadsheets read.
    pub files: usize,
    /// Other files in the inbox that ingest skips too (not spreadsheets, lock files).
    pub skipped: usize,
    /// Files (and sheets) where no member could be found: `path: why`.
    pub no_member: Vec<Text>,
    /// Files ingest will reject whatever the consortium file says: `path: why`.
    pub unusable: Vec<Text>,
    /// Names that may be the same hospital, one line each.
    pub maybe_same: Vec<Text>,
}

fn rel(path: &Path, inbox: &Path) -> String {
    path.strip_prefix(inbox)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Reads one file and notes the names in it, as ingest would locate them.
fn scan_file(path: &Path, empty: &Consortium) -> FileFinding {
    let mut f = FileFinding {
        path: path.to_path_buf(),
        ..Default::default()
    };
    let wb = match std::fs::read(path)
        .map_err(|e| said!(Msg::CannotReadIt, reason = e))
        .and_then(|b| read::read_bytes(&b).map_err(|e| Text::from(e.to_string())))
    {
        Ok(wb) => wb,
        Err(e) => {
            f.unusable = Some(e);
            return f;
        }
    };
    let file_name = crate::ingest::name_of(path);
    let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
    let ctx = locate::Context {
        consortium: empty,
        file_name: &file_name,
        period_override: None,
    };
    let mut any_table = false;
    for sheet in wb.sheets.iter().filter(|s| !s.is_blank()) {
        let res = locate::locate_sheet(sheet, &ctx);
        let Some(layout) = res.layout else { continue };
        any_table = true;
        let column = matches!(layout, Layout::Wide | Layout::Tidy);
        let mut named = false;
        // A summary names each member on many values: one sighting per name and sheet place.
        let mut seen: std::collections::HashMap<(&str, &str), usize> = Default::default();
        for v in &res.values {
            if v.member_text.trim().is_empty() {
                continue;
            }
            named = true;
            // A member column's rows are one name however many cells; a form's 填报单位 is its cell.
            let at = if column { "" } else { &*v.member_cell };
            match seen.get(&(&*v.member_text, at)) {
                Some(&i) => {
                    f.sightings[i].periods.insert(v.period);
                }
                None => {
                    seen.insert((&v.member_text, at), f.sightings.len());
                    f.sightings.push(Sighting {
                        name: v.member_text.to_string(),
                        source: if column { Source::Column } else { Source::Unit },
                        place: format!("{}!{}", sheet.name, v.member_cell),
                        periods: BTreeSet::from([v.period]),
                    });
                }
            }
        }
        if column {
            continue;
        }
        if named {
            continue;
        }
        let meta = locate::sheet_meta(sheet);
        if let Some((name, cell)) = meta.member {
            // Named, but no values (no month found): the name still counts.
            f.sightings.push(Sighting {
                name,
                source: Source::Unit,
                place: format!("{}!{cell}", sheet.name),
                periods: BTreeSet::new(),
            });
            continue;
        }
        // No 填报单位: ingest looks at the sheet name, the titles, then the file name.
        let found = name_in_text(&sheet.name)
            .map(|n| (n, Source::SheetName))
            .or_else(|| {
                meta.titles
                    .iter()
                    .find_map(|t| name_in_text(t))
                    .map(|n| (n, Source::Title))
            })
            .or_else(|| name_in_text(stem).map(|n| (n, Source::FileName)));
        match found {
            Some((name, source)) => {
                f.by_name = true;
                f.sightings.push(Sighting {
                    name,
                    source,
                    place: sheet.name.clone(),
                    periods: BTreeSet::new(),
                });
            }
            None => f.unnamed.push(sheet.name.clone()),
        }
    }
    if !any_table {
        f.unusable = Some(if wb.sheets.iter().all(|s| s.is_blank()) {
            said!(Msg::EverySheetEmpty)
        } else {
            said!(Msg::NoRecognisableTable)
        });
        return f;
    }
    // A file of one member: the short form in its name (`县中医院2024年03月报表.xlsx`) or a
    // sheet's name is an alias ingest can match the next file by.
    let keys: BTreeSet<String> = f.sightings.iter().map(|s| key(&s.name)).collect();
    if keys.len() == 1 {
        let texts = std::iter::once((stem, Source::FileName)).chain(
            wb.sheets
                .iter()
                .map(|s| (s.name.as_str(), Source::SheetName)),
        );
        for (t, source) in texts {
            if let Some(n) = name_in_text(t) {
                if !f.short_forms.iter().any(|(m, _)| *m == n) {
                    f.short_forms.push((n, source));
                }
            }
        }
    }
    f
}

/// The key names are matched by, as ingest matches them.
fn key(name: &str) -> String {
    normalize_label(&tidy_name(name))
}

/// Whether every character of `short` occurs in `long`, in order: `县中医院` in `示例县中医医院`,
/// `市一院` in `示例市第一人民医院`.
fn is_short_form(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short != long && short.chars().all(|c| rest.any(|l| l == c))
}

/// The name's kind of institution and what is left without it and its place word
/// (`石门乡卫生院` → (`卫生院`, `石门`)), to tell two spellings of one hospital.
fn stem(key: &str) -> (&'static str, &str) {
    let mut s = key;
    let mut kind = "";
    for end in [
        "社区卫生服务中心",
        "社区卫生服务站",
        "中心卫生院",
        "卫生院",
        "村卫生室",
        "卫生室",
        "人民医院",
        "中医医院",
        "中医院",
        "妇幼保健院",
        "医院",
    ] {
        if let Some(x) = s.strip_suffix(end) {
            s = x;
            kind = end;
            break;
        }
    }
    for end in ["街道", "乡", "镇", "村", "社区"] {
        if let Some(x) = s.strip_suffix(end) {
            s = x;
            break;
        }
    }
    (kind, s)
}

/// A name as gathered over the inbox.
#[derive(Default)]
struct NameInfo {
    shown: String,
    files: BTreeSet<PathBuf>,
    periods: BTreeSet<Period>,
    example: Text,
}

/// Reads the inbox and proposes its members.
pub fn propose(inbox: &Path) -> Result<Proposal> {
    let Walked { files, skipped, .. } = collect_files(&[inbox.to_path_buf()])?;
    let empty = Consortium::from_file(ConsortiumFile::default(), None)?;
    let findings: Vec<FileFinding> = files
        .par_iter()
        .map(|p| {
            // A panic on one file (ours or a reader's) leaves that file out, said, as ingest does.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scan_file(p, &empty)))
                .unwrap_or_else(|_| FileFinding {
                    path: p.clone(),
                    unusable: Some("yilian failed on this file (internal error)".into()),
                    ..Default::default()
                })
        })
        .collect();
    let mut proposal = Proposal {
        files: files.len(),
        ..Default::default()
    };
    // The walk's own reports: files ingest skips too (counted), and folders or special files
    // it cannot read (said, as ingest says them).
    for r in &skipped {
        if r.status == Status::Skipped {
            proposal.skipped += 1;
        } else {
            let why: Vec<Text> = r.errors.iter().map(|m| m.located_text()).collect();
            proposal.unusable.push(said!(
                Msg::PathWhy,
                path = rel(Path::new(&r.path), inbox),
                why => Text::Joined(why, Sep::Semicolon)
            ));
        }
    }
    let mut names: BTreeMap<String, NameInfo> = BTreeMap::new();
    for f in &findings {
        let r = rel(&f.path, inbox);
        if let Some(why) = &f.unusable {
            proposal
                .unusable
                .push(said!(Msg::PathWhy, path = r, why => why.clone()));
        }
        for sheet in &f.unnamed {
            proposal
                .no_member
                .push(said!(Msg::SheetNamesNoHospital, path = r, sheet = sheet));
        }
        for s in &f.sightings {
            let k = key(&s.name);
            if k.is_empty() {
                continue;
            }
            let info = names.entry(k).or_default();
            if info.shown.is_empty() {
                info.shown = tidy_name(&s.name);
                info.example = said!(
                    Msg::ExampleAt,
                    path = r,
                    source => s.source.words(),
                    place = s.place
                );
            }
            info.files.insert(f.path.clone());
            info.periods.extend(s.periods.iter().copied());
        }
        // The file's own name may give the longer name of the one member its 填报单位 names
        // by a short form: then it is a name of that member too.
        let Some(inside) = f.sightings.first().map(|s| key(&s.name)) else {
            continue;
        };
        for (n, source) in &f.short_forms {
            if !is_short_form(&inside, &key(n)) {
                continue;
            }
            let info = names.entry(key(n)).or_default();
            if info.shown.is_empty() {
                info.shown = n.clone();
                info.example = said!(Msg::ExampleIn, path = r, source => source.words());
            }
            info.files.insert(f.path.clone());
            let periods = f.sightings.iter().flat_map(|s| s.periods.iter().copied());
            info.periods.extend(periods);
        }
    }
    // Longest first: a name is the member's own when no longer name holds it as a short form.
    let mut keys: Vec<&String> = names.keys().collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.chars().count()));
    let full: Vec<&String> = keys
        .iter()
        .filter(|k| !keys.iter().any(|l| is_short_form(k, l)))
        .copied()
        .collect();
    // Member index per key.
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    let mut members: Vec<Proposed> = Vec::new();
    let new_member = |k: &String, names: &BTreeMap<String, NameInfo>| -> Proposed {
        let info = &names[k];
        Proposed {
            id: String::new(),
            name: info.shown.clone(),
            aliases: vec![],
            tier: guess_tier(&info.shown),
            first: info.periods.first().copied(),
            files: info.files.len(),
            example: info.example.clone(),
            notes: vec![],
        }
    };
    for k in &full {
        owner.insert((*k).clone(), members.len());
        members.push(new_member(k, &names));
    }
    let shorts: Vec<&String> = keys
        .iter()
        .filter(|k| !owner.contains_key(**k))
        .copied()
        .collect();
    for k in &shorts {
        let holders: Vec<&String> = full
            .iter()
            .filter(|l| is_short_form(k, l))
            .copied()
            .collect();
        let info = &names[*k];
        if let [one] = holders.as_slice() {
            let i = owner[*one];
            let m = &mut members[i];
            m.aliases.push(info.shown.clone());
            m.files = m.files.max(info.files.len());
            if let Some(p) = info.periods.first() {
                m.first = Some(m.first.map_or(*p, |f| f.min(*p)));
            }
            m.notes.push(said!(
                Msg::ShortFormOf,
                short = info.shown,
                example => info.example.clone(),
                name = m.name
            ));
            owner.insert((*k).clone(), i);
        } else {
            // A short form of several names: its own member, to be merged by the user.
            let shown: Vec<Text> = holders
                .iter()
                .map(|h| Text::from(names[*h].shown.as_str()))
                .collect();
            proposal.maybe_same.push(said!(
                Msg::MayBeAnyOf,
                short = info.shown,
                example => info.example.clone(),
                names => Text::Joined(shown.clone(), Sep::Comma)
            ));
            owner.insert((*k).clone(), members.len());
            let mut m = new_member(k, &names);
            m.notes.push(said!(
                Msg::MayBeSameDelete,
                names => Text::Joined(shown, Sep::Or),
                name = m.name
            ));
            members.push(m);
        }
    }
    // Files are counted per member, not per name.
    let mut member_files: Vec<BTreeSet<&PathBuf>> = vec![BTreeSet::new(); members.len()];
    for (k, info) in &names {
        member_files[owner[k]].extend(info.files.iter());
    }
    for (m, f) in members.iter_mut().zip(&member_files) {
        m.files = f.len();
    }
    // Short forms in the names of one member's files.
    for f in &findings {
        let Some(k) = f.sightings.first().map(|s| key(&s.name)) else {
            continue;
        };
        let Some(&i) = owner.get(&k) else { continue };
        for (short, _) in &f.short_forms {
            let sk = key(short);
            if owner.contains_key(&sk) || !is_short_form(&sk, &key(&members[i].name)) {
                continue;
            }
            owner.insert(sk, i);
            let m = &mut members[i];
            m.aliases.push(short.clone());
            m.notes.push(said!(
                Msg::ShortFormFromFileName,
                short = short,
                path = rel(&f.path, inbox),
                name = m.name
            ));
        }
    }
    // Two full names of one hospital, spelt differently (`石门乡卫生院`, `石门镇卫生院`).
    for (a, ka) in full.iter().enumerate() {
        for kb in &full[a + 1..] {
            let (sa, sb) = (stem(ka), stem(kb));
            if !sa.0.is_empty() && sa.1.chars().count() >= 2 && sa == sb {
                let (na, nb) = (&names[*ka].shown, &names[*kb].shown);
                proposal
                    .maybe_same
                    .push(said!(Msg::TwoSpellings, first = na, second = nb));
                let ia = owner[*ka];
                members[ia].notes.push(said!(Msg::MayBeSameAs, name = nb));
            }
        }
    }
    // Stable order: by tier guessed, then by name.
    let rank = |t: &TierGuess| match t {
        TierGuess::Sure(t, _) | TierGuess::Unsure(t, _) => *t as usize,
        TierGuess::Unknown => 9,
    };
    members.sort_by(|a, b| {
        rank(&a.tier)
            .cmp(&rank(&b.tier))
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (n, m) in members.iter_mut().enumerate() {
        let base = match pinyin_id(&m.name) {
            id if id.is_empty() => format!("m{:02}", n + 1),
            id => id,
        };
        let mut id = base.clone();
        let mut k = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}{k}");
            k += 1;
        }
        m.id = id;
        m.aliases.sort();
    }
    proposal.members = members;
    // Sheets whose member comes from a name: located again with the proposal, as ingest will.
    check_by_name(&mut proposal, &findings, inbox)?;
    Ok(proposal)
}

/// Locates again, with the proposed members, the files whose member comes from a sheet name,
/// a title or the file name: a sheet ingest would still find no member in is reported, and the
/// months found there count for `joined`.
fn check_by_name(proposal: &mut Proposal, findings: &[FileFinding], inbox: &Path) -> Result<()> {
    if !findings.iter().any(|f| f.by_name) {
        return Ok(());
    }
    // Tier and month do not matter to finding members: stand-ins where they are not known yet.
    let members = proposal
        .members
        .iter()
        .map(|m| Member {
            id: m.id.clone(),
            name: m.name.clone(),
            aliases: m.aliases.clone(),
            tier: Some(Tier::Primary),
            tiers: None,
            // A member seen in no dated sheet: a placeholder month the file's comment asks to correct.
            joined: m.first.unwrap_or(Period::from_index(2000 * 12)),
            left: None,
        })
        .collect();
    let consortium = Consortium::from_file(
        ConsortiumFile {
            members,
            ..Default::default()
        },
        None,
    )?;
    for f in findings.iter().filter(|f| f.by_name) {
        let r = rel(&f.path, inbox);
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            recheck_file(f, &consortium, &r)
        }));
        let Ok((months, problems)) = checked else {
            proposal
                .unusable
                .push(said!(Msg::PathWhy, path = r, why => said!(Msg::InternalErrorOnFile)));
            continue;
        };
        for (id, period) in months {
            if let Some(p) = proposal.members.iter_mut().find(|p| p.id == id) {
                p.first = Some(p.first.map_or(period, |f| f.min(period)));
            }
        }
        proposal.no_member.extend(problems);
    }
    Ok(())
}

/// One file located with the proposed members: the first month of each member in it, and the
/// sheets whose member ingest would not take as init did.
fn recheck_file(
    f: &FileFinding,
    consortium: &Consortium,
    r: &str,
) -> (BTreeMap<String, Period>, Vec<Text>) {
    let mut months: BTreeMap<String, Period> = BTreeMap::new();
    let mut problems = Vec::new();
    let Ok(wb) = std::fs::read(&f.path)
        .map_err(|e| e.to_string())
        .and_then(|b| read::read_bytes(&b).map_err(|e| e.to_string()))
    else {
        return (months, problems);
    };
    let file_name = crate::ingest::name_of(&f.path);
    let ctx = locate::Context {
        consortium,
        file_name: &file_name,
        period_override: None,
    };
    for sheet in wb.sheets.iter().filter(|s| !s.is_blank()) {
        // The member init took for this sheet from its name, a title or the file name.
        let meant = f
            .sightings
            .iter()
            .find(|s| s.place == sheet.name)
            .and_then(|s| consortium.find_member(&s.name));
        let res = locate::locate_sheet(sheet, &ctx);
        let mut taken: BTreeSet<&str> = BTreeSet::new();
        let mut unknown: BTreeSet<&str> = BTreeSet::new();
        for v in &res.values {
            if v.member_text.trim().is_empty() {
                continue;
            }
            match consortium.find_member(&v.member_text) {
                Some(m) => {
                    taken.insert(m.id.as_str());
                    let first = months.entry(m.id.clone()).or_insert(v.period);
                    *first = (*first).min(v.period);
                }
                None => {
                    unknown.insert(&v.member_text);
                }
            }
        }
        for name in unknown {
            problems.push(said!(
                Msg::MatchesNoProposed,
                path = r,
                sheet = sheet.name,
                name = name
            ));
        }
        if let Some(m) = meant {
            if taken.iter().any(|id| *id != m.id) {
                problems.push(said!(
                    Msg::IngestMatchesOther,
                    path = r,
                    sheet = sheet.name,
                    name = m.name
                ));
            }
        }
    }
    (months, problems)
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The consortium file of the proposal: a short header, then one `[[members]]` per member
/// with comments where a guess is uncertain.
pub fn to_toml(p: &Proposal, name: &str, inbox: &Path, lang: Lang) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# 医联体配置（成员单位、别名、层级），由 `yilian init` 根据 {} 中的报表拟定：请逐一核对后再导入。",
        inbox.display()
    );
    let _ = writeln!(
        t,
        "# Proposed by `yilian init` from the spreadsheets in {}: check each member before `yilian ingest`.",
        inbox.display()
    );
    t.push_str("# 格式说明 / the format: docs/consortium.md (`yilian sample DIR` writes a complete example).\n");
    let _ = writeln!(t, "name = {}", quoted(name));
    t.push_str(
        "# 报送截止日：次月几日前报送 / submissions due by this day of the following month\n",
    );
    t.push_str("# deadline_day = 10\n");
    for m in &p.members {
        t.push_str("\n[[members]]\n");
        let _ = writeln!(
            t,
            "# 见于 {} 个文件 / seen in {} file(s), first: {}",
            m.files,
            m.files,
            m.example.in_lang(lang)
        );
        for n in &m.notes {
            let _ = writeln!(t, "# {}", n.in_lang(lang));
        }
        let _ = writeln!(t, "id = {}", quoted(&m.id));
        let _ = writeln!(t, "name = {}", quoted(&m.name));
        let aliases: Vec<String> = m.aliases.iter().map(|a| quoted(a)).collect();
        let _ = writeln!(t, "aliases = [{}]", aliases.join(", "));
        match &m.tier {
            TierGuess::Sure(tier, word) => {
                let _ = writeln!(
                    t,
                    "tier = \"{tier}\"  # 由名称推断（{word}）/ from the name ({word})"
                );
            }
            TierGuess::Unsure(tier, why) => {
                let why = why.text(lang);
                let _ = writeln!(
                    t,
                    "tier = \"{tier}\"  # 请核对 / check: guessed from the name; {why}"
                );
            }
            TierGuess::Unknown => {
                t.push_str("# 请填写层级 / set the tier: the name does not say it (tertiary | secondary | primary | village);\n");
                t.push_str("# the file does not load until it is set.\n");
                t.push_str("# tier = \"\"\n");
            }
        }
        match m.first {
            Some(first) => {
                let _ = writeln!(
                    t,
                    "joined = \"{first}\"  # 收件箱中最早的月份，请改为实际加入月份 / the first month in the inbox: set the month it joined"
                );
            }
            None => {
                t.push_str("# 请填写加入月份 / set the month it joined (no month was found in its files):\n");
                t.push_str("# joined = \"YYYY-MM\"\n");
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_from_the_kind_of_institution_in_the_name() {
        let sure = |n: &str| match guess_tier(n) {
            TierGuess::Sure(t, _) => Some(t),
            _ => None,
        };
        assert_eq!(sure("示例县人民医院"), Some(Tier::Secondary));
        assert_eq!(sure("示例县中医医院"), Some(Tier::Secondary));
        assert_eq!(sure("县中医院"), Some(Tier::Secondary));
        assert_eq!(sure("大沙镇中心卫生院"), Some(Tier::Primary));
        assert_eq!(sure("城关社区卫生服务中心"), Some(Tier::Primary));
        assert_eq!(sure("红星村卫生室"), Some(Tier::Village));
        // A city's hospital: secondary by the rule, but said to be unsure.
        assert!(matches!(
            guess_tier("示例市第一人民医院"),
            TierGuess::Unsure(Tier::Secondary, _)
        ));
        assert!(matches!(
            guess_tier("示例县妇幼保健院"),
            TierGuess::Unsure(Tier::Secondary, _)
        ));
        assert_eq!(guess_tier("示例骨科医院"), TierGuess::Unknown);
        assert_eq!(guess_tier("新华社区"), TierGuess::Unknown);
    }

    #[test]
    fn names_inside_file_and_sheet_names() {
        for (text, name) in [
            ("县中医院2024年03月报表", Some("县中医院")),
            ("市一院_2024年2月科室运营数据", Some("市一院")),
            ("新华社区_HIS导出_202401", Some("新华社区")),
            (
                "示例县妇幼保健院医疗业务月报_2024-01",
                Some("示例县妇幼保健院"),
            ),
            (
                "城关社区卫生服务中心2024年度业务数据统计表",
                Some("城关社区卫生服务中心"),
            ),
            ("青山镇卫生院_2024年历史数据", Some("青山镇卫生院")),
            ("红星村", Some("红星村")),
            (
                "２０２５年大沙镇中心卫生院（盖章）",
                Some("大沙镇中心卫生院"),
            ),
            ("2024年1月基层医疗机构业务量汇总表", None),
            ("村卫生室数据_2024-03", None),
            ("村卫生室月报_2025年1月", None),
            ("住院", None),
            ("全县乡镇卫生院", None),
            ("全椒县人民医院_2024年3月", Some("全椒县人民医院")),
            ("Sheet1", None),
            ("月报表", None),
        ] {
            assert_eq!(name_in_text(text).as_deref(), name, "{text}");
        }
    }

    #[test]
    fn short_forms_and_stems() {
        assert!(is_short_form("县中医院", "示例县中医医院"));
        assert!(is_short_form("市一院", "示例市第一人民医院"));
        assert!(is_short_form("大沙卫生院", "大沙镇中心卫生院"));
        assert!(!is_short_form("石门乡卫生院", "石桥村卫生室"));
        assert!(!is_short_form("市一院", "市一院"));
        assert_eq!(stem("石门乡卫生院"), ("卫生院", "石门"));
        assert_eq!(stem("石门镇卫生院"), ("卫生院", "石门"));
        assert_eq!(stem("城关社区卫生服务中心"), ("社区卫生服务中心", "城关"));
        assert_ne!(stem("示例县人民医院"), stem("示例县中医医院"));
    }

    #[test]
    fn ids_are_pinyin_initials() {
        assert_eq!(pinyin_id("大沙镇中心卫生院"), "dszzxwsy");
        assert_eq!(pinyin_id("红星村卫生室"), "hxcwss");
        assert_eq!(pinyin_id("HIS 3号"), "his3h");
    }
}
