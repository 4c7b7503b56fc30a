//! DynamoDB tables: on-demand, encrypted with a customer managed key, with point-in-time
//! recovery and no deletion protection (a destroyed stack leaves nothing behind). A
//! tenant's tables use the tenant's own key; the tenant registry uses a platform key.

use program::{map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

pub struct Tables {
    pub users: Handle,
    pub data: Handle,
}

/// The key schema of a table: a string hash key and an optional string range key.
struct Keys<'a> {
    hash: &'a str,
    range: Option<&'a str>,
}

pub fn tenant_tables(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    key: &Handle,
) -> Tables {
    let names = Names::new(platform);
    let id = &tenant.id;
    let mut tenant_table = |role: &str, name: String, keys: Keys| {
        table(
            program,
            &format!("{id}-{role}-table"),
            &name,
            keys,
            key,
            Expr::from(&tags::tenant(platform, id, &name)),
        )
    };
    let users = tenant_table(
        "users",
        names.table_users(id),
        Keys {
            hash: "userId",
            range: None,
        },
    );
    let data = tenant_table(
        "data",
        names.table_data(id),
        Keys {
            hash: "pk",
            range: Some("sk"),
        },
    );
    Tables { users, data }
}

/// The tenant registry: one item per tenant (`tenantId`), written by the provisioning
/// function with conditional writes; encrypted with `key`, a platform key.
pub fn registry_table(program: &mut Program, platform: &Platform, key: &Handle) -> Handle {
    let name = Names::new(platform).registry_table();
    table(
        program,
        "registry-table",
        &name,
        Keys {
            hash: "tenantId",
            range: None,
        },
        key,
        Expr::from(&tags::shared(platform, &name)),
    )
}

fn table(
    program: &mut Program,
    logical: &str,
    name: &str,
    keys: Keys,
    key: &Handle,
    tags: Expr,
) -> Handle {
    let attributes: Vec<Expr> = std::iter::once(keys.hash)
        .chain(keys.range)
        .map(|attribute| map! { "name" => attribute, "type" => "S" })
        .collect();
    program.resource(
        logical,
        Resource::new("aws:dynamodb:Table")
            .with("name", name)
            .with("billingMode", "PAY_PER_REQUEST")
            .with("hashKey", keys.hash)
            .with("rangeKey", keys.range)
            .with("attributes", attributes)
            .with(
                "serverSideEncryption",
                map! { "enabled" => true, "kmsKeyArn" => key.arn() },
            )
            .with("pointInTimeRecovery", map! { "enabled" => true })
            .with("deletionProtectionEnabled", false)
            .with("tags", tags),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};

    #[test]
    fn the_registry_is_keyed_by_tenant_encrypted_and_recoverable() {
        let config = enterprise();
        let mut program = Program::new();
        let key = program.resource("registry-key", Resource::new("aws:kms:Key"));
        registry_table(&mut program, &config.platform, &key);
        let out = render(&program);
        let table = &out["resources"]["registry-table"]["properties"];
        assert_eq!(table["name"], "tap-enterprise-tenants-prod");
        assert_eq!(table["hashKey"], "tenantId");
        assert_eq!(
            table["serverSideEncryption"],
            serde_json::json!({"enabled": true, "kmsKeyArn": "${registry-key.arn}"})
        );
        assert_eq!(table["pointInTimeRecovery"]["enabled"], true);
        assert!(table["tags"].get("tenant_id").is_none());
    }
}
