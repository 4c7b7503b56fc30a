//! KMS customer-managed keys: one per tenant, and platform keys for shared stores.
//!
//! Every key is rotated yearly and has an alias. Without a `policy`, AWS applies the default
//! key policy (the account delegates to IAM), so only roles whose IAM policy names the key
//! can use it. A key that CloudWatch Logs must use needs a policy naming the logs service:
//! [`tenant_key_for_logs`] writes one, scoped to the tenant's own log group.

use compute::iam::policy_document;
use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

/// A tenant's own key (default key policy).
pub fn tenant_key(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    alias: &str,
) -> Handle {
    key(program, tenant_spec(platform, tenant, alias, None))
}

/// A tenant's own key that CloudWatch Logs may also use, but only for the tenant's log
/// group (`Names::tenant_log_group`, matched through the encryption context Logs sends),
/// so the key encrypts that group (`compute::observability::tenant_logs`) and no other.
pub fn tenant_key_for_logs(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    alias: &str,
    account: &Handle,
) -> Handle {
    let log_group = Names::new(platform).tenant_log_group(&tenant.id);
    let policy = logs_key_policy(platform, account, &log_group);
    key(program, tenant_spec(platform, tenant, alias, Some(policy)))
}

/// A platform key for one shared store (`purpose`, e.g. `database`), logical name
/// `<purpose>-key`, default key policy.
pub fn platform_key(
    program: &mut Program,
    platform: &Platform,
    purpose: &str,
    alias: &str,
) -> Handle {
    key(
        program,
        KeySpec {
            logical: format!("{purpose}-key"),
            description: format!("Platform {purpose} key ({})", platform.environment),
            alias,
            tags: Expr::from(&tags::shared(platform, alias)),
            policy: None,
        },
    )
}

/// The platform key of the fleets' root volumes. EC2 Auto Scaling launches instances as its
/// service-linked role, which no IAM policy of ours can extend, so the key policy names it
/// (use, and grants for the attached volumes only). The role must exist in the account
/// (created with the first Auto Scaling group, or with
/// `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`).
pub fn volume_key(
    program: &mut Program,
    platform: &Platform,
    alias: &str,
    account: &Handle,
) -> Handle {
    let autoscaling = Expr::concat([
        "arn:aws:iam::".into(),
        account.expr(),
        ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling".into(),
    ]);
    let policy = policy_document(vec![
        account_statement(account),
        map! {
            "Sid" => "AutoScalingUsesTheKeyForVolumes",
            "Effect" => "Allow",
            "Principal" => map! { "AWS" => autoscaling.clone() },
            "Action" => service_use(),
            "Resource" => "*",
        },
        map! {
            "Sid" => "AutoScalingGrantsForAttachedVolumes",
            "Effect" => "Allow",
            "Principal" => map! { "AWS" => autoscaling },
            "Action" => list!["kms:CreateGrant"],
            "Resource" => "*",
            "Condition" => map! { "Bool" => map! { "kms:GrantIsForAWSResource" => true } },
        },
    ]);
    key(
        program,
        KeySpec {
            logical: "volume-key".into(),
            description: format!("Platform instance volume key ({})", platform.environment),
            alias,
            tags: Expr::from(&tags::shared(platform, alias)),
            policy: Some(policy),
        },
    )
}

struct KeySpec<'a> {
    logical: String,
    description: String,
    alias: &'a str,
    tags: Expr,
    policy: Option<Expr>,
}

fn tenant_spec<'a>(
    platform: &Platform,
    tenant: &Tenant,
    alias: &'a str,
    policy: Option<Expr>,
) -> KeySpec<'a> {
    let id = &tenant.id;
    KeySpec {
        logical: format!("{id}-key"),
        description: format!("Data key of tenant {id} ({})", platform.environment),
        alias,
        tags: Expr::from(&tags::tenant(platform, id, alias)),
        policy,
    }
}

fn key(program: &mut Program, spec: KeySpec) -> Handle {
    let key = program.resource(
        &spec.logical,
        Resource::new("aws:kms:Key")
            .with("description", spec.description)
            .with("enableKeyRotation", true)
            .with("deletionWindowInDays", 7u32)
            .with("policy", spec.policy)
            .with("tags", spec.tags),
    );
    program.resource(
        &format!("{}-alias", spec.logical),
        Resource::new("aws:kms:Alias")
            .with("name", spec.alias)
            .with("targetKeyId", key.id()),
    );
    key
}

