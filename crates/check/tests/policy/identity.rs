//! Tenant identity (`TAP-COG-2/3`, `TAP-IAM-5`, `TAP-ISO-9`, and `TAP-ISO-1` on tag-scoped
//! grants), on the identity fixture: crates/identity's pooled tenant-access role, premium
//! roles and user pools, with the data resources they scope.

use serde_json::{json, Value};

use crate::support::*;

const ROLE: &str = "tenant-access-role";
const POLICY: &str = "tenant-access-role-policy";

fn identity() -> check::Project {
    fixture("identity")
}

fn trust_condition(p: &mut check::Project) -> &mut Value {
    &mut props(p, ROLE)["assumeRolePolicy"]["fn::toJSON"]["Statement"][0]["Condition"]
}

fn remove(v: &mut Value, key: &str) {
    assert!(
        v.as_object_mut().unwrap().shift_remove(key).is_some(),
        "no {key}"
    );
}

#[test]
fn iam5_trust_without_each_session_tag_condition() {
    for edit in [
        |c: &mut Value| remove(&mut c["Null"], "aws:RequestTag/tenant_id"),
        |c: &mut Value| remove(c, "ForAllValues:StringEquals"),
        |c: &mut Value| {
            c["ForAllValues:StringEquals"]["aws:TagKeys"] = json!(["tenant_id", "role"])
        },
        |c: &mut Value| remove(&mut c["Null"], "sts:TransitiveTagKeys"),
        |c: &mut Value| remove(c, "Null"),
    ] {
        let mut p = identity();
        edit(trust_condition(&mut p));
        expect_exactly(&p, &[("TAP-IAM-5", ROLE)]);
    }
    // Without the condition block at all.
    let mut p = identity();
    remove(
        &mut props(&mut p, ROLE)["assumeRolePolicy"]["fn::toJSON"]["Statement"][0],
        "Condition",
    );
    expect_exactly(&p, &[("TAP-IAM-5", ROLE)]);
}

#[test]
fn iam5_applies_to_any_role_whose_trust_allows_tag_session() {
    let mut p = identity();
    props(&mut p, "acme-access-role")["assumeRolePolicy"]["fn::toJSON"]["Statement"][0]["Action"] =
        json!(["sts:AssumeRole", "sts:TagSession"]);
    let found = pairs(&p);
    assert!(
        found.contains(&("TAP-IAM-5".into(), "acme-access-role".into())),
        "{found:?}"
    );
}

#[test]
fn iso9_tenant_access_grant_without_the_principal_tag() {
    // In an ARN.
    let mut p = identity();
    let objects = &mut statements(&mut p, POLICY)[2];
    assert_eq!(objects["Sid"], "OwnObjects");
    objects["Resource"] = json!(["arn:aws:s3:::tap-enterprise-*-data-prod/*"]);
    expect_exactly(&p, &[("TAP-ISO-9", POLICY)]);
    // In a condition.
    let mut p = identity();
    let keys = &mut statements(&mut p, POLICY)[1];
    assert_eq!(keys["Sid"], "OwnKeyThroughItsServices");
    remove(
        &mut keys["Condition"]["StringEquals"],
        "aws:ResourceTag/tenant_id",
    );
    expect_exactly(&p, &[("TAP-ISO-9", POLICY)]);
    // A new statement naming every tenant's log groups.
    let mut p = identity();
    statements(&mut p, POLICY).push(json!({"Effect": "Allow", "Action": ["logs:GetLogEvents"],
        "Resource": ["arn:aws:logs:us-east-1:${accountId}:log-group:/tap-enterprise/prod/tenants/*"]}));
    expect_exactly(&p, &[("TAP-ISO-9", POLICY)]);
}

#[test]
fn iso1_a_premium_grant_by_tag_is_only_scoped_while_the_tag_condition_stays() {
    let mut p = identity();
    let secrets = &mut statements(&mut p, "acme-access-role-policy")[5];
    assert_eq!(secrets["Sid"], "OwnSecretsByTag");
    remove(&mut secrets["Condition"], "StringEquals");
    let found = pairs(&p);
    assert!(
        found.contains(&("TAP-ISO-1".into(), "acme-access-role-policy".into()))
            && found.contains(&("TAP-ISO-4".into(), "globex-app-secret".into())),
        "{found:?}"
    );
    // Scoped to another tenant's tag instead: still foreign.
    let mut p = identity();
    statements(&mut p, "acme-access-role-policy")[5]["Condition"]["StringEquals"]
        ["aws:ResourceTag/tenant_id"] = json!("globex");
    assert!(pairs(&p).contains(&("TAP-ISO-1".into(), "acme-access-role-policy".into())));
}

#[test]
fn cog2_client_that_can_write_tenant_id() {
    let mut p = identity();
    props(&mut p, "globex-user-pool-client")["writeAttributes"] =
        json!(["email", "custom:tenant_id"]);
    expect_exactly(&p, &[("TAP-COG-2", "globex-user-pool-client")]);
    let mut p = identity();
    remove(props(&mut p, "globex-user-pool-client"), "writeAttributes");
    expect_exactly(&p, &[("TAP-COG-2", "globex-user-pool-client")]);
}

#[test]
fn cog3_mutable_tenant_id() {
    let mut p = identity();
    props(&mut p, "globex-user-pool")["schemas"][0]["mutable"] = json!(true);
    expect_exactly(&p, &[("TAP-COG-3", "globex-user-pool")]);
    let mut p = identity();
    remove(
        &mut props(&mut p, "globex-user-pool")["schemas"][0],
        "mutable",
    );
    expect_exactly(&p, &[("TAP-COG-3", "globex-user-pool")]);
}
