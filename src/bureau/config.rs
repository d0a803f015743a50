//! bureau.toml: the region's name, its consortia (each a consortium.toml with its store), the
//! members known under different names in different consortia, and the region's targets.

use crate::config::Consortium;
use crate::i18n::{Msg, SaidContext};
use crate::said;
use crate::text::normalize_label;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BureauFile {
    /// The region (区域) the bureau oversees, e.g. 示例市卫生健康委员会.
    pub name: String,
    #[serde(default)]
    pub consortia: Vec<ConsortiumRef>,
    /// Members that are one hospital although their full names differ between consortia.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<SameAs>,
    /// Region-level targets (达标) per indicator code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub targets: BTreeMap<String, Target>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConsortiumRef {
    /// Short stable id, the `entity` of the consortium's rows.
    pub id: String,
    /// A consortium.toml, or a folder holding one (relative to bureau.toml).
    pub config: PathBuf,
    /// Its store [default: `store` beside the consortium file].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<PathBuf>,
}

/// `[[same_as]] members = ["yigongti:county_tcm", "zhuanke:tcm"]`: consortium id : member id.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SameAs {
    pub members: Vec<String>,
}

/// `[targets.bed_occupancy] min = 85.0`: met when the value is at least `min` and at most
/// `max` (either may be left out).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Target {
    /// Whether a value meets the target; undefined for an undefined value.
    pub fn met(&self, v: Option<f64>) -> Option<bool> {
        let v = v?;
        Some(self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m))
    }
    /// `≥85`, `≤9`, `85–90`.
    pub fn text(&self) -> String {
        let n = crate::model::num::fmt_plain;
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{}–{}", n(a), n(b)),
            (Some(a), None) => format!("≥{}", n(a)),
            (None, Some(b)) => format!("≤{}", n(b)),
            (None, None) => String::new(),
        }
    }
}

/// One consortium of the bureau, loaded.
pub struct Member {
    pub id: String,
    pub consortium: Consortium,
    pub store: PathBuf,
}

impl Member {
    /// The consortium's name as its file gives it, else its id.
    pub fn name(&self) -> String {
        match self.consortium.file.name.trim() {
            "" => self.id.clone(),
            n => n.to_string(),
        }
    }
}

pub struct Bureau {
    pub file: BureauFile,
    pub path: PathBuf,
    pub consortia: Vec<Member>,
}

