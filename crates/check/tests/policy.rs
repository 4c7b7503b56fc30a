//! Policy rules (`TAP-*`).
//!
//! Every rendered example passes; each rule fires with its exact id on the exact resource
//! when a program is mutated in memory. System A mutations start from examples/ecs-fargate;
//! rules for resource types System A does not use are exercised on the small synthetic
//! serverless (System C) and enterprise (System B) projects under tests/fixtures/policy/,
//! both in their passing and failing forms.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use check::{check_project, Finding, Project, Waiver};
use serde_json::{json, Value};

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn fixture(name: &str) -> Project {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/policy")
        .join(name);
    Project::load(&dir).unwrap()
}

/// Policy findings only (schema/structure/reference are tested by their owners).
fn policy(p: &Project) -> Vec<Finding> {
    check_project(p, &[])
        .findings
        .into_iter()
        .filter(|f| f.rule.starts_with("TAP-"))
        .collect()
}

fn pairs(p: &Project) -> BTreeSet<(String, String)> {
    policy(p)
        .into_iter()
        .map(|f| (f.rule, f.resource))
        .collect()
}

fn show(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("  {f}\n")).collect()
}

/// The (rule, resource) pairs reported are exactly `expected`.
#[track_caller]
fn expect_exactly(p: &Project, expected: &[(&str, &str)]) {
    let want: BTreeSet<(String, String)> = expected
        .iter()
        .map(|(r, n)| (r.to_string(), n.to_string()))
        .collect();
    assert_eq!(pairs(p), want, "findings:\n{}", show(&policy(p)));
}

/// `rule` is reported on `resource` (other findings allowed).
#[track_caller]
fn expect(p: &Project, rule: &str, resource: &str) {
    let found = policy(p);
    assert!(
        found
            .iter()
            .any(|f| f.rule == rule && f.resource == resource),
        "expected {rule} on {resource}; findings:\n{}",
        show(&found)
    );
}

fn res<'a>(p: &'a mut Project, name: &str) -> &'a mut Value {
    let r = &mut p.program["resources"][name];
    assert!(!r.is_null(), "no resource {name}");
    r
}

fn props<'a>(p: &'a mut Project, name: &str) -> &'a mut Value {
    &mut res(p, name)["properties"]
}

fn statements<'a>(p: &'a mut Project, name: &str) -> &'a mut Vec<Value> {
    props(p, name)["policy"]["fn::toJSON"]["Statement"]
        .as_array_mut()
        .unwrap()
}

fn add(p: &mut Project, name: &str, resource: Value) {
    p.program["resources"]
        .as_object_mut()
        .unwrap()
        .insert(name.to_string(), resource);
}

fn remove(p: &mut Project, name: &str) {
    assert!(
        p.program["resources"]
            .as_object_mut()
            .unwrap()
            .shift_remove(name)
            .is_some(),
        "no resource {name}"
    );
}

/// examples/ecs-fargate as rendered.
fn ecs() -> Project {
    Project::load(&examples_dir().join("ecs-fargate")).unwrap()
}

