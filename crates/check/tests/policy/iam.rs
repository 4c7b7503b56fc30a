//! IAM best practice (`TAP-IAM-*`): wildcard actions, `*` resources, open trust and resource
//! policies, AWS managed policies.

use serde_json::json;

use crate::support::*;

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