impl Bureau {
    pub fn load(path: &Path) -> Result<Bureau> {
        let text = std::fs::read_to_string(path)
            .said(|| said!(Msg::CannotReadBureau, path = path.display()))?;
        let file: BureauFile =
            toml::from_str(&text).said(|| said!(Msg::InvalidBureau, path = path.display()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut consortia: Vec<Member> = Vec::new();
        for c in &file.consortia {
            if c.id.trim().is_empty() || c.id == "region" {
                bail!(said!(Msg::BureauBadId, path = path.display()));
            }
            if consortia.iter().any(|o| o.id == c.id) {
                bail!(said!(Msg::BureauIdTwice, path = path.display(), id = c.id));
            }
            let mut cfg = dir.join(&c.config);
            if cfg.is_dir() {
                cfg = cfg.join("consortium.toml");
            }
            if !cfg.exists() {
                bail!(said!(
                    Msg::BureauConfigMissing,
                    path = path.display(),
                    id = c.id,
                    config = cfg.display()
                ));
            }
            let consortium = Consortium::load(&cfg)
                .said(|| said!(Msg::BureauConsortium, path = path.display(), id = c.id))?;
            let store = match &c.store {
                Some(s) => dir.join(s),
                None => cfg.parent().unwrap_or(Path::new(".")).join("store"),
            };
            consortia.push(Member {
                id: c.id.clone(),
                consortium,
                store,
            });
        }
        if consortia.is_empty() {
            bail!(said!(Msg::BureauNoConsortia, path = path.display()));
        }
        let b = Bureau {
            file,
            path: path.to_path_buf(),
            consortia,
        };
        // A typo in same_as would silently count a hospital twice: refuse it.
        for s in &b.file.same_as {
            for m in &s.members {
                b.resolve(m)
                    .said(|| said!(Msg::BureauSameAs, path = path.display()))?;
            }
        }
        for code in b.file.targets.keys() {
            let cat = &b.consortia[0].consortium.catalog;
            if cat.metric(code).is_none() && !cat.indicators.iter().any(|i| &i.code == code) {
                bail!(said!(
                    Msg::BureauTargetUnknown,
                    path = path.display(),
                    code = code
                ));
            }
        }
        Ok(b)
    }

    /// `consortium:member` (member id or name) → (consortium index, member id).
    pub fn resolve(&self, text: &str) -> Result<(usize, String)> {
        let Some((c, m)) = text.split_once(':') else {
            bail!(said!(Msg::BureauMemberForm, text = text));
        };
        let Some(ci) = self.consortia.iter().position(|x| x.id == c.trim()) else {
            bail!(said!(Msg::BureauNoConsortium, text = text, id = c));
        };
        let cons = &self.consortia[ci].consortium;
        match cons.member(m.trim()).or_else(|| cons.find_member(m.trim())) {
            Some(found) => Ok((ci, found.id.clone())),
            None => bail!(said!(Msg::BureauNoMember, text = text, id = c, member = m)),
        }
    }

    /// The key a member is matched by across consortia: its full name (normalised), unless
    /// `[[same_as]]` ties it to another; the key is the first listed member's name.
    pub fn member_keys(&self) -> HashMap<(usize, String), String> {
        let mut keys: HashMap<(usize, String), String> = HashMap::new();
        for (ci, c) in self.consortia.iter().enumerate() {
            for m in c.consortium.members() {
                keys.insert((ci, m.id.clone()), normalize_label(&m.name));
            }
        }
        for s in &self.file.same_as {
            let resolved: Vec<(usize, String)> = s
                .members
                .iter()
                .filter_map(|m| self.resolve(m).ok())
                .collect();
            let Some(first) = resolved.first().and_then(|k| keys.get(k)).cloned() else {
                continue;
            };
            // Everything keyed like any of the group joins the group's key.
            let olds: Vec<String> = resolved
                .iter()
                .filter_map(|k| keys.get(k).cloned())
                .collect();
            for v in keys.values_mut() {
                if olds.contains(v) {
                    *v = first.clone();
                }
            }
        }
        keys
    }
}

/// `yilian bureau init DIR`: bureau.toml listing the consortium files found in DIR's folders
/// (DIR itself and one level down), with suggested `[[same_as]]` groups as comments.
pub fn scaffold(dir: &Path, name: Option<&str>) -> Result<(PathBuf, String)> {
    let out = dir.join("bureau.toml");
    if out.exists() {
        bail!(said!(Msg::BureauFileExists, path = out.display()));
    }
    let mut found: Vec<PathBuf> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .said(|| said!(Msg::CannotReadFolder, path = dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for sub in entries {
        if sub.join("consortium.toml").exists() {
            found.push(sub);
        }
    }
    if found.is_empty() {
        bail!(said!(Msg::BureauNoConsortiumFolder, dir = dir.display()));
    }
    let region = name.map(str::to_string).unwrap_or_else(|| {
        dir.canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "区域".into())
    });
    let mut file = BureauFile {
        name: region,
        ..Default::default()
    };
    let mut loaded: Vec<(String, Consortium)> = Vec::new();
    for sub in &found {
        let folder = sub
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let c = Consortium::load(&sub.join("consortium.toml"))?;
        let id = unique_id(&folder, &file.consortia);
        file.consortia.push(ConsortiumRef {
            id: id.clone(),
            config: PathBuf::from(&folder),
            store: None,
        });
        loaded.push((id, c));
    }
    let mut text = format!(
        "# The bureau's consortia (docs/bureau.md). A member is the same hospital in two\n\
         # consortia when its full name is the same; list differently named ones in [[same_as]].\n{}",
        toml::to_string(&file)?
    );
    let suggestions = same_as_suggestions(&loaded);
    if !suggestions.is_empty() {
        text.push_str(
            "\n# These share a name or alias but not the full name: uncomment if each group is one hospital.\n",
        );
        for group in suggestions {
            text.push_str(&format!(
                "# [[same_as]]\n# members = [{}]\n",
                group
                    .iter()
                    .map(|m| format!("\"{m}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    text.push_str("\n# Region targets (达标), e.g.:\n# [targets.bed_occupancy]\n# min = 85.0\n");
    // Refuse the file once more, now atomically: another process may have written it.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&out)
        .said(|| crate::said!(Msg::CannotCreate, path = out.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    Ok((out, text))
}

fn unique_id(folder: &str, taken: &[ConsortiumRef]) -> String {
    let base = if folder.is_empty() || folder == "region" {
        "consortium".to_string()
    } else {
        folder.to_string()
    };
    let mut id = base.clone();
    let mut k = 2;
    while taken.iter().any(|c| c.id == id) {
        id = format!("{base}{k}");
        k += 1;
    }
    id
}

/// Members of different consortia with different full names but a shared name or alias.
fn same_as_suggestions(loaded: &[(String, Consortium)]) -> Vec<Vec<String>> {
    let mut by_label: BTreeMap<String, Vec<(usize, String, String)>> = BTreeMap::new();
    for (ci, (_, c)) in loaded.iter().enumerate() {
        for m in c.members() {
            let full = normalize_label(&m.name);
            let mut labels: Vec<String> = std::iter::once(&m.name)
                .chain(m.aliases.iter())
                .map(|l| normalize_label(l))
                .collect();
            labels.sort();
            labels.dedup();
            for l in labels {
                by_label
                    .entry(l)
                    .or_default()
                    .push((ci, m.id.clone(), full.clone()));
            }
        }
    }
    let mut groups: Vec<Vec<String>> = Vec::new();
    for list in by_label.values() {
        let consortia: std::collections::BTreeSet<usize> = list.iter().map(|x| x.0).collect();
        let names: std::collections::BTreeSet<&str> = list.iter().map(|x| x.2.as_str()).collect();
        if consortia.len() < 2 || names.len() < 2 {
            continue;
        }
        let g: Vec<String> = list
            .iter()
            .map(|(ci, id, _)| format!("{}:{id}", loaded[*ci].0))
            .collect();
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    groups
}

/// The bureau file to use: `--config`, else ./bureau.toml.
pub fn discover(explicit: Option<&Path>) -> Result<PathBuf> {
    let p = explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("bureau.toml"));
    if p.is_dir() {
        return discover(Some(&p.join("bureau.toml")));
    }
    if !p.exists() {
        bail!(said!(Msg::NoBureauFile, path = p.display()));
    }
    Ok(p)
}