fn allow(action: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

// ---------------------------------------------------------------- the examples

#[test]
fn every_rendered_example_has_no_policy_findings() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|d| d.join("Main.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let mut report = String::new();
    for dir in dirs {
        let found = policy(&Project::load(&dir).unwrap());
        if !found.is_empty() {
            report.push_str(&format!("{}:\n{}", dir.display(), show(&found)));
        }
    }
    assert!(
        report.is_empty(),
        "policy findings in rendered examples:\n{report}"
    );
}

#[test]
fn fixed_ecs_example_and_synthetic_programs_are_clean() {
    expect_exactly(&ecs(), &[]);
    expect_exactly(&fixture("serverless"), &[]);
    expect_exactly(&fixture("enterprise"), &[]);
}

#[test]
fn waivers_accept_findings_by_rule_and_resource() {
    let mut p = ecs();
    props(&mut p, "acme-corp-key")["enableKeyRotation"] = json!(false);
    let waiver = Waiver {
        rule: "TAP-KMS-1".into(),
        resource: "acme-corp-key".into(),
        reason: "test".into(),
    };
    let report = check_project(&p, &[waiver]);
    assert!(report.findings.iter().all(|f| f.rule != "TAP-KMS-1"));
    assert!(report
        .waived
        .iter()
        .any(|(f, _)| f.rule == "TAP-KMS-1" && f.resource == "acme-corp-key"));
}

#[test]
fn full_type_tokens_are_read_like_short_ones() {
    let mut p = ecs();
    for (name, full) in [
        ("acme-corp-task-role-policy", "aws:iam/rolePolicy:RolePolicy"),
        ("acme-corp-task-role", "aws:iam/role:Role"),
        ("acme-corp-bucket", "aws:s3/bucket:Bucket"),
        ("acme-corp-bucket-encryption", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"),
        ("acme-corp-bucket-policy", "aws:s3/bucketPolicy:BucketPolicy"),
    ] {
        res(&mut p, name)["type"] = json!(full);
    }
    expect_exactly(&p, &[]);
    statements(&mut p, "acme-corp-task-role-policy")
        .push(allow(json!("s3:*"), json!("${globex-inc-bucket.arn}")));
    expect_exactly(
        &p,
        &[
            ("TAP-IAM-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-4", "globex-inc-bucket"),
        ],
    );
}

// ---------------------------------------------------------------- isolation: IAM

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

// ---------------------------------------------------------------- isolation: bucket deny
//
// These tests write acme-corp's bucket policy themselves, so that they do not depend on
// how the renderer happens to split its statements today.

const BUCKET: [&str; 2] = ["${acme-corp-bucket.arn}", "${acme-corp-bucket.arn}/*"];
const DATA_ACTIONS: [&str; 7] = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketVersions",
];

fn secure_transport() -> Value {
    json!({"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": BUCKET,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
}

fn deny(action: Value, condition: Value) -> Value {
    json!({"Effect": "Deny", "Principal": "*", "Action": action, "Resource": BUCKET, "Condition": condition})
}

/// One statement: everyone but acme-corp's principals and the deployer.
fn deny_outside_tenant() -> Value {
    deny(
        json!("s3:*"),
        json!({"StringNotEquals": {"aws:PrincipalTag/tenant_id": "acme-corp"}, "ArnNotEquals": {"aws:PrincipalArn": "${deployer}"}}),
    )
}

/// Principals tagged with another tenant (untagged ones are not matched: Null = false).
fn deny_other_tagged() -> Value {
    deny(
        json!("s3:*"),
        json!({"StringNotEquals": {"aws:PrincipalTag/tenant_id": "acme-corp"}, "Null": {"aws:PrincipalTag/tenant_id": "false"}}),
    )
}

/// Untagged principals but the deployer, object data only.
fn deny_untagged() -> Value {
    deny(
        json!(DATA_ACTIONS),
        json!({"Null": {"aws:PrincipalTag/tenant_id": "true"}, "ArnNotEquals": {"aws:PrincipalArn": "${deployer}"}}),
    )
}

fn with_bucket_policy(statements_: Vec<Value>) -> Project {
    let mut p = ecs();
    *statements(&mut p, "acme-corp-bucket-policy") = statements_;
    p
}

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

// ---------------------------------------------------------------- isolation: network

fn ingress(group: &str, from: &str, port: i64) -> Value {
    json!({"type": "aws:vpc:SecurityGroupIngressRule", "properties": {
        "securityGroupId": format!("${{{group}.id}}"), "description": "test", "ipProtocol": "tcp",
        "fromPort": port, "toPort": port, "referencedSecurityGroupId": format!("${{{from}.id}}")}})
}

#[test]
fn iso3_tenant_group_admits_another_tenants_group() {
    let mut p = ecs();
    add(
        &mut p,
        "acme-from-globex",
        ingress("acme-corp-task-sg", "globex-inc-task-sg", 80),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "acme-from-globex")]);
}

#[test]
fn iso3_shared_workload_group_admitting_itself_or_admitted_by_a_tenant() {
    let mut p = ecs();
    add(
        &mut p,
        "workloads-self",
        ingress("workloads-sg", "workloads-sg", 8080),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "workloads-self")]);

    // workloads-sg is attached to every tenant's service: admitting it admits them all.
    let mut p = ecs();
    add(
        &mut p,
        "acme-from-workloads",
        ingress("acme-corp-task-sg", "workloads-sg", 80),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "acme-from-workloads")]);
}

#[test]
fn iso3_inline_ingress_and_legacy_rules() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-sg")["ingress"] = json!([{"description": "x", "protocol": "tcp", "fromPort": 80,
        "toPort": 80, "securityGroups": ["${globex-inc-task-sg.id}"]}]);
    expect_exactly(&p, &[("TAP-ISO-3", "acme-corp-task-sg")]);
    assert_eq!(policy(&p)[0].path, "properties.ingress[0]");

    let mut p = ecs();
    add(
        &mut p,
        "legacy-egress",
        json!({"type": "aws:ec2:SecurityGroupRule", "properties": {
        "type": "egress", "securityGroupId": "${globex-inc-task-sg.id}", "description": "x", "protocol": "tcp",
        "fromPort": 80, "toPort": 80, "sourceSecurityGroupId": "${initech-llc-task-sg.id}"}}),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "legacy-egress")]);
}

