//! Network builders: each takes the validated platform model and the handles it builds on,
//! declares resources into the [`program::Program`], and returns the handles others need.

mod endpoints;
mod ingress;
mod origin_routing;
mod security;
mod tenant_subnets;
mod tiers;
mod vpc;

pub use endpoints::{vpc_endpoints, Endpoints, GATEWAY_SERVICES, INTERFACE_SERVICES};
pub use ingress::{load_balancer, tenant_route, LoadBalancer};
pub use origin_routing::{
    origin_load_balancer, origin_rule, pool_target_group, premium_target_group, OriginTls, Route,
    HEALTH_PATH,
};
pub use security::{
    load_balancer_group, security_groups, tenant_security_group, workload_groups, SecurityGroups,
};
pub use tenant_subnets::{
    cell_space, joined_ids, tenant_function_security_group, tenant_routing, tenant_subnet_capacity,
    tenant_subnets, TenantRouting, TenantSpace,
};
pub use tiers::{
    cell_load_balancer_group, platform_tier_groups, premium_groups, tier_groups, PremiumGroups,
    TierGroups, CLOUDFRONT_ORIGIN_FACING,
};
pub use vpc::{public_private_subnets, vpc, Subnets, Vpc};
