//! Dynamic tenant IAM: what tenant code runs as, decided at run time from the tenant it
//! serves, without a role pair per tenant (IAM's default is 1,000 roles per account).
//!
//! - **Standard tenants** share ONE tenant-access role. The pool's instance role assumes it
//!   per tenant with a `tenant_id` session tag; the role's policy names every resource through
//!   `${aws:PrincipalTag/tenant_id}` (see `statements`), so the session reaches only that
//!   tenant's parameters, key, bucket, log group, secrets and Redis user. The trust policy
//!   admits the pool role only, only with exactly that one tag (`aws:TagKeys`), never a
//!   transitive one (a chained session would carry it on), never a wildcard as its value, and
//!   never a premium tenant's id. A session cannot change its tag: session tags are fixed at
//!   issue, and the session itself is not a principal the trust policy admits.
//! - **Premium tenants** each get their own role, tagged with their id, that only their own
//!   instance role may assume, without session tags (no `sts:TagSession`): the role's tag is
//!   then the principal tag, so the same policy serves with their dedicated Redis.
//!
//! Why no list of known standard ids in the trust policy: 450 ids do not fit the 2,048
//! characters a trust policy has by default (8,192 at most), and the shared role would change
//! at every onboarding. An id that names no tenant reaches nothing, since every resource is
//! named by the tag; the ids that must never be reachable from the pool, premium tenants',
//! are refused by name, and they are few (each costs its own Auto Scaling and Redis groups).

use compute::iam::policy_document;
use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant, Tier};

use crate::statements::{tenant_statements, Cache};

/// The session and resource tag naming a tenant (the tag every tenant resource carries).
pub const TENANT_TAG: &str = "tenant_id";

/// A tenant-access role, its permissions, and the grant letting its caller assume it.
pub struct TenantAccess {
    pub role: Handle,
    pub policy: Handle,
    /// The `RolePolicy` on the caller's role allowing it to assume this one.
    pub assume: Handle,
}

/// The pooled role of standard tenants, assumable by `pool_role` (the standard pool's
/// instance role) with a `tenant_id` session tag. `tenants` is the whole tenant list: its
/// premium ids are refused. `account` is `compute::iam::account_id`.
pub fn tenant_access(
    program: &mut Program,
    platform: &Platform,
    tenants: &[Tenant],
    pool_role: &Handle,
    account: &Handle,
) -> TenantAccess {
    let name = Names::new(platform).tenant_access_role();
    // Sorted: the trust does not depend on where tenants stand in the config.
    let mut premium: Vec<&str> = tenants
        .iter()
        .filter(|t| t.tier == Tier::Premium)
        .map(|t| t.id.as_str())
        .collect();
    premium.sort_unstable();
    let role = program.resource(
        "tenant-access-role",
        Resource::new("aws:iam:Role")
            .with("name", name.as_str())
            .with(
                "description",
                "Standard tenants' sessions, scoped by their tenant_id tag",
            )
            .with("assumeRolePolicy", pooled_trust(pool_role, &premium))
            .with("maxSessionDuration", 3600u32)
            .with("forceDetachPolicies", true)
            .with("tags", &tags::shared(platform, &name)),
    );
    finish(
        program,
        "tenant-access-role",
        &role,
        pool_role,
        tenant_statements(platform, account, Cache::Shared),
        list!["sts:AssumeRole", "sts:TagSession"],
    )
}

/// A premium tenant's own access role (tagged with its id), assumable only by its own
/// `instance_role`, without session tags.
pub fn premium_access(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    instance_role: &Handle,
    account: &Handle,
) -> TenantAccess {
    let id = &tenant.id;
    let name = Names::new(platform).premium_access_role(id);
    let logical = format!("{id}-access-role");
    let role = program.resource(
        &logical,
        Resource::new("aws:iam:Role")
            .with("name", name.as_str())
            .with("description", format!("Tenant {id}'s own access role"))
            .with("assumeRolePolicy", premium_trust(instance_role))
            .with("maxSessionDuration", 3600u32)
            .with("forceDetachPolicies", true)
            .with("tags", &tags::tenant(platform, id, &name)),
    );
    finish(
        program,
        &logical,
        &role,
        instance_role,
        tenant_statements(platform, account, Cache::Dedicated),
        list!["sts:AssumeRole"],
    )
}

