//! The per-tenant part of System B: what one tenant owns, wired to the shared part. Adding
//! or removing a tenant adds or removes only resources named after it (its rule priority
//! and shared cache group come from `tapgen.lock`), so the cell layout declares this part in
//! cell stacks as it is, wired to the platform's exports and the cell's load balancer.

use compute::fleet::{self, FleetSpec};
use compute::observability::{self, AlarmTarget};
use identity::IdentityError;
use network::Route;
use program::{list, Expr, Handle, Program};
use tenancy::{tags, Names, Platform, Tenant, Tier};

use super::front::Front;
use super::platform::{Routing, Shared};
use crate::placement::Placement;

/// The tenant's entry in the `tenants` output.
pub type TenantOutputs = Vec<(String, Expr)>;

/// The tenant's key, bucket, logs, cache, compute (pooled or its own), route, edge and
/// identity, and its provisioning; returns its outputs.
///
/// # Errors
/// The tenant's identity cannot be built (an auth domain without a hosted zone).
pub fn build(
    program: &mut Program,
    platform: &Platform,
    placement: &Placement,
    (shared, routing): (&Shared, &Routing),
    front: &Front,
    tenant: &Tenant,
) -> Result<TenantOutputs, IdentityError> {
    let names = Names::new(platform);
    let id = &tenant.id;
    let key = data::tenant_key_for_logs(
        program,
        platform,
        tenant,
        &names.kms_alias(id),
        &shared.account,
    );
    let bucket = data::tenant_bucket(program, platform, tenant, &key, &shared.deployer);
    let logs = observability::tenant_logs(program, platform, tenant, &key);
    let tier = match tenant.tier {
        Tier::Standard => standard(program, platform, placement, (shared, routing), tenant),
        Tier::Premium => premium(program, platform, (shared, routing), tenant, &key),
    };
    let host = front.host(tenant);
    network::origin_rule(
        program,
        platform,
        &routing.balancer,
        &front.origin_tls(),
        Route {
            tenant,
            slot: placement.slots.of(id),
            host: &host,
            target_group: &tier.target_group,
        },
    );
    let edge = front.tenant(program, platform, tenant);
    let identity = identity::tenant_pool(program, platform, tenant, edge.zone.as_ref())?;
    let mut outputs = vec![
        ("tier".to_string(), Expr::from(tenant.tier.as_str())),
        ("originHost".to_string(), Expr::from(host.as_str())),
        ("bucket".to_string(), bucket.id()),
        ("logGroup".to_string(), logs.log_group.attr("name")),
        ("cacheEndpoint".to_string(), tier.cache_endpoint),
    ];
    outputs.extend(edge.outputs);
    outputs.extend(identity.outputs);
    let mut recorded = vec![
        ("bucket", bucket.id()),
        ("logGroup", logs.log_group.attr("name")),
        ("cacheGroup", tier.cache_group),
        ("cacheUser", tier.cache_user.attr("userId")),
        ("targetGroup", tier.target_group.arn()),
    ];
    recorded.extend(edge.recorded);
    recorded.push(("userPoolId", identity.pool.id()));
    data::provision_tenant(program, tenant, &shared.provisioning, &key, recorded);
    Ok(outputs)
}

/// Where a tenant's tier puts it.
struct TierParts {
    target_group: Handle,
    cache_group: Expr,
    cache_user: Handle,
    cache_endpoint: Expr,
}

/// A standard tenant: the pool's fleet and target group, its own user in its recorded
/// shared Redis group.
fn standard(
    program: &mut Program,
    platform: &Platform,
    placement: &Placement,
    (shared, routing): (&Shared, &Routing),
    tenant: &Tenant,
) -> TierParts {
    let index = placement
        .cache_groups
        .of(tenant)
        .expect("every standard tenant has a recorded cache group");
    let group = shared.shared_cache(index);
    let user = data::shared_cache_user(program, platform, tenant, group);
    TierParts {
        target_group: routing.pool_target_group.clone(),
        cache_group: group.replication_group.attr("replicationGroupId"),
        cache_user: user,
        cache_endpoint: group.replication_group.attr("primaryEndpointAddress"),
    }
}

/// A premium tenant: its own groups, target group, fleet (with alarms) and Redis.
fn premium(
    program: &mut Program,
    platform: &Platform,
    (shared, routing): (&Shared, &Routing),
    tenant: &Tenant,
    key: &Handle,
) -> TierParts {
    let names = Names::new(platform);
    let id = &tenant.id;
    let groups = network::premium_groups(
        program,
        platform,
        &shared.vpc,
        &routing.balancer_group,
        tenant,
    );
    let target_group = network::premium_target_group(program, platform, &shared.vpc, tenant);
    let name = names.tenant_fleet(id);
    let fleet_spec = &platform.fleet;
    let fleet = fleet::fleet(
        program,
        platform,
        FleetSpec {
            logical: id.as_str(),
            name: &name,
            min_size: fleet_spec.premium_min,
            max_size: fleet_spec.premium_max,
            subnet_ids: shared.subnets.private_ids(),
            security_group_ids: vec![shared.workloads_group.id(), groups.instances.id()],
            target_groups: vec![target_group.arn()],
            volume_key: &shared.volume_key,
            host_log_group: &names.fleet_log_group(&name),
            tags: tags::tenant(platform, id, &name),
        },
    );
    // The tenant's own access role, assumable by its instances only.
    identity::premium_access(program, platform, tenant, &fleet.role.role, &shared.account);
    observability::target_group_alarms(
        program,
        platform,
        AlarmTarget {
            logical: id.as_str(),
            target_group: target_group.attr("arnSuffix"),
            load_balancer: routing.balancer.load_balancer.attr("arnSuffix"),
            actions: Vec::new(),
            tags: Expr::from(&tags::tenant(platform, id, &format!("{id}-alarms"))),
        },
    );
    let cache = data::dedicated_cache(
        program,
        platform,
        tenant,
        &shared.cache_base,
        key,
        list![groups.cache.id()],
    );
    TierParts {
        target_group,
        cache_group: cache.group.replication_group.attr("replicationGroupId"),
        cache_user: cache.user,
        cache_endpoint: cache.group.replication_group.attr("primaryEndpointAddress"),
    }
}
