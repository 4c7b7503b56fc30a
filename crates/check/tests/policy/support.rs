//! Helpers shared by the policy tests: loading the examples and fixtures, collecting policy
//! findings, asserting on them, and mutating programs in memory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use check::{check_project, Finding, Project};
use serde_json::{json, Value};

pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

pub fn fixture(name: &str) -> Project {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/policy")
        .join(name);
    Project::load(&dir).unwrap()
}

/// Policy findings only (schema/structure/reference are tested by their owners).
pub fn policy(p: &Project) -> Vec<Finding> {
    check_project(p, &[])
        .findings
        .into_iter()
        .filter(|f| f.rule.starts_with("TAP-"))
        .collect()
}

pub fn pairs(p: &Project) -> BTreeSet<(String, String)> {
    policy(p)
        .into_iter()
        .map(|f| (f.rule, f.resource))
        .collect()
}

pub fn show(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("  {f}\n")).collect()
}

/// The (rule, resource) pairs reported are exactly `expected`.
#[track_caller]
pub fn expect_exactly(p: &Project, expected: &[(&str, &str)]) {
    let want: BTreeSet<(String, String)> = expected
        .iter()
        .map(|(r, n)| (r.to_string(), n.to_string()))
        .collect();
    assert_eq!(pairs(p), want, "findings:\n{}", show(&policy(p)));
}

/// `rule` is reported on `resource` (other findings allowed).
#[track_caller]
pub fn expect(p: &Project, rule: &str, resource: &str) {
    let found = policy(p);
    assert!(
        found
            .iter()
            .any(|f| f.rule == rule && f.resource == resource),
        "expected {rule} on {resource}; findings:\n{}",
        show(&found)
    );
}

pub fn res<'a>(p: &'a mut Project, name: &str) -> &'a mut Value {
    let r = &mut p.program["resources"][name];
    assert!(!r.is_null(), "no resource {name}");
    r
}

pub fn props<'a>(p: &'a mut Project, name: &str) -> &'a mut Value {
    &mut res(p, name)["properties"]
}

pub fn statements<'a>(p: &'a mut Project, name: &str) -> &'a mut Vec<Value> {
    props(p, name)["policy"]["fn::toJSON"]["Statement"]
        .as_array_mut()
        .unwrap()
}

pub fn add(p: &mut Project, name: &str, resource: Value) {
    p.program["resources"]
        .as_object_mut()
        .unwrap()
        .insert(name.to_string(), resource);
}

pub fn remove(p: &mut Project, name: &str) {
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
pub fn ecs() -> Project {
    Project::load(&examples_dir().join("ecs-fargate")).unwrap()
}

pub fn allow(action: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

// ---------------------------------------------------------------- bucket policies
//
// The bucket deny tests write acme-corp's bucket policy themselves, so that they do not depend
// on how the renderer happens to split its statements today.

pub const BUCKET: [&str; 2] = ["${acme-corp-bucket.arn}", "${acme-corp-bucket.arn}/*"];
pub const DATA_ACTIONS: [&str; 7] = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketVersions",
];

pub fn secure_transport() -> Value {
    json!({"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": BUCKET,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
}

pub fn deny(action: Value, condition: Value) -> Value {
    json!({"Effect": "Deny", "Principal": "*", "Action": action, "Resource": BUCKET, "Condition": condition})
}

/// One statement: everyone but acme-corp's principals and the deployer.
pub fn deny_outside_tenant() -> Value {
    deny(
        json!("s3:*"),
        json!({"StringNotEquals": {"aws:PrincipalTag/tenant_id": "acme-corp"}, "ArnNotEquals": {"aws:PrincipalArn": "${deployer}"}}),
    )
}

/// Principals tagged with another tenant (untagged ones are not matched: Null = false).
pub fn deny_other_tagged() -> Value {
    deny(
        json!("s3:*"),
        json!({"StringNotEquals": {"aws:PrincipalTag/tenant_id": "acme-corp"}, "Null": {"aws:PrincipalTag/tenant_id": "false"}}),
    )
}

/// Untagged principals but the deployer, object data only.
pub fn deny_untagged() -> Value {
    deny(
        json!(DATA_ACTIONS),
        json!({"Null": {"aws:PrincipalTag/tenant_id": "true"}, "ArnNotEquals": {"aws:PrincipalArn": "${deployer}"}}),
    )
}

pub fn with_bucket_policy(statements_: Vec<Value>) -> Project {
    let mut p = ecs();
    *statements(&mut p, "acme-corp-bucket-policy") = statements_;
    p
}
