//! Every physical name with the AWS limit it must respect, checked at load time.

use super::Names;
use crate::model::{Platform, System};
use crate::tenant_id::TenantId;

/// One physical name derived from a tenant id, with the AWS limit it must respect.
#[derive(Debug, Clone, Copy)]
pub struct NameRule {
    /// What the name is, as shown in messages, e.g. "S3 bucket".
    pub label: &'static str,
    /// Maximum length AWS accepts.
    pub max_len: usize,
    /// Systems that create this resource.
    pub systems: &'static [System],
    /// Builds the name.
    pub name: fn(&Names<'_>, &TenantId) -> String,
}

/// One platform-level physical name with its limit.
#[derive(Debug, Clone, Copy)]
pub struct PlatformNameRule {
    pub label: &'static str,
    pub max_len: usize,
    /// Systems that create this resource.
    pub systems: &'static [System],
    pub name: fn(&Names<'_>) -> String,
}

const ALL: &[System] = &System::ALL;
/// Systems with load-balanced containers and the shared Aurora cluster.
const CONTAINERS: &[System] = &[System::EcsFargate, System::Enterprise];
const SERVERLESS: &[System] = &[System::Serverless];
const ENTERPRISE: &[System] = &[System::Enterprise];

static TENANT_RULES: [NameRule; 24] = [
    rule("S3 bucket", 63, CONTAINERS, |n, t| n.bucket(t)),
    rule("IAM task role", 64, CONTAINERS, |n, t| n.task_role(t)),
    rule("IAM execution role", 64, CONTAINERS, |n, t| {
        n.execution_role(t)
    }),
    rule("ALB target group", 32, CONTAINERS, |n, t| n.target_group(t)),
    rule("ECS service", 255, CONTAINERS, |n, t| n.ecs_service(t)),
    rule("ECS task family", 255, CONTAINERS, |n, t| n.task_family(t)),
    rule("CloudWatch log group", 512, CONTAINERS, |n, t| {
        n.log_group(t)
    }),
    rule("Secrets Manager secret", 512, CONTAINERS, |n, t| {
        n.db_secret(t)
    }),
    rule("PostgreSQL schema", 63, CONTAINERS, |n, t| n.db_schema(t)),
    rule("PostgreSQL user", 63, CONTAINERS, |n, t| n.db_user(t)),
    rule("DynamoDB users table", 255, SERVERLESS, |n, t| {
        n.table_users(t)
    }),
    rule("DynamoDB data table", 255, SERVERLESS, |n, t| {
        n.table_data(t)
    }),
    rule("KMS alias", 256, ALL, |n, t| n.kms_alias(t)),
    rule("Lambda function", 64, SERVERLESS, |n, t| n.function(t)),
    rule("Lambda log group", 512, SERVERLESS, |n, t| {
        n.function_log_group(t)
    }),
    rule("IAM function role", 64, SERVERLESS, |n, t| {
        n.function_role(t)
    }),
    rule("ElastiCache replication group", 40, ENTERPRISE, |n, t| {
        n.cache_group(t)
    }),
    rule("ElastiCache user", 40, ENTERPRISE, |n, t| n.cache_user(t)),
    // The IAM role is the tightest of the fleet's names (launch templates take 128).
    rule("IAM instance role", 64, ENTERPRISE, |n, t| {
        n.tenant_fleet(t)
    }),
    rule("SSM parameter", 1011, ENTERPRISE, |n, t| {
        n.tenant_parameter(t)
    }),
    rule("Cognito user pool", 128, ENTERPRISE, |n, t| n.user_pool(t)),
    rule("Cognito prefix domain", 63, ENTERPRISE, |n, t| {
        n.auth_prefix_domain(t)
    }),
    rule("IAM premium tenant-access role", 64, ENTERPRISE, |n, t| {
        n.premium_access_role(t)
    }),
    rule("CloudFront distribution tenant", 128, ENTERPRISE, |n, t| {
        n.distribution_tenant(t)
    }),
];

const fn rule(
    label: &'static str,
    max_len: usize,
    systems: &'static [System],
    name: fn(&Names<'_>, &TenantId) -> String,
) -> NameRule {
    NameRule {
        label,
        max_len,
        systems,
        name,
    }
}

const fn platform_rule(
    label: &'static str,
    max_len: usize,
    systems: &'static [System],
    name: fn(&Names<'_>) -> String,
) -> PlatformNameRule {
    PlatformNameRule {
        label,
        max_len,
        systems,
        name,
    }
}

static PLATFORM_RULES: [PlatformNameRule; 13] = [
    platform_rule("ECS cluster", 255, CONTAINERS, |n| n.cluster()),
    platform_rule("ALB", 32, CONTAINERS, |n| n.alb()),
    platform_rule("Aurora cluster identifier", 63, CONTAINERS, |n| {
        n.db_cluster()
    }),
    platform_rule("db-init Lambda function and role", 64, CONTAINERS, |n| {
        n.db_initializer()
    }),
    platform_rule("API Gateway REST API", 1024, SERVERLESS, |n| n.api()),
    platform_rule("authorizer Lambda function and role", 64, SERVERLESS, |n| {
        n.authorizer()
    }),
    platform_rule(
        "provisioning Lambda function and role",
        64,
        ENTERPRISE,
        |n| n.provisioner(),
    ),
    // Two digits of group number: room for 99 groups of 99 tenants.
    platform_rule(
        "shared ElastiCache replication group",
        40,
        ENTERPRISE,
        |n| n.shared_cache_group(99),
    ),
    platform_rule("pool target group", 32, ENTERPRISE, |n| {
        n.pool_target_group()
    }),
    platform_rule("IAM tenant-access role", 64, ENTERPRISE, |n| {
        n.tenant_access_role()
    }),
    platform_rule("ElastiCache default user", 40, ENTERPRISE, |n| {
        n.cache_default_user()
    }),
    platform_rule("static content S3 bucket", 63, ENTERPRISE, |n| {
        n.static_bucket()
    }),
    platform_rule(
        "CloudFront connection group and origin access control",
        64,
        ENTERPRISE,
        |n| n.edge(),
    ),
];

/// Every per-tenant name with its limit; filter with [`NameRule::systems`].
pub fn tenant_name_rules() -> &'static [NameRule] {
    &TENANT_RULES
}

/// Every platform-level name with its limit.
pub fn platform_name_rules() -> &'static [PlatformNameRule] {
    &PLATFORM_RULES
}

/// Words Cognito refuses anywhere in a prefix domain.
const COGNITO_RESERVED: [&str; 3] = ["aws", "amazon", "cognito"];

/// The reserved word `part` of a Cognito prefix domain contains, if any (the parts are joined
/// with hyphens, so a word cannot straddle two of them).
fn cognito_reserved(part: &str) -> Option<&'static str> {
    COGNITO_RESERVED.into_iter().find(|w| part.contains(w))
}

/// The first message for each per-tenant name of `id` that exceeds its limit on `platform`.
pub(crate) fn tenant_name_violations(platform: &Platform, id: &TenantId) -> Vec<String> {
    let names = Names::new(platform);
    let reserved = (platform.system == System::Enterprise)
        .then(|| cognito_reserved(id.as_str()))
        .flatten()
        .map(|word| {
            format!(
                "\"{id}\" contains \"{word}\": the tenant's Cognito prefix domain \"{}\" may not \
                 contain aws, amazon or cognito",
                names.auth_prefix_domain(id)
            )
        });
    tenant_name_rules()
        .iter()
        .filter(|r| r.systems.contains(&platform.system))
        .filter_map(|r| {
            let name = (r.name)(&names, id);
            let len = name.chars().count();
            (len > r.max_len).then(|| {
                // Every name contains the id exactly once, so the rest is fixed overhead.
                let room = r.max_len.saturating_sub(len - id.as_str().len());
                format!(
                    "\"{id}\" is too long: {} name \"{name}\" would be {len} characters \
                     (limit {}); here tenant ids can have at most {room} characters",
                    r.label, r.max_len
                )
            })
        })
        .chain(reserved)
        .collect()
}

/// Messages for platform-level names that exceed their limit.
pub(crate) fn platform_name_violations(platform: &Platform) -> Vec<String> {
    let names = Names::new(platform);
    let prefix = format!("{}-{}", names.p(), names.s());
    let reserved = (platform.system == System::Enterprise)
        .then(|| cognito_reserved(&prefix))
        .flatten()
        .map(|word| {
            format!(
                "project and environment \"{prefix}\" contain \"{word}\": every tenant's Cognito \
                 prefix domain starts with them, and Cognito refuses aws, amazon and cognito in it"
            )
        });
    platform_name_rules()
        .iter()
        .filter(|r| r.systems.contains(&platform.system))
        .filter_map(|r| {
            let name = (r.name)(&names);
            let len = name.chars().count();
            (len > r.max_len).then(|| {
                format!(
                    "{} name \"{name}\" would be {len} characters (limit {}); shorten \
                     project or environment",
                    r.label, r.max_len
                )
            })
        })
        .chain(reserved)
        .collect()
}
