//! Isolation in IAM (`TAP-ISO-1`, `TAP-ISO-4`): identity, trust and resource policies that
//! reach another tenant's resources.

use serde_json::json;

use crate::support::*;

#[test]
fn iso1_role_policy_naming_another_tenants_bucket() {
    let mut p = ecs();
    statements(&mut p, "acme-corp-task-role-policy").push(allow(
        json!(["s3:GetObject"]),
        json!(["${globex-inc-bucket.arn}/*"]),
    ));
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-4", "globex-inc-bucket"),
        ],
    );
    let f = policy(&p)
        .into_iter()
        .find(|f| f.rule == "TAP-ISO-1")
        .unwrap();
    assert_eq!(f.path, "properties.policy.Statement[3].Resource[0]");
}

#[test]
fn iso1_another_tenants_secret_and_key_in_execution_role() {
    let mut p = ecs();
    let st = statements(&mut p, "acme-corp-execution-role-policy");
    st.push(allow(
        json!("secretsmanager:GetSecretValue"),
        json!("${globex-inc-db-secret.arn}"),
    ));
    st.push(allow(json!("kms:Decrypt"), json!("${initech-llc-key.arn}")));
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "acme-corp-execution-role-policy"),
            ("TAP-ISO-4", "globex-inc-db-secret"),
            ("TAP-ISO-4", "initech-llc-key"),
        ],
    );
}

#[test]
fn iso1_literal_arns_and_patterns_matching_other_tenants() {
    let mut p = ecs();
    statements(&mut p, "acme-corp-task-role-policy").push(allow(
        json!("s3:GetObject"),
        json!("arn:aws:s3:::saas-platform-globex-inc-data-dev/*"),
    ));
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-4", "globex-inc-bucket"),
        ],
    );

    let mut p = ecs();
    statements(&mut p, "acme-corp-task-role-policy").push(allow(
        json!("s3:GetObject"),
        json!("arn:aws:s3:::saas-platform-*-data-dev/*"),
    ));
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-4", "globex-inc-bucket"),
            ("TAP-ISO-4", "initech-llc-bucket"),
        ],
    );

    let mut p = ecs();
    statements(&mut p, "acme-corp-execution-role-policy").push(allow(
        json!("logs:PutLogEvents"),
        json!("arn:aws:logs:us-east-1:${accountId}:log-group:/ecs/tenant/*"),
    ));
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "acme-corp-execution-role-policy"),
            ("TAP-ISO-4", "globex-inc-logs"),
            ("TAP-ISO-4", "initech-llc-logs"),
        ],
    );
}

#[test]
fn iso1_tenant_condition_of_another_tenant() {
    let mut p = ecs();
    let mut st = allow(json!("kms:Decrypt"), json!("${acme-corp-key.arn}"));
    st["Condition"] = json!({"StringEquals": {"aws:ResourceTag/tenant_id": "globex-inc"}});
    statements(&mut p, "acme-corp-task-role-policy").push(st);
    expect_exactly(&p, &[("TAP-ISO-1", "acme-corp-task-role-policy")]);
}

#[test]
fn iso1_deny_statements_and_platform_roles_may_name_any_tenant() {
    let mut p = ecs();
    statements(&mut p, "acme-corp-task-role-policy")
        .push(json!({"Effect": "Deny", "Action": "s3:*", "Resource": ["${globex-inc-bucket.arn}", "${globex-inc-bucket.arn}/*"]}));
    // db-init-role is a platform role: its grants on every tenant's secret are expected.
    statements(&mut p, "db-init-role-policy")
        .push(allow(json!("kms:Decrypt"), json!("${globex-inc-key.arn}")));
    expect_exactly(&p, &[]);
}

#[test]
fn iso1_managed_policy_of_another_tenant_attached() {
    let mut p = ecs();
    add(
        &mut p,
        "globex-inc-reports-policy",
        json!({"type": "aws:iam:Policy", "properties": {
            "tags": {"tenant_id": "globex-inc"},
            "policy": {"fn::toJSON": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${globex-inc-bucket.arn}/*"}]}}}}),
    );
    add(
        &mut p,
        "acme-corp-reports-attachment",
        json!({"type": "aws:iam:RolePolicyAttachment", "properties": {
            "role": "${acme-corp-task-role.name}", "policyArn": "${globex-inc-reports-policy.arn}"}}),
    );
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "globex-inc-reports-policy"),
            ("TAP-ISO-4", "globex-inc-bucket"),
            ("TAP-ISO-6", "acme-corp-reports-attachment"),
        ],
    );
}

#[test]
fn iso1_trust_policy_trusting_another_tenants_role() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-role")["assumeRolePolicy"]["fn::toJSON"]["Statement"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Effect": "Allow", "Principal": {"AWS": "${globex-inc-task-role.arn}"}, "Action": "sts:AssumeRole"}));
    expect_exactly(&p, &[("TAP-ISO-1", "acme-corp-task-role")]);
}

#[test]
fn iso4_bucket_policy_granting_another_tenant() {
    let mut p = ecs();
    statements(&mut p, "acme-corp-bucket-policy").push(json!({
        "Effect": "Allow", "Principal": {"AWS": "${globex-inc-task-role.arn}"},
        "Action": "s3:GetObject", "Resource": "${acme-corp-bucket.arn}/*"}));
    expect_exactly(&p, &[("TAP-ISO-4", "acme-corp-bucket-policy")]);

    let mut p = ecs();
    statements(&mut p, "acme-corp-bucket-policy").push(json!({
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject",
        "Resource": "${acme-corp-bucket.arn}/*",
        "Condition": {"StringEquals": {"aws:PrincipalTag/tenant_id": ["acme-corp", "globex-inc"]}}}));
    expect_exactly(&p, &[("TAP-ISO-4", "acme-corp-bucket-policy")]);
}
