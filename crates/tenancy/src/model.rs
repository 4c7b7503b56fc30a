//! The validated model handed to the builder crates. It carries no spans and no raw
//! strings that still need checking: if a value is here, it was accepted by validation.

use std::collections::BTreeMap;
use std::fmt;

use crate::tenant_id::TenantId;

/// A whole validated `tenants.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Settings shared by every tenant.
    pub platform: Platform,
    /// Tenants in file order (the order is kept so rendered programs are stable).
    pub tenants: Vec<Tenant>,
    /// Policy findings waived explicitly, in file order.
    pub waivers: Vec<Waiver>,
}

/// Which reference architecture the config renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum System {
    /// System A: ECS Fargate services behind one ALB, Aurora schemas per tenant.
    EcsFargate,
    /// System C: Lambda + API Gateway + DynamoDB per tenant.
    Serverless,
    /// System B: EC2 Auto Scaling, custom domains, CloudFront, Cognito per tenant.
    Enterprise,
}

impl System {
    /// Every system, in the order they are listed in messages and the schema.
    pub const ALL: [System; 3] = [System::EcsFargate, System::Serverless, System::Enterprise];

    /// The spelling used in `tenants.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            System::EcsFargate => "ecs-fargate",
            System::Serverless => "serverless",
            System::Enterprise => "enterprise",
        }
    }

    /// The system spelled `s` in `tenants.toml`, if any.
    pub fn from_name(s: &str) -> Option<System> {
        System::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for System {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Platform-wide settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub system: System,
    /// Prefix of every physical name, e.g. `saas-platform`.
    pub project: String,
    pub description: String,
    /// Environment suffix of every physical name, e.g. `dev`.
    pub environment: String,
    pub region: String,
    pub vpc_cidr: ipnet::Ipv4Net,
    pub az_count: u8,
    /// Tenants without explicit domains get `{id}.{base_domain}` and `*.{id}.{base_domain}`.
    pub base_domain: String,
    /// Extra tags put on every resource.
    pub tags: BTreeMap<String, String>,
    /// Sizing of tenants that do not override it.
    pub defaults: Sizing,
    pub database: Database,
    /// Required by the serverless system (its API authorizer), optional otherwise.
    pub auth: Option<Auth>,
    /// One stack, or a platform stack and cell stacks.
    pub layout: Layout,
    /// EC2 fleet of the enterprise system; defaults elsewhere (set only with enterprise).
    pub fleet: Fleet,
    /// ElastiCache of the enterprise system; defaults elsewhere (set only with enterprise).
    pub cache: Cache,
}

/// How tenants are spread over Pulumi stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Everything in one stack.
    #[default]
    Single,
    /// Shared resources in a platform stack; tenants in cell stacks of at most `size` each.
    Cells(Cells),
}

/// The cell stacks of [`Layout::Cells`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cells {
    /// Tenants per cell.
    pub size: u32,
    /// Serverless: the range secondary VPC ranges of cells are carved from.
    pub address_pool: Option<ipnet::Ipv4Net>,
}

/// Default for `platform.cells.size`.
pub const DEFAULT_CELL_SIZE: u32 = 50;

/// Default for `platform.description`.
pub const DEFAULT_DESCRIPTION: &str = "Multi-tenant SaaS platform rendered by tapgen";
/// Default for `platform.az_count`.
pub const DEFAULT_AZ_COUNT: u8 = 3;
/// Default for `platform.auth.tenant_claim`.
pub const DEFAULT_TENANT_CLAIM: &str = "tenant_id";

/// Compute size and scaling of one tenant's service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sizing {
    /// Fargate CPU units (1024 = 1 vCPU).
    pub cpu: u32,
    /// MiB, a valid Fargate pairing for `cpu`.
    pub memory: u32,
    pub desired_count: u32,
    pub min_tasks: u32,
    pub max_tasks: u32,
    /// Target of the CPU target-tracking scaling policy.
    pub cpu_target_percent: u32,
    /// A retention CloudWatch Logs accepts.
    pub log_retention_days: u32,
}

impl Default for Sizing {
    /// The System A reference sizing: 1 vCPU, 2 GB, 2 tasks scaling 2..8 at 70% CPU.
    fn default() -> Self {
        Sizing {
            cpu: 1024,
            memory: 2048,
            desired_count: 2,
            min_tasks: 2,
            max_tasks: 8,
            cpu_target_percent: 70,
            log_retention_days: 30,
        }
    }
}

