//! The single table of AWS physical names.
//!
//! Builders call [`Names`] for every name they emit, and validation runs
//! [`tenant_name_rules`] and [`platform_name_rules`] at load time, so a name that would
//! break an AWS limit is rejected in `tenants.toml` (naming the limit) instead of failing
//! halfway through `pulumi up`. To add a name: add a method and a row to the table.

use crate::model::{Platform, System};
use crate::tenant_id::TenantId;

/// Physical names of one platform's resources.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    platform: &'a Platform,
}

impl<'a> Names<'a> {
    pub fn new(platform: &'a Platform) -> Self {
        Names { platform }
    }

    fn p(&self) -> &str {
        &self.platform.project
    }

    fn s(&self) -> &str {
        &self.platform.environment
    }

    /// ECS cluster name (also the prefix of platform-level names).
    pub fn cluster(&self) -> String {
        format!("{}-{}", self.p(), self.s())
    }

    /// Application Load Balancer name (limit 32).
    pub fn alb(&self) -> String {
        format!("{}-{}", self.p(), self.s())
    }

    /// The load balancer of cell `cell` (its short form, `c001`) in the cell layout.
    pub fn cell_alb(&self, cell: &str) -> String {
        format!("{}-{cell}-{}", self.p(), self.s())
    }

    /// The REST API of cell `cell` (`c001`) in the cell layout; its access logs are named after it.
    pub fn cell_api(&self, cell: &str) -> String {
        format!("api-{cell}-{}", self.s())
    }

    /// The db-init Lambda function and its role (64 characters each).
    pub fn db_initializer(&self) -> String {
        format!("{}-db-init-{}", self.p(), self.s())
    }

    /// The serverless system's REST API (`{type}-{suffix}`).
    pub fn api(&self) -> String {
        format!("api-{}", self.s())
    }

    /// The serverless system's JWT authorizer function and its role.
    pub fn authorizer(&self) -> String {
        format!("authorizer-{}", self.s())
    }

    /// Aurora cluster identifier.
    pub fn db_cluster(&self) -> String {
        format!("{}-aurora-{}", self.p(), self.s())
    }

    /// The tenant's S3 data bucket.
    pub fn bucket(&self, t: &TenantId) -> String {
        format!("{}-{t}-data-{}", self.p(), self.s())
    }

    /// IAM role assumed by the tenant's tasks.
    pub fn task_role(&self, t: &TenantId) -> String {
        format!("{}-{t}-task-{}", self.p(), self.s())
    }

    /// IAM role ECS uses to start the tenant's tasks.
    pub fn execution_role(&self, t: &TenantId) -> String {
        format!("{}-{t}-exec-{}", self.p(), self.s())
    }

    /// ALB target group of the tenant's service.
    pub fn target_group(&self, t: &TenantId) -> String {
        format!("{t}-{}", self.s())
    }

    /// ECS service name.
    pub fn ecs_service(&self, t: &TenantId) -> String {
        format!("{t}-{}", self.s())
    }

    /// ECS task definition family.
    pub fn task_family(&self, t: &TenantId) -> String {
        format!("{}-{t}-{}", self.p(), self.s())
    }

    /// CloudWatch log group of the tenant's tasks.
    pub fn log_group(&self, t: &TenantId) -> String {
        format!("/ecs/tenant/{t}")
    }

    /// Secrets Manager secret with the tenant's database password.
    pub fn db_secret(&self, t: &TenantId) -> String {
        format!("rds/tenant/{t}/password")
    }

    /// PostgreSQL schema of the tenant (hyphens are not valid in unquoted identifiers).
    pub fn db_schema(&self, t: &TenantId) -> String {
        format!("tenant_{}", underscored(t))
    }

    /// PostgreSQL login role of the tenant's application.
    pub fn db_user(&self, t: &TenantId) -> String {
        format!("tenant_{}_app", underscored(t))
    }

    /// DynamoDB users table.
    pub fn table_users(&self, t: &TenantId) -> String {
        format!("{t}-users-{}", self.s())
    }