/// What the default key policy gives the account (administration and use through IAM),
/// with the actions named rather than `kms:*`, plus CloudWatch Logs for `log_group`.
fn logs_key_policy(platform: &Platform, account: &Handle, log_group: &str) -> Expr {
    let region = &platform.region;
    let log_group_arn = Expr::concat([
        format!("arn:aws:logs:{region}:").into(),
        account.expr(),
        format!(":log-group:{log_group}").into(),
    ]);
    policy_document(vec![
        account_statement(account),
        map! {
            "Sid" => "CloudWatchLogsForTheTenantLogGroup",
            "Effect" => "Allow",
            "Principal" => map! { "Service" => format!("logs.{region}.amazonaws.com") },
            "Action" => service_use(),
            "Resource" => "*",
            "Condition" => map! {
                "ArnEquals" => map! { "kms:EncryptionContext:aws:logs:arn" => log_group_arn },
            },
        },
    ])
}

/// What the default key policy gives the account, with the actions named.
fn account_statement(account: &Handle) -> Expr {
    let root = Expr::concat(["arn:aws:iam::".into(), account.expr(), ":root".into()]);
    map! {
        "Sid" => "AccountAdministersAndUsesThroughIam",
        "Effect" => "Allow",
        "Principal" => map! { "AWS" => root },
        "Action" => ACCOUNT_ACTIONS.iter().map(|a| Expr::from(*a)).collect::<Vec<_>>(),
        "Resource" => "*",
    }
}

/// The cryptographic actions a service needs to use a key on our behalf.
fn service_use() -> Expr {
    list![
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
    ]
}

/// Every key-level KMS action (administration and cryptographic use): the account keeps
/// full control through IAM, as under the default policy, so it cannot be locked out.
const ACCOUNT_ACTIONS: &[&str] = &[
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};

    #[test]
    fn a_logs_key_admits_the_logs_service_only_for_the_tenant_log_group() {
        let config = enterprise();
        let mut program = Program::new();
        let account = compute::iam::account_id(&mut program);
        let tenant = &config.tenants[0];
        let key = tenant_key_for_logs(
            &mut program,
            &config.platform,
            tenant,
            "alias/tenant/acme/data-key",
            &account,
        );
        compute::observability::tenant_logs(&mut program, &config.platform, tenant, &key);
        let out = render(&program);
        let policy = &out["resources"]["acme-key"]["properties"]["policy"]["fn::toJSON"];
        let logs = &policy["Statement"][1];
        assert_eq!(logs["Principal"]["Service"], "logs.us-east-1.amazonaws.com");
        // The very group the observability builder encrypts with this key.
        let group = out["resources"]["acme-logs"]["properties"]["name"]
            .as_str()
            .unwrap();
        assert_eq!(
            logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"],
            format!("arn:aws:logs:us-east-1:${{accountId}}:log-group:{group}")
        );
        let account_actions = policy["Statement"][0]["Action"].as_array().unwrap();
        assert!(account_actions
            .iter()
            .all(|a| !a.as_str().unwrap().contains('*')));
        assert!(account_actions.contains(&serde_json::json!("kms:PutKeyPolicy")));
        assert_eq!(
            out["resources"]["acme-key"]["properties"]["tags"]["tenant_id"],
            "acme"
        );
    }

    #[test]
    fn tenant_and_platform_keys_keep_the_default_policy_and_rotate() {
        let config = enterprise();
        let mut program = Program::new();
        tenant_key(
            &mut program,
            &config.platform,
            &config.tenants[0],
            "alias/tenant/acme/data-key",
        );
        platform_key(&mut program, &config.platform, "cache", "alias/tap/cache");
        let out = render(&program);
        for key in ["acme-key", "cache-key"] {
            let props = &out["resources"][key]["properties"];
            assert_eq!(props["enableKeyRotation"], true);
            assert!(props.get("policy").is_none());
        }
        assert_eq!(
            out["resources"]["cache-key-alias"]["properties"]["name"],
            "alias/tap/cache"
        );
        assert!(out["resources"]["cache-key"]["properties"]["tags"]
            .get("tenant_id")
            .is_none());
    }
}
