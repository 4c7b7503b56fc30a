//! `tapgen.lock`: what tapgen decided for an output folder: each tenant's slot (and, for
//! System B, each standard tenant's shared cache group), the files it owns there, and the
//! policy waivers the config grants.
//!
//! It lives in the output folder, is committed with it, and is read back on the next render,
//! so allocations survive reordering, insertion and removal of tenants; `tapgen check DIR`
//! reads the waivers from it, so checking needs nothing but the folder.

mod file;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use check::Waiver;
use tenancy::cache_groups::CacheGroups;
use tenancy::cells::{CellId, Cells};
use tenancy::slots::Slots;
use tenancy::Config;

use file::{LockFile, Pairs, WaiverEntry, VERSION};
pub use validate::{outside, Problem};

pub const LOCK_FILE: &str = "tapgen.lock";

const COMMENT: &str = "Maintained by tapgen: each tenant's slot (ALB rule priorities, subnet ranges), the files tapgen owns here, and the policy waivers from the config. Commit it; do not edit it.";

/// The previous render of an output folder, as far as tapgen owns it.
#[derive(Debug, Default)]
pub struct Lock {
    pub slots: Slots,
    /// Each cell's tenants (layout = "cells" only).
    pub cells: Cells,
    pub cache_groups: CacheGroups,
    /// Files tapgen wrote last time (so it can tell its own stale files from the user's).
    pub files: Vec<String>,
    pub waivers: Vec<Waiver>,
}

/// A `tapgen.lock` that cannot be used: every problem found, and how to recover.
#[derive(Debug)]
pub struct LockError {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        writeln!(f, "{path}: {LOCK_FILE} is refused:")?;
        for problem in &self.problems {
            writeln!(
                f,
                "  {path}:{}: {}: {}",
                problem.line, problem.field, problem.message
            )?;
        }
        write!(
            f,
            "  to recover: restore {LOCK_FILE} from git (git checkout -- {path}), or fix the \
             lines above (a merge conflict: see docs/lock.md); deleting it re-allocates every \
             tenant's slot, which moves tenants (AWS replaces their rules and subnets). \
             Nothing was written."
        )
    }
}

impl std::error::Error for LockError {}

impl Lock {
    /// Reads `DIR/tapgen.lock` (a folder without one yields an empty lock), refusing a lock
    /// that is not the lock format or contradicts itself or DIR.
    pub fn read(dir: &Path) -> Result<Lock, LockError> {
        Self::read_checked(dir, None)
    }

    /// As [`Lock::read`], and also refuses a lock that disagrees with `config` (read from
    /// `config_path`): slots beyond its capacity, another layout or system, cells over size.
    pub fn read_for(dir: &Path, config: &Config, config_path: &Path) -> Result<Lock, LockError> {
        Self::read_checked(dir, Some((config, config_path)))
    }

    fn read_checked(dir: &Path, config: Option<(&Config, &Path)>) -> Result<Lock, LockError> {
        let path = dir.join(LOCK_FILE);
        let refuse = |problems: Vec<Problem>| LockError {
            path: path.clone(),
            problems,
        };
        let one = |line: usize, field: &str, message: String| {
            vec![Problem {
                line,
                field: field.into(),
                message,
            }]
        };
        match std::fs::symlink_metadata(&path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Lock::default())
            }
            Err(error) => return Err(refuse(one(0, "file", format!("cannot read it: {error}")))),
            Ok(meta) if !meta.is_file() => {
                let message = "is not a plain file (a link or folder): tapgen reads and \
                               replaces it in place"
                    .to_string();
                return Err(refuse(one(0, "file", message)));
            }
            Ok(_) => {}
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|error| refuse(one(0, "file", format!("cannot read it: {error}"))))?;
        let lock: LockFile = serde_json::from_str(&text).map_err(|error| {
            let message = format!(
                "not a tapgen lock ({}); left-over merge conflict markers (<<<<<<<) make it \
                 invalid JSON",
                error
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
            );
            refuse(one(error.line(), "json", message))
        })?;
        let mut problems = validate::standalone(&lock, &text, dir);
        if let Some((config, config_path)) = config {
            let config_file = config_path.display().to_string();
            problems.extend(validate::against_config(&lock, &text, config, &config_file));
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(refuse(problems));
        }
        Ok(Lock::from_file(lock))
    }

    fn from_file(lock: LockFile) -> Lock {
        let cells = lock
            .cells
            .0
            .into_iter()
            .filter_map(|(name, members)| Some((CellId::parse(&name)?, members)));
        Lock {
            slots: Slots::from_pairs(lock.slots.0),
            cells: Cells::from_pairs(cells),
            cache_groups: CacheGroups::from_pairs(lock.cache_groups.0),
            files: lock.files,
            waivers: lock
                .waivers
                .into_iter()
                .map(|w| Waiver {
                    rule: w.rule,
                    resource: w.resource,
                    reason: w.reason,
                })
                .collect(),
        }
    }

    /// The lock text for a render of `files` with `slots`, `cells`, `cache_groups` and `waivers`.
    pub fn render(
        slots: &Slots,
        cells: &Cells,
        cache_groups: &CacheGroups,
        files: &[String],
        waivers: &[Waiver],
    ) -> String {
        let pairs = |entries: BTreeMap<&str, u32>| {
            Pairs(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            )
        };
        let document = LockFile {
            version: VERSION,
            comment: COMMENT.into(),
            slots: pairs(slots.iter().collect()),
            files: files.to_vec(),
            waivers: waivers
                .iter()
                .map(|w| WaiverEntry {
                    rule: w.rule.clone(),
                    resource: w.resource.clone(),
                    reason: w.reason.clone(),
                })
                .collect(),
            // Only the cell layout has cells, only System B cache groups; others leave them out.
            cells: Pairs(
                cells
                    .iter()
                    .map(|(cell, members)| (cell.name(), members.to_vec()))
                    .collect(),
            ),
            cache_groups: pairs(cache_groups.iter().collect()),
        };
        format!(
            "{}\n",
            serde_json::to_string_pretty(&document).expect("plain JSON always serialises")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_groups_round_trip_and_are_left_out_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let slots = Slots::from_pairs([("aa".to_string(), 1), ("bb".to_string(), 2)]);
        let groups = CacheGroups::from_pairs([("aa".to_string(), 0), ("bb".to_string(), 3)]);
        let text = Lock::render(
            &slots,
            &Cells::default(),
            &groups,
            &["Main.yaml".into()],
            &[],
        );
        std::fs::write(dir.path().join(LOCK_FILE), &text).unwrap();
        let lock = Lock::read(dir.path()).unwrap();
        assert_eq!(lock.slots, slots);
        assert_eq!(lock.cache_groups, groups);
        assert_eq!(lock.files, ["Main.yaml"]);

        let without = Lock::render(&slots, &Cells::default(), &CacheGroups::default(), &[], &[]);
        assert!(!without.contains("cache_groups"), "{without}");
    }
}
