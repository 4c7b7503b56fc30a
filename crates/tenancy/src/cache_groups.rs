//! Shared Redis groups of standard tenants, recorded in `tapgen.lock`.
//!
//! A standard tenant's cache user lives in one shared replication group's user group. AWS
//! allows 100 users per user group and one user group per replication group, and the
//! REDIS engine's mandatory `default` user (a disabled one) takes a place, so a group holds
//! at most 99 tenants. A tenant's group never changes once recorded: moving it would
//! strand its keys in the old group. A new tenant joins the lowest group with room, where
//! places of tenants the previous lock still lists count as taken, so a removal frees its
//! place only once it has been rendered (and deployed).

use std::collections::BTreeMap;

use crate::{Tenant, Tier};

/// Tenants per shared group: 100 users per user group, less the disabled `default` user.
pub const TENANTS_PER_GROUP: usize = 99;

/// Shared cache group (0, 1, ...) of every standard tenant, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheGroups(BTreeMap<String, u32>);

impl CacheGroups {
    /// Keeps the group `previous` recorded for each standard tenant still present, then
    /// places each new standard tenant (in file order) in the lowest group with room.
    /// Premium tenants have dedicated groups and are not recorded.
    pub fn allocate(tenants: &[Tenant], previous: &CacheGroups) -> CacheGroups {
        let standard = || tenants.iter().filter(|t| t.tier == Tier::Standard);
        let mut groups = BTreeMap::new();
        for tenant in standard() {
            if let Some(&group) = previous.0.get(tenant.id.as_str()) {
                groups.insert(tenant.id.to_string(), group);
            }
        }
        // Occupancy: tenants kept, plus those the previous render still placed.
        let mut taken: BTreeMap<u32, usize> = BTreeMap::new();
        let recorded = previous
            .0
            .iter()
            .filter(|(id, _)| !groups.contains_key(*id));
        for (_, &group) in groups.iter().chain(recorded) {
            *taken.entry(group).or_default() += 1;
        }
        for tenant in standard() {
            if groups.contains_key(tenant.id.as_str()) {
                continue;
            }
            let group = (0..)
                .find(|g| taken.get(g).copied().unwrap_or(0) < TENANTS_PER_GROUP)
                .expect("some group index has room");
            *taken.entry(group).or_default() += 1;
            groups.insert(tenant.id.to_string(), group);
        }
        CacheGroups(groups)
    }

    /// The tenant's group, or `None` for a tenant not placed (a premium one).
    pub fn of(&self, tenant: &Tenant) -> Option<u32> {
        self.0.get(tenant.id.as_str()).copied()
    }

    /// Every group that has a tenant now, in order, with its members' ids (sorted).
    pub fn groups(&self) -> BTreeMap<u32, Vec<&str>> {
        let mut groups: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
        for (id, &group) in &self.0 {
            groups.entry(group).or_default().push(id.as_str());
        }
        groups
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.0.iter().map(|(id, group)| (id.as_str(), *group))
    }

    /// Builds groups from `(tenant id, group)` pairs read back from a lock file.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, u32)>) -> CacheGroups {
        CacheGroups(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dns, Sizing, TenantId};

    fn tenant(id: &str, tier: Tier) -> Tenant {
        Tenant {
            id: TenantId::parse(id).unwrap(),
            tier,
            domains: vec![],
            sizing: Sizing::default(),
            dns: Dns::Platform,
            auth_domain: None,
        }
    }

    fn standard(ids: impl IntoIterator<Item = String>) -> Vec<Tenant> {
        ids.into_iter()
            .map(|id| tenant(&id, Tier::Standard))
            .collect()
    }

    fn ids(range: std::ops::Range<usize>) -> impl Iterator<Item = String> {
        range.map(|n| format!("t{n:03}"))
    }

    #[test]
    fn only_standard_tenants_get_a_group() {
        let tenants = [tenant("aa", Tier::Premium), tenant("bb", Tier::Standard)];
        let groups = CacheGroups::allocate(&tenants, &CacheGroups::default());
        assert_eq!(groups.iter().collect::<Vec<_>>(), [("bb", 0)]);
        assert_eq!(groups.of(&tenants[0]), None);
    }

    #[test]
    fn a_group_holds_99_tenants_then_the_next_one_opens() {
        let tenants = standard(ids(0..200));
        let groups = CacheGroups::allocate(&tenants, &CacheGroups::default());
        let sizes: Vec<(u32, usize)> = groups.groups().iter().map(|(g, m)| (*g, m.len())).collect();
        assert_eq!(sizes, [(0, 99), (1, 99), (2, 2)]);
        assert_eq!(groups.of(&tenants[98]), Some(0));
        assert_eq!(groups.of(&tenants[99]), Some(1));
    }

    #[test]
    fn recorded_groups_never_move_and_freed_places_wait_one_render() {
        let first = CacheGroups::allocate(&standard(ids(0..100)), &CacheGroups::default());
        assert_eq!(first.of(&standard(ids(99..100)).remove(0)), Some(1));
        // Remove t000 (group 0), reorder, add a tenant: everyone keeps their group and the
        // newcomer does not take t000's place yet.
        let mut second_tenants = standard(ids(1..100));
        second_tenants.reverse();
        second_tenants.extend(standard(["new".to_string()]));
        let second = CacheGroups::allocate(&second_tenants, &first);
        for (id, group) in first.iter().filter(|(id, _)| *id != "t000") {
            assert_eq!(second.0.get(id), Some(&group), "{id} moved");
        }
        assert_eq!(second.0.get("new"), Some(&1));
        // Once the removal is rendered, its place is free again.
        let mut third_tenants = second_tenants.clone();
        third_tenants.extend(standard(["later".to_string()]));
        let third = CacheGroups::allocate(&third_tenants, &second);
        assert_eq!(third.0.get("later"), Some(&0));
    }

    #[test]
    fn a_tenant_turning_premium_leaves_its_group() {
        let first = CacheGroups::allocate(&standard(ids(0..2)), &CacheGroups::default());
        let upgraded = [
            tenant("t000", Tier::Premium),
            tenant("t001", Tier::Standard),
        ];
        let second = CacheGroups::allocate(&upgraded, &first);
        assert_eq!(second.iter().collect::<Vec<_>>(), [("t001", 0)]);
    }
}
