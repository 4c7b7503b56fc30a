//! Where each tenant goes: its slot (rule priorities, subnet ranges) and, in the cell layout,
//! its cell. Both are kept from the previous render's lock, so nobody moves.

use std::collections::HashMap;

use anyhow::{Context, Result};
use tenancy::cache_groups::CacheGroups;
use tenancy::cells::{CellId, Cells};
use tenancy::slots::Slots;
use tenancy::{Config, Layout, System, Tenant};

use crate::lock::Lock;
use crate::systems;

/// Slots of every tenant; for `layout = "cells"` the members of every cell; for System B the
/// shared cache group of every standard tenant.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub slots: Slots,
    /// Empty for the single layout.
    pub cells: Cells,
    /// Empty outside System B.
    pub cache_groups: CacheGroups,
}

impl Placement {
    /// Places `config`'s tenants, keeping what `previous` recorded. In the cell layout slots
    /// are unique within a cell: they number the cell's load balancer rules and subnets.
    pub fn new(config: &Config, config_file: &str, previous: &Lock) -> Result<Placement> {
        let cache_groups = match config.platform.system {
            System::Enterprise => CacheGroups::allocate(&config.tenants, &previous.cache_groups),
            System::EcsFargate | System::Serverless => CacheGroups::default(),
        };
        let capacity = systems::capacity(config);
        let exhausted = || format!("{config_file}: tenants: {}", capacity.reason);
        let Layout::Cells(layout) = config.platform.layout else {
            let slots = Slots::allocate(&config.tenants, &previous.slots, capacity.slots)
                .with_context(exhausted)?;
            return Ok(Placement {
                slots,
                cells: Cells::default(),
                cache_groups,
            });
        };
        let ids = config.tenants.iter().map(|t| t.id.as_str());
        let cells = Cells::allocate(ids, &previous.cells, layout.size);
        // Each cell's tenants (in file order) and previous slots, grouped in one pass: a scan
        // of every tenant per cell made placement quadratic in tenants.
        let cell_of = cells.members();
        let mut tenants_of: HashMap<CellId, Vec<Tenant>> = HashMap::new();
        for tenant in &config.tenants {
            if let Some(&cell) = cell_of.get(tenant.id.as_str()) {
                tenants_of.entry(cell).or_default().push(tenant.clone());
            }
        }
        // Slots the cell's previous members held, including removed ones: freed slots are
        // reused only on a later render, as in the single layout.
        let previous_cell_of = previous.cells.members();
        let mut before_of: HashMap<CellId, Vec<(String, u32)>> = HashMap::new();
        for (id, slot) in previous.slots.iter() {
            if let Some(&cell) = previous_cell_of.get(id) {
                before_of
                    .entry(cell)
                    .or_default()
                    .push((id.to_string(), slot));
            }
        }
        let mut slots = Vec::new();
        for (cell, _) in cells.iter() {
            let tenants = tenants_of.remove(&cell).unwrap_or_default();
            let before = Slots::from_pairs(before_of.remove(&cell).unwrap_or_default());
            let cell_slots =
                Slots::allocate(&tenants, &before, capacity.slots).with_context(exhausted)?;
            slots.extend(cell_slots.iter().map(|(id, slot)| (id.to_string(), slot)));
        }
        Ok(Placement {
            slots: Slots::from_pairs(slots),
            cells,
            cache_groups,
        })
    }
}
