//! Corpus of broken configs in `<workspace>/tests/bad-configs/`, one defect each.
//!
//! Each file starts with `# expect: <line>:<field>`; optional `# message: <text>` lines
//! give substrings the error message must contain. The test asserts that the defect is
//! reported there, and nowhere else (one defect must not cause noise elsewhere). A file
//! with `# stage: render` has a defect only the render can see (waivers name rule ids and
//! resources); here it must load cleanly, and crates/tapgen/tests/bad_input.rs checks it.

use std::fs;
use std::path::{Path, PathBuf};

struct Expectation {
    line: usize,
    field: String,
    messages: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/bad-configs")
}

fn expectation(path: &Path, text: &str) -> Expectation {
    let first = text.lines().next().unwrap_or_default();
    let spec = first.strip_prefix("# expect: ").unwrap_or_else(|| {
        panic!(
            "{}: first line must be `# expect: LINE:FIELD`",
            path.display()
        )
    });
    let (line, field) = spec
        .split_once(':')
        .unwrap_or_else(|| panic!("{}: expected LINE:FIELD, got {spec:?}", path.display()));
    Expectation {
        line: line
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{}: bad line number: {e}", path.display())),
        field: field.trim().to_string(),
        messages: text
            .lines()
            .filter_map(|l| l.strip_prefix("# message: "))
            .map(str::to_string)
            .collect(),
    }
}

#[test]
fn every_bad_config_fails_where_its_sidecar_says() {
    let dir = corpus_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 60, "corpus has only {} files", paths.len());

    let mut failures = Vec::new();
    for path in &paths {
        let text = fs::read_to_string(path).expect("readable corpus file");
        let want = expectation(path, &text);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let render_stage = text.lines().any(|l| l == "# stage: render");
        let parsed = tenancy::parse(&text, &name, &dir);
        if render_stage {
            if let Err(errors) = parsed {
                failures.push(format!(
                    "{name}: a render-stage defect failed loading:\n{errors}"
                ));
            }
            continue;
        }
        let errors = match parsed {
            Ok(_) => {
                failures.push(format!("{name}: parsed without error"));
                continue;
            }
            Err(errors) => errors,
        };
        let hit = errors.0.iter().any(|e| {
            e.file == name
                && e.line == want.line
                && e.field == want.field
                && want.messages.iter().all(|m| e.message.contains(m.as_str()))
        });
        let elsewhere = errors
            .0
            .iter()
            .any(|e| e.line != want.line || e.field != want.field);
        if !hit || elsewhere {
            failures.push(format!(
                "{name}: expected {}:{} containing {:?}, got:\n{errors}",
                want.line, want.field, want.messages
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
