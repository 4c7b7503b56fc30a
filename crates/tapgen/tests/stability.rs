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

const ENTERPRISE: &str = r#"
[platform]
system = "enterprise"
project = "tap-enterprise"
environment = "prod"
region = "us-east-1"
vpc_cidr = "10.18.0.0/16"
base_domain = "tapsaas.example.com"
tags = { cost_center = "platform" }
"#;

/// `(id, tier)` pairs rendered as System B tenants.
fn render_enterprise(dir: &std::path::Path, tenants: &[(&str, &str)]) {
    let body: String = tenants
        .iter()
        .map(|(id, tier)| format!("\n[[tenants]]\nid = \"{id}\"\ntier = \"{tier}\"\n"))
        .collect();
    let config = dir.join("tenants.toml");
    std::fs::write(&config, format!("{ENTERPRISE}{body}")).unwrap();
    render_ok(&config, &dir.join("infra"));
}

fn tenant_named(name: &str, ids: &[&str]) -> bool {
    ids.iter().any(|id| name.starts_with(&format!("{id}-")))
}

#[test]
fn enterprise_tenants_come_and_go_without_moving_anyone() {
    let work = tempfile::tempdir().unwrap();
    let infra = work.path().join("infra");
    render_enterprise(
        work.path(),
        &[
            ("acme", "premium"),
            ("globex", "standard"),
            ("initech", "standard"),
        ],
    );
    let before = resources(&infra);
    // Reordered, with a standard and a premium newcomer in between.
    render_enterprise(
        work.path(),
        &[
            ("initech", "standard"),
            ("hooli", "standard"),
            ("acme", "premium"),
            ("stark", "premium"),
            ("globex", "standard"),
        ],
    );
    let after = resources(&infra);
    for (name, resource) in &before {
        // The pooled access role refuses premium ids by name: a premium newcomer is the one
        // change a shared resource sees (docs/design.md, System B IAM).
        if name == "tenant-access-role" {
            continue;
        }
        assert_eq!(
            after.get(name),
            Some(resource),
            "{name} changed or vanished"
        );
    }
    let trust = after["tenant-access-role"]["properties"]["assumeRolePolicy"].to_string();
    assert!(trust.contains("stark"), "the new premium id is refused");
    let added: Vec<&String> = after.keys().filter(|n| !before.contains_key(*n)).collect();
    assert!(
        added.iter().all(|n| tenant_named(n, &["hooli", "stark"])),
        "{added:?}"
    );
    // Priorities follow slots (1-3 kept, newcomers 4 and 5), not file position.
    let priority = |r: &serde_json::Map<String, serde_json::Value>, id: &str| {
        r[&format!("{id}-listener-rule")]["properties"]["priority"].clone()
    };
    assert_eq!(priority(&after, "acme"), 10);
    assert_eq!(priority(&after, "initech"), 30);
    assert_eq!(priority(&after, "hooli"), 40);
    assert_eq!(priority(&after, "stark"), 50);

    // Removing a tenant removes only what is named after it.
    render_enterprise(
        work.path(),
        &[
            ("initech", "standard"),
            ("hooli", "standard"),
            ("acme", "premium"),
            ("stark", "premium"),
        ],
    );
    let removed = resources(&infra);
    for (name, resource) in &after {
        if tenant_named(name, &["globex"]) {
            assert!(!removed.contains_key(name), "{name} should be gone");
        } else {
            assert_eq!(removed.get(name), Some(resource), "{name} changed");
        }
    }
}

#[test]
fn a_standard_tenant_keeps_its_recorded_shared_cache_group() {
    let work = tempfile::tempdir().unwrap();
    let infra = work.path().join("infra");
    let tenants = [
        ("acme", "premium"),
        ("globex", "standard"),
        ("initech", "standard"),
    ];
    render_enterprise(work.path(), &tenants);
    // As if initech had joined when group 0 was full: the lock records group 1.
    let lock_path = infra.join("tapgen.lock");
    let mut lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lock_path).unwrap()).unwrap();
    lock["cache_groups"]["initech"] = serde_json::json!(1);
    std::fs::write(&lock_path, serde_json::to_string_pretty(&lock).unwrap()).unwrap();

    render_enterprise(
        work.path(),
        &[tenants[2], tenants[0], tenants[1], ("hooli", "standard")],
    );
    let after = resources(&infra);
    let group_of =
        |id: &str| after[&format!("{id}-cache-membership")]["properties"]["userGroupId"].clone();
    assert_eq!(group_of("initech"), "${cache-pool1-users.userGroupId}");
    assert_eq!(group_of("globex"), "${cache-pool0-users.userGroupId}");
    assert_eq!(group_of("hooli"), "${cache-pool0-users.userGroupId}");
    assert!(after.contains_key("cache-pool1"));
    // The premium tenant has its own group and no membership in a shared one.
    assert!(after.contains_key("acme-cache") && !after.contains_key("acme-cache-membership"));
}
