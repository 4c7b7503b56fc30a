//! Tenant provisioning for System B: the provisioning function and one invocation per
//! tenant at deploy time.
//!
//! Pulumi creates every AWS resource of a tenant declaratively; the function (shipped from
//! `lambda/provision`) then records the tenant in the registry with a conditional write,
//! initialises its row-level-security objects through the RDS Data API, and writes its
//! configuration parameter (a SecureString under the tenant's key). The function owns that
//! parameter: Pulumi does not declare it, so the two never fight over its value, and the
//! function writes it only when it changed (PutParameter is throttled at 3 per second).
//! Each tenant is an `aws:lambda:Invocation` with lifecycle scope CRUD: removing the tenant
//! from tenants.toml invokes the function with `delete`, which marks the tenant offboarded.
//! `triggers` is not used: the provider replaces an invocation whose triggers change, and a
//! replacement runs `delete` (offboarding) on the old one.

use compute::iam::{self, policy_document, Allow};
use compute::lambda::{self, Deployed, Function};
use program::{map, Expr, Handle, IndexMap, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::Database;

/// The shipped code: the handler and its SQL, plus db-init's SQL splitter it imports.
const SOURCES: [(&str, &str); 3] = [
    (
        "provision/index.mjs",
        include_str!("../lambda/provision/index.mjs"),
    ),
    (
        "provision/rls.sql",
        include_str!("../lambda/provision/rls.sql"),
    ),
    (
        "db-init/index.mjs",
        include_str!("../lambda/db-init/index.mjs"),
    ),
];

/// What the provisioning function works on.
pub struct ProvisionTargets<'a> {
    pub database: &'a Database,
    /// Encrypts the cluster's master secret.
    pub database_key: &'a Handle,
    pub registry: &'a Handle,
    /// Encrypts the registry table.
    pub registry_key: &'a Handle,
    pub account: &'a Handle,
}

/// The function and its key-use policy (KMS through the services it calls); invocations
/// wait for both.
pub struct Provisioner {
    pub deployed: Deployed,
    pub key_use: Handle,
}

/// What each tenant's provisioning needs of the shared provisioner: the function, and what
/// its invocation waits for (the database writer and the function's key grants; in a cell,
/// the platform stack that holds them).
pub struct TenantProvisioning {
    pub function: Handle,
    pub after: Vec<Handle>,
}

impl Provisioner {
    /// The provisioner as tenants invoke it, against `database`.
    pub fn for_tenants(&self, database: &Database) -> TenantProvisioning {
        TenantProvisioning {
            function: self.deployed.function.clone(),
            after: vec![database.writer.clone(), self.key_use.clone()],
        }
    }
}

/// The provisioning function. It may update registry items, run statements on this
/// cluster (with the master secret the Data API authenticates with), read and write
/// parameters under the tenant prefix, and use each key only through the service that
/// needs it; no grant is per tenant, so adding a tenant changes no shared resource.
pub fn provisioner(
    program: &mut Program,
    platform: &Platform,
    targets: ProvisionTargets,
) -> Provisioner {
    let names = Names::new(platform);
    let name = names.provisioner();
    let prefix = names.parameter_prefix();
    let region = platform.region.as_str();
    let parameters = iam::arn(
        "ssm",
        region,
        targets.account,
        &format!("parameter{prefix}/*"),
    );
    let code = program.archive("lambda/provisioner", &SOURCES);
    let database = targets.database;
    let deployed = lambda::function(
        program,
        Function {
            logical: "provision",
            name: &name,
            role_name: &name,
            description: "Records, initialises and configures each tenant (tapgen)",
            code,
            handler: "provision/index.handler",
            environment: map! {
                "REGISTRY_TABLE" => targets.registry.attr("name"),
                "CLUSTER_ARN" => database.cluster.arn(),
                "SECRET_ARN" => database.master_secret_arn(),
                "DATABASE" => platform.database.name.as_str(),
                "PARAMETER_PREFIX" => prefix.as_str(),
            },
            grants: vec![
                Allow {
                    actions: &["dynamodb:UpdateItem"],
                    resources: vec![targets.registry.arn()],
                },
                Allow {
                    actions: &[
                        "rds-data:BeginTransaction",
                        "rds-data:CommitTransaction",
                        "rds-data:ExecuteStatement",
                        "rds-data:RollbackTransaction",
                    ],
                    resources: vec![database.cluster.arn()],
                },
                Allow {
                    actions: &["secretsmanager:GetSecretValue"],
                    resources: vec![database.master_secret_arn()],
                },
                Allow {
                    actions: &["ssm:GetParameter", "ssm:PutParameter"],
                    resources: vec![parameters.clone()],
                },
            ],
            log_retention_days: platform.defaults.log_retention_days,
            timeout_seconds: 120,
            tags: Expr::from(&tags::shared(platform, &name)),
            vpc: None,
        },
    );
    let via = |service: &str| format!("{service}.{region}.amazonaws.com");
    let key_use = program.resource(
        "provision-key-use",
        Resource::new("aws:iam:RolePolicy")
            .with("role", deployed.role.id())
            .with(
                "policy",
                policy_document(vec![
                    key_statement(
                        "RegistryThroughDynamoDb",
                        &["kms:Decrypt", "kms:GenerateDataKey"],
                        targets.registry_key.arn(),
                        map! { "StringEquals" => map! { "kms:ViaService" => via("dynamodb") } },
                    ),
                    key_statement(
                        "MasterSecretThroughSecretsManager",
                        &["kms:Decrypt"],
                        targets.database_key.arn(),
                        map! { "StringEquals" => map! { "kms:ViaService" => via("secretsmanager") } },
                    ),
                    key_statement(
                        "TenantConfigurationThroughSsm",
                        &["kms:Decrypt", "kms:Encrypt"],
                        iam::arn("kms", region, targets.account, "key/*"),
                        map! {
                            "StringEquals" => map! { "kms:ViaService" => via("ssm") },
                            "StringLike" => map! { "kms:EncryptionContext:PARAMETER_ARN" => parameters },
                            "Null" => map! { "aws:ResourceTag/tenant_id" => "false" },
                        },
                    ),
                ]),
            ),
    );
    Provisioner { deployed, key_use }
}

