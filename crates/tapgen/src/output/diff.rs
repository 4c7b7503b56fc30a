//! How a folder differs from a fresh render (`tapgen render --check`).

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::lock::Lock;
use crate::project::Files;

/// How `dir` differs from `files`: one line per differing file, and for `Main.yaml` one
/// line per added, removed or changed resource. Empty when they match exactly.
pub fn differences(dir: &Path, files: &Files, previous: &Lock) -> Vec<String> {
    let mut found = Vec::new();
    for (path, expected) in files {
        match fs::read_to_string(dir.join(path)) {
            Err(_) => found.push(format!("missing: {path}")),
            Ok(actual) if actual != *expected => {
                found.push(format!("differs: {path}"));
                if path == "Main.yaml" {
                    found.extend(resource_changes(&actual, expected));
                }
            }
            Ok(_) => {}
        }
    }
    for path in &previous.files {
        if !files.contains_key(path) && dir.join(path).exists() {
            found.push(format!("stale: {path} (no longer rendered)"));
        }
    }
    found
}

fn resource_changes(actual: &str, expected: &str) -> Vec<String> {
    let resources = |text: &str| -> serde_json::Map<String, Value> {
        serde_norway::from_str::<Value>(text)
            .ok()
            .and_then(|doc| doc.get("resources").and_then(Value::as_object).cloned())
            .unwrap_or_default()
    };
    let (actual, expected) = (resources(actual), resources(expected));
    let mut changes = Vec::new();
    for (name, value) in &expected {
        match actual.get(name) {
            None => changes.push(format!("  resource added: {name}")),
            Some(old) if old != value => changes.push(format!("  resource changed: {name}")),
            Some(_) => {}
        }
    }
    for name in actual.keys().filter(|name| !expected.contains_key(*name)) {
        changes.push(format!("  resource removed: {name}"));
    }
    changes
}
