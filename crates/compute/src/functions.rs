//! The serverless system's functions: one JWT authorizer, and one users function per
//! tenant built from the same shipped code, bound to its tenant by environment.

use program::{map, Expr, Handle, Program};
use tenancy::{tags, Auth, Names, Platform, Tenant};

use crate::iam::Allow;
use crate::lambda::{self, Deployed, Function, Placement};

const AUTHORIZER_SOURCES: [(&str, &str); 1] =
    [("index.mjs", include_str!("../lambda/authorizer/index.mjs"))];
const USERS_SOURCES: [(&str, &str); 1] = [("index.mjs", include_str!("../lambda/users/index.mjs"))];

/// The authorizer: verifies tenant JWTs against the configured JWKS. It needs nothing but
/// its own logs (HS256 via Secrets Manager is not configured).
pub fn authorizer(program: &mut Program, platform: &Platform, auth: &Auth) -> Deployed {
    let name = Names::new(platform).authorizer();
    let code = program.archive("lambda/authorizer", &AUTHORIZER_SOURCES);
    let jwks = serde_json::to_string(&auth.jwks).expect("a parsed JWKS serialises");
    lambda::function(
        program,
        Function {
            logical: "authorizer",
            name: &name,
            role_name: &name,
            description: "Validates tenant JWTs for the tenant API (tapgen)",
            code,
            handler: "index.handler",
            environment: map! {
                "JWT_ISSUER" => auth.issuer.as_str(),
                "JWT_AUDIENCE" => auth.audience.as_str(),
                "TENANT_CLAIM" => auth.tenant_claim.as_str(),
                "JWKS" => jwks,
            },
            grants: Vec::new(),
            log_retention_days: platform.defaults.log_retention_days,
            timeout_seconds: 10,
            tags: Expr::from(&tags::shared(platform, &name)),
            vpc: None,
        },
    )
}

/// The users code, shipped once and shared by every tenant's function.
pub fn users_code(program: &mut Program) -> Expr {
    program.archive("lambda/users", &USERS_SOURCES)
}

/// What a tenant's function is bound to.
pub struct TenantBinding<'a> {
    pub code: Expr,
    pub users_table: &'a Handle,
    pub data_table: &'a Handle,
    pub key: &'a Handle,
    pub subnets: &'a [Handle],
    pub security_group: &'a Handle,
    pub account: &'a Handle,
    /// Comma-separated subnet ids, the function's `TENANT_SUBNET`.
    pub tenant_subnet: Expr,
}

/// The tenant's users function, in the tenant's own subnets, allowed only its own tables
/// and key. `TENANT_ID` makes it refuse every request for another tenant.
pub fn tenant_function(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    binding: TenantBinding,
) -> Deployed {
    let names = Names::new(platform);
    let id = &tenant.id;
    let name = names.function(id);
    lambda::function(
        program,
        Function {
            logical: &format!("{id}-function"),
            name: &name,
            role_name: &names.function_role(id),
            description: &format!("Users API of tenant {id} (tapgen)"),
            code: binding.code,
            handler: "index.handler",
            environment: map! {
                "TENANT_ID" => id.as_ref(),
                "TENANT_SUBNET" => binding.tenant_subnet,
                "USERS_TABLE" => binding.users_table.id(),
                "DATA_TABLE" => binding.data_table.id(),
            },
            grants: vec![
                Allow {
                    actions: &["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"],
                    resources: vec![binding.users_table.arn()],
                },
                Allow {
                    actions: &[
                        "dynamodb:GetItem",
                        "dynamodb:PutItem",
                        "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem",
                        "dynamodb:Query",
                    ],
                    resources: vec![binding.data_table.arn()],
                },
                Allow {
                    actions: &["kms:Decrypt", "kms:GenerateDataKey"],
                    resources: vec![binding.key.arn()],
                },
            ],
            log_retention_days: tenant.sizing.log_retention_days,
            timeout_seconds: 10,
            tags: Expr::from(&tags::tenant(platform, id, &name)),
            vpc: Some(Placement {
                subnets: binding.subnets,
                security_group: binding.security_group,
                region: &platform.region,
                account: binding.account,
            }),
        },
    )
}
