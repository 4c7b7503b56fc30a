//! Compute (`TAP-EC2-3/4`, `TAP-LAMBDA-*`, `TAP-LOG-*`): instances, functions and their logs.

use serde_json::json;

use crate::support::*;

#[test]
fn ec2_3_imds_v2() {
    let mut p = fixture("enterprise");
    props(&mut p, "app-template")["metadataOptions"]["httpTokens"] = json!("optional");
    expect_exactly(&p, &[("TAP-EC2-3", "app-template")]);
    props(&mut p, "app-template")
        .as_object_mut()
        .unwrap()
        .shift_remove("metadataOptions");
    // Without metadata options the hop limit is the image's too (TAP-EC2-6).
    expect_exactly(
        &p,
        &[("TAP-EC2-3", "app-template"), ("TAP-EC2-6", "app-template")],
    );
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