    /// DynamoDB data table.
    pub fn table_data(&self, t: &TenantId) -> String {
        format!("{t}-data-{}", self.s())
    }

    /// Alias of the tenant's customer-managed KMS key.
    pub fn kms_alias(&self, t: &TenantId) -> String {
        format!("alias/tenant/{t}/data-key")
    }

    /// Lambda function name.
    pub fn function(&self, t: &TenantId) -> String {
        format!("{t}-{}", self.s())
    }

    /// Log group Lambda writes the function's logs to (derived from the function name).
    pub fn function_log_group(&self, t: &TenantId) -> String {
        format!("/aws/lambda/{}", self.function(t))
    }

    /// IAM role of the tenant's Lambda function.
    pub fn function_role(&self, t: &TenantId) -> String {
        format!("{}-{t}-fn-{}", self.p(), self.s())
    }

    /// DynamoDB tenant registry table (enterprise).
    pub fn registry_table(&self) -> String {
        format!("{}-tenants-{}", self.p(), self.s())
    }

    /// The provisioning Lambda function and its role (enterprise).
    pub fn provisioner(&self) -> String {
        format!("{}-provision-{}", self.p(), self.s())
    }

    /// SSM path under which every tenant's configuration lives (enterprise).
    pub fn parameter_prefix(&self) -> String {
        format!("/{}/{}/tenants", self.p(), self.s())
    }

    /// The tenant's configuration parameter, a SecureString under the tenant's key.
    pub fn tenant_parameter(&self, t: &TenantId) -> String {
        format!("{}/{t}/config", self.parameter_prefix())
    }

    /// CloudWatch log group of the tenant's application (enterprise).
    pub fn tenant_log_group(&self, t: &TenantId) -> String {
        format!("{}/{t}", self.log_prefix())
    }

    /// Prefix of every tenant log group: `{prefix}/{tenant}`.
    pub fn log_prefix(&self) -> String {
        format!("/{}/{}/tenants", self.p(), self.s())
    }

    /// Folder of the tenant's saved Logs Insights queries (`{folder}/{query}`).
    pub fn query_folder(&self, t: &TenantId) -> String {
        format!("{}-{}/{t}", self.p(), self.s())
    }

    /// Replication and user group id of a premium tenant's dedicated Redis (limit 40).
    pub fn cache_group(&self, t: &TenantId) -> String {
        format!("{t}-{}", self.s())
    }

    /// Replication and user group id of shared Redis group `n` (limit 40).
    pub fn shared_cache_group(&self, n: u32) -> String {
        format!("{}-pool{n}-{}", self.p(), self.s())
    }

    /// ElastiCache user of a tenant: user id and (IAM authentication) user name alike.
    pub fn cache_user(&self, t: &TenantId) -> String {
        format!("{t}-{}", self.s())
    }

    /// Fleet of a premium tenant (launch template, Auto Scaling group, instance role and
    /// profile; enterprise).
    pub fn tenant_fleet(&self, t: &TenantId) -> String {
        format!("{}-{t}-fleet-{}", self.p(), self.s())
    }

    /// Fleet of the standard tenants' pool (enterprise).
    pub fn pool_fleet(&self) -> String {
        format!("{}-pool-fleet-{}", self.p(), self.s())
    }

    /// Log group of a fleet's host logs (`fleet` is `pool_fleet` or `tenant_fleet`).
    pub fn fleet_log_group(&self, fleet: &str) -> String {
        format!("/{}/{}/fleets/{fleet}", self.p(), self.s())
    }

    /// Target group of the standard tenants' pool (limit 32; enterprise).
    pub fn pool_target_group(&self) -> String {
        format!("{}-pool-{}", self.p(), self.s())
    }

    /// The pool's target group on cell `cell`'s load balancer (enterprise cell layout).
    pub fn cell_pool_target_group(&self, cell: &str) -> String {
        format!("{}-{cell}-pool-{}", self.p(), self.s())
    }

    /// Cognito user pool of a tenant (enterprise; limit 128).
    pub fn user_pool(&self, t: &TenantId) -> String {
        format!("{}-{t}-{}", self.p(), self.s())
    }

