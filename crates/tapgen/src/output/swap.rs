//! The staging folder beside DIR and the swap that puts it in DIR's place.
//!
//! Both names derive from DIR (`.infra.tapgen-staging`, `.infra.tapgen-previous`), and only a
//! render holding the exclusive lock uses them, so anything found under those names at the
//! start of a render was left by one that was killed, and is removed (or, for a previous
//! folder whose DIR is gone, put back).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    dir.with_file_name(format!(".{name}.tapgen-{suffix}"))
}

/// Removes what a killed render left beside `dir`.
pub fn clean_stale(dir: &Path) -> Result<()> {
    let previous = sibling(dir, "previous");
    if previous.exists() && fs::symlink_metadata(dir).is_err() {
        fs::rename(&previous, dir)
            .with_context(|| format!("restoring {} from {}", dir.display(), previous.display()))?;
    }
    for stale in [sibling(dir, "staging"), previous] {
        if fs::symlink_metadata(&stale).is_ok() {
            fs::remove_dir_all(&stale).with_context(|| {
                format!("removing {} (left by a killed render)", stale.display())
            })?;
        }
    }
    Ok(())
}

/// The new folder being built; removed when dropped, whatever happened.
pub struct Staging(PathBuf);

impl Staging {
    /// Creates the staging folder with DIR's permissions (the default ones for a new DIR).
    pub fn create(dir: &Path) -> Result<Staging> {
        let path = sibling(dir, "staging");
        fs::create_dir(&path).with_context(|| format!("creating {}", path.display()))?;
        let staging = Staging(path);
        if let Ok(meta) = fs::metadata(dir) {
            fs::set_permissions(&staging.0, meta.permissions())?;
        }
        Ok(staging)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Puts the staged folder in `dir`'s place in one step and removes the old content.
    pub fn swap_into(self, dir: &Path) -> Result<()> {
        if fs::symlink_metadata(dir).is_err() {
            return fs::rename(&self.0, dir)
                .with_context(|| format!("moving the render into {}", dir.display()));
        }
        let old = match exchange(&self.0, dir) {
            // The staging path now holds the old content; dropping `self` removes it.
            Ok(()) => None,
            Err(_) => Some(two_renames(&self.0, dir)?),
        };
        let leftover = old.as_deref().unwrap_or(&self.0);
        fs::remove_dir_all(leftover).with_context(|| {
            format!(
                "{} holds the new render, but its old content in {} could not be removed",
                dir.display(),
                leftover.display()
            )
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if fs::symlink_metadata(&self.0).is_ok() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

/// Atomic exchange of two folders (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(staging: &Path, dir: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, staging, CWD, dir, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_staging: &Path, _dir: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Where no exchange exists: DIR moves aside, the staged folder in, and back on failure.
/// Returns where the old content went.
fn two_renames(staging: &Path, dir: &Path) -> Result<PathBuf> {
    let previous = sibling(dir, "previous");
    fs::rename(dir, &previous).with_context(|| format!("moving {} aside", dir.display()))?;
    if let Err(error) = fs::rename(staging, dir) {
        fs::rename(&previous, dir).with_context(|| format!("restoring {}", dir.display()))?;
        return Err(error).with_context(|| format!("moving the render into {}", dir.display()));
    }
    Ok(previous)
}
