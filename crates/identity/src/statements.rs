//! What a tenant-access session may do, written once for every tenant: each resource is named
//! through `${aws:PrincipalTag/tenant_id}`, so the session's tag decides whose resources it
//! reaches, and a session without the tag reaches none (an unresolvable variable matches
//! nothing).
//!
//! The resource names come from `tenancy::Names`, built for a sentinel tenant id that is then
//! replaced by the policy variable: the patterns are exactly the names the data and compute
//! builders create, for whichever tenant the tag names.

use compute::iam::arn;
use program::{list, map, Expr, Handle};
use tenancy::{Names, Platform, TenantId};

use crate::access::TENANT_TAG;

/// The IAM policy variable of the session's tenant.
pub(crate) fn tenant_variable() -> String {
    format!("${{aws:PrincipalTag/{TENANT_TAG}}}")
}

/// A valid tenant id that appears in no project or environment name.
const SENTINEL: &str = "zz-tenant-variable-zz";

/// `name` for the tenant in the session's tag: the name `Names` builds, with the tenant id
/// replaced by the policy variable.
fn pattern(platform: &Platform, name: impl Fn(&Names<'_>, &TenantId) -> String) -> String {
    let sentinel = TenantId::parse(SENTINEL).expect("the sentinel is a valid tenant id");
    let built = name(&Names::new(platform), &sentinel);
    assert_eq!(
        built.matches(SENTINEL).count(),
        1,
        "every tenant name holds the id once"
    );
    built.replace(SENTINEL, &tenant_variable())
}

/// Which Redis the session's tenant authenticates to (IAM authentication, `elasticache:Connect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cache {
    /// Any shared group of standard tenants (`Names::shared_cache_group`).
    Shared,
    /// The tenant's own replication group (`Names::cache_group`).
    Dedicated,
}

/// The statements of the tenant-access policy.
pub(crate) fn tenant_statements(platform: &Platform, account: &Handle, cache: Cache) -> Vec<Expr> {
    let region = platform.region.as_str();
    let tenant = tenant_variable();
    let names = Names::new(platform);
    let bucket = format!("arn:aws:s3:::{}", pattern(platform, |n, t| n.bucket(t)));
    let parameters = pattern(platform, |n, t| format!("{}/{t}/*", n.parameter_prefix()));
    let log_group = pattern(platform, |n, t| n.tenant_log_group(t));
    let group = match cache {
        // Group numbers are not a tenant's to choose; any shared group, its own user only.
        Cache::Shared => names
            .shared_cache_group(u32::MAX)
            .replace(&u32::MAX.to_string(), "*"),
        Cache::Dedicated => pattern(platform, |n, t| n.cache_group(t)),
    };
    let user = pattern(platform, |n, t| n.cache_user(t));
    let via = |service: &str| format!("{service}.{region}.amazonaws.com");
    let own_tag = format!("aws:ResourceTag/{TENANT_TAG}");
    let allow = |sid: &str, actions: Expr, resources: Expr| {
        map! { "Sid" => sid, "Effect" => "Allow", "Action" => actions, "Resource" => resources }
    };
    let allow_if = |sid: &str, actions: Expr, resources: Expr, condition: Expr| {
        map! {
            "Sid" => sid,
            "Effect" => "Allow",
            "Action" => actions,
            "Resource" => resources,
            "Condition" => condition,
        }
    };
    // Tenant keys and secrets are created per tenant: matched by their tag, not named.
    let keys = allow_if(
        "OwnKeyThroughItsServices",
        list!["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        list![arn("kms", region, account, "key/*")],
        map! {
            "StringEquals" => map! {
                own_tag.as_str() => tenant.as_str(),
                "kms:ViaService" => list![via("ssm"), via("s3")],
            },
        },
    );
    let secrets = allow_if(
        "OwnSecretsByTag",
        list![
            "secretsmanager:GetSecretValue",
            "secretsmanager:DescribeSecret"
        ],
        list![arn("secretsmanager", region, account, "secret:*")],
        map! { "StringEquals" => map! { own_tag.as_str() => tenant.as_str() } },
    );
    vec![
        allow(
            "OwnConfiguration",
            list!["ssm:GetParameter", "ssm:GetParameters"],
            list![arn(
                "ssm",
                region,
                account,
                &format!("parameter{parameters}")
            )],
        ),
        keys,
        allow(
            "OwnObjects",
            list!["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            list![format!("{bucket}/*")],
        ),
        allow("OwnBucketListing", list!["s3:ListBucket"], list![bucket]),
        allow(
            "OwnLogStreams",
            list!["logs:CreateLogStream", "logs:PutLogEvents"],
            list![arn(
                "logs",
                region,
                account,
                &format!("log-group:{log_group}:*")
            )],
        ),
        secrets,
        allow(
            "OwnCacheUser",
            list!["elasticache:Connect"],
            list![
                arn(
                    "elasticache",
                    region,
                    account,
                    &format!("replicationgroup:{group}")
                ),
                arn("elasticache", region, account, &format!("user:{user}")),
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::enterprise;

    #[test]
    fn patterns_are_the_builders_names_with_the_tag_for_the_tenant() {
        let config = enterprise();
        let names = Names::new(&config.platform);
        for tenant in &config.tenants {
            let id = tenant.id.as_str();
            let substituted = |p: String| p.replace(&tenant_variable(), id);
            assert_eq!(
                substituted(pattern(&config.platform, |n, t| n.bucket(t))),
                names.bucket(&tenant.id)
            );
            assert_eq!(
                substituted(pattern(&config.platform, |n, t| n.tenant_log_group(t))),
                names.tenant_log_group(&tenant.id)
            );
            assert!(names
                .tenant_parameter(&tenant.id)
                .starts_with(&substituted(pattern(&config.platform, |n, t| format!(
                    "{}/{t}/",
                    n.parameter_prefix()
                )))));
        }
    }
}
