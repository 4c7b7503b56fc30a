//! `tapgen plan`: stacks, resource counts and the quota ledger, writing nothing.

mod common;

use std::path::Path;

use common::{repo, snapshot, tapgen};
use serde_json::Value;

/// The serverless example with `count` tenants, written into `dir`.
fn serverless_with(dir: &Path, count: usize) -> std::path::PathBuf {
    let base = std::fs::read_to_string(repo().join("examples/serverless.toml")).unwrap();
    let platform = &base[..base.find("[[tenants]]").unwrap()];
    let mut text = platform.replace(
        "jwks = \"keys/jwks.json\"",
        &format!(
            "jwks = {:?}",
            repo().join("examples/keys/jwks.json").display().to_string()
        ),
    );
    for n in 1..=count {
        text.push_str(&format!(
            "[[tenants]]\nid = \"t{n:03}\"\ntier = \"standard\"\n\n"
        ));
    }
    let path = dir.join("tenants.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn plan_json(config: &Path) -> (i32, Value) {
    let output = tapgen()
        .args(["plan", "--format", "json"])
        .arg(config)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap(), json)
}

fn line<'a>(plan: &'a Value, quota: &str) -> &'a Value {
    plan["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["quota"].as_str().unwrap().starts_with(quota))
        .unwrap_or_else(|| panic!("no ledger line for {quota}"))
}

#[test]
fn the_system_a_example_fits_every_default_and_counts_per_tenant() {
    let (code, plan) = plan_json(&repo().join("examples/ecs-fargate.toml"));
    assert_eq!(code, 0);
    let rules = line(&plan, "Rules per load balancer");
    assert_eq!(rules["used"], 3, "one host rule per tenant");
    assert_eq!(rules["limit"], 100);
    assert_eq!(rules["code"], "L-7EED9B64");
    assert_eq!(rules["headroom"], 97);
    assert_eq!(
        line(&plan, "Target groups per load balancer")["adjustable"],
        false
    );
    let stack = &plan["stacks"][0];
    let standard = stack["tiers"]["standard"].as_object().unwrap();
    assert_eq!(standard.len(), 3);
    let tenant_resources: u64 = standard.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(
        tenant_resources + stack["shared_resources"].as_u64().unwrap(),
        stack["resources"].as_u64().unwrap()
    );
    assert_eq!(plan["advice"], Value::Array(vec![]));
}

#[test]
fn an_adjustable_default_exceeded_exits_1_with_its_quota_code() {
    let dir = tempfile::tempdir().unwrap();
    // 3 API resources per tenant + /tenants + the root: 100 tenants need 302 of 300.
    let config = serverless_with(dir.path(), 100);
    let (code, plan) = plan_json(&config);
    assert_eq!(code, 1, "{plan}");
    let resources = line(&plan, "Resources per REST API");
    assert_eq!(resources["used"], 302);
    assert_eq!(resources["status"], "raise-needed");
    assert_eq!(resources["code"], "L-01C8A9E0");
    assert!(plan["advice"][0].as_str().unwrap().contains("100 tenants"));
    let text = tapgen().arg("plan").arg(&config).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("REQUEST AN INCREASE"), "{text}");
}

#[test]
fn plan_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = serverless_with(dir.path(), 3);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let before = snapshot(dir.path());
    let status = tapgen()
        .arg("plan")
        .arg(&config)
        .arg("--dir")
        .arg(&out)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    assert_eq!(snapshot(dir.path()), before);
}