/// The shared Aurora PostgreSQL cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Database {
    pub name: String,
    pub engine_version: String,
    pub instance_class: String,
}

impl Default for Database {
    fn default() -> Self {
        Database {
            name: "saasdb".into(),
            engine_version: "15.12".into(),
            instance_class: "db.r6g.large".into(),
        }
    }
}

/// The enterprise system's EC2 fleet: one pooled Auto Scaling group for standard tenants
/// and one per premium tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fleet {
    /// EC2 instance type, e.g. `m5.large`.
    pub instance_type: String,
    pub pool_min: u32,
    pub pool_max: u32,
    pub premium_min: u32,
    pub premium_max: u32,
    /// Target of every group's CPU target-tracking policy.
    pub cpu_target_percent: u32,
    /// Size of each instance's encrypted gp3 root volume.
    pub volume_size_gib: u32,
}

impl Default for Fleet {
    fn default() -> Self {
        Fleet {
            instance_type: "m5.large".into(),
            pool_min: 2,
            pool_max: 12,
            premium_min: 2,
            premium_max: 6,
            cpu_target_percent: 60,
            volume_size_gib: 30,
        }
    }
}

/// The enterprise system's ElastiCache replication groups (dedicated per premium tenant,
/// shared by standard tenants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    /// ElastiCache node type, e.g. `cache.r6g.large`.
    pub node_type: String,
    /// Redis OSS engine version as MAJOR.MINOR, 6.2, 7.0 or 7.1 (user groups need RBAC, channel patterns 6.2).
    pub engine_version: String,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            node_type: "cache.r6g.large".into(),
            engine_version: "7.1".into(),
        }
    }
}

/// JWT settings for the API authorizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    pub issuer: String,
    pub audience: String,
    /// Claim holding the tenant id, compared with the path's tenant.
    pub tenant_claim: String,
    /// The parsed JWKS document; it has at least one RSA key with `kid`, `n` and `e`.
    pub jwks: serde_json::Value,
}

/// One tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: TenantId,
    pub tier: Tier,
    /// Host names routed to this tenant; a leading `*.` is a wildcard.
    pub domains: Vec<String>,
    /// Platform defaults merged with this tenant's overrides.
    pub sizing: Sizing,
    /// Who serves the DNS of `domains`.
    pub dns: Dns,
    /// Cognito custom domain (enterprise only, at most 4 per config); `None` means the
    /// pool gets a Cognito prefix domain.
    pub auth_domain: Option<String>,
}

/// Who serves a tenant's DNS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dns {
    /// No explicit domains: the tenant lives under `base_domain`, in the platform's zone.
    Platform,
    /// tapgen creates a Route 53 zone per apex, DNS-validated certificates and alias records;
    /// the outputs give the name servers to delegate.
    Hosted,
    /// The customer keeps its DNS; the outputs list the records it must create.
    Customer,
}

impl Dns {
    /// The values accepted in `tenants.toml` (`Platform` is implied by leaving out `domains`).
    pub const CONFIGURABLE: [Dns; 2] = [Dns::Hosted, Dns::Customer];

    /// The spelling used in `tenants.toml` and in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Dns::Platform => "platform",
            Dns::Hosted => "hosted",
            Dns::Customer => "customer",
        }
    }

    /// The configurable value spelled `s`, if any.
    pub fn from_name(s: &str) -> Option<Dns> {
        Dns::CONFIGURABLE.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Dns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Service tier of a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Standard,
    Premium,
}

impl Tier {
    /// Every tier, in the order they are listed in messages and the schema.
    pub const ALL: [Tier; 2] = [Tier::Standard, Tier::Premium];

    /// The spelling used in `tenants.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Standard => "standard",
            Tier::Premium => "premium",
        }
    }

    /// The tier spelled `s` in `tenants.toml`, if any.
    pub fn from_name(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy finding waived on purpose, with the reason recorded for reviewers.
///
/// The rule and resource keep where they were written: only the render knows the rule ids
/// and resource names, and its errors must point at the waiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub rule: String,
    pub resource: String,
    pub reason: String,
    /// Position of `rule` in the config.
    pub rule_at: Position,
    /// Position of `resource` in the config.
    pub resource_at: Position,
}

/// A 1-based line and column in the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}
