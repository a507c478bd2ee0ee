//! The core's modules form a graph without cycles: a feature module uses the modules below it
//! (the store, the remote-call path, the connection settings, …) and is used by the ones above it,
//! never both ways. Two modules that use each other cannot be understood, tested or changed one at
//! a time, which is what this layout is for.
//!
//! The graph is read from the source: every `crate::module` path (in `use` lines, in `use
//! crate::{…}` groups and inline), with the crate root's re-exports (`crate::Crosswalk`,
//! `crate::Error`) resolved to the module they come from. Comments and `#[cfg(test)]` modules do
//! not count. `lib.rs` (the module list), `bindings.rs` (every type exported to TypeScript) and
//! `fuzz.rs` (an entry point per parser) are leaves that nothing uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments, string contents or `#[cfg(test)]` items.
fn code(text: &str) -> String {
    strip(text, false)
}

/// As [`code`], keeping the strings (the SQL is in them).
fn code_and_strings(text: &str) -> String {
    strip(text, true)
}

fn strip(text: &str, keep_strings: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'"' {
            // A string literal (raw strings in this crate hold SQL and JSON, never `crate::`).
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            if keep_strings {
                out.push_str(&text[start..i.min(b.len())]);
            } else {
                out.push_str("\"\"");
            }
        } else {
            let c = text[i..].chars().next().expect("within the text");
            out.push(c);
            i += c.len_utf8();
        }
    }
    // `#[cfg(test)]` items: skip the item that follows up to its closing brace.
    let mut kept = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        kept.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find(['{', ';']) else { break };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (k, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    kept.push_str(rest);
    kept
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The first path segments named after `crate::` in `code`, groups included.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before_ok = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric() && rest.as_bytes()[at - 1] != b'_';
        rest = &rest[at + "crate::".len()..];
        if !before_ok {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level names of the group: `{a, b::{c, d}, E}`.
            let mut depth = 0;
            let mut start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 0 => {
                        start = false;
                        found.insert(ident_at(&group[k..]).to_string());
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident_at(rest).to_string());
        }
    }
    found
}

/// The module each root re-export comes from: `pub use crosswalk::Crosswalk;` → `Crosswalk` → `crosswalk`.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ").and_then(|l| l.strip_suffix(';')) else { continue };
        let (module, names) = path.split_once("::").expect("a re-export names its module");
        for name in names.trim_matches(['{', '}']).split(',') {
            map.insert(name.trim().to_string(), module.to_string());
        }
    }
    map
}

/// Top-level module → the top-level modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = src();
    let lib = std::fs::read_to_string(root.join("lib.rs")).unwrap();
    let reexports = root_reexports(&code(&lib));
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&root).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let used = graph.entry(top.clone()).or_default();
        for name in crate_paths(&code(&std::fs::read_to_string(&file).unwrap())) {
            let module = reexports.get(&name).cloned().unwrap_or(name);
            if module != top && module != "self" && module != "super" {
                used.insert(module);
            }
        }
    }
    graph
}

/// Every cycle's modules (strongly connected components of more than one module).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for n in graph.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> = graph.keys().map(|m| (m, reach(m))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for m in graph.keys() {
        if done.contains(m) || !reachable[m].contains(m) {
            continue;
        }
        let component: Vec<String> = graph.keys().filter(|n| reachable[m].contains(*n) && reachable[*n].contains(m)).cloned().collect();
        done.extend(component.iter().cloned());
        out.push(component);
    }
    out
}

#[test]
fn the_reader_sees_what_a_module_uses() {
    let sample = "use crate::{a, b::{c, D}, Crosswalk};\n// crate::commented\nfn f() { crate::e::g(); \"crate::quoted\"; }\n#[cfg(test)]\nmod tests { use crate::tested; }\n";
    let found = crate_paths(&code(sample));
    assert_eq!(found, ["Crosswalk", "a", "b", "e"].into_iter().map(String::from).collect());
    let reexports = root_reexports("pub use crosswalk::Crosswalk;\npub use error::{Error, Result};\n");
    assert_eq!(reexports["Crosswalk"], "crosswalk");
    assert_eq!(reexports["Result"], "error");
}

#[test]
fn no_two_modules_use_each_other() {
    let graph = graph();
    assert!(graph.len() > 20, "the core's modules were not found under {}", src().display());
    assert!(graph["grades"].contains("crosswalk"), "the reader misses `crate::Crosswalk`: {:?}", graph["grades"]);
    let found = cycles(&graph);
    let explain: Vec<String> = found
        .iter()
        .map(|c| {
            let edges: Vec<String> =
                c.iter().flat_map(|a| graph[a].iter().filter(|b| c.contains(b)).map(move |b| format!("{a} → {b}"))).collect();
            format!("{{{}}}: {}", c.join(", "), edges.join("; "))
        })
        .collect();
    assert!(found.is_empty(), "modules that use each other (directly or round a loop):\n{}", explain.join("\n"));
}

/// The tables the migrations create.
fn tables() -> BTreeSet<String> {
    let dir = src().join("store").join("migrations");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let words: Vec<&str> = sql.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0].eq_ignore_ascii_case("CREATE") && w[1].eq_ignore_ascii_case("TABLE") {
                out.insert(w[2].trim_matches(['(', '"']).to_string());
            }
        }
    }
    out
}

/// Whether `sql` reads or writes `table` (`FROM t`, `JOIN t`, `INTO t`, `UPDATE t`, `TABLE t`).
fn touches(sql: &str, table: &str) -> bool {
    let words: Vec<&str> = sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    words.windows(2).any(|w| ["FROM", "JOIN", "INTO", "UPDATE", "TABLE"].iter().any(|k| w[0].eq_ignore_ascii_case(k)) && w[1] == table)
}

#[test]
fn every_table_has_one_owner() {
    let root = src();
    let tables = tables();
    assert!(tables.contains("associations") && tables.contains("mirror_mappings"), "the migrations were not read: {tables:?}");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut owners: BTreeMap<&String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        // The store runs the migrations.
        if top == "store" {
            continue;
        }
        let text = code_and_strings(&std::fs::read_to_string(file).unwrap());
        for t in &tables {
            if touches(&text, t) {
                owners.entry(t).or_default().insert(top.clone());
            }
        }
    }
    let shared: Vec<String> = owners
        .iter()
        .filter(|(_, o)| o.len() > 1)
        .map(|(t, o)| format!("{t}: {}", o.iter().cloned().collect::<Vec<_>>().join(", ")))
        .collect();
    assert!(
        shared.is_empty(),
        "tables whose SQL is in more than one module (give the others a function of the owner's):\n{}",
        shared.join("\n")
    );
    assert!(touches("SELECT a FROM jobs WHERE", "jobs") && !touches("SELECT jobs_done FROM x", "jobs"), "the SQL reader works");
}