#[test]
fn iso3_cidr_covering_another_tenants_subnet() {
    let mut p = fixture("serverless");
    add(
        &mut p,
        "tenant-001-from-002",
        json!({"type": "aws:vpc:SecurityGroupIngressRule", "properties": {
        "securityGroupId": "${tenant-001-sg.id}", "description": "x", "ipProtocol": "tcp",
        "fromPort": 443, "toPort": 443, "cidrIpv4": "10.0.0.0/16"}}),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "tenant-001-from-002")]);
    props(&mut p, "tenant-001-from-002")["cidrIpv4"] = json!("10.0.1.0/24");
    expect_exactly(&p, &[]);
}

// ---------------------------------------------------------------- isolation: workloads

#[test]
fn iso5_tenant_id_of_functions_and_tasks() {
    let mut p = fixture("serverless");
    props(&mut p, "tenant-001-function")["environment"]["variables"]["TENANT_ID"] =
        json!("tenant-002");
    expect_exactly(&p, &[("TAP-ISO-5", "tenant-001-function")]);
    props(&mut p, "tenant-001-function")["environment"]["variables"]
        .as_object_mut()
        .unwrap()
        .shift_remove("TENANT_ID");
    expect_exactly(&p, &[("TAP-ISO-5", "tenant-001-function")]);

    let mut p = ecs();
    let containers = &mut props(&mut p, "acme-corp-task")["containerDefinitions"]["fn::toJSON"];
    containers[0]["environment"][0]["value"] = json!("globex-inc");
    expect_exactly(&p, &[("TAP-ISO-5", "acme-corp-task")]);
}

#[test]
fn iso6_cross_tenant_wiring() {
    let mut p = ecs();
    props(&mut p, "acme-corp-listener-rule")["actions"][0]["targetGroupArn"] =
        json!("${globex-inc-target-group.arn}");
    expect_exactly(&p, &[("TAP-ISO-6", "acme-corp-listener-rule")]);

    let mut p = ecs();
    props(&mut p, "acme-corp-task")["taskRoleArn"] = json!("${globex-inc-task-role.arn}");
    expect_exactly(&p, &[("TAP-ISO-6", "acme-corp-task")]);

    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-encryption")["rules"][0]
        ["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] = json!("${globex-inc-key.arn}");
    expect_exactly(&p, &[("TAP-ISO-6", "acme-corp-bucket-encryption")]);
    assert_eq!(
        policy(&p)[0].path,
        "properties.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"
    );
}

#[test]
fn iso7_cache_users_confined_to_their_prefix() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~* +@all -@dangerous");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~org-b:* +@all -@dangerous");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~org-a* +@all -@dangerous");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~org-a:* +@all");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on %R~{org-a}:* +get +flushall");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] =
        json!("on %RW~{org-a}:* -@all +@read +@write -@dangerous");
    expect_exactly(&p, &[]);
}

#[test]
fn iso8_host_claimed_by_two_tenants() {
    let mut p = ecs();
    props(&mut p, "acme-corp-listener-rule")["conditions"][0]["hostHeader"]["values"][1] =
        json!("*.example.com");
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-8", "acme-corp-listener-rule"),
            ("TAP-ISO-8", "globex-inc-listener-rule"),
            ("TAP-ISO-8", "initech-llc-listener-rule"),
        ],
    );

    let mut p = fixture("enterprise");
    props(&mut p, "org-b-cdn")["aliases"] = json!(["cdn.org-a.com"]);
    expect_exactly(
        &p,
        &[("TAP-ISO-8", "org-a-cdn"), ("TAP-ISO-8", "org-b-cdn")],
    );
}

// ---------------------------------------------------------------- IAM

#[test]
fn iam1_wildcard_actions_in_allow() {
    for action in [
        json!("s3:*"),
        json!(["s3:Get*"]),
        json!("*"),
        json!(["s3:GetObject", "s3:?utObject"]),
    ] {
        let mut p = ecs();
        statements(&mut p, "acme-corp-task-role-policy")[1]["Action"] = action.clone();
        expect_exactly(&p, &[("TAP-IAM-1", "acme-corp-task-role-policy")]);
    }
    let mut p = ecs();
    let st = &mut statements(&mut p, "acme-corp-task-role-policy")[1];
    let actions = st.as_object_mut().unwrap().shift_remove("Action").unwrap();
    st["NotAction"] = actions;
    expect_exactly(&p, &[("TAP-IAM-1", "acme-corp-task-role-policy")]);
    assert_eq!(
        policy(&p)[0].path,
        "properties.policy.Statement[1].NotAction"
    );
}

