//! What makes a `tapgen.lock` unusable: problems of the lock on its own (duplicates, two
//! tenants on one slot, files outside DIR) and disagreements with the config it is rendered
//! with (capacity, cell size, layout, cache groups). All are collected, then refused at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

use tenancy::cache_groups::TENANTS_PER_GROUP;
use tenancy::cells::CellId;
use tenancy::{Config, Layout, System, TenantId};

use super::file::{LockFile, VERSION};
use crate::systems;

/// One thing wrong with the lock, located at its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// Finds the line of a key or value in the lock text: each needle is searched after the
/// previous one, so `["slots", "acme"]` is acme's entry under `slots`.
pub struct Locator<'a>(pub &'a str);

impl Locator<'_> {
    pub fn line(&self, needles: &[&str], nth: usize) -> usize {
        let mut at = 0;
        for (i, needle) in needles.iter().enumerate() {
            let quoted = format!("\"{needle}\"");
            let skip = if i + 1 == needles.len() { nth } else { 0 };
            let mut found = None;
            let mut from = at;
            for _ in 0..=skip {
                match self.0[from..].find(&quoted) {
                    Some(offset) => {
                        found = Some(from + offset);
                        from += offset + quoted.len();
                    }
                    None => break,
                }
            }
            match found {
                Some(position) => at = position,
                None => break,
            }
        }
        self.0[..at].matches('\n').count() + 1
    }
}

struct Collector<'a> {
    at: Locator<'a>,
    problems: Vec<Problem>,
}

impl Collector<'_> {
    fn push(&mut self, needles: &[&str], nth: usize, field: String, message: String) {
        let line = self.at.line(needles, nth);
        self.problems.push(Problem {
            line,
            field,
            message,
        });
    }
}

/// Problems of the lock on its own and against `dir`, the folder it lives in.
pub fn standalone(lock: &LockFile, text: &str, dir: &Path) -> Vec<Problem> {
    let mut out = Collector {
        at: Locator(text),
        problems: Vec::new(),
    };
    if lock.version != VERSION {
        out.push(
            &["version"],
            0,
            "version".into(),
            format!(
                "version {} is not one this tapgen reads (version {VERSION}); a newer tapgen \
                 wrote it: render with that one",
                lock.version
            ),
        );
    }
    tenant_keys(
        &mut out,
        "slots",
        lock.slots.0.iter().map(|(id, _)| id.as_str()),
    );
    tenant_keys(
        &mut out,
        "cache_groups",
        lock.cache_groups.0.iter().map(|(id, _)| id.as_str()),
    );
    for (id, slot) in &lock.slots.0 {
        if *slot == 0 {
            let message = "slot 0 is not a slot: slots start at 1".to_string();
            out.push(&["slots", id], 0, format!("slots.{id}"), message);
        }
    }
    let cell_of = cells(&mut out, lock);
    collisions(&mut out, lock, &cell_of);
    cache_groups(&mut out, lock);
    files(&mut out, lock, dir);
    out.problems
}

/// Invalid or repeated tenant ids among the keys of `section`.
fn tenant_keys<'a>(out: &mut Collector, section: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        let count = seen.entry(id).or_default();
        if let Err(reason) = TenantId::parse(id) {
            out.push(&[section, id], 0, format!("{section}.{id}"), reason);
        }
        if *count > 0 {
            let message =
                format!("{id} is listed twice (a merge that kept both sides?): keep one entry");
            out.push(&[section, id], *count, format!("{section}.{id}"), message);
        }
        *count += 1;
    }
}

/// Checks the `cells` section; returns each tenant's cell (the first, if listed twice).
fn cells<'a>(out: &mut Collector, lock: &'a LockFile) -> BTreeMap<&'a str, &'a str> {
    let mut cell_of: BTreeMap<&str, &str> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for (name, members) in &lock.cells.0 {
        if CellId::parse(name).is_none() {
            let message = format!("`{name}` is not a cell name (cell-001, cell-002, ...)");
            out.push(&["cells", name], 0, format!("cells.{name}"), message);
        }
        if !names.insert(name.as_str()) {
            let message = format!("{name} is listed twice: keep one entry");
            out.push(&["cells", name], 1, format!("cells.{name}"), message);
        }
        for member in members {
            if let Some(first) = cell_of.get(member.as_str()) {
                let message = format!("{member} is in {first} already: a tenant has one cell");
                out.push(
                    &["cells", name, member],
                    0,
                    format!("cells.{name}"),
                    message,
                );
                continue;
            }
            cell_of.insert(member, name);
            if !lock.slots.0.iter().any(|(id, _)| id == member) {
                let message = format!("{member} is in {name} but has no slot under `slots`");
                out.push(
                    &["cells", name, member],
                    0,
                    format!("cells.{name}"),
                    message,
                );
            }
        }
    }
    if !lock.cells.is_empty() {
        for (id, _) in &lock.slots.0 {
            if !cell_of.contains_key(id.as_str()) {
                let message = format!("{id} has a slot but no cell under `cells`");
                out.push(&["slots", id], 0, format!("slots.{id}"), message);
            }
        }
    }
    cell_of
}

