//! Adding, removing or reordering tenants never changes another tenant's resources.

mod common;

use common::{render_ok, resources};

const PLATFORM: &str = r#"
[platform]
system = "ecs-fargate"
project = "saas-platform"
environment = "dev"
region = "us-east-1"
vpc_cidr = "10.0.0.0/16"
base_domain = "example.com"
tags = { cost_center = "platform" }
"#;

fn config_text(ids: &[&str]) -> String {
    let tenants: String = ids
        .iter()
        .map(|id| format!("\n[[tenants]]\nid = \"{id}\"\ntier = \"standard\"\n"))
        .collect();
    format!("{PLATFORM}{tenants}")
}

fn render_tenants(dir: &std::path::Path, ids: &[&str]) {
    let config = dir.join("tenants.toml");
    std::fs::write(&config, config_text(ids)).unwrap();
    render_ok(&config, &dir.join("infra"));
}

#[test]
fn inserting_and_reordering_tenants_changes_no_existing_resource() {
    let work = tempfile::tempdir().unwrap();
    render_tenants(work.path(), &["acme-corp", "globex-inc", "initech-llc"]);
    let before = resources(&work.path().join("infra"));
    render_tenants(
        work.path(),
        &["initech-llc", "hooli", "acme-corp", "globex-inc"],
    );
    let after = resources(&work.path().join("infra"));

    for (name, resource) in &before {
        assert_eq!(
            after.get(name),
            Some(resource),
            "resource {name} changed or vanished"
        );
    }
    let added: Vec<&String> = after
        .keys()
        .filter(|name| !before.contains_key(*name))
        .collect();
    assert!(!added.is_empty());
    assert!(
        added.iter().all(|name| name.starts_with("hooli-")),
        "unexpected new resources: {added:?}"
    );
}

#[test]
fn removing_a_tenant_removes_only_its_resources_and_keeps_its_slot_reserved() {
    let work = tempfile::tempdir().unwrap();
    render_tenants(work.path(), &["acme-corp", "globex-inc", "initech-llc"]);
    let before = resources(&work.path().join("infra"));
    render_tenants(work.path(), &["acme-corp", "initech-llc", "hooli"]);
    let after = resources(&work.path().join("infra"));
    for (name, resource) in &before {
        if name.starts_with("globex-inc-") {
            assert!(!after.contains_key(name), "{name} should be gone");
        } else {
            assert_eq!(after.get(name), Some(resource), "resource {name} changed");
        }
    }
    // globex-inc held slot 2 (priority 20); in the same change hooli must not reuse it,
    // or Pulumi would create hooli's rule while globex-inc's still holds the priority.
    let priority = &after["hooli-listener-rule"]["properties"]["priority"];
    assert_eq!(priority, 40);
}

const SERVERLESS: &str = r#"
[platform]
system = "serverless"
project = "saas"
environment = "prod"
region = "us-east-1"
vpc_cidr = "10.0.0.0/20"
az_count = 2
base_domain = "example.com"
tags = { cost_center = "platform" }
[platform.auth]
issuer = "https://auth.example.com/"
audience = "tenant-api"
jwks = "JWKS_PATH"
"#;

fn render_serverless(dir: &std::path::Path, ids: &[&str]) -> std::process::Output {
    let jwks = common::repo().join("examples/keys/jwks.json");
    let platform = SERVERLESS.replace("JWKS_PATH", &jwks.display().to_string());
    let tenants: String = ids
        .iter()
        .map(|id| format!("\n[[tenants]]\nid = \"{id}\"\ntier = \"standard\"\n"))
        .collect();
    let config = dir.join("tenants.toml");
    std::fs::write(&config, format!("{platform}{tenants}")).unwrap();
    common::render(&config, &dir.join("infra"), &[])
}

fn subnet_cidrs(dir: &std::path::Path) -> Vec<(String, serde_json::Value)> {
    resources(&dir.join("infra"))
        .into_iter()
        .filter(|(_, r)| r["type"] == "aws:ec2:Subnet")
        .map(|(name, r)| (name, r["properties"]["cidrBlock"].clone()))
        .collect()
}

