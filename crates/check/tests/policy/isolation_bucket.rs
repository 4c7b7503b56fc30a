//! Isolation by bucket policy (`TAP-ISO-2`): every tenant bucket denies every principal
//! outside the tenant. These tests write acme-corp's bucket policy themselves, so that they do
//! not depend on how the renderer happens to split its statements today.

use check::Project;
use serde_json::json;

use crate::support::*;

#[track_caller]
fn expect_iso2(p: &Project, says: &str) {
    expect_exactly(p, &[("TAP-ISO-2", "acme-corp-bucket")]);
    let message = &policy(p)[0].message;
    assert!(message.contains(says), "{message}");
}

#[test]
fn iso2_accepted_forms() {
    expect_exactly(
        &with_bucket_policy(vec![secure_transport(), deny_outside_tenant()]),
        &[],
    );
    expect_exactly(
        &with_bucket_policy(vec![
            secure_transport(),
            deny_other_tagged(),
            deny_untagged(),
        ]),
        &[],
    );
    let mut strict = deny_outside_tenant();
    strict["Condition"]
        .as_object_mut()
        .unwrap()
        .shift_remove("ArnNotEquals");
    expect_exactly(&with_bucket_policy(vec![secure_transport(), strict]), &[]);
}

#[test]
fn iso2_missing_deny() {
    expect_iso2(
        &with_bucket_policy(vec![secure_transport()]),
        "no Deny statement covers",
    );
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), deny_untagged()]),
        "principals tagged with another tenant's id are not denied",
    );
}

#[test]
fn iso2_untagged_principals_let_through() {
    // `Null aws:PrincipalTag/tenant_id = false` narrows the deny to tagged principals.
    let p = with_bucket_policy(vec![secure_transport(), deny_other_tagged()]);
    expect_iso2(&p, "principals without a tenant_id tag are not denied");
    expect_iso2(&p, "exempts every principal without a tenant_id tag");
}

#[test]
fn iso2_exemptions_name_specific_principals_of_the_tenant_or_platform() {
    let mut st = deny_outside_tenant();
    st["Condition"]["ArnNotEquals"]["aws:PrincipalArn"] = json!("arn:aws:iam::123456789012:role/*");
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "narrows the deny",
    );

    let mut st = deny_outside_tenant();
    st["Condition"]["ArnNotEquals"]["aws:PrincipalArn"] = json!("${globex-inc-task-role.arn}");
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "exempts globex-inc-task-role of tenant globex-inc",
    );

    let mut st = deny_outside_tenant();
    st["Condition"]["IpAddress"] = json!({"aws:SourceIp": "10.0.0.0/8"});
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "condition IpAddress aws:SourceIp narrows the deny",
    );
}

#[test]
fn iso2_wrong_tenant_narrowed_actions_resources_or_principal() {
    let mut st = deny_outside_tenant();
    st["Condition"]["StringNotEquals"]["aws:PrincipalTag/tenant_id"] = json!("globex-inc");
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "not exactly",
    );

    let mut st = deny_outside_tenant();
    st["Condition"]["StringNotEquals"]["aws:PrincipalTag/tenant_id"] =
        json!(["acme-corp", "globex-inc"]);
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "not exactly",
    );

    let mut st = deny_outside_tenant();
    st["Action"] = json!(["s3:GetObject", "s3:PutObject"]);
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "does not deny s3:GetObjectVersion",
    );

    let mut st = deny_untagged();
    st["Action"] = json!(["s3:Get*", "s3:Put*"]);
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), deny_other_tagged(), st]),
        "does not deny s3:DeleteObject",
    );

    let mut st = deny_outside_tenant();
    st["Resource"] = json!(["${acme-corp-bucket.arn}"]);
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "does not cover the objects",
    );

    let mut st = deny_outside_tenant();
    st["Principal"] = json!({"AWS": "${globex-inc-task-role.arn}"});
    expect_iso2(
        &with_bucket_policy(vec![secure_transport(), st]),
        "Principal is not `*`",
    );
}

#[test]
fn iso2_and_s3_2_without_any_bucket_policy() {
    let mut p = ecs();
    remove(&mut p, "acme-corp-bucket-policy");
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-2", "acme-corp-bucket"),
            ("TAP-S3-2", "acme-corp-bucket"),
        ],
    );
}
