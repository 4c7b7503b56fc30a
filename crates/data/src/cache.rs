//! ElastiCache (Redis OSS) for System B: a dedicated replication group per premium tenant,
//! and shared groups for standard tenants, where each tenant is an ACL user confined to its
//! key and channel prefix `t:<id>:`.
//!
//! Every group is encrypted at rest (a customer managed key) and in transit (TLS required),
//! runs a primary and a replica in different zones, and admits only its user group. Users
//! authenticate with IAM (short-lived SigV4 tokens, `elasticache:Connect`), so no password
//! exists anywhere. The REDIS engine puts a user named `default` in every user group: it is
//! replaced by one disabled user. AWS allows one user group per replication group and 100
//! users per user group, so a shared group holds at most 99 tenants (one user is
//! `default`); `tenancy::cache_groups` allocates each standard tenant's group, recorded in
//! `tapgen.lock` so it never moves.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant, TenantId};

const TENANT_ACCESS: &str = include_str!("../redis/tenant-access.txt");
const DEFAULT_ACCESS: &str = include_str!("../redis/default-access.txt");
const ENGINE: &str = "redis";
const PORT: u32 = 6379;

/// The key (and channel) prefix a tenant's user is confined to.
pub fn key_prefix(tenant: &TenantId) -> String {
    format!("t:{tenant}:")
}

/// The ACL access string of a tenant's user: the shipped template with its prefix.
pub fn tenant_access_string(tenant: &TenantId) -> String {
    TENANT_ACCESS
        .trim()
        .replace("{prefix}", &key_prefix(tenant))
}

/// What every cache group shares: where it runs and the disabled `default` user. Each group
/// brings its own security groups (the pool's, or a premium tenant's).
pub struct CacheBase {
    pub subnet_group: Handle,
    pub default_user: Handle,
}

/// A replication group and the one user group it admits.
pub struct CacheGroup {
    pub replication_group: Handle,
    pub user_group: Handle,
}

/// A premium tenant's dedicated group and its user.
pub struct TenantCache {
    pub group: CacheGroup,
    pub user: Handle,
}

/// The subnet group over the private subnets, and the disabled `default` user (one user may
/// sit in many user groups, so every group shares it).
pub fn cache_base(program: &mut Program, platform: &Platform, subnet_ids: Expr) -> CacheBase {
    let names = Names::new(platform);
    let subnet_name = format!("{}-cache-{}", platform.project, platform.environment);
    let subnet_group = program.resource(
        "cache-subnet-group",
        Resource::new("aws:elasticache:SubnetGroup")
            .with("name", subnet_name.as_str())
            .with(
                "description",
                "Private subnets of the Redis replication groups",
            )
            .with("subnetIds", subnet_ids)
            .with("tags", Expr::from(&tags::shared(platform, &subnet_name))),
    );
    let default_id = names.cache_default_user();
    // Disabled (`off`): nobody can authenticate as it, so no password is needed.
    let default_user = program.resource(
        "cache-default-user",
        Resource::new("aws:elasticache:User")
            .with("userId", default_id.as_str())
            .with("userName", "default")
            .with("engine", ENGINE)
            .with("accessString", DEFAULT_ACCESS.trim())
            .with(
                "authenticationMode",
                map! { "type" => "no-password-required" },
            )
            .with("tags", Expr::from(&tags::shared(platform, &default_id))),
    );
    CacheBase {
        subnet_group,
        default_user,
    }
}

/// Shared group `index` for standard tenants, encrypted with `key` (a platform key), in
/// `security_group_ids` (the standard tenants' cache group). Its
/// user group lists only the `default` user; tenants join through their own
/// `UserGroupAssociation`s ([`shared_cache_user`]), so adding one changes no shared resource.
pub fn shared_cache(
    program: &mut Program,
    platform: &Platform,
    base: &CacheBase,
    index: u32,
    key: &Handle,
    security_group_ids: Expr,
) -> CacheGroup {
    let id = Names::new(platform).shared_cache_group(index);
    let logical = format!("cache-pool{index}");
    let tags = Expr::from(&tags::shared(platform, &id));
    let user_group = program.resource(
        &format!("{logical}-users"),
        user_group(&id, list![base.default_user.attr("userId")], tags.clone())
            // Membership is managed by the tenants' associations, not by this list.
            .option("ignoreChanges", list!["userIds"]),
    );
    let description = format!("Shared Redis {index} of standard tenants (tapgen)");
    let replication_group = program.resource(
        &logical,
        replication_group(
            platform,
            (base, security_group_ids),
            &id,
            &description,
            &user_group,
            key,
            tags,
        ),
    );
    CacheGroup {
        replication_group,
        user_group,
    }
}