/// Two tenants on one slot (within one cell, for the cell layout): two rules would share a
/// priority and two tenants a subnet range.
fn collisions(out: &mut Collector, lock: &LockFile, cell_of: &BTreeMap<&str, &str>) {
    let mut holders: BTreeMap<(&str, u32), &str> = BTreeMap::new();
    for (id, slot) in &lock.slots.0 {
        let scope = cell_of.get(id.as_str()).copied().unwrap_or("");
        match holders.get(&(scope, *slot)) {
            Some(first) if *first != id.as_str() => {
                let within = if scope.is_empty() {
                    String::new()
                } else {
                    format!(" in {scope}")
                };
                let message = format!(
                    "{first} and {id} both hold slot {slot}{within}: if this comes from a \
                     merge, keep the entry the main branch has and delete the other, so that \
                     tenant gets a free slot (docs/lock.md)"
                );
                out.push(&["slots", id], 0, format!("slots.{id}"), message);
            }
            Some(_) => {}
            None => {
                holders.insert((scope, *slot), id);
            }
        }
    }
}

fn cache_groups(out: &mut Collector, lock: &LockFile) {
    let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for (id, group) in &lock.cache_groups.0 {
        *sizes.entry(*group).or_default() += 1;
        if !lock.slots.0.iter().any(|(slot_id, _)| slot_id == id) {
            let message = format!("{id} has a cache group but no slot under `slots`");
            out.push(
                &["cache_groups", id],
                0,
                format!("cache_groups.{id}"),
                message,
            );
        }
    }
    for (group, size) in sizes {
        if size > TENANTS_PER_GROUP {
            let message = format!(
                "group {group} holds {size} tenants; a shared group holds at most \
                 {TENANTS_PER_GROUP} (100 users per user group, less the default user)"
            );
            out.push(&["cache_groups"], 0, "cache_groups".into(), message);
        }
    }
}

/// Every listed file must be a plain relative path inside `dir`, reached through no link.
fn files(out: &mut Collector, lock: &LockFile, dir: &Path) {
    let mut seen = BTreeSet::new();
    for file in &lock.files {
        let field = "files".to_string();
        if !seen.insert(file.as_str()) {
            out.push(
                &["files", file],
                1,
                field,
                format!("{file} is listed twice"),
            );
            continue;
        }
        if let Some(reason) = outside(file) {
            let message = format!("{file} {reason}: tapgen only writes inside DIR");
            out.push(&["files", file], 0, field, message);
        } else if let Some(link) = crate::output::first_link(dir, file) {
            let message = format!(
                "{file} is reached through the symbolic link {link}, which may lead outside \
                 DIR: replace the link with a folder or file of its own"
            );
            out.push(&["files", file], 0, field, message);
        }
    }
}

/// Why `path` is not a plain relative path, if it is not.
pub fn outside(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("is empty");
    }
    if path.contains('\\') {
        return Some("contains a backslash");
    }
    for component in Path::new(path).components() {
        match component {
            Component::Normal(_) => {}
            Component::ParentDir => return Some("climbs out with `..`"),
            Component::RootDir | Component::Prefix(_) => return Some("is absolute"),
            Component::CurDir => return Some("contains `.`"),
        }
    }
    None
}

/// Disagreements of the lock with `config`: slots beyond what the system holds, a layout or
/// system other than the one the lock was rendered for, a cell over its size.
pub fn against_config(
    lock: &LockFile,
    text: &str,
    config: &Config,
    config_file: &str,
) -> Vec<Problem> {
    let mut out = Collector {
        at: Locator(text),
        problems: Vec::new(),
    };
    let capacity = systems::capacity(config);
    for (id, slot) in &lock.slots.0 {
        if *slot > capacity.slots {
            let message = format!(
                "slot {slot} is outside 1..={} ({config_file}: {}): if tenants.toml changed \
                 that bound, change it back",
                capacity.slots, capacity.reason
            );
            out.push(&["slots", id], 0, format!("slots.{id}"), message);
        }
    }
    match config.platform.layout {
        Layout::Single if !lock.cells.is_empty() => {
            let message = format!(
                "the lock records a cell layout but {config_file} has platform.layout single: \
                 switching layouts re-creates every tenant in new stacks, so render into a new \
                 folder, or set the layout back"
            );
            out.push(&["cells"], 0, "cells".into(), message);
        }
        Layout::Cells(_) if lock.cells.is_empty() && !lock.slots.is_empty() => {
            let message = format!(
                "the lock records the single layout but {config_file} has platform.layout \
                 cells: switching layouts re-creates every tenant in new stacks, so render \
                 into a new folder, or set the layout back"
            );
            out.push(&["slots"], 0, "slots".into(), message);
        }
        Layout::Cells(layout) => {
            for (name, members) in &lock.cells.0 {
                if members.len() > layout.size as usize {
                    let message = format!(
                        "{name} holds {} tenants, more than {config_file}: \
                         platform.cells.size = {}: raise the size back to at least {}",
                        members.len(),
                        layout.size,
                        members.len()
                    );
                    out.push(&["cells", name], 0, format!("cells.{name}"), message);
                }
            }
        }
        Layout::Single => {}
    }
    if config.platform.system != System::Enterprise && !lock.cache_groups.is_empty() {
        let message = format!(
            "only the enterprise system has shared cache groups, and {config_file} has \
             system {}: the lock belongs to another config",
            config.platform.system
        );
        out.push(&["cache_groups"], 0, "cache_groups".into(), message);
    }
    out.problems
}
