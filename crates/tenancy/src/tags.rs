//! Resource tags: the platform's tags on everything, `tenant_id` on what belongs to a
//! tenant, and a `Name` so the console shows what each resource is.

use std::collections::BTreeMap;

use crate::{Platform, TenantId};

/// Tags of a shared (platform-wide) resource.
pub fn shared(platform: &Platform, name: &str) -> BTreeMap<String, String> {
    let mut tags = platform.tags.clone();
    tags.insert("Name".into(), name.into());
    tags
}

/// Tags of a resource that belongs to one tenant.
pub fn tenant(platform: &Platform, tenant: &TenantId, name: &str) -> BTreeMap<String, String> {
    let mut tags = shared(platform, name);
    tags.insert("tenant_id".into(), tenant.to_string());
    tags
}