/// A standard tenant's user in its shared group, joined by an association of its own.
pub fn shared_cache_user(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    group: &CacheGroup,
) -> Handle {
    let user = tenant_user(program, platform, tenant);
    program.resource(
        &format!("{}-cache-membership", tenant.id),
        Resource::new("aws:elasticache:UserGroupAssociation")
            .with("userGroupId", group.user_group.attr("userGroupId"))
            .with("userId", user.attr("userId")),
    );
    user
}

/// A premium tenant's dedicated group, encrypted with the tenant's `key`, admitting the
/// disabled `default` user and the tenant's user (with the same prefix-confined access as
/// a standard tenant, so the application is the same on either tier), in
/// `security_group_ids`: the tenant's cache admits only the tenant's instances.
pub fn dedicated_cache(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    base: &CacheBase,
    key: &Handle,
    security_group_ids: Expr,
) -> TenantCache {
    let tenant_id = &tenant.id;
    let id = Names::new(platform).cache_group(tenant_id);
    let tags = Expr::from(&tags::tenant(platform, tenant_id, &id));
    let user = tenant_user(program, platform, tenant);
    let user_group = program.resource(
        &format!("{tenant_id}-cache-users"),
        user_group(
            &id,
            list![base.default_user.attr("userId"), user.attr("userId")],
            tags.clone(),
        ),
    );
    let description = format!("Dedicated Redis of tenant {tenant_id} (tapgen)");
    let replication_group = program.resource(
        &format!("{tenant_id}-cache"),
        replication_group(
            platform,
            (base, security_group_ids),
            &id,
            &description,
            &user_group,
            key,
            tags,
        ),
    );
    TenantCache {
        group: CacheGroup {
            replication_group,
            user_group,
        },
        user,
    }
}

/// The tenant's IAM-authenticated user: IAM requires the user name to equal the user id.
fn tenant_user(program: &mut Program, platform: &Platform, tenant: &Tenant) -> Handle {
    let id = Names::new(platform).cache_user(&tenant.id);
    program.resource(
        &format!("{}-cache-user", tenant.id),
        Resource::new("aws:elasticache:User")
            .with("userId", id.as_str())
            .with("userName", id.as_str())
            .with("engine", ENGINE)
            .with("accessString", tenant_access_string(&tenant.id))
            .with("authenticationMode", map! { "type" => "iam" })
            .with("tags", Expr::from(&tags::tenant(platform, &tenant.id, &id))),
    )
}

fn user_group(id: &str, user_ids: Expr, tags: Expr) -> Resource {
    Resource::new("aws:elasticache:UserGroup")
        .with("userGroupId", id)
        .with("engine", ENGINE)
        .with("userIds", user_ids)
        .with("tags", tags)
}

