//! Cells: the stacks tenants are spread over in `layout = "cells"`, recorded in `tapgen.lock`.
//!
//! A tenant keeps its cell for life, like its slot. New tenants join the newest cell while it
//! has room and open the next one when it is full, so an onboarding changes one cell stack
//! only. A cell whose tenants are all removed stays (rendered as an empty stack, so `pulumi
//! destroy` or `pulumi up` still finds it) until its entry is deleted from the lock by hand.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use ipnet::Ipv4Net;

/// A cell's number (1, 2, ...); its stack and folder are `cell-001`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellId(pub u32);

impl CellId {
    /// `cell-001`: the folder under `cells/` and the stack label.
    pub fn name(self) -> String {
        format!("cell-{:03}", self.0)
    }

    /// `c001`: the short form physical names carry.
    pub fn short(self) -> String {
        format!("c{:03}", self.0)
    }

    /// The cell named `name` (`cell-001`), if it is one.
    pub fn parse(name: &str) -> Option<CellId> {
        let digits = name.strip_prefix("cell-")?;
        (digits.len() >= 3 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok().map(CellId))
            .flatten()
            .filter(|c| c.0 > 0)
    }
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Members of every cell, by cell; a cell may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells(BTreeMap<CellId, Vec<String>>);

impl Cells {
    /// Keeps every cell `previous` recorded and each remaining tenant in its cell; then puts
    /// each new tenant (in file order) into the newest cell while it holds fewer than `size`,
    /// opening the next cell when it is full.
    pub fn allocate<'a>(
        tenants: impl IntoIterator<Item = &'a str>,
        previous: &Cells,
        size: u32,
    ) -> Cells {
        let tenants: Vec<&str> = tenants.into_iter().collect();
        // Sets, not scans: a scan per tenant made a render with a lock quadratic in tenants.
        let present: HashSet<&str> = tenants.iter().copied().collect();
        let recorded = previous.members();
        let mut cells: BTreeMap<CellId, Vec<String>> = previous
            .0
            .iter()
            .map(|(cell, members)| {
                let kept = members
                    .iter()
                    .filter(|m| present.contains(m.as_str()))
                    .cloned();
                (*cell, kept.collect())
            })
            .collect();
        for tenant in tenants {
            if recorded.contains_key(tenant) {
                continue;
            }
            let newest = cells.keys().next_back().copied();
            let cell = match newest {
                Some(cell) if cells[&cell].len() < size as usize => cell,
                Some(cell) => CellId(cell.0 + 1),
                None => CellId(1),
            };
            cells.entry(cell).or_default().push(tenant.to_string());
        }
        for members in cells.values_mut() {
            members.sort();
        }
        Cells(cells)
    }

    /// The cell `tenant` belongs to.
    pub fn cell_of(&self, tenant: &str) -> Option<CellId> {
        self.0
            .iter()
            .find(|(_, members)| members.iter().any(|m| m == tenant))
            .map(|(cell, _)| *cell)
    }

    /// Each member's cell, for looking up many tenants.
    pub fn members(&self) -> HashMap<&str, CellId> {
        self.0
            .iter()
            .flat_map(|(cell, members)| members.iter().map(|m| (m.as_str(), *cell)))
            .collect()
    }

    /// Every cell with its members (sorted by id), in cell order.
    pub fn iter(&self) -> impl Iterator<Item = (CellId, &[String])> {
        self.0
            .iter()
            .map(|(cell, members)| (*cell, members.as_slice()))
    }

    /// Builds cells from `(cell, members)` pairs read back from a lock file.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (CellId, Vec<String>)>) -> Cells {
        Cells(pairs.into_iter().collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The prefix of a serverless cell's secondary VPC range: one /24 per tenant per zone, plus
/// the unused slot 0; `None` past a /16, the largest secondary range AWS accepts.
pub fn cell_prefix(size: u32, az_count: u8) -> Option<u8> {
    let needed = u32::from(az_count) * (size + 1);
    let bits = u32::BITS - (needed - 1).leading_zeros();
    let prefix = 24u32.checked_sub(bits)?;
    (prefix >= 16).then_some(prefix as u8)
}

/// Cell `cell`'s secondary VPC range: the cell's block of `pool`, if the pool has room.
pub fn cell_range(pool: Ipv4Net, size: u32, az_count: u8, cell: CellId) -> Option<Ipv4Net> {
    let prefix = cell_prefix(size, az_count)?;
    pool.subnets(prefix).ok()?.nth(cell.0 as usize - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(cells: &Cells) -> Vec<(String, Vec<&str>)> {
        cells
            .iter()
            .map(|(c, m)| (c.name(), m.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn new_tenants_fill_the_newest_cell_then_open_the_next() {
        let cells = Cells::allocate(["a", "b", "c", "d", "e"], &Cells::default(), 2);
        assert_eq!(
            members(&cells),
            [
                ("cell-001".into(), vec!["a", "b"]),
                ("cell-002".into(), vec!["c", "d"]),
                ("cell-003".into(), vec!["e"]),
            ]
        );
    }

    #[test]
    fn tenants_keep_their_cell_and_an_emptied_cell_stays() {
        let first = Cells::allocate(["a", "b", "c"], &Cells::default(), 2);
        // c's cell empties; b leaves a hole; reordering moves nobody.
        let second = Cells::allocate(["new", "a"], &first, 2);
        assert_eq!(
            members(&second),
            [
                ("cell-001".into(), vec!["a"]),
                ("cell-002".into(), vec!["new"]),
            ]
        );
        let third = Cells::allocate(["x", "new", "a", "y"], &second, 2);
        assert_eq!(third.cell_of("x"), Some(CellId(2)));
        assert_eq!(third.cell_of("y"), Some(CellId(3)));
        assert_eq!(third.cell_of("a"), Some(CellId(1)));
    }

    #[test]
    fn cell_names_round_trip() {
        assert_eq!(CellId::parse("cell-007"), Some(CellId(7)));
        assert_eq!(CellId::parse(&CellId(123).name()), Some(CellId(123)));
        assert_eq!(CellId::parse("cell-7"), None);
        assert_eq!(CellId::parse("cell-000"), None);
        assert_eq!(CellId(4).short(), "c004");
    }

    #[test]
    fn a_cell_of_fifty_over_two_zones_takes_a_slash_17() {
        assert_eq!(cell_prefix(50, 2), Some(17));
        assert_eq!(cell_prefix(99, 2), Some(16));
        assert_eq!(cell_prefix(99, 3), None);
        let pool: Ipv4Net = "10.128.0.0/12".parse().unwrap();
        assert_eq!(
            cell_range(pool, 50, 2, CellId(3)).unwrap().to_string(),
            "10.129.0.0/17"
        );
        assert_eq!(cell_range(pool, 50, 2, CellId(33)), None);
    }
}
