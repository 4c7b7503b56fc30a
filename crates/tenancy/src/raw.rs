//! The input format exactly as written in `tenants.toml`.
//!
//! Every value that validation looks at keeps its span so errors point at it. These
//! structs only describe shape (unknown keys and wrong types are rejected by serde);
//! all meaning is checked in [`crate::validate`]. The JSON Schema published by
//! [`crate::json_schema`] is derived from here, so the doc comments are user documentation.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::aws;
use crate::model::{Dns, System, Tier};

/// A tenants.toml file: the platform shared by all tenants, the tenants, and any policy findings waived on purpose.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "tenants.toml")]
pub(crate) struct RawConfig {
    /// Settings shared by every tenant.
    #[schemars(with = "RawPlatform")]
    pub platform: Spanned<RawPlatform>,
    /// One [[tenants]] table per tenant; at least one is required.
    #[serde(default)]
    #[schemars(with = "Vec<RawTenant>")]
    pub tenants: Option<Spanned<Vec<Spanned<RawTenant>>>>,
    /// Policy findings waived explicitly, each with a reason for reviewers.
    #[serde(default)]
    #[schemars(with = "Vec<RawWaiver>")]
    pub waivers: Option<Vec<RawWaiver>>,
}

/// Platform-wide settings.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Platform")]
pub(crate) struct RawPlatform {
    /// Reference architecture to render: ecs-fargate (System A), serverless (System C) or enterprise (System B).
    #[schemars(with = "String", extend("enum" = system_names()))]
    pub system: Spanned<String>,
    /// Prefix of every physical name: lowercase letters, digits and hyphens, starting with a letter, at most 24 characters.
    #[schemars(
        with = "String",
        regex(pattern = r"^[a-z][a-z0-9-]*$"),
        length(max = 24)
    )]
    pub project: Spanned<String>,
    /// Free text describing the stack; no secrets (it is rendered). Default: "Multi-tenant SaaS platform rendered by tapgen".
    #[serde(default)]
    #[schemars(with = "String")]
    pub description: Option<Spanned<String>>,
    /// Environment suffix of every physical name (dev, prod, ...): lowercase letters and digits, 1 to 12 characters.
    #[schemars(
        with = "String",
        regex(pattern = r"^[a-z][a-z0-9]*$"),
        length(min = 1, max = 12)
    )]
    pub environment: Spanned<String>,
    /// AWS region, e.g. us-east-1.
    #[schemars(with = "String")]
    pub region: Spanned<String>,
    /// IPv4 CIDR of the VPC, a network address with a prefix from /16 to /20, e.g. 10.0.0.0/16.
    #[schemars(with = "String")]
    pub vpc_cidr: Spanned<String>,
    /// Number of availability zones used, 2 or 3. Default: 3.
    #[serde(default)]
    #[schemars(with = "u8", range(min = 2, max = 3))]
    pub az_count: Option<Spanned<u8>>,
    /// DNS name under which tenants get default domains ({id}.{base_domain}).
    #[schemars(with = "String")]
    pub base_domain: Spanned<String>,
    /// Extra tags put on every resource; keys up to 128 and values up to 256 characters.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub tags: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    /// Sizing of every tenant that does not override it.
    #[serde(default)]
    #[schemars(with = "RawSizing")]
    pub defaults: Option<RawSizing>,
    /// The shared Aurora PostgreSQL cluster.
    #[serde(default)]
    #[schemars(with = "RawDatabase")]
    pub database: Option<RawDatabase>,
    /// JWT validation for the API authorizer; required when system is serverless.
    #[serde(default)]
    #[schemars(with = "RawAuth")]
    pub auth: Option<RawAuth>,
    /// How tenants are spread over Pulumi stacks: single (one stack, the default) or cells (a platform stack and cell stacks of [platform.cells] size tenants each).
    #[serde(default)]
    #[schemars(with = "String", extend("enum" = ["single", "cells"]))]
    pub layout: Option<Spanned<String>>,
    /// The cell stacks; only with layout = "cells".
    #[serde(default)]
    #[schemars(with = "RawCells")]
    pub cells: Option<Spanned<RawCells>>,
    /// EC2 fleet of the enterprise system; only allowed when system is enterprise.
    #[serde(default)]
    #[schemars(with = "RawFleet")]
    pub fleet: Option<Spanned<RawFleet>>,
    /// ElastiCache of the enterprise system; only allowed when system is enterprise.
    #[serde(default)]
    #[schemars(with = "RawCache")]
    pub cache: Option<Spanned<RawCache>>,
}