#[test]
fn iam1_applies_to_trust_and_resource_policies_but_not_to_denies() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-role")["assumeRolePolicy"]["fn::toJSON"]["Statement"][0]
        ["Action"] = json!("sts:*");
    expect_exactly(&p, &[("TAP-IAM-1", "acme-corp-task-role")]);

    let mut p = ecs();
    statements(&mut p, "acme-corp-bucket-policy").push(json!({"Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:Put*", "Resource": "${acme-corp-bucket.arn}/*"}));
    expect_exactly(&p, &[("TAP-IAM-1", "acme-corp-bucket-policy")]);
    // The rendered bucket policies already Deny `s3:*`: that is fine (baseline is clean).
}

#[test]
fn iam1_policies_as_json_strings_and_policy_document_invokes() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-role-policy")["policy"] = json!(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"${acme-corp-bucket.arn}"}]}"#
    );
    expect_exactly(&p, &[("TAP-IAM-1", "acme-corp-task-role-policy")]);

    let mut p = ecs();
    p.program["variables"]["acmeDoc"] = json!({"fn::invoke": {"function": "aws:iam/getPolicyDocument:getPolicyDocument",
        "arguments": {"statements": [{"actions": ["dynamodb:*"], "resources": ["${globex-inc-bucket.arn}"]}]},
        "return": "json"}});
    props(&mut p, "acme-corp-task-role-policy")["policy"] = json!("${acmeDoc}");
    expect_exactly(
        &p,
        &[
            ("TAP-IAM-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-4", "globex-inc-bucket"),
        ],
    );
}

#[test]
fn iam2_star_resources_in_identity_policies() {
    let mut p = ecs();
    statements(&mut p, "acme-corp-task-role-policy")
        .push(allow(json!("dynamodb:GetItem"), json!("*")));
    expect_exactly(&p, &[("TAP-IAM-2", "acme-corp-task-role-policy")]);

    let mut p = ecs();
    statements(&mut p, "acme-corp-task-role-policy")
        .push(allow(json!("s3:GetObject"), json!("arn:aws:s3:::*")));
    expect(&p, "TAP-IAM-2", "acme-corp-task-role-policy");

    let mut p = ecs();
    statements(&mut p, "acme-corp-task-role-policy")
        .push(json!({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "${globex-inc-bucket.arn}/*"}));
    expect_exactly(&p, &[("TAP-IAM-2", "acme-corp-task-role-policy")]);

    // Actions AWS only authorises on `*` are allowed there.
    let mut p = ecs();
    statements(&mut p, "acme-corp-execution-role-policy").push(allow(
        json!(["ecr:GetAuthorizationToken", "xray:PutTraceSegments"]),
        json!("*"),
    ));
    expect_exactly(&p, &[]);
}

#[test]
fn iam3_open_trust_and_open_resource_policies() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-role")["assumeRolePolicy"]["fn::toJSON"]["Statement"][0]
        ["Principal"] = json!({"AWS": "*"});
    expect_exactly(&p, &[("TAP-IAM-3", "acme-corp-task-role")]);

    let mut p = ecs();
    let public_read = json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "${acme-corp-bucket.arn}/*"});
    statements(&mut p, "acme-corp-bucket-policy").push(public_read.clone());
    expect_exactly(&p, &[("TAP-IAM-3", "acme-corp-bucket-policy")]);

    let mut pinned = public_read;
    pinned["Condition"] = json!({"ArnEquals": {"aws:SourceArn": "${acme-corp-service.id}"}});
    let mut p = ecs();
    statements(&mut p, "acme-corp-bucket-policy").push(pinned);
    expect_exactly(&p, &[]);
}

