//! What only System B's cell layout must hold: its listener wiring, origin aliases and Redis
//! groups in every cell, and the few platform changes documented for it.

use super::*;

/// `cell-002` as the platform names what it holds for it (`c002`).
fn short(cell: &str) -> String {
    format!("c{}", cell.trim_start_matches("cell-"))
}

/// System B's wiring in every cell: each tenant's rule sends its own origin host to its own
/// target group (premium) or to its cell's pool target group (standard); its origin alias is
/// in its cell; a standard tenant's cache user joins the shared group the lock records for it
/// (no group over 99 tenants), a premium tenant has a Redis of its own and joins none.
pub(super) fn check_enterprise_cells(
    files: &BTreeMap<String, Vec<u8>>,
    tenants: &[TenantSpec],
    cells: &BTreeMap<String, Vec<String>>,
) -> Result<(), TestCaseError> {
    let lock: serde_json::Value = serde_json::from_slice(&files["tapgen.lock"]).unwrap();
    let platform = resources_of(files, "platform");
    let mut group_sizes: BTreeMap<u64, usize> = BTreeMap::new();
    let mut target_groups = BTreeSet::new();
    for (cell, members) in cells {
        let pool_group = format!("pool-target-group-{}", short(cell));
        prop_assert!(platform.contains_key(&pool_group), "no {}", pool_group);
        let resources = resources_of(files, &format!("cells/{cell}"));
        let pool = format!(
            "${{platform.outputs[\"poolTargetGroup{}\"].arn}}",
            short(cell).to_uppercase()
        );
        for id in members {
            let premium = tenants.iter().any(|t| &t.id == id && t.premium);
            let get = |suffix: &str| resources.get(&format!("{id}-{suffix}"));
            let rule = get("listener-rule")
                .ok_or_else(|| TestCaseError::fail(format!("{cell}: no listener rule for {id}")))?;
            let rule = &rule["properties"];
            prop_assert_eq!(
                &rule["conditions"][0]["hostHeader"]["values"],
                &serde_json::json!([format!("{id}.origin.example.com")]),
                "{}'s rule",
                id
            );
            let target = rule["actions"][0]["targetGroupArn"].as_str().unwrap();
            let alias = get("origin-alias-a").map(|r| &r["properties"]["name"]);
            prop_assert_eq!(
                alias,
                Some(&serde_json::json!(format!("{id}.origin.example.com"))),
                "{}'s origin alias in {}",
                id,
                cell
            );
            let membership = get("cache-membership");
            if premium {
                prop_assert_eq!(target, format!("${{{id}-target-group.arn}}"));
                prop_assert!(
                    get("target-group").is_some() && get("cache").is_some(),
                    "{}",
                    id
                );
                prop_assert!(membership.is_none(), "premium {} joins a shared group", id);
                prop_assert!(target_groups.insert(target.to_string()), "{} twice", target);
            } else {
                prop_assert_eq!(target, pool.as_str(), "{} in {}", id, cell);
                let group = lock["cache_groups"][id.as_str()].as_u64().ok_or_else(|| {
                    TestCaseError::fail(format!("{id} has no recorded cache group"))
                })?;
                let joined = membership.map(|m| &m["properties"]["userGroupId"]);
                let expected =
                    format!("${{platform.outputs[\"sharedCacheUsers{group}\"].userGroupId}}");
                prop_assert_eq!(joined, Some(&serde_json::json!(expected)), "{}", id);
                *group_sizes.entry(group).or_default() += 1;
            }
        }
    }
    for (group, size) in group_sizes {
        prop_assert!(
            size <= 99,
            "shared cache group {} has {} tenants",
            group,
            size
        );
    }
    Ok(())
}

/// Resource and output names whose values differ between two renders of `stack`.
pub(super) fn changed_entries(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    stack: &str,
) -> BTreeSet<String> {
    let read = |files: &BTreeMap<String, Vec<u8>>| -> serde_json::Value {
        serde_norway::from_slice(&files[&format!("{stack}/Main.yaml")]).unwrap()
    };
    let (before, after) = (read(before), read(after));
    let mut changed = BTreeSet::new();
    for section in ["resources", "outputs", "variables"] {
        let empty = serde_json::Map::new();
        let of = |program: &serde_json::Value| program[section].as_object().cloned();
        let (b, a) = (of(&before), of(&after));
        let (b, a) = (b.as_ref().unwrap_or(&empty), a.as_ref().unwrap_or(&empty));
        for name in b.keys().chain(a.keys()) {
            if b.get(name) != a.get(name) {
                changed.insert(format!("{section}.{name}"));
            }
        }
    }
    changed
}

/// What System B's platform may change for (docs/design.md, "System B in cells"): a new
/// cell's pool target group, its export and the pool's target-group list; the pooled role's
/// trust when the set of premium tenants changes; a shared Redis group that opens or closes.
/// Everything else in the platform stays byte-identical.
pub(super) fn documented_platform_changes(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    premium_changed: bool,
) -> BTreeSet<String> {
    let (old_cells, new_cells) = (cells_of(before), cells_of(after));
    let groups = |files: &BTreeMap<String, Vec<u8>>| -> BTreeSet<u64> {
        let lock: serde_json::Value = serde_json::from_slice(&files["tapgen.lock"]).unwrap();
        let recorded = lock["cache_groups"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        recorded.values().filter_map(|g| g.as_u64()).collect()
    };
    let mut allowed = BTreeSet::new();
    for cell in new_cells.keys().filter(|c| !old_cells.contains_key(*c)) {
        let short = short(cell);
        allowed.insert(format!("resources.pool-target-group-{short}"));
        allowed.insert(format!("outputs.poolTargetGroup{}", short.to_uppercase()));
        allowed.insert("resources.pool-fleet".to_string());
    }
    if premium_changed {
        allowed.insert("resources.tenant-access-role".to_string());
    }
    for group in groups(before).symmetric_difference(&groups(after)) {
        for name in [
            format!("resources.cache-pool{group}"),
            format!("resources.cache-pool{group}-users"),
            format!("outputs.sharedCache{group}"),
            format!("outputs.sharedCacheUsers{group}"),
            "outputs.sharedCacheEndpoints".to_string(),
        ] {
            allowed.insert(name);
        }
    }
    allowed
}
