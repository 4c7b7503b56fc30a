//! Files tapgen does not own: never written over or through, and carried into the new render
//! exactly as they were (bytes, permissions, modification time; a link stays a link).

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::first_link;
use crate::lock::{Lock, LOCK_FILE};
use crate::project::Files;

/// Refuses a render that would write at or through a symbolic link inside `dir`, or over a
/// file of the user's (one the previous lock does not list). Without a previous lock every
/// rendered path counts as tapgen's: a folder rendered before locks existed, or whose lock
/// was deleted to re-allocate.
pub fn refuse_unsafe_targets(dir: &Path, files: &Files, previous: &Lock) -> Result<()> {
    let listed: BTreeSet<&str> = previous.files.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for path in files.keys() {
        if let Some(link) = first_link(dir, path) {
            problems.push(format!(
                "{path}: {link} is a symbolic link, and writing through it could land outside \
                 {}: replace it with a folder or file of its own",
                dir.display()
            ));
            continue;
        }
        if listed.is_empty() || listed.contains(path.as_str()) {
            continue;
        }
        let mut at = String::new();
        for part in path.split('/') {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            let Ok(meta) = fs::symlink_metadata(dir.join(&at)) else {
                break;
            };
            let is_leaf = at.len() == path.len();
            if (is_leaf || !meta.is_dir()) && !listed.contains(at.as_str()) {
                problems.push(format!(
                    "{path}: {at} is not tapgen's ({LOCK_FILE} does not list it), but this \
                     render writes there: move it away"
                ));
                break;
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "{}: refused, nothing was written:\n  {}",
            dir.display(),
            problems.join("\n  ")
        );
    }
    Ok(())
}

/// Copies into `staging` every entry of `dir` that is neither rendered now nor listed in
/// `previous`, descending only into folders that hold tapgen's files.
pub fn carry_over(dir: &Path, staging: &Path, files: &Files, previous: &Lock) -> Result<()> {
    let owned: BTreeSet<&str> = files
        .keys()
        .chain(&previous.files)
        .map(String::as_str)
        .collect();
    let folders: BTreeSet<&str> = owned
        .iter()
        .flat_map(|path| path.match_indices('/').map(|(i, _)| &path[..i]))
        .collect();
    walk(dir, staging, "", &owned, &folders)
}

fn walk(
    dir: &Path,
    staging: &Path,
    relative: &str,
    owned: &BTreeSet<&str>,
    folders: &BTreeSet<&str>,
) -> Result<()> {
    let here = dir.join(relative);
    for entry in fs::read_dir(&here).with_context(|| format!("reading {}", here.display()))? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        let path = match relative {
            "" => name.to_string(),
            _ => format!("{relative}/{name}"),
        };
        if owned.contains(path.as_str()) {
            continue;
        }
        let meta = fs::symlink_metadata(dir.join(&path))?;
        if meta.is_dir() && folders.contains(path.as_str()) {
            walk(dir, staging, &path, owned, folders)?;
            continue;
        }
        let target = staging.join(&path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        copy_exactly(&dir.join(&path), &target)
            .with_context(|| format!("keeping {}", dir.join(&path).display()))?;
    }
    Ok(())
}

fn copy_exactly(from: &Path, to: &Path) -> Result<()> {
    let meta = fs::symlink_metadata(from)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        symlink(&fs::read_link(from)?, to)?;
        return Ok(());
    }
    if kind.is_dir() {
        fs::create_dir(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_exactly(&entry.path(), &to.join(entry.file_name()))?;
        }
        fs::set_permissions(to, meta.permissions())?;
    } else if kind.is_file() {
        fs::copy(from, to)?;
        File::open(to)?.set_modified(meta.modified()?)?;
    } else {
        bail!("it is neither a file, a folder nor a link, and tapgen can keep only those");
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_file(target, link)
}