#[test]
fn iam4_aws_managed_policies() {
    let mut p = ecs();
    add(
        &mut p,
        "acme-corp-admin",
        json!({"type": "aws:iam:RolePolicyAttachment", "properties": {
        "role": "${acme-corp-task-role.name}", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}}),
    );
    expect_exactly(&p, &[("TAP-IAM-4", "acme-corp-admin")]);

    let mut p = ecs();
    props(&mut p, "db-init-role")["managedPolicyArns"] =
        json!(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
    expect_exactly(&p, &[("TAP-IAM-4", "db-init-role")]);
}

// ---------------------------------------------------------------- S3

#[test]
fn s3_1_public_access_block() {
    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-public-access")["restrictPublicBuckets"] = json!(false);
    expect_exactly(&p, &[("TAP-S3-1", "acme-corp-bucket")]);
    let mut p = ecs();
    remove(&mut p, "globex-inc-bucket-public-access");
    expect_exactly(&p, &[("TAP-S3-1", "globex-inc-bucket")]);
}

#[test]
fn s3_2_secure_transport() {
    expect_exactly(
        &with_bucket_policy(vec![deny_outside_tenant()]),
        &[("TAP-S3-2", "acme-corp-bucket")],
    );
    let mut st = secure_transport();
    st["Action"] = json!(["s3:GetObject"]);
    expect_exactly(
        &with_bucket_policy(vec![st, deny_outside_tenant()]),
        &[("TAP-S3-2", "acme-corp-bucket")],
    );
    let mut st = secure_transport();
    st["Resource"] = json!("${acme-corp-bucket.arn}/*");
    expect_exactly(
        &with_bucket_policy(vec![st, deny_outside_tenant()]),
        &[("TAP-S3-2", "acme-corp-bucket")],
    );
}

#[test]
fn s3_3_encryption() {
    let mut p = ecs();
    remove(&mut p, "acme-corp-bucket-encryption");
    expect_exactly(&p, &[("TAP-S3-3", "acme-corp-bucket")]);
}

#[test]
fn s3_4_versioning() {
    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-versioning")["versioningConfiguration"]["status"] =
        json!("Suspended");
    expect_exactly(&p, &[("TAP-S3-4", "acme-corp-bucket")]);
}

#[test]
fn s3_5_ownership() {
    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-ownership")["rule"]["objectOwnership"] = json!("ObjectWriter");
    expect_exactly(&p, &[("TAP-S3-5", "acme-corp-bucket")]);
}

// ---------------------------------------------------------------- databases and caches

#[test]
fn rds_rules() {
    let mut p = ecs();
    props(&mut p, "database-cluster")["storageEncrypted"] = json!(false);
    expect_exactly(&p, &[("TAP-RDS-1", "database-cluster")]);

    let mut p = ecs();
    props(&mut p, "database-writer")["publiclyAccessible"] = json!(true);
    expect_exactly(&p, &[("TAP-RDS-2", "database-writer")]);

    let mut p = ecs();
    props(&mut p, "database-cluster")["manageMasterUserPassword"] = json!(false);
    props(&mut p, "database-cluster")["masterPassword"] = json!("hunter2hunter2");
    expect_exactly(&p, &[("TAP-RDS-3", "database-cluster")]);

    let mut p = ecs();
    props(&mut p, "database-cluster")["backupRetentionPeriod"] = json!(1);
    expect_exactly(&p, &[("TAP-RDS-4", "database-cluster")]);

    let mut p = ecs();
    props(&mut p, "database-parameters")["parameters"][1]["value"] = json!("0");
    expect_exactly(&p, &[("TAP-RDS-5", "database-parameters")]);
}

#[test]
fn elasticache_rules() {
    let mut p = fixture("enterprise");
    props(&mut p, "shared-cache")["transitEncryptionEnabled"] = json!(false);
    expect_exactly(&p, &[("TAP-EC-1", "shared-cache")]);

    let mut p = fixture("enterprise");
    props(&mut p, "shared-cache")
        .as_object_mut()
        .unwrap()
        .shift_remove("atRestEncryptionEnabled");
    expect_exactly(&p, &[("TAP-EC-1", "shared-cache")]);

    let mut p = fixture("enterprise");
    props(&mut p, "shared-cache")
        .as_object_mut()
        .unwrap()
        .shift_remove("userGroupIds");
    expect_exactly(&p, &[("TAP-EC-2", "shared-cache")]);

    let mut p = fixture("enterprise");
    props(&mut p, "cache-default-user")["accessString"] = json!("on ~* +@all");
    props(&mut p, "cache-default-user")["authenticationMode"] =
        json!({"type": "no-password-required"});
    expect_exactly(&p, &[("TAP-EC-2", "cache-default-user")]);
}

// ---------------------------------------------------------------- network and edge

#[test]
fn ec2_1_internet_ingress() {
    // A tenant task group opened to the internet.
    let mut p = ecs();
    let rule = props(&mut p, "acme-corp-task-http-in")
        .as_object_mut()
        .unwrap();
    rule.shift_remove("referencedSecurityGroupId");
    rule.insert("cidrIpv4".into(), json!("0.0.0.0/0"));
    expect_exactly(&p, &[("TAP-EC2-1", "acme-corp-task-http-in")]);

    // The load balancer group, but on a port it does not listen on.
    let mut p = ecs();
    props(&mut p, "alb-http-in")["fromPort"] = json!(0);
    props(&mut p, "alb-http-in")["toPort"] = json!(65535);
    expect_exactly(&p, &[("TAP-EC2-1", "alb-http-in")]);

    // An internal load balancer does not need the internet.
    let mut p = ecs();
    props(&mut p, "load-balancer")["internal"] = json!(true);
    expect_exactly(&p, &[("TAP-EC2-1", "alb-http-in")]);

    // IPv6 and inline rules count too.
    let mut p = ecs();
    props(&mut p, "database-sg")["ingress"] = json!([{"description": "x", "protocol": "-1", "fromPort": 0, "toPort": 0,
        "ipv6CidrBlocks": ["::/0"]}]);
    expect_exactly(&p, &[("TAP-EC2-1", "database-sg")]);
}

#[test]
fn ec2_2_descriptions() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-http-in")
        .as_object_mut()
        .unwrap()
        .shift_remove("description");
    props(&mut p, "workloads-sg")["description"] = json!("");
    expect_exactly(
        &p,
        &[
            ("TAP-EC2-2", "acme-corp-task-http-in"),
            ("TAP-EC2-2", "workloads-sg"),
        ],
    );
}

