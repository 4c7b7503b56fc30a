//! Network builders: each takes the validated platform model and the handles it builds on,
//! declares resources into the [`program::Program`], and returns the handles others need.

mod ingress;
mod security;
mod vpc;

pub use ingress::{load_balancer, tenant_route, LoadBalancer, PRIORITIES_PER_SLOT};
pub use security::{security_groups, tenant_security_group, SecurityGroups};
pub use vpc::{public_private_subnets, vpc, Subnets, Vpc};
