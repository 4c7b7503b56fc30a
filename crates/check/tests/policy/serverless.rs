//! Serverless (`TAP-DDB-*`, `TAP-APIG-*`) and isolation on the synthetic serverless project.

use serde_json::json;

use crate::support::*;

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