/// A replication group on `base`'s subnets in `security_group_ids`.
fn replication_group(
    platform: &Platform,
    (base, security_group_ids): (&CacheBase, Expr),
    id: &str,
    description: &str,
    user_group: &Handle,
    key: &Handle,
    tags: Expr,
) -> Resource {
    Resource::new("aws:elasticache:ReplicationGroup")
        .with("replicationGroupId", id)
        .with("description", description)
        .with("engine", ENGINE)
        .with("engineVersion", platform.cache.engine_version.as_str())
        .with("nodeType", platform.cache.node_type.as_str())
        .with("port", PORT)
        // A primary and one replica, in different zones, promoted automatically.
        .with("numCacheClusters", 2u32)
        .with("automaticFailoverEnabled", true)
        .with("multiAzEnabled", true)
        .with("subnetGroupName", base.subnet_group.attr("name"))
        .with("securityGroupIds", security_group_ids)
        .with("atRestEncryptionEnabled", true)
        .with("kmsKeyId", key.arn())
        .with("transitEncryptionEnabled", true)
        .with("transitEncryptionMode", "required")
        .with("userGroupIds", list![user_group.attr("userGroupId")])
        .with("autoMinorVersionUpgrade", true)
        .with("maintenanceWindow", "sun:05:00-sun:06:00")
        .with("snapshotRetentionLimit", 1u32)
        .with("snapshotWindow", "03:00-04:00")
        .with("applyImmediately", true)
        .with("tags", tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};
    use tenancy::Config;

    /// The cache layer of `config`: premium tenants dedicated, standard tenants in group 0.
    fn caches(config: &Config) -> serde_json::Value {
        let platform = &config.platform;
        let mut program = Program::new();
        let shared_key = program.resource("cache-key", Resource::new("aws:kms:Key"));
        let base = cache_base(&mut program, platform, list!["subnet-a"]);
        let pool = shared_cache(
            &mut program,
            platform,
            &base,
            0,
            &shared_key,
            list!["sg-cache"],
        );
        for tenant in &config.tenants {
            if tenant.tier == tenancy::Tier::Premium {
                let key =
                    program.resource(&format!("{}-key", tenant.id), Resource::new("aws:kms:Key"));
                dedicated_cache(&mut program, platform, tenant, &base, &key, list!["sg-own"]);
            } else {
                shared_cache_user(&mut program, platform, tenant, &pool);
            }
        }
        render(&program)["resources"].clone()
    }

    #[test]
    fn every_group_is_encrypted_tls_only_and_admits_only_its_user_group() {
        let r = caches(&enterprise());
        for (group, key, users) in [
            ("cache-pool0", "cache-key", "cache-pool0-users"),
            ("acme-cache", "acme-key", "acme-cache-users"),
        ] {
            let p = &r[group]["properties"];
            assert_eq!(p["engine"], "redis");
            assert_eq!(p["atRestEncryptionEnabled"], true);
            assert_eq!(p["kmsKeyId"], format!("${{{key}.arn}}"));
            assert_eq!(p["transitEncryptionEnabled"], true);
            assert_eq!(p["transitEncryptionMode"], "required");
            assert_eq!(p["multiAzEnabled"], true);
            assert_eq!(
                p["userGroupIds"],
                serde_json::json!([format!("${{{users}.userGroupId}}")])
            );
            assert!(p.get("authToken").is_none());
        }
        assert_eq!(
            r["cache-pool0"]["properties"]["replicationGroupId"],
            "tap-enterprise-pool0-prod"
        );
        assert_eq!(r["acme-cache"]["properties"]["tags"]["tenant_id"], "acme");
        // The dedicated group admits its own groups, the shared ones the base's.
        assert_eq!(
            r["acme-cache"]["properties"]["securityGroupIds"],
            serde_json::json!(["sg-own"])
        );
        assert_eq!(
            r["cache-pool0"]["properties"]["securityGroupIds"],
            serde_json::json!(["sg-cache"])
        );
    }

    #[test]
    fn standard_tenants_join_the_shared_group_through_their_own_association() {
        let r = caches(&enterprise());
        let users = &r["cache-pool0-users"];
        assert_eq!(
            users["properties"]["userIds"],
            serde_json::json!(["${cache-default-user.userId}"])
        );
        assert_eq!(
            users["options"]["ignoreChanges"],
            serde_json::json!(["userIds"])
        );
        for tenant in ["globex", "initech"] {
            let membership = &r[format!("{tenant}-cache-membership")]["properties"];
            assert_eq!(
                membership["userGroupId"],
                "${cache-pool0-users.userGroupId}"
            );
            assert_eq!(
                membership["userId"],
                format!("${{{tenant}-cache-user.userId}}")
            );
        }
        // The premium tenant's own group lists its user directly.
        assert_eq!(
            r["acme-cache-users"]["properties"]["userIds"],
            serde_json::json!(["${cache-default-user.userId}", "${acme-cache-user.userId}"])
        );
        assert!(r.get("acme-cache-membership").is_none());
    }

    #[test]
    fn tenant_users_use_iam_and_the_shipped_template_with_their_prefix() {
        let r = caches(&enterprise());
        let user = &r["globex-cache-user"]["properties"];
        assert_eq!(user["authenticationMode"]["type"], "iam");
        assert_eq!(user["userName"], user["userId"]);
        assert_eq!(user["userId"], "globex-prod");
        assert!(user.get("passwords").is_none());
        let access = user["accessString"].as_str().unwrap();
        let template = TENANT_ACCESS.trim();
        assert_eq!(access, template.replace("{prefix}", "t:globex:"));
        assert!(access.contains("~t:globex:*"));
        assert!(!access.contains("{prefix}") && !access.contains("~* "));
        let default = &r["cache-default-user"]["properties"];
        assert_eq!(default["userName"], "default");
        assert_eq!(default["accessString"], DEFAULT_ACCESS.trim());
        assert!(DEFAULT_ACCESS.split_whitespace().any(|t| t == "off"));
    }

    #[test]
    fn adding_a_standard_tenant_changes_no_existing_cache_resource() {
        let mut config = enterprise();
        let before = caches(&config);
        let mut newcomer = config.tenants[1].clone();
        newcomer.id = TenantId::parse("hooli").unwrap();
        config.tenants.insert(1, newcomer);
        let after = caches(&config);
        for (name, resource) in before.as_object().unwrap() {
            assert_eq!(&after[name], resource, "{name} changed");
        }
        assert!(after.get("hooli-cache-membership").is_some());
    }
}
