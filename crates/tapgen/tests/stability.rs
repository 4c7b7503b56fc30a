//! Adding, removing or reordering tenants never changes another tenant's resources.

mod common;

use common::{resources, tapgen};

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

fn render(dir: &std::path::Path, ids: &[&str]) {
    let config = dir.join("tenants.toml");
    std::fs::write(&config, config_text(ids)).unwrap();
    tapgen()
        .arg("render")
        .arg(&config)
        .arg("-o")
        .arg(dir.join("infra"))
        .assert()
        .success();
}

#[test]
fn inserting_and_reordering_tenants_changes_no_existing_resource() {
    let work = tempfile::tempdir().unwrap();
    render(work.path(), &["acme-corp", "globex-inc", "initech-llc"]);
    let before = resources(&work.path().join("infra"));
    render(
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
    render(work.path(), &["acme-corp", "globex-inc", "initech-llc"]);
    let before = resources(&work.path().join("infra"));
    render(work.path(), &["acme-corp", "initech-llc", "hooli"]);
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
