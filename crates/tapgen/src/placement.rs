//! Where each tenant goes: its slot (rule priorities, subnet ranges) and, in the cell layout,
//! its cell. Both are kept from the previous render's lock, so nobody moves.

use anyhow::{Context, Result};
use tenancy::cells::Cells;
use tenancy::slots::Slots;
use tenancy::{Config, Layout};

use crate::lock::Lock;
use crate::systems;

/// Slots of every tenant and, for `layout = "cells"`, the members of every cell.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub slots: Slots,
    /// Empty for the single layout.
    pub cells: Cells,
}

impl Placement {
    /// Places `config`'s tenants, keeping what `previous` recorded. In the cell layout slots
    /// are unique within a cell: they number the cell's load balancer rules and subnets.
    pub fn new(config: &Config, config_file: &str, previous: &Lock) -> Result<Placement> {
        let capacity = systems::capacity(config);
        let exhausted = || format!("{config_file}: tenants: {}", capacity.reason);
        let Layout::Cells(layout) = config.platform.layout else {
            let slots = Slots::allocate(&config.tenants, &previous.slots, capacity.slots)
                .with_context(exhausted)?;
            return Ok(Placement {
                slots,
                cells: Cells::default(),
            });
        };
        let ids = config.tenants.iter().map(|t| t.id.as_str());
        let cells = Cells::allocate(ids, &previous.cells, layout.size);
        let mut slots = Vec::new();
        for (cell, members) in cells.iter() {
            let tenants: Vec<_> = config
                .tenants
                .iter()
                .filter(|t| members.iter().any(|m| m == t.id.as_str()))
                .cloned()
                .collect();
            // Slots the cell's previous members held, including removed ones: freed slots
            // are reused only on a later render, as in the single layout.
            let before = previous
                .slots
                .iter()
                .filter(|(id, _)| previous.cells.cell_of(id) == Some(cell))
                .map(|(id, slot)| (id.to_string(), slot));
            let cell_slots = Slots::allocate(&tenants, &Slots::from_pairs(before), capacity.slots)
                .with_context(exhausted)?;
            slots.extend(cell_slots.iter().map(|(id, slot)| (id.to_string(), slot)));
        }
        Ok(Placement {
            slots: Slots::from_pairs(slots),
            cells,
        })
    }
}