/// The cell stacks of layout = "cells".
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cells")]
pub(crate) struct RawCells {
    /// Tenants per cell stack, at least 1 and at most what one cell's quotas allow (ecs-fargate 100: target groups per load balancer; serverless 99: resources per REST API). Default: 50.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub size: Option<Spanned<u32>>,
    /// serverless only, required there: IPv4 range from which each cell gets a secondary VPC range for its tenants' subnets, e.g. 10.128.0.0/12; in the same private block as vpc_cidr and not overlapping it.
    #[serde(default)]
    #[schemars(with = "String")]
    pub address_pool: Option<Spanned<String>>,
}

/// The enterprise system's EC2 fleet; every field is optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Fleet")]
pub(crate) struct RawFleet {
    /// EC2 instance type as FAMILY.SIZE, e.g. m5.large. Default: m5.large.
    #[serde(default)]
    #[schemars(with = "String")]
    pub instance_type: Option<Spanned<String>>,
    /// Smallest size of the pooled Auto Scaling group of standard tenants, at least 1. Default: 2.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub pool_min: Option<Spanned<u32>>,
    /// Largest size of the pooled Auto Scaling group, pool_min to 100. Default: 12.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub pool_max: Option<Spanned<u32>>,
    /// Smallest size of each premium tenant's own Auto Scaling group, at least 1. Default: 2.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub premium_min: Option<Spanned<u32>>,
    /// Largest size of each premium tenant's Auto Scaling group, premium_min to 100. Default: 6.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub premium_max: Option<Spanned<u32>>,
    /// CPU utilisation every group's target-tracking policy keeps, 1 to 100. Default: 60.
    #[serde(default)]
    #[schemars(with = "u32", range(min = 1, max = 100))]
    pub cpu_target_percent: Option<Spanned<u32>>,
    /// Encrypted gp3 root volume per instance in GiB, 8 (the AMI's size) to 16384. Default: 30.
    #[serde(default)]
    #[schemars(with = "u32", range(min = 8, max = 16384))]
    pub volume_size_gib: Option<Spanned<u32>>,
}

/// The enterprise system's ElastiCache replication groups; every field is optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cache")]
pub(crate) struct RawCache {
    /// ElastiCache node type, cache.FAMILY.SIZE with FAMILY m5, m6g, m7g, r5, r6g, r7g, t3 or t4g. Default: cache.r6g.large.
    #[serde(default)]
    #[schemars(with = "String")]
    pub node_type: Option<Spanned<String>>,
    /// Redis OSS engine version as MAJOR.MINOR, 6.2, 7.0 or 7.1 (per-tenant users need RBAC with channel patterns). Default: 7.1.
    #[serde(default)]
    #[schemars(with = "String")]
    pub engine_version: Option<Spanned<String>>,
}

/// Compute size and scaling of a tenant's service; every field is optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Sizing")]
pub(crate) struct RawSizing {
    /// Fargate CPU units (1024 = 1 vCPU). Default: 1024.
    #[serde(default)]
    #[schemars(with = "u32", extend("enum" = aws::FARGATE_CPU))]
    pub cpu: Option<Spanned<u32>>,
    /// Task memory in MiB, a valid Fargate pairing for cpu. Default: 2048.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub memory: Option<Spanned<u32>>,
    /// Tasks started on deployment, between min_tasks and max_tasks. Default: 2.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub desired_count: Option<Spanned<u32>>,
    /// Lower bound of auto scaling. Default: 2.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub min_tasks: Option<Spanned<u32>>,
    /// Upper bound of auto scaling. Default: 8.
    #[serde(default)]
    #[schemars(with = "u32")]
    pub max_tasks: Option<Spanned<u32>>,
    /// CPU utilisation the scaling policy keeps, 1 to 100. Default: 70.
    #[serde(default)]
    #[schemars(with = "u32", range(min = 1, max = 100))]
    pub cpu_target_percent: Option<Spanned<u32>>,
    /// Days CloudWatch keeps the logs; one of the values CloudWatch Logs accepts. Default: 30.
    #[serde(default)]
    #[schemars(with = "u32", extend("enum" = aws::LOG_RETENTION_DAYS))]
    pub log_retention_days: Option<Spanned<u32>>,
}