/// The role's policy, and the caller's grant to assume it with `actions`.
fn finish(
    program: &mut Program,
    logical: &str,
    role: &Handle,
    caller: &Handle,
    statements: Vec<Expr>,
    actions: Expr,
) -> TenantAccess {
    let policy = program.resource(
        &format!("{logical}-policy"),
        Resource::new("aws:iam:RolePolicy")
            .with("role", role.id())
            .with("policy", policy_document(statements)),
    );
    let assume = program.resource(
        &format!("{logical}-assume"),
        Resource::new("aws:iam:RolePolicy")
            .with("role", caller.id())
            .with(
                "policy",
                policy_document(vec![map! {
                    "Effect" => "Allow",
                    "Action" => actions,
                    "Resource" => role.arn(),
                }]),
            ),
    );
    TenantAccess {
        role: role.clone(),
        policy,
        assume,
    }
}

/// Only `pool_role`, only with one `tenant_id` tag that is not transitive, not a wildcard
/// and not a premium tenant's id.
fn pooled_trust(pool_role: &Handle, premium: &[&str]) -> Expr {
    let request_tag = format!("aws:RequestTag/{TENANT_TAG}");
    let mut condition = program::IndexMap::new();
    condition.insert(
        "Null".to_string(),
        map! { request_tag.as_str() => "false", "sts:TransitiveTagKeys" => "true" },
    );
    condition.insert(
        "ForAllValues:StringEquals".to_string(),
        map! { "aws:TagKeys" => list![TENANT_TAG] },
    );
    // `${*}` and `${?}` match a literal `*` and `?`: a tag value must not be a pattern.
    condition.insert(
        "StringNotLike".to_string(),
        map! { request_tag.as_str() => list!["*${*}*", "*${?}*"] },
    );
    if !premium.is_empty() {
        let ids: Vec<Expr> = premium.iter().map(|id| Expr::from(*id)).collect();
        condition.insert(
            "StringNotEquals".to_string(),
            map! { request_tag.as_str() => ids },
        );
    }
    policy_document(vec![map! {
        "Sid" => "PoolSessionsOfOneStandardTenant",
        "Effect" => "Allow",
        "Principal" => map! { "AWS" => pool_role.arn() },
        "Action" => list!["sts:AssumeRole", "sts:TagSession"],
        "Condition" => Expr::Map(condition),
    }])
}

