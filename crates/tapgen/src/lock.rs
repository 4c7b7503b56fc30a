//! `tapgen.lock`: what tapgen decided for an output folder: each tenant's slot, the files it
//! owns there, and the policy waivers the config grants.
//!
//! It lives in the output folder, is committed with it, and is read back on the next render,
//! so allocations survive reordering, insertion and removal of tenants; `tapgen check DIR`
//! reads the waivers from it, so checking needs nothing but the folder.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use check::Waiver;
use serde_json::{json, Value};
use tenancy::cells::{CellId, Cells};
use tenancy::slots::Slots;

pub const LOCK_FILE: &str = "tapgen.lock";

/// The previous render of an output folder, as far as tapgen owns it.
#[derive(Debug, Default)]
pub struct Lock {
    pub slots: Slots,
    /// Each cell's tenants (layout = "cells" only).
    pub cells: Cells,
    /// Files tapgen wrote last time (so it can tell its own stale files from the user's).
    pub files: Vec<String>,
    pub waivers: Vec<Waiver>,
}

impl Lock {
    /// Reads `DIR/tapgen.lock`; a folder without one yields an empty lock.
    pub fn read(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK_FILE);
        if !path.exists() {
            return Ok(Lock::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a tapgen lock file", path.display()))?;
        let slots = value["slots"]
            .as_object()
            .map(|slots| {
                slots
                    .iter()
                    .filter_map(|(id, slot)| {
                        Some((id.clone(), u32::try_from(slot.as_u64()?).ok()?))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let files = value["files"]
            .as_array()
            .map(|files| {
                files
                    .iter()
                    .filter_map(|f| f.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let waivers = value["waivers"]
            .as_array()
            .map(|waivers| {
                waivers
                    .iter()
                    .map(|w| Waiver {
                        rule: text_field(w, "rule"),
                        resource: text_field(w, "resource"),
                        reason: text_field(w, "reason"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let cells = value["cells"]
            .as_object()
            .map(|cells| {
                cells
                    .iter()
                    .filter_map(|(name, members)| {
                        let members = members.as_array()?.iter();
                        let members = members.filter_map(|m| m.as_str().map(String::from));
                        Some((CellId::parse(name)?, members.collect()))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        Ok(Lock {
            slots: Slots::from_pairs(slots),
            cells: Cells::from_pairs(cells),
            files,
            waivers,
        })
    }

    /// The lock text for a render of `files` with `slots`, `cells` and `waivers`.
    pub fn render(slots: &Slots, cells: &Cells, files: &[String], waivers: &[Waiver]) -> String {
        let slots: BTreeMap<&str, u32> = slots.iter().collect();
        let waivers: Vec<Value> = waivers
            .iter()
            .map(|w| json!({"rule": w.rule, "resource": w.resource, "reason": w.reason}))
            .collect();
        let mut document = json!({
            "comment": "Maintained by tapgen: each tenant's slot (ALB rule priorities, subnet ranges), the files tapgen owns here, and the policy waivers from the config. Commit it; do not edit it.",
            "slots": slots,
            "files": files,
            "waivers": waivers,
        });
        if !cells.is_empty() {
            let cells: BTreeMap<String, &[String]> = cells
                .iter()
                .map(|(cell, members)| (cell.name(), members))
                .collect();
            document["cells"] = json!(cells);
        }
        format!(
            "{}\n",
            serde_json::to_string_pretty(&document).expect("plain JSON always serialises")
        )
    }
}

fn text_field(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_string()
}
