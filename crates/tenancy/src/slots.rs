//! Slots: a small number each tenant keeps for life, recorded in `tapgen.lock`.
//!
//! Anything AWS would replace when it moves (listener rule priorities, subnet ranges) is
//! derived from the tenant's slot, never from its position in `tenants.toml`. A new tenant
//! takes the lowest slot that no current tenant holds and that the previous lock did not
//! record, so a slot freed by a removal is reused only once that removal has been rendered
//! (and deployed): Pulumi never has to create a rule with a priority still in use.

use std::collections::BTreeMap;

use crate::{Tenant, TenantId};

/// Slot of every tenant, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slots(BTreeMap<String, u32>);

/// A new tenant cannot get a slot below the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no room for tenant {tenant}: all {capacity} slots are taken")]
pub struct SlotsExhausted {
    pub tenant: String,
    pub capacity: u32,
}

impl Slots {
    /// Keeps every slot `previous` recorded for a tenant still present, then gives each new
    /// tenant (in file order) the lowest free slot from 1 to `capacity`.
    pub fn allocate(
        tenants: &[Tenant],
        previous: &Slots,
        capacity: u32,
    ) -> Result<Slots, SlotsExhausted> {
        let mut slots = BTreeMap::new();
        for tenant in tenants {
            if let Some(&slot) = previous.0.get(tenant.id.as_str()) {
                slots.insert(tenant.id.as_str().to_string(), slot);
            }
        }
        let mut taken: Vec<u32> = slots.values().chain(previous.0.values()).copied().collect();
        taken.sort_unstable();
        let mut candidate = 1;
        for tenant in tenants {
            if slots.contains_key(tenant.id.as_str()) {
                continue;
            }
            while taken.binary_search(&candidate).is_ok() {
                candidate += 1;
            }
            if candidate > capacity {
                return Err(SlotsExhausted {
                    tenant: tenant.id.to_string(),
                    capacity,
                });
            }
            slots.insert(tenant.id.as_str().to_string(), candidate);
            candidate += 1;
        }
        Ok(Slots(slots))
    }

    /// The tenant's slot. Every tenant passed to [`Slots::allocate`] has one.
    pub fn of(&self, tenant: &TenantId) -> u32 {
        self.0[tenant.as_str()]
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.0.iter().map(|(id, slot)| (id.as_str(), *slot))
    }

    /// Builds slots from `(tenant id, slot)` pairs read back from a lock file.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, u32)>) -> Slots {
        Slots(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dns, Sizing, Tier};

    fn tenants(ids: &[&str]) -> Vec<Tenant> {
        ids.iter()
            .map(|id| Tenant {
                id: TenantId::parse(id).unwrap(),
                tier: Tier::Standard,
                domains: vec![],
                sizing: Sizing::default(),
                dns: Dns::Platform,
                auth_domain: None,
            })
            .collect()
    }

    fn pairs(slots: &Slots) -> Vec<(&str, u32)> {
        slots.iter().collect()
    }

    #[test]
    fn fresh_slots_follow_file_order() {
        let slots = Slots::allocate(&tenants(&["bb", "aa"]), &Slots::default(), 10).unwrap();
        assert_eq!(pairs(&slots), [("aa", 2), ("bb", 1)]);
    }

    #[test]
    fn existing_tenants_keep_their_slots_when_others_come_and_go() {
        let first = Slots::allocate(&tenants(&["aa", "bb", "cc"]), &Slots::default(), 10).unwrap();
        let second = Slots::allocate(&tenants(&["cc", "new", "aa"]), &first, 10).unwrap();
        assert_eq!(pairs(&second), [("aa", 1), ("cc", 3), ("new", 4)]);
        // bb's slot 2 is free again only once its removal has been rendered.
        let third = Slots::allocate(&tenants(&["cc", "new", "aa", "dd"]), &second, 10).unwrap();
        assert_eq!(third.of(&TenantId::parse("dd").unwrap()), 2);
    }

    #[test]
    fn running_out_of_slots_names_the_tenant() {
        let error = Slots::allocate(&tenants(&["aa", "bb"]), &Slots::default(), 1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no room for tenant bb: all 1 slots are taken"
        );
    }
}
