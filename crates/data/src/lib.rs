//! Data builders. Each tenant gets its own KMS key, bucket, database schema, user and
//! secret; shared stores (the Aurora cluster) isolate tenants inside them.

mod aurora;
mod bucket;
mod credentials;
mod keys;
mod schemas;
mod tables;

pub use aurora::{aurora, Database};
pub use bucket::{deployer, tenant_bucket};
pub use credentials::{tenant_credentials, Credentials};
pub use keys::tenant_key;
pub use schemas::{schema_initializer, tenant_schema};
pub use tables::{tenant_tables, Tables};