    /// Cognito prefix domain of a tenant's pool (`{prefix}.auth.{region}.amazoncognito.com`):
    /// unique per region across every AWS account, so it carries project and environment.
    pub fn auth_prefix_domain(&self, t: &TenantId) -> String {
        format!("{}-{}-{t}", self.p(), self.s())
    }

    /// The pooled tenant-access role standard tenants' sessions assume (enterprise).
    pub fn tenant_access_role(&self) -> String {
        format!("{}-tenant-access-{}", self.p(), self.s())
    }

    /// A premium tenant's own tenant-access role (enterprise).
    pub fn premium_access_role(&self, t: &TenantId) -> String {
        format!("{}-{t}-access-{}", self.p(), self.s())
    }

    /// The S3 bucket of static content served by the edge (enterprise).
    pub fn static_bucket(&self) -> String {
        format!("{}-static-{}", self.p(), self.s())
    }

    /// The edge's CloudFront names: multi-tenant distribution, connection group, origin
    /// access control (enterprise).
    pub fn edge(&self) -> String {
        format!("{}-edge-{}", self.p(), self.s())
    }

    /// The tenant's CloudFront distribution tenant (enterprise).
    pub fn distribution_tenant(&self, t: &TenantId) -> String {
        format!("{}-{t}-{}", self.p(), self.s())
    }

    /// User id of the disabled `default` user every REDIS user group must hold.
    pub fn cache_default_user(&self) -> String {
        format!("{}-default-{}", self.p(), self.s())
    }
}

fn underscored(t: &TenantId) -> String {
    t.as_str().replace('-', "_")
}

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

static PLATFORM_RULES: [PlatformNameRule; 13] = [
    PlatformNameRule {
        label: "ECS cluster",
        max_len: 255,
        systems: CONTAINERS,
        name: |n| n.cluster(),
    },
    PlatformNameRule {
        label: "ALB",
        max_len: 32,
        systems: CONTAINERS,
        name: |n| n.alb(),
    },
    PlatformNameRule {
        label: "Aurora cluster identifier",
        max_len: 63,
        systems: CONTAINERS,
        name: |n| n.db_cluster(),
    },
    PlatformNameRule {
        label: "db-init Lambda function and role",
        max_len: 64,
        systems: CONTAINERS,
        name: |n| n.db_initializer(),
    },
    PlatformNameRule {
        label: "API Gateway REST API",
        max_len: 1024,
        systems: SERVERLESS,
        name: |n| n.api(),
    },
    PlatformNameRule {
        label: "authorizer Lambda function and role",
        max_len: 64,
        systems: SERVERLESS,
        name: |n| n.authorizer(),
    },
    PlatformNameRule {
        label: "provisioning Lambda function and role",
        max_len: 64,
        systems: ENTERPRISE,
        name: |n| n.provisioner(),
    },
    PlatformNameRule {
        label: "shared ElastiCache replication group",
        max_len: 40,
        systems: ENTERPRISE,
        // Two digits of group number: room for 99 groups of 99 tenants.
        name: |n| n.shared_cache_group(99),
    },
    PlatformNameRule {
        label: "pool target group",
        max_len: 32,
        systems: ENTERPRISE,
        name: |n| n.pool_target_group(),
    },
    PlatformNameRule {
        label: "IAM tenant-access role",
        max_len: 64,
        systems: ENTERPRISE,
        name: |n| n.tenant_access_role(),
    },
    PlatformNameRule {
        label: "ElastiCache default user",
        max_len: 40,
        systems: ENTERPRISE,
        name: |n| n.cache_default_user(),
    },
    PlatformNameRule {
        label: "static content S3 bucket",
        max_len: 63,
        systems: ENTERPRISE,
        name: |n| n.static_bucket(),
    },
    PlatformNameRule {
        label: "CloudFront connection group and origin access control",
        max_len: 64,
        systems: ENTERPRISE,
        name: |n| n.edge(),
    },
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
