//! Tenant schemas and database users, created at deploy time inside the private cluster.
//!
//! A small Lambda (shipped from `lambda/db-init`) runs the shipped `tenant.sql` through the
//! RDS Data API, so `pulumi up` needs no network path to the database. Each tenant is one
//! `aws:lambda:Invocation`, re-run when the tenant's password version changes.

use compute::iam::{policy_document, Allow};
use compute::lambda::{self, Deployed, Function};
use program::{map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::{Credentials, Database};

const SOURCES: [(&str, &str); 2] = [
    ("index.mjs", include_str!("../lambda/db-init/index.mjs")),
    ("tenant.sql", include_str!("../lambda/db-init/tenant.sql")),
];

/// The db-init function. It may run statements on this cluster and read the master secret
/// that the Data API authenticates with; tenant secrets are granted per tenant.
pub fn schema_initializer(
    program: &mut Program,
    platform: &Platform,
    database: &Database,
) -> Deployed {
    let names = Names::new(platform);
    let name = names.db_initializer();
    let code = program.archive("lambda/db-init", &SOURCES);
    lambda::function(
        program,
        Function {
            logical: "db-init",
            name: &name,
            role_name: &name,
            description: "Creates each tenant's schema and database user (tapgen)",
            code,
            handler: "index.handler",
            environment: map! {
                "CLUSTER_ARN" => database.cluster.arn(),
                "ADMIN_SECRET_ARN" => database.master_secret_arn(),
                "DATABASE" => platform.database.name.as_str(),
            },
            grants: vec![
                Allow {
                    actions: &["rds-data:ExecuteStatement"],
                    resources: vec![database.cluster.arn()],
                },
                Allow {
                    actions: &["secretsmanager:GetSecretValue"],
                    resources: vec![database.master_secret_arn()],
                },
            ],
            log_retention_days: platform.defaults.log_retention_days,
            timeout_seconds: 120,
            tags: Expr::from(&tags::shared(platform, &name)),
            vpc: None,
        },
    )
}

/// The tenant's schema and user: a grant letting db-init read this tenant's secret (added
/// per tenant, so a new tenant changes no existing resource) and the invocation itself.
pub fn tenant_schema(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    initializer: &Deployed,
    database: &Database,
    credentials: &Credentials,
    key: &Handle,
) -> Handle {
    let names = Names::new(platform);
    let id = &tenant.id;
    let grant = program.resource(
        &format!("{id}-db-init-grant"),
        Resource::new("aws:iam:RolePolicy")
            .with("role", initializer.role.id())
            .with(
                "policy",
                policy_document(vec![
                    Allow {
                        actions: &["secretsmanager:GetSecretValue"],
                        resources: vec![credentials.secret.arn()],
                    }
                    .statement(),
                    Allow {
                        actions: &["kms:Decrypt"],
                        resources: vec![key.arn()],
                    }
                    .statement(),
                ]),
            ),
    );
    program.resource(
        &format!("{id}-db-schema"),
        Resource::new("aws:lambda:Invocation")
            .with("functionName", initializer.function.attr("name"))
            .with(
                "input",
                Expr::to_json(map! {
                    "tenantId" => id.as_ref(),
                    "schema" => names.db_schema(id),
                    "username" => names.db_user(id),
                    "database" => platform.database.name.as_str(),
                    "passwordSecretArn" => credentials.secret.arn(),
                    "passwordSecretVersionId" => credentials.version.attr("versionId"),
                }),
            )
            .depends_on(&[&database.writer, &grant]),
    )
}
