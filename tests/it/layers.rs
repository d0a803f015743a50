//! The module graph runs one way: each top-level module of src/ imports only modules below
//! it in `LAYERS`, and inside a module no two submodules import each other (directly or in
//! a ring). Read from the source text (`crate::` and `super::` paths outside comments).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom first. A module may import any module listed before it, never one after it.
const LAYERS: &[&str] = &[
    "text", "model", "i18n", "export", "read", "catalog", "config", "locate", "store", "ingest",
    "init", "compute", "check", "render", "report", "bureau", "sample", "exit", "cli", "commands",
    "main", "lib",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/read/xlsx/sheet.rs` → ["read", "xlsx", "sheet"]; `mod.rs` names its folder.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // Not inside a string in this code base's style; `"//"` literals are rare and
            // only make the check stricter.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> Option<&str> {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

/// The first segment after each `prefix` (`crate::`, `super::`), groups `{a, b::c}` included.
fn targets(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before_ok = i == 0 || {
            let c = rest[..i].chars().next_back().unwrap();
            !(c.is_alphanumeric() || c == '_' || c == ':')
        };
        rest = &rest[i + prefix.len()..];
        if !before_ok {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if c == ',' && depth == 1 {
                    items.push(std::mem::take(&mut item));
                } else {
                    item.push(c);
                }
            }
            items.push(item);
            for it in items {
                if let Some(id) = ident_at(it.trim()) {
                    out.push(id.to_string());
                }
            }
        } else if let Some(id) = ident_at(rest) {
            out.push(id.to_string());
        }
    }
    out
}

struct Graph {
    /// top-level module → modules it imports
    top: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// (top, submodule) → submodules of the same top it imports
    sub: BTreeMap<(String, String), BTreeSet<String>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut g = Graph {
        top: BTreeMap::new(),
        sub: BTreeMap::new(),
    };
    for f in files {
        let m = module_path(&src, &f);
        let text = strip_comments(&std::fs::read_to_string(&f).unwrap());
        let file = f.strip_prefix(&src).unwrap().display().to_string();
        let top = m[0].clone();
        let mut add_sub = |target_top: &str, target_sub: Option<&str>| {
            if let (Some(s), Some(t)) = (m.get(1), target_sub) {
                if target_top == top && s != t {
                    g.sub
                        .entry((top.clone(), s.clone()))
                        .or_default()
                        .insert(t.to_string());
                }
            }
        };
        for t in targets(&text, "crate::") {
            g.top
                .entry(top.clone())
                .or_default()
                .entry(t.clone())
                .or_default()
                .insert(file.clone());
        }
        // `crate::read::workbook` from read/xlsx.rs: a submodule edge.
        let mut rest = text.as_str();
        while let Some(i) = rest.find(&format!("crate::{top}::")) {
            rest = &rest[i + top.len() + 9..];
            add_sub(&top, ident_at(rest));
        }
        // `super::x` from a submodule of depth 2 is a sibling; deeper ones stay inside.
        if m.len() == 2 {
            for t in targets(&text, "super::") {
                add_sub(&top, Some(&t));
            }
        }
    }
    g
}

#[test]
fn top_level_modules_import_only_lower_layers() {
    let g = graph();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut wrong = Vec::new();
    for (from, tos) in &g.top {
        let Some(rf) = rank(from) else {
            wrong.push(format!(
                "src/{from} is not in LAYERS: place it in the order"
            ));
            continue;
        };
        for (to, files) in tos {
            let Some(rt) = rank(to) else { continue }; // `crate::SomeType` re-exported at the root
            if to != from && rt >= rf {
                wrong.push(format!("{from} imports {to} (upwards) in {files:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_submodules_import_each_other_in_a_ring() {
    let g = graph();
    for (top, start) in g.sub.keys() {
        // Depth-first from `start`: reaching it again is a cycle.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, path)) = stack.pop() {
            for next in g.sub.get(&(top.clone(), m.clone())).into_iter().flatten() {
                assert!(
                    next != start,
                    "a cycle in src/{top}: {} -> {next}",
                    path.join(" -> ")
                );
                if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
}

#[test]
fn the_parser_finds_groups_and_paths() {
    let t = "use crate::{model::Period, export::{Table, Value}};\nlet x = crate::read::cell(1); // crate::nope\n";
    let t = strip_comments(t);
    assert_eq!(targets(&t, "crate::"), ["model", "export", "read"]);
    assert_eq!(targets("use super::{a, b::c};", "super::"), ["a", "b"]);
}
