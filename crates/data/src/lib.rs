//! Data builders. Each tenant gets its own KMS key, bucket, database schema, user and
//! secret; shared stores (the Aurora cluster, shared Redis groups, the tenant registry)
//! isolate tenants inside them.

mod aurora;
mod bucket;
mod cache;
mod credentials;
mod keys;
mod provision;
mod schemas;
mod tables;
#[cfg(test)]
mod testing;

pub use aurora::{aurora, aurora_rls, Database, RlsCluster};
pub use bucket::{deny_insecure_transport, deployer, private_bucket, tenant_bucket, PrivateBucket};
pub use cache::{
    cache_base, dedicated_cache, key_prefix, shared_cache, shared_cache_user, tenant_access_string,
    CacheBase, CacheGroup, TenantCache,
};
pub use credentials::{tenant_credentials, Credentials};
pub use keys::{platform_key, tenant_key, tenant_key_for_logs, volume_key};
pub use provision::{
    provision_tenant, provisioner, ProvisionTargets, Provisioner, TenantProvisioning,
};
pub use schemas::{schema_initializer, tenant_schema};
pub use tables::{registry_table, tenant_tables, Tables};