#[test]
fn ec2_5_public_ip_on_launch() {
    let mut p = ecs();
    props(&mut p, "public-subnet-az1")["mapPublicIpOnLaunch"] = json!(true);
    expect_exactly(&p, &[("TAP-EC2-5", "public-subnet-az1")]);
}

#[test]
fn elb_1_invalid_headers() {
    let mut p = ecs();
    props(&mut p, "load-balancer")["dropInvalidHeaderFields"] = json!(false);
    expect_exactly(&p, &[("TAP-ELB-1", "load-balancer")]);
}

#[test]
fn elb_2_tls_listeners() {
    // System A has no certificate: HTTP is accepted. Once a certificate exists, the HTTP
    // listener and every rule forwarding on it are findings.
    let mut p = ecs();
    add(
        &mut p,
        "certificate",
        json!({"type": "aws:acm:Certificate", "properties": {"domainName": "*.example.com"}}),
    );
    expect_exactly(
        &p,
        &[
            ("TAP-ELB-2", "http-listener"),
            ("TAP-ELB-2", "acme-corp-listener-rule"),
            ("TAP-ELB-2", "globex-inc-listener-rule"),
            ("TAP-ELB-2", "initech-llc-listener-rule"),
        ],
    );

    let mut p = fixture("enterprise");
    props(&mut p, "https-listener")["sslPolicy"] = json!("ELBSecurityPolicy-2016-08");
    expect_exactly(&p, &[("TAP-ELB-2", "https-listener")]);
    props(&mut p, "https-listener")["sslPolicy"] = json!("ELBSecurityPolicy-FS-1-2-Res-2020-10");
    props(&mut p, "https-listener")
        .as_object_mut()
        .unwrap()
        .shift_remove("certificateArn");
    expect_exactly(&p, &[("TAP-ELB-2", "https-listener")]);

    let mut p = fixture("enterprise");
    props(&mut p, "http-listener")["defaultActions"] =
        json!([{"type": "forward", "targetGroupArn": "${app-target-group.arn}"}]);
    expect_exactly(&p, &[("TAP-ELB-2", "http-listener")]);
}