#[test]
fn tenant_subnets_never_move_when_others_come_and_go() {
    let work = tempfile::tempdir().unwrap();
    assert!(
        render_serverless(work.path(), &["tenant-001", "tenant-002", "tenant-003"])
            .status
            .success()
    );
    let before = resources(&work.path().join("infra"));
    let cidrs_before = subnet_cidrs(work.path());
    assert!(
        render_serverless(work.path(), &["tenant-003", "tenant-009", "tenant-001"])
            .status
            .success()
    );
    let after = resources(&work.path().join("infra"));
    for (name, cidr) in cidrs_before {
        if name.starts_with("tenant-002-") {
            assert!(!after.contains_key(&name));
        } else {
            assert_eq!(
                after[&name]["properties"]["cidrBlock"], cidr,
                "{name} moved"
            );
        }
    }
    for (name, resource) in &before {
        let shared_api = name.starts_with("api-deployment");
        if !name.starts_with("tenant-002-") && !shared_api {
            assert_eq!(after.get(name), Some(resource), "resource {name} changed");
        }
    }
    // tenant-009 takes a fresh slot (4), not tenant-002's just-freed slot 2.
    assert_eq!(
        after["tenant-009-subnet-az1"]["properties"]["cidrBlock"],
        "10.0.8.0/24"
    );
}

#[test]
fn a_vpc_that_cannot_hold_another_tenant_is_rejected_with_its_capacity() {
    let work = tempfile::tempdir().unwrap();
    // A /20 has sixteen /24s: two per tenant over two zones, less the shared pair = 7.
    let ids: Vec<String> = (1..=8).map(|n| format!("tenant-{n:03}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let output = render_serverless(work.path(), &ids);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no room for tenant tenant-008"), "{stderr}");
    assert!(stderr.contains("10.0.0.0/20 holds 7 tenants"), "{stderr}");
    assert!(
        !work.path().join("infra").exists(),
        "nothing may be written"
    );
    assert!(render_serverless(work.path(), &ids[..7]).status.success());
}

/// What the real Pulumi YAML engine registered for the rendered project (scripts/pulumi-engine-check
/// --trace), by "type::name". Go is required: CI (.ci/run) guarantees it, so a missing Go fails.
fn engine_registrations(
    dir: &std::path::Path,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    let trace = dir.join("trace.json");
    let output = std::process::Command::new(common::repo().join("scripts/pulumi-engine-check"))
        .arg("--trace")
        .arg(&trace)
        .arg(dir.join("infra"))
        .output()
        .expect("run scripts/pulumi-engine-check (needs bash and Go)");
    assert!(
        output.status.success(),
        "the engine check failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let trace: serde_json::Value = serde_json::from_slice(&std::fs::read(trace).unwrap()).unwrap();
    let mut registrations = std::collections::BTreeMap::new();
    for project in trace["projects"].as_array().unwrap() {
        for reg in project["resources"].as_array().unwrap() {
            let key = format!(
                "{}::{}",
                reg["type"].as_str().unwrap(),
                reg["name"].as_str().unwrap()
            );
            assert!(
                registrations.insert(key.clone(), reg.clone()).is_none(),
                "{key} registered twice"
            );
        }
    }
    registrations
}

/// Every registration of `before` is in `after`, identical, unless its tenant is `gone`;
/// every registration `after` adds belongs to `added`.
fn assert_only_tenants_change(
    before: &std::collections::BTreeMap<String, serde_json::Value>,
    after: &std::collections::BTreeMap<String, serde_json::Value>,
    gone: Option<&str>,
    added: &str,
) {
    let owned = |key: &str, tenant: &str| {
        key.rsplit("::")
            .next()
            .unwrap()
            .starts_with(&format!("{tenant}-"))
    };
    for (key, reg) in before {
        if gone.is_some_and(|tenant| owned(key, tenant)) {
            assert!(!after.contains_key(key), "{key} should be gone");
        } else {
            assert_eq!(
                after.get(key),
                Some(reg),
                "the engine registers {key} differently"
            );
        }
    }
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(!new.is_empty());
    assert!(
        new.iter().all(|k| owned(k, added)),
        "unexpected new registrations: {new:?}"
    );
}

#[test]
fn the_engine_registers_only_the_changed_tenants_resources_differently() {
    let work = tempfile::tempdir().unwrap();
    render_tenants(work.path(), &["acme-corp", "globex-inc", "initech-llc"]);
    let before = engine_registrations(work.path());
    render_tenants(
        work.path(),
        &["initech-llc", "hooli", "acme-corp", "globex-inc"],
    );
    let reordered = engine_registrations(work.path());
    assert_only_tenants_change(&before, &reordered, None, "hooli");

    let work = tempfile::tempdir().unwrap();
    render_tenants(work.path(), &["acme-corp", "globex-inc", "initech-llc"]);
    let before = engine_registrations(work.path());
    render_tenants(work.path(), &["acme-corp", "initech-llc", "hooli"]);
    let removed = engine_registrations(work.path());
    assert_only_tenants_change(&before, &removed, Some("globex-inc"), "hooli");
}