/// Only the tenant's own instance role, and `sts:AssumeRole` alone: without `sts:TagSession`
/// no session tag can be set, so the role's own `tenant_id` tag is the principal tag.
fn premium_trust(instance_role: &Handle) -> Expr {
    policy_document(vec![map! {
        "Sid" => "OwnInstancesOnly",
        "Effect" => "Allow",
        "Principal" => map! { "AWS" => instance_role.arn() },
        "Action" => "sts:AssumeRole",
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};
    use compute::iam::{account_id, role};

    /// A program with the pooled role for `config`'s tenants, assumed by `pool-instance`.
    fn pooled(config: &tenancy::Config) -> (Program, Handle) {
        let mut program = Program::new();
        let account = account_id(&mut program);
        let pool = role(
            &mut program,
            "pool-instance",
            "pool",
            "ec2.amazonaws.com",
            Expr::Null,
            vec![],
        );
        let platform = &config.platform;
        tenant_access(
            &mut program,
            platform,
            &config.tenants,
            &pool.role,
            &account,
        );
        (program, account)
    }

    fn build() -> serde_json::Value {
        let config = enterprise();
        let (mut program, account) = pooled(&config);
        let acme = &config.tenants[0];
        let premium = role(
            &mut program,
            "acme-instance",
            "acme",
            "ec2.amazonaws.com",
            Expr::Null,
            vec![],
        );
        premium_access(
            &mut program,
            &config.platform,
            acme,
            &premium.role,
            &account,
        );
        render(&program)
    }

    #[test]
    fn the_pooled_trust_demands_one_non_transitive_standard_tenant_tag() {
        let out = build();
        let role = &out["resources"]["tenant-access-role"]["properties"];
        let statement = &role["assumeRolePolicy"]["fn::toJSON"]["Statement"][0];
        assert_eq!(statement["Principal"]["AWS"], "${pool-instance.arn}");
        let condition = &statement["Condition"];
        assert_eq!(condition["Null"]["aws:RequestTag/tenant_id"], "false");
        assert_eq!(condition["Null"]["sts:TransitiveTagKeys"], "true");
        assert_eq!(
            condition["ForAllValues:StringEquals"]["aws:TagKeys"],
            serde_json::json!(["tenant_id"])
        );
        assert_eq!(
            condition["StringNotEquals"]["aws:RequestTag/tenant_id"],
            serde_json::json!(["acme"])
        );
        assert!(role["tags"].get("tenant_id").is_none());
    }

    #[test]
    fn every_resource_is_named_by_the_session_tag() {
        let out = build();
        let policy =
            &out["resources"]["tenant-access-role-policy"]["properties"]["policy"]["fn::toJSON"];
        for statement in policy["Statement"].as_array().unwrap() {
            let text = statement.to_string();
            assert!(
                text.contains("$${aws:PrincipalTag/tenant_id}"),
                "{} is not scoped by the tag",
                statement["Sid"]
            );
            assert!(!statement["Action"].to_string().contains('*'));
        }
        let assume = &out["resources"]["tenant-access-role-assume"]["properties"];
        assert_eq!(assume["role"], "${pool-instance.id}");
    }

    #[test]
    fn a_premium_role_carries_its_tenant_tag_and_admits_no_session_tags() {
        let out = build();
        let role = &out["resources"]["acme-access-role"]["properties"];
        assert_eq!(role["name"], "tap-enterprise-acme-access-prod");
        assert_eq!(role["tags"]["tenant_id"], "acme");
        let statement = &role["assumeRolePolicy"]["fn::toJSON"]["Statement"][0];
        assert_eq!(statement["Action"], "sts:AssumeRole");
        assert_eq!(statement["Principal"]["AWS"], "${acme-instance.arn}");
        let assume =
            &out["resources"]["acme-access-role-assume"]["properties"]["policy"]["fn::toJSON"];
        assert_eq!(
            assume["Statement"][0]["Action"],
            serde_json::json!(["sts:AssumeRole"])
        );
    }

    /// Whitespace-free JSON length, the measure IAM applies to its size limits.
    fn iam_len(value: &serde_json::Value) -> usize {
        serde_json::to_string(value).unwrap().len()
    }

    #[test]
    fn policies_fit_iam_limits_at_450_standard_and_50_premium_tenants() {
        let mut toml = String::from(
            "[platform]\nsystem = \"enterprise\"\nproject = \"tap-enterprise\"\n\
             environment = \"prod\"\nregion = \"us-east-1\"\nvpc_cidr = \"10.18.0.0/16\"\n\
             base_domain = \"tap.example.com\"\n",
        );
        for i in 0..500 {
            let tier = if i < 50 { "premium" } else { "standard" };
            // Long ids: 20 characters each.
            toml.push_str(&format!(
                "[[tenants]]\nid = \"tenant-organisation{i:03}\"\ntier = \"{tier}\"\n"
            ));
        }
        let config = tenancy::parse(&toml, "t.toml", std::path::Path::new(".")).unwrap();
        let (program, _) = pooled(&config);
        let out = render(&program);
        let r = &out["resources"];
        let trust =
            iam_len(&r["tenant-access-role"]["properties"]["assumeRolePolicy"]["fn::toJSON"]);
        let inline = iam_len(&r["tenant-access-role-policy"]["properties"]["policy"]["fn::toJSON"]);
        // References (`${accountId}`) are shorter than the 12-digit account they become.
        assert!(trust < 2048, "trust policy of {trust} characters");
        assert!(inline + 200 < 10240, "inline policy of {inline} characters");
    }
}