#[test]
fn cf_1_viewer_and_origin_tls() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["viewerCertificate"] = json!({"cloudfrontDefaultCertificate": true});
    expect_exactly(&p, &[("TAP-CF-1", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["viewerCertificate"]["minimumProtocolVersion"] = json!("TLSv1");
    expect_exactly(&p, &[("TAP-CF-1", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["defaultCacheBehavior"]["viewerProtocolPolicy"] = json!("allow-all");
    expect_exactly(&p, &[("TAP-CF-1", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-b-cdn")["origins"] = json!([{"originId": "app", "domainName": "app.example.com",
        "customOriginConfig": {"httpPort": 80, "httpsPort": 443, "originProtocolPolicy": "match-viewer",
        "originSslProtocols": ["TLSv1", "TLSv1.2"]}}]);
    expect_exactly(&p, &[("TAP-CF-1", "org-b-cdn")]);
}

#[test]
fn cf_2_s3_origins_through_origin_access_control() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["origins"][0]
        .as_object_mut()
        .unwrap()
        .shift_remove("originAccessControlId");
    expect_exactly(&p, &[("TAP-CF-2", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["origins"][0]["s3OriginConfig"] =
        json!({"originAccessIdentity": "origin-access-identity/cloudfront/E1"});
    expect_exactly(&p, &[("TAP-CF-2", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-b-oac")["signingBehavior"] = json!("no-override");
    expect_exactly(&p, &[("TAP-CF-2", "org-b-oac")]);
}

#[test]
fn cog_1_password_policy() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-users")["passwordPolicy"]["minimumLength"] = json!(6);
    props(&mut p, "org-a-users")["passwordPolicy"]["requireSymbols"] = json!(false);
    expect_exactly(&p, &[("TAP-COG-1", "org-a-users")]);
    // Without an explicit policy Cognito's default (8, all classes) applies.
    props(&mut p, "org-a-users")
        .as_object_mut()
        .unwrap()
        .shift_remove("passwordPolicy");
    expect_exactly(&p, &[]);
}

// ---------------------------------------------------------------- compute

#[test]
fn ec2_3_imds_v2() {
    let mut p = fixture("enterprise");
    props(&mut p, "app-template")["metadataOptions"]["httpTokens"] = json!("optional");
    expect_exactly(&p, &[("TAP-EC2-3", "app-template")]);
    props(&mut p, "app-template")
        .as_object_mut()
        .unwrap()
        .shift_remove("metadataOptions");
    expect_exactly(&p, &[("TAP-EC2-3", "app-template")]);
}

#[test]
fn ec2_4_encrypted_volumes() {
    let mut p = fixture("enterprise");
    props(&mut p, "app-template")["blockDeviceMappings"][0]["ebs"]["encrypted"] = json!("false");
    expect_exactly(&p, &[("TAP-EC2-4", "app-template")]);
    props(&mut p, "app-template")
        .as_object_mut()
        .unwrap()
        .shift_remove("blockDeviceMappings");
    expect_exactly(&p, &[("TAP-EC2-4", "app-template")]);
}

#[test]
fn lambda_1_runtime() {
    for old in [
        "nodejs20.x",
        "nodejs18.x",
        "python3.9",
        "python3.11",
        "java17",
        "java8.al2",
        "provided.al2",
        "go1.x",
        "ruby3.2",
        "dotnet6",
    ] {
        let mut p = ecs();
        props(&mut p, "db-init")["runtime"] = json!(old);
        expect_exactly(&p, &[("TAP-LAMBDA-1", "db-init")]);
    }
    for current in [
        "nodejs22.x",
        "nodejs24.x",
        "python3.12",
        "python3.13",
        "java21",
        "java25",
        "dotnet8",
        "ruby3.4",
        "provided.al2023",
    ] {
        let mut p = ecs();
        props(&mut p, "db-init")["runtime"] = json!(current);
        expect_exactly(&p, &[]);
    }
}

#[test]
fn log_1_retention() {
    let mut p = ecs();
    props(&mut p, "acme-corp-logs")
        .as_object_mut()
        .unwrap()
        .shift_remove("retentionInDays");
    expect_exactly(&p, &[("TAP-LOG-1", "acme-corp-logs")]);
    props(&mut p, "acme-corp-logs")["retentionInDays"] = json!(0);
    expect_exactly(&p, &[("TAP-LOG-1", "acme-corp-logs")]);
}

#[test]
fn log_2_lambda_log_group_declared() {
    let mut p = ecs();
    props(&mut p, "db-init")
        .as_object_mut()
        .unwrap()
        .shift_remove("loggingConfig");
    expect_exactly(&p, &[]); // still matched by the name /aws/lambda/saas-platform-db-init-dev
    props(&mut p, "db-init-logs")["name"] = json!("/aws/lambda/something-else");
    expect_exactly(&p, &[("TAP-LOG-2", "db-init")]);
    props(&mut p, "db-init-logs")["name"] = json!("/aws/lambda/${db-init.name}");
    expect_exactly(&p, &[]);

    let mut p = fixture("serverless");
    props(&mut p, "tenant-002-function")
        .as_object_mut()
        .unwrap()
        .shift_remove("loggingConfig");
    expect_exactly(&p, &[]);
    props(&mut p, "tenant-002-function")["name"] = json!("tenant-002-api");
    expect_exactly(&p, &[("TAP-LOG-2", "tenant-002-function")]);
}

// ---------------------------------------------------------------- keys and secrets

#[test]
fn kms_1_rotation() {
    let mut p = ecs();
    props(&mut p, "acme-corp-key")["enableKeyRotation"] = json!(false);
    expect_exactly(&p, &[("TAP-KMS-1", "acme-corp-key")]);
    props(&mut p, "acme-corp-key")["customerMasterKeySpec"] = json!("RSA_2048");
    props(&mut p, "acme-corp-key")["keyUsage"] = json!("SIGN_VERIFY");
    expect_exactly(&p, &[]);
}

#[test]
fn sm_1_customer_managed_key() {
    let mut p = ecs();
    props(&mut p, "acme-corp-db-secret")
        .as_object_mut()
        .unwrap()
        .shift_remove("kmsKeyId");
    expect_exactly(&p, &[("TAP-SM-1", "acme-corp-db-secret")]);
    props(&mut p, "acme-corp-db-secret")["kmsKeyId"] = json!("alias/aws/secretsmanager");
    expect_exactly(&p, &[("TAP-SM-1", "acme-corp-db-secret")]);
}

#[test]
fn ssm_1_secure_strings_use_a_customer_key() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-config")
        .as_object_mut()
        .unwrap()
        .shift_remove("keyId");
    expect_exactly(&p, &[("TAP-SSM-1", "org-a-config")]);
    props(&mut p, "org-a-config")["type"] = json!("String");
    expect_exactly(&p, &[]);
}

// ---------------------------------------------------------------- serverless

#[test]
fn ddb_1_and_2() {
    let mut p = fixture("serverless");
    props(&mut p, "tenant-001-users")["serverSideEncryption"] = json!({"enabled": true});
    expect_exactly(&p, &[("TAP-DDB-1", "tenant-001-users")]);
    props(&mut p, "tenant-001-users")
        .as_object_mut()
        .unwrap()
        .shift_remove("serverSideEncryption");
    expect_exactly(&p, &[("TAP-DDB-1", "tenant-001-users")]);

    let mut p = fixture("serverless");
    props(&mut p, "tenant-002-users")["pointInTimeRecovery"]["enabled"] = json!(false);
    expect_exactly(&p, &[("TAP-DDB-2", "tenant-002-users")]);

    // A table encrypted with another tenant's key is a cross-tenant reference.
    let mut p = fixture("serverless");
    props(&mut p, "tenant-002-users")["serverSideEncryption"]["kmsKeyArn"] =
        json!("${tenant-001-key.arn}");
    expect_exactly(&p, &[("TAP-ISO-6", "tenant-002-users")]);
}

#[test]
fn apig_1_every_method_authorised() {
    let mut p = fixture("serverless");
    props(&mut p, "api-users-get")["authorization"] = json!("NONE");
    expect_exactly(&p, &[("TAP-APIG-1", "api-users-get")]);

    let mut p = fixture("serverless");
    props(&mut p, "api-users-get")
        .as_object_mut()
        .unwrap()
        .shift_remove("authorizerId");
    expect_exactly(&p, &[("TAP-APIG-1", "api-users-get")]);

    // OPTIONS may be open only for a MOCK (CORS preflight) integration.
    let mut p = fixture("serverless");
    props(&mut p, "api-users-options-integration")["type"] = json!("AWS_PROXY");
    expect_exactly(&p, &[("TAP-APIG-1", "api-users-options")]);
}

#[test]
fn apig_2_stage_access_logs() {
    let mut p = fixture("serverless");
    props(&mut p, "api-stage")
        .as_object_mut()
        .unwrap()
        .shift_remove("accessLogSettings");
    expect_exactly(&p, &[("TAP-APIG-2", "api-stage")]);
}

#[test]
fn serverless_role_policy_reaching_another_tenants_table_and_key() {
    let mut p = fixture("serverless");
    let st = statements(&mut p, "tenant-001-role-policy");
    st[0]["Resource"]
        .as_array_mut()
        .unwrap()
        .push(json!("arn:aws:dynamodb:us-east-1:${caller}:table/tenant-*"));
    st[1]["Resource"] = json!(["${tenant-001-key.arn}", "${tenant-002-key-alias.arn}"]);
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "tenant-001-role-policy"),
            ("TAP-ISO-4", "tenant-002-users"),
            ("TAP-ISO-4", "tenant-002-key-alias"),
        ],
    );
}

// ---------------------------------------------------------------- scale

#[test]
fn hundreds_of_tenants_stay_clean_and_fast() {
    // Copy every acme-corp resource for 300 more tenants (names, tags, references).
    let mut p = ecs();
    let resources = p.program["resources"].as_object().unwrap().clone();
    let acme: Vec<(&String, &Value)> = resources
        .iter()
        .filter(|(name, _)| name.starts_with("acme-corp-"))
        .collect();
    assert!(acme.len() > 10);
    for i in 0..300 {
        let tenant = format!("tenant-{i:03}");
        for (name, body) in &acme {
            let text = serde_json::to_string(body)
                .unwrap()
                .replace("acme-corp", &tenant)
                .replace("acme_corp", &tenant.replace('-', "_"));
            let mut body: Value = serde_json::from_str(&text).unwrap();
            if let Some(priority) = body["properties"].get_mut("priority") {
                *priority = json!(1000 + i);
            }
            add(&mut p, &name.replace("acme-corp", &tenant), body);
        }
    }
    let started = std::time::Instant::now();
    expect_exactly(&p, &[]);
    assert!(
        started.elapsed().as_secs() < 60,
        "policy checks took {:?}",
        started.elapsed()
    );
    // And isolation is still judged at that size.
    statements(&mut p, "tenant-123-task-role-policy").push(allow(
        json!("s3:GetObject"),
        json!("${tenant-007-bucket.arn}/*"),
    ));
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "tenant-123-task-role-policy"),
            ("TAP-ISO-4", "tenant-007-bucket"),
        ],
    );
}
