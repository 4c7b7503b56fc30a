//! Network builders: each takes the validated platform model and the handles it builds on,
//! declares resources into the [`program::Program`], and returns the handles others need.

mod ingress;
mod security;
mod tenant_subnets;
mod vpc;

pub use ingress::{load_balancer, tenant_route, LoadBalancer};
pub use security::{
    load_balancer_group, security_groups, tenant_security_group, workload_groups, SecurityGroups,
};
pub use tenant_subnets::{
    cell_space, joined_ids, tenant_function_security_group, tenant_routing, tenant_subnet_capacity,
    tenant_subnets, TenantRouting, TenantSpace,
};
pub use vpc::{public_private_subnets, vpc, Subnets, Vpc};
