//! Compiles in every translation: each `locales/<lang>/<capability>.ftl`
//! becomes part of that language's bundle, so a capability adds its texts
//! by adding its file.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time, not with `env!`: a build script compiled for one
    // checkout is reused by another at a different path (a shared target
    // dir), and must read that checkout's files.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut langs: Vec<_> = std::fs::read_dir(&root)
        .expect("ui/locales exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_dir())
        .collect();
    langs.sort();
    let mut out =
        String::from("/// `(language tag, file name, Fluent source)` of every translation file.\n");
    out.push_str("pub const FILES: &[(&str, &str, &str)] = &[\n");
    // `(language tag, message id, index in FILES)`, sorted, so a message's
    // file is found without parsing every file.
    let mut ids: Vec<(String, String, usize)> = Vec::new();
    let mut index = 0;
    for dir in langs {
        println!("cargo:rerun-if-changed={}", dir.display());
        let lang = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name")
            .to_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("readable")
            .map(|e| e.expect("readable").path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .expect("utf-8 name");
            writeln!(
                out,
                "    ({lang:?}, {name:?}, include_str!({:?})),",
                file.display().to_string()
            )
            .expect("writes to a string");
            let source = std::fs::read_to_string(&file).expect("readable");
            for id in message_ids(&source) {
                ids.push((lang.clone(), id, index));
            }
            index += 1;
        }
    }
    out.push_str("];\n");
    ids.sort();
    out.push_str("/// `(language tag, message id, index in FILES)` of every message, sorted.\n");
    out.push_str("pub const IDS: &[(&str, &str, usize)] = &[\n");
    for (lang, id, file) in ids {
        writeln!(out, "    ({lang:?}, {id:?}, {file}),").expect("writes to a string");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("locales.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// The ids of a Fluent file's messages: the lines that start, in their first
/// column, with an identifier and then `=` (terms start with `-`, comments
/// with `#`, attributes and continued values with blanks). A test in
/// `src/i18n.rs` checks this against Fluent's own parser.
fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                .then(|| id.to_owned())
        })
        .collect()
}
