//! A tenant's DynamoDB tables: on-demand, encrypted with the tenant's own key, with
//! point-in-time recovery.

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
    let mut table = |role: &str, name: String, keys: Keys| {
        let attributes: Vec<Expr> = std::iter::once(keys.hash)
            .chain(keys.range)
            .map(|attribute| map! { "name" => attribute, "type" => "S" })
            .collect();
        program.resource(
            &format!("{id}-{role}-table"),
            Resource::new("aws:dynamodb:Table")
                .with("name", name.as_str())
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
                .with("tags", &tags::tenant(platform, id, &name)),
        )
    };
    let users = table(
        "users",
        names.table_users(id),
        Keys {
            hash: "userId",
            range: None,
        },
    );
    let data = table(
        "data",
        names.table_data(id),
        Keys {
            hash: "pk",
            range: Some("sk"),
        },
    );
    Tables { users, data }
}
