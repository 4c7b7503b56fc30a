//! A tenant's database password: generated at deploy time, kept only in Secrets Manager.

use program::{map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

pub struct Credentials {
    pub secret: Handle,
    pub version: Handle,
}

/// A random password (never in the program, secret in Pulumi state) stored as
/// `{"username", "password"}` in the tenant's secret, encrypted with the tenant's key.
/// Characters are limited to ones that need no quoting in SQL literals.
pub fn tenant_credentials(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    key: &Handle,
) -> Credentials {
    let names = Names::new(platform);
    let id = &tenant.id;
    let password = program.resource(
        &format!("{id}-db-password"),
        Resource::new("random:RandomPassword")
            .with("length", 32u32)
            .with("special", true)
            .with("overrideSpecial", "-_.~")
            .with("minUpper", 2u32)
            .with("minLower", 2u32)
            .with("minNumeric", 2u32),
    );
    let secret = program.resource(
        &format!("{id}-db-secret"),
        Resource::new("aws:secretsmanager:Secret")
            .with("name", names.db_secret(id))
            .with(
                "description",
                format!("Database credentials of tenant {id}"),
            )
            .with("kmsKeyId", key.arn())
            .with("recoveryWindowInDays", 0u32)
            .with("tags", &tags::tenant(platform, id, &names.db_secret(id))),
    );
    let version = program.resource(
        &format!("{id}-db-secret-value"),
        Resource::new("aws:secretsmanager:SecretVersion")
            .with("secretId", secret.id())
            .with(
                "secretString",
                Expr::secret(Expr::to_json(map! {
                    "username" => names.db_user(id),
                    "password" => password.attr("result"),
                })),
            ),
    );
    Credentials { secret, version }
}
