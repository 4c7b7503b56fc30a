//! The single table of AWS physical names.
//!
//! Builders call [`Names`] for every name they emit, and validation runs
//! [`tenant_name_rules`] and [`platform_name_rules`] at load time, so a name that would
//! break an AWS limit is rejected in `tenants.toml` (naming the limit) instead of failing
//! halfway through `pulumi up`. To add a name: add a method here and a row to the table in
//! [`rules`].

mod rules;

pub use rules::{platform_name_rules, tenant_name_rules, NameRule, PlatformNameRule};
pub(crate) use rules::{platform_name_violations, tenant_name_violations};

use crate::model::Platform;
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

    pub(super) fn p(&self) -> &str {
        &self.platform.project
    }

    pub(super) fn s(&self) -> &str {
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
