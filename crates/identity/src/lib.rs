//! Identity builders of the enterprise system (System B): who a tenant's users are, and who
//! tenant code runs as.
//!
//! A crate of its own because neither existing builder holds this concern: `data` owns stores
//! and their keys, `compute` owns what runs and its instance roles, `network` owns paths.
//! User directories (a Cognito user pool per tenant, its app client and sign-in domain) and
//! tenant-access roles (IAM decided at run time from a `tenant_id` session tag) are about
//! *identity*, shared by whatever compute a system chooses.
//!
//! - [`tenant_pool`]: the tenant's user pool, app client and domain (custom or prefix).
//! - [`tenant_access`] / [`premium_access`]: the pooled tenant-access role standard tenants'
//!   sessions assume with their `tenant_id` tag, and a premium tenant's own role.

mod access;
mod auth_domain;
mod pool;
mod statements;
#[cfg(test)]
mod testing;

pub use access::{premium_access, tenant_access, TenantAccess, TENANT_TAG};
pub use pool::{tenant_pool, IdentityError, TenantIdentity, TENANT_ATTRIBUTE};