/// The shared Aurora PostgreSQL cluster; every field is optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Database")]
pub(crate) struct RawDatabase {
    /// Database name: lowercase letters, digits and underscores, starting with a letter, at most 63 characters, not postgres, rdsadmin, template0 or template1. Default: saasdb.
    #[serde(default)]
    #[schemars(with = "String")]
    pub name: Option<Spanned<String>>,
    /// Aurora PostgreSQL engine version as MAJOR.MINOR with the RDS Data API: 14.8+, 15.3+, 16.1+ or 17.4+. Default: 15.12.
    #[serde(default)]
    #[schemars(with = "String")]
    pub engine_version: Option<Spanned<String>>,
    /// RDS instance class of the writer, db.FAMILY.SIZE with FAMILY r5, r6g, r6i, r7g or x2g (no T or serverless classes). Default: db.r6g.large.
    #[serde(default)]
    #[schemars(with = "String")]
    pub instance_class: Option<Spanned<String>>,
}

/// JWT validation settings for the API authorizer.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Auth")]
pub(crate) struct RawAuth {
    /// Expected iss claim, an https URL.
    #[schemars(with = "String")]
    pub issuer: Spanned<String>,
    /// Expected aud claim.
    #[schemars(with = "String")]
    pub audience: Spanned<String>,
    /// Claim that carries the tenant id. Default: tenant_id.
    #[serde(default)]
    #[schemars(with = "String")]
    pub tenant_claim: Option<Spanned<String>>,
    /// Path, relative to this file, of the JWKS JSON document holding the RSA signing keys.
    #[schemars(with = "String")]
    pub jwks: Spanned<String>,
}

/// One tenant.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Tenant")]
pub(crate) struct RawTenant {
    /// Unique tenant id: lowercase letters, digits and single hyphens, starting with a letter, 2 to 40 characters (less if a physical name derived from it would exceed its AWS limit).
    #[schemars(
        with = "String",
        regex(pattern = r"^[a-z][a-z0-9-]*[a-z0-9]$"),
        length(min = 2, max = 40)
    )]
    pub id: Spanned<String>,
    /// Service tier: standard or premium.
    #[schemars(with = "String", extend("enum" = tier_names()))]
    pub tier: Spanned<String>,
    /// Host names routed to this tenant; a leading "*." wildcard is allowed. Default: ["{id}.{base_domain}", "*.{id}.{base_domain}"].
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub domains: Option<Spanned<Vec<Spanned<String>>>>,
    /// Sizing fields that differ from platform.defaults for this tenant.
    #[serde(default)]
    #[schemars(with = "RawSizing")]
    pub overrides: Option<RawSizing>,
    /// Enterprise only, with explicit domains: "hosted" (tapgen creates a Route 53 zone per apex, DNS-validated certificates and alias records; outputs give the name servers) or "customer" (outputs list the records the customer creates). Wildcard domains need "hosted". Default: customer.
    #[serde(default)]
    #[schemars(with = "String", extend("enum" = dns_names()))]
    pub dns: Option<Spanned<String>>,
    /// Enterprise only: Cognito custom domain, e.g. auth.acme.com. Needs dns = "hosted"; its parent must be one of the tenant's domains (Cognito requires an A record there). At most 4 per config (AWS hard limit per account and region); others get a Cognito prefix domain.
    #[serde(default)]
    #[schemars(with = "String")]
    pub auth_domain: Option<Spanned<String>>,
}

/// A policy finding waived on purpose.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Waiver")]
pub(crate) struct RawWaiver {
    /// Id of the policy rule, e.g. TAP-S3-1 (docs/policies.md); checked when rendering.
    #[schemars(with = "String")]
    pub rule: Spanned<String>,
    /// Logical name of the resource the finding is about; it must exist in the rendered program.
    #[schemars(with = "String")]
    pub resource: Spanned<String>,
    /// Why the finding is acceptable; shown to reviewers.
    #[schemars(with = "String")]
    pub reason: Spanned<String>,
}

fn system_names() -> Vec<&'static str> {
    System::ALL.iter().map(|s| s.as_str()).collect()
}

fn tier_names() -> Vec<&'static str> {
    Tier::ALL.iter().map(|t| t.as_str()).collect()
}

fn dns_names() -> Vec<&'static str> {
    Dns::CONFIGURABLE.iter().map(|d| d.as_str()).collect()
}