/// A key statement that holds only when `condition` does (the service calling KMS on the
/// function's behalf). Tenant configuration uses any tenant-tagged key of the account, but
/// only as SSM does it for a parameter under the tenant prefix (SSM sends the parameter ARN
/// as encryption context): tenant keys are created per tenant, and naming them here would
/// make every new tenant change this shared policy.
fn key_statement(sid: &str, actions: &[&str], resource: Expr, condition: Expr) -> Expr {
    let actions: Vec<Expr> = actions.iter().map(|a| Expr::from(*a)).collect();
    map! {
        "Sid" => sid,
        "Effect" => "Allow",
        "Action" => actions,
        "Resource" => resource,
        "Condition" => condition,
    }
}

/// The tenant's deploy-time provisioning: the event the function expects, with the tenant's
/// `key` (it encrypts the configuration parameter) and `resources`, the identifiers of what
/// Pulumi created for the tenant (user pool, distribution tenant, cache group, ...),
/// recorded in the registry as given.
pub fn provision_tenant(
    program: &mut Program,
    tenant: &Tenant,
    provisioning: &TenantProvisioning,
    key: &Handle,
    resources: Vec<(&str, Expr)>,
) -> Handle {
    let mut recorded = IndexMap::new();
    recorded.insert("kmsKeyArn".to_string(), key.arn());
    recorded.extend(resources.into_iter().map(|(k, v)| (k.to_string(), v)));
    let event = map! {
        // The deployed code's hash: new code (e.g. a changed rls.sql) re-runs every tenant's
        // provisioning as an update. The function ignores this key.
        "code" => provisioning.function.attr("codeSha256"),
        "tenant" => map! {
            "id" => tenant.id.as_str(),
            "tier" => tenant.tier.as_str(),
            "domains" => tenant.domains.clone(),
            "dns" => tenant.dns.as_str(),
            "resources" => recorded,
        },
    };
    program.resource(
        &format!("{}-provision", tenant.id),
        Resource::new("aws:lambda:Invocation")
            .with("functionName", provisioning.function.attr("name"))
            .with("input", Expr::to_json(event))
            .with("lifecycleScope", "CRUD")
            // A replacement (a new function name) must offboard through the old invocation
            // before the new one records the tenant active, not after.
            .option("deleteBeforeReplace", true)
            // The Data API runs on the writer; the key grants must be in place.
            .depends_on(&provisioning.after.iter().collect::<Vec<_>>()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};
    use crate::Database;
    use serde_json::json;

    fn program() -> (Program, serde_json::Value) {
        let config = enterprise();
        let platform = &config.platform;
        let mut program = Program::new();
        let account = iam::account_id(&mut program);
        let database_key = program.resource("database-key", Resource::new("aws:kms:Key"));
        let registry_key = program.resource("registry-key", Resource::new("aws:kms:Key"));
        let registry = program.resource("registry-table", Resource::new("aws:dynamodb:Table"));
        let database = Database {
            cluster: program.resource("database-cluster", Resource::new("aws:rds:Cluster")),
            writer: program.resource("database-writer", Resource::new("aws:rds:ClusterInstance")),
            reader: None,
        };
        let provisioner = provisioner(
            &mut program,
            platform,
            ProvisionTargets {
                database: &database,
                database_key: &database_key,
                registry: &registry,
                registry_key: &registry_key,
                account: &account,
            },
        );
        let tenant = &config.tenants[0];
        let key = program.resource("acme-key", Resource::new("aws:kms:Key"));
        let pool = program.resource("acme-pool", Resource::new("aws:cognito:UserPool"));
        provision_tenant(
            &mut program,
            tenant,
            &provisioner.for_tenants(&database),
            &key,
            vec![
                ("userPoolId", pool.id()),
                ("cacheGroup", Expr::from("acme-prod")),
            ],
        );
        let out = render(&program);
        (program, out)
    }

    #[test]
    fn the_function_ships_its_code_and_knows_its_stores() {
        let (program, out) = program();
        let files: Vec<&str> = program.files().keys().map(String::as_str).collect();
        assert_eq!(
            files,
            [
                "lambda/provisioner/provision/index.mjs",
                "lambda/provisioner/provision/rls.sql",
                "lambda/provisioner/db-init/index.mjs",
            ]
        );
        let function = &out["resources"]["provision"]["properties"];
        assert_eq!(function["runtime"], "nodejs22.x");
        assert_eq!(function["handler"], "provision/index.handler");
        assert_eq!(function["name"], "tap-enterprise-provision-prod");
        assert_eq!(
            function["environment"]["variables"],
            json!({
                "REGISTRY_TABLE": "${registry-table.name}",
                "CLUSTER_ARN": "${database-cluster.arn}",
                "SECRET_ARN": "${database-cluster.masterUserSecrets[0].secretArn}",
                "DATABASE": "saasdb",
                "PARAMETER_PREFIX": "/tap-enterprise/prod/tenants",
            })
        );
    }

    #[test]
    fn the_role_names_every_action_and_uses_keys_only_through_the_services() {
        let (_, out) = program();
        let r = &out["resources"];
        let statements = r["provision-role-policy"]["properties"]["policy"]["fn::toJSON"]
            ["Statement"]
            .as_array()
            .unwrap()
            .clone();
        let grant = |action: &str| {
            statements
                .iter()
                .find(|s| s["Action"].as_array().unwrap().contains(&json!(action)))
                .map(|s| s["Resource"].clone())
        };
        assert_eq!(
            grant("dynamodb:UpdateItem"),
            Some(json!(["${registry-table.arn}"]))
        );
        assert_eq!(
            grant("rds-data:ExecuteStatement"),
            Some(json!(["${database-cluster.arn}"]))
        );
        assert_eq!(
            grant("ssm:PutParameter"),
            Some(json!([
                "arn:aws:ssm:us-east-1:${accountId}:parameter/tap-enterprise/prod/tenants/*"
            ]))
        );
        // KMS only through the services, in the key-use policy below.
        assert_eq!(grant("kms:Decrypt"), None);
        assert_eq!(grant("ssm:DeleteParameter"), None);
        let key_use = &r["provision-key-use"]["properties"]["policy"]["fn::toJSON"]["Statement"];
        assert_eq!(key_use[0]["Resource"], "${registry-key.arn}");
        assert_eq!(
            key_use[1]["Condition"]["StringEquals"]["kms:ViaService"],
            "secretsmanager.us-east-1.amazonaws.com"
        );
        let keys = &key_use[2];
        assert_eq!(keys["Resource"], "arn:aws:kms:us-east-1:${accountId}:key/*");
        assert_eq!(
            keys["Condition"]["StringEquals"]["kms:ViaService"],
            "ssm.us-east-1.amazonaws.com"
        );
        assert_eq!(
            keys["Condition"]["StringLike"]["kms:EncryptionContext:PARAMETER_ARN"],
            "arn:aws:ssm:us-east-1:${accountId}:parameter/tap-enterprise/prod/tenants/*"
        );
        assert_eq!(
            keys["Condition"]["Null"]["aws:ResourceTag/tenant_id"],
            "false"
        );
    }

    #[test]
    fn each_tenant_is_one_crud_invocation_with_the_contract_event() {
        let (_, out) = program();
        let invocation = &out["resources"]["acme-provision"];
        let p = &invocation["properties"];
        assert_eq!(p["functionName"], "${provision.name}");
        assert_eq!(p["lifecycleScope"], "CRUD");
        assert_eq!(
            p["input"]["fn::toJSON"],
            json!({"code": "${provision.codeSha256}", "tenant": {
                "id": "acme",
                "tier": "premium",
                "domains": ["acme.tap.example.com", "*.acme.tap.example.com"],
                "dns": "platform",
                "resources": {
                    "kmsKeyArn": "${acme-key.arn}",
                    "userPoolId": "${acme-pool.id}",
                    "cacheGroup": "acme-prod",
                },
            }})
        );
        assert_eq!(invocation["options"]["deleteBeforeReplace"], true);
        assert_eq!(
            invocation["options"]["dependsOn"],
            json!(["${database-writer}", "${provision-key-use}"])
        );
    }
}
