//! Writing a rendered project into its folder all at once, or comparing it with the folder.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::lock::Lock;
use crate::project::Files;

/// Writes `files` as the new content of `dir`.
///
/// Everything is written into a fresh sibling folder first; files in `dir` that tapgen does
/// not own (stack settings such as `Pulumi.dev.yaml`) are copied across; only then is the
/// new folder renamed into place. A failure at any step leaves `dir` as it was.
pub fn write(dir: &Path, files: &Files, previous: &Lock) -> Result<()> {
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".tapgen-render-")
        .tempdir_in(&parent)
        .with_context(|| format!("creating a staging folder in {}", parent.display()))?;
    for (path, content) in files {
        let target = staging.path().join(path);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)?;
        }
        fs::write(&target, content).with_context(|| format!("writing {}", target.display()))?;
    }
    if dir.exists() {
        keep_user_files(dir, staging.path(), files, previous)?;
        let retired = tempfile::Builder::new()
            .prefix(".tapgen-previous-")
            .tempdir_in(&parent)?;
        let retired_path = retired.path().join("previous");
        fs::rename(dir, &retired_path)
            .with_context(|| format!("moving {} aside", dir.display()))?;
        if let Err(error) = fs::rename(staging.path(), dir) {
            fs::rename(&retired_path, dir)
                .with_context(|| format!("restoring {}", dir.display()))?;
            return Err(error)
                .with_context(|| format!("moving the new render into {}", dir.display()));
        }
    } else {
        fs::rename(staging.path(), dir)
            .with_context(|| format!("moving the render into {}", dir.display()))?;
    }
    Ok(())
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Copies every top-level entry of `dir` that tapgen neither writes now nor wrote before.
fn keep_user_files(dir: &Path, staging: &Path, files: &Files, previous: &Lock) -> Result<()> {
    let owned_top: Vec<&str> = files
        .keys()
        .chain(previous.files.iter())
        .map(|path| path.split('/').next().unwrap_or(path))
        .collect();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if owned_top.iter().any(|owned| name.to_str() == Some(owned)) {
            continue;
        }
        copy_tree(&entry.path(), &staging.join(&name))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        fs::copy(from, to).with_context(|| format!("keeping {}", from.display()))?;
    }
    Ok(())
}

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
