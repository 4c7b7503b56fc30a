//! Per-tenant KMS customer-managed keys.

use program::{Handle, Program, Resource};
use tenancy::{tags, Platform, Tenant};

/// A tenant's own key, rotated yearly, with an alias. No `policy` is set, so AWS applies
/// the default key policy: the account delegates to IAM, and only roles whose IAM policy
/// names this key's ARN (the tenant's own) can use it.
pub fn tenant_key(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    alias: &str,
) -> Handle {
    let id = &tenant.id;
    let tags = tags::tenant(platform, id, alias);
    let key = program.resource(
        &format!("{id}-key"),
        Resource::new("aws:kms:Key")
            .with(
                "description",
                format!("Data key of tenant {id} ({})", platform.environment),
            )
            .with("enableKeyRotation", true)
            .with("deletionWindowInDays", 7u32)
            .with("tags", &tags),
    );
    program.resource(
        &format!("{id}-key-alias"),
        Resource::new("aws:kms:Alias")
            .with("name", alias)
            .with("targetKeyId", key.id()),
    );
    key
}
