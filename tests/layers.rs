//! The layers import one way, as `src/lib.rs` says: a module of the library names only the
//! layers to its left, and no files import each other in a circle. Read from the sources'
//! `crate::` and `super::` paths, so a wrong-way import fails here before anyone reads it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's layers, left to right; modules of one rank may not import each other.
const LAYERS: &[(&str, u32)] = &[
    ("model", 0),
    ("scenario", 1),
    ("rules", 2),
    ("ai", 3),
    ("report", 4),
    ("pbem", 5),
    ("launch", 6),
    ("cli", 7),
    ("gui", 7),
];

fn rank(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src is readable") {
        let p = e.expect("a directory entry").path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source without comments, so that prose naming a path is not an import.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module path of a file under `src/`: `src/rules/movement.rs` is `["rules", "movement"]`,
/// `src/rules/mod.rs` is `["rules"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts
}

/// Every path the code names from the crate's root: `crate::a::b`, the members of
/// `crate::{a::b, c}`, and `super::x` resolved against the file's own module.
fn paths_named(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| p.trim())
            .take_while(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .map(String::from)
            .collect()
    };
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + 7..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for member in group[..end].split(',') {
                out.push(ident(member.trim()));
            }
        } else {
            out.push(ident(after));
        }
        rest = after;
    }
    // `super::` is the module above the file's own (for `a/mod.rs`, whose module is `a`, the
    // crate's root).
    let base: Vec<String> = module[..module.len().saturating_sub(1)].to_vec();
    let mut rest = code;
    while let Some(i) = rest.find("super::") {
        let preceded = rest[..i].chars().last();
        let after = &rest[i + 7..];
        if !preceded.is_some_and(|c| c.is_alphanumeric() || c == ':' || c == '_') {
            let mut p = base.clone();
            p.extend(ident(after));
            out.push(p);
        }
        rest = after;
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The file a module path lands in: the longest prefix that is a file of the crate.
fn file_of(path: &[String], files: &BTreeMap<Vec<String>, PathBuf>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| files.contains_key(p))
}

struct Graph {
    files: BTreeMap<Vec<String>, PathBuf>,
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    sources(&src, &mut all);
    let files: BTreeMap<Vec<String>, PathBuf> = all
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .map(|f| (module_of(&src, f), f.clone()))
        .collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &files {
        let text = code(&std::fs::read_to_string(file).expect("a source file"));
        let is_mod = file.ends_with("mod.rs") || file.ends_with("lib.rs");
        for p in paths_named(&text, module) {
            if let Some(to) = file_of(&p, &files)
                && to != *module
                // A folder's module file naming its own children (declaring, composing or
                // re-exporting them) is the folder's structure, not a dependency upward.
                && !(is_mod && to.starts_with(module))
            {
                edges.entry(module.clone()).or_default().insert(to);
            }
        }
    }
    Graph { files, edges }
}

#[test]
fn every_module_imports_only_the_layers_to_its_left() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g.edges {
        let Some(a) = from.first().and_then(|m| rank(m)) else {
            continue;
        };
        for to in tos {
            let Some(b) = to.first().and_then(|m| rank(m)) else {
                continue;
            };
            if from[0] != to[0] && b >= a {
                wrong.push(format!("{} imports {}", from.join("::"), to.join("::")));
            }
        }
    }
    for (m, _) in LAYERS {
        assert!(
            g.files.contains_key(&vec![m.to_string()]),
            "the layer {m} named in this test is not a module of the crate"
        );
    }
    assert!(
        wrong.is_empty(),
        "imports that run the wrong way (layers: {}):\n  {}",
        LAYERS
            .iter()
            .map(|(m, _)| *m)
            .collect::<Vec<_>>()
            .join(" ← "),
        wrong.join("\n  ")
    );
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let g = graph();
    // Tarjan's strongly connected components, in the files' order.
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<Vec<String>, usize>,
        low: BTreeMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        on: BTreeSet<Vec<String>>,
        next: usize,
        circles: Vec<Vec<String>>,
    }
    fn visit(t: &mut T, v: &Vec<String>) {
        t.index.insert(v.clone(), t.next);
        t.low.insert(v.clone(), t.next);
        t.next += 1;
        t.stack.push(v.clone());
        t.on.insert(v.clone());
        let next: Vec<Vec<String>> = t.g.edges.get(v).into_iter().flatten().cloned().collect();
        for w in &next {
            if !t.index.contains_key(w) {
                visit(t, w);
                let l = t.low[w].min(t.low[v]);
                t.low.insert(v.clone(), l);
            } else if t.on.contains(w) {
                let l = t.index[w].min(t.low[v]);
                t.low.insert(v.clone(), l);
            }
        }
        if t.low[v] == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(&w);
                let done = w == *v;
                scc.push(w.join("::"));
                if done {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                t.circles.push(scc);
            }
        }
    }
    let mut t = T {
        g: &g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        circles: Vec::new(),
    };
    for v in g.files.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    assert!(
        t.circles.is_empty(),
        "files that import each other in a circle:\n  {}",
        t.circles
            .iter()
            .map(|c| c.join(", "))
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}
