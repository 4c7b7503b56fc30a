//! Writing a rendered project into its folder all at once, or comparing it with the folder.
//!
//! A render holds an exclusive lock on DIR's parent folder from reading `tapgen.lock` to the
//! swap, stages the whole new folder as a sibling, carries over every file tapgen does not
//! own, and swaps the staged folder into place in one step. A reader (`--check`, `check`,
//! `plan --dir`) holds the lock shared, so it never sees half of a swap.

mod diff;
mod keep;
mod swap;

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::lock::Lock;
use crate::project::Files;

pub use diff::differences;

/// An output folder, resolved (a link to a folder means that folder) and locked.
pub struct OutputDir {
    path: PathBuf,
    /// Held for the lifetime of this value; `None` when there is nothing to lock yet.
    _lock: Option<File>,
}

impl OutputDir {
    /// Opens DIR for a render: creates its parent and holds the exclusive lock.
    pub fn for_render(dir: &Path) -> Result<OutputDir> {
        let path = resolve(dir)?;
        let parent = parent_of(&path);
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let lock = File::open(&parent).with_context(|| format!("opening {}", parent.display()))?;
        lock.lock()
            .with_context(|| format!("locking {} for the render", parent.display()))?;
        swap::clean_stale(&path)?;
        Ok(OutputDir {
            path,
            _lock: Some(lock),
        })
    }

    /// Opens DIR for reading, holding the lock shared so no render swaps it meanwhile.
    pub fn for_reading(dir: &Path) -> Result<OutputDir> {
        let path = resolve(dir)?;
        let lock = match File::open(parent_of(&path)) {
            Ok(file) => {
                file.lock_shared()
                    .with_context(|| format!("locking {} for reading", path.display()))?;
                Some(file)
            }
            Err(_) => None,
        };
        Ok(OutputDir { path, _lock: lock })
    }

    /// The folder itself (a link's target when DIR is a link).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `files` as the new content of the folder, keeping every file tapgen does not
    /// own (neither rendered now nor listed in `previous`) exactly as it was. Nothing in the
    /// folder changes unless every step succeeds, and no staging folder stays behind.
    pub fn write(&self, files: &Files, previous: &Lock) -> Result<()> {
        let dir = &self.path;
        keep::refuse_unsafe_targets(dir, files, previous)?;
        let staging = swap::Staging::create(dir)?;
        for (path, content) in files {
            let target = staging.path().join(path);
            if let Some(folder) = target.parent() {
                fs::create_dir_all(folder)?;
            }
            fs::write(&target, content).with_context(|| format!("writing {}", target.display()))?;
        }
        if fs::symlink_metadata(dir).is_ok() {
            keep::carry_over(dir, staging.path(), files, previous)?;
        }
        staging.swap_into(dir)
    }
}

/// Convenience for callers holding no [`OutputDir`]: lock, write, unlock.
pub fn write(dir: &Path, files: &Files, previous: &Lock) -> Result<()> {
    OutputDir::for_render(dir)?.write(files, previous)
}

/// DIR itself, or the folder it links to; refuses a link to nothing or to a non-folder.
fn resolve(dir: &Path) -> Result<PathBuf> {
    // Rebuilt from components: a trailing slash would make the OS follow a link silently.
    let dir: PathBuf = dir.components().collect();
    match fs::symlink_metadata(&dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = fs::canonicalize(&dir).with_context(|| {
                format!(
                    "{} is a symbolic link to nothing: tapgen writes into a link's target and \
                     never replaces the link, so create the folder it points to",
                    dir.display()
                )
            })?;
            if !target.is_dir() {
                bail!(
                    "{} links to {}, which is not a folder",
                    dir.display(),
                    target.display()
                );
            }
            Ok(target)
        }
        Ok(meta) if !meta.is_dir() => bail!("{} exists and is not a folder", dir.display()),
        Ok(_) if dir.file_name().is_none() => fs::canonicalize(&dir).map_err(Into::into),
        _ => Ok(dir),
    }
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The first existing symbolic link on the way from `dir` to `dir/path` (the path itself
/// included), as a path relative to `dir`.
pub fn first_link(dir: &Path, path: &str) -> Option<String> {
    let mut at = dir.to_path_buf();
    let mut relative = PathBuf::new();
    for component in Path::new(path).components() {
        at.push(component);
        relative.push(component);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Some(relative.display().to_string())
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}
