//! Pulumi YAML structure and references: each mistake is caught with the exact rule,
//! resource and path, and valid spellings are not flagged.

mod common;
#[path = "structure/references.rs"]
mod references;

use std::path::Path;

use check::Project;
use common::*;
use serde_json::json;

#[test]
fn unknown_resource_option() {
    let found = added(|p| {
        resource(p, "nat-gateway-az1")["options"]["dependOn"] = json!(["${internet-gateway}"]);
    });
    assert_one(
        found,
        "structure",
        "nat-gateway-az1",
        "options.dependOn",
        "unknown resource option dependOn (did you mean dependsOn?)",
    );
}

#[test]
fn every_documented_option_is_accepted() {
    let found = added(|p| {
        resource(p, "vpc").insert(
            "options".into(),
            json!({
                "dependsOn": ["${internet-gateway}"], "parent": "${aws-provider}", "protect": true,
                "provider": "${aws-provider}", "providers": {"aws": "${aws-provider}"},
                "version": "7.51.1", "pluginDownloadURL": "https://example.com", "ignoreChanges": ["tags"],
                "replaceOnChanges": ["cidrBlock"], "deleteBeforeReplace": false, "retainOnDelete": false,
                "import": "vpc-123", "customTimeouts": {"create": "5m", "delete": "10m"},
                "aliases": ["urn:pulumi:dev::p::aws:ec2/vpc:Vpc::old"], "additionalSecretOutputs": ["arn"],
                "deletedWith": "${aws-provider}", "hideDiffs": ["tags"], "replacementTrigger": "v1",
                "replaceWith": ["${internet-gateway}"]
            }),
        );
    });
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn option_value_shapes() {
    let found = added(|p| {
        resource(p, "vpc").insert(
            "options".into(),
            json!({"protect": "yes", "ignoreChanges": "tags"}),
        );
    });
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.rule.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("structure", "options.ignoreChanges"),
            ("structure", "options.protect")
        ],
        "{}",
        show(&found)
    );
}

#[test]
fn unknown_top_level_key() {
    let found = added(|p| {
        p.program["resource"] = json!({});
    });
    assert_one(
        found,
        "structure",
        "project",
        "resource",
        "unknown top-level key resource in Main.yaml (did you mean resources?)",
    );
}

#[test]
fn config_entry_without_type() {
    let found = added(|p| {
        p.project_file["config"]["owner"]
            .as_object_mut()
            .unwrap()
            .remove("type");
    });
    assert_one(
        found,
        "structure",
        "config",
        "config.owner.type",
        "missing type",
    );
}

#[test]
fn config_entry_rules() {
    let found = added(|p| {
        p.project_file["config"]["tenants"] = json!({"type": "array", "default": []});
        p.project_file["config"]["size"] = json!({"type": "integer", "default": "big"});
        p.project_file["config"]["kind"] = json!({"type": "object"});
        p.project_file["config"]["aws:region"] = json!({"type": "string", "default": "us-east-1"});
        p.project_file["config"]["owner"]["secrett"] = json!(true);
    });
    let got: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        got,
        [
            "config.aws:region.default",
            "config.aws:region.type",
            "config.aws:region.value",
            "config.kind.type",
            "config.owner.secrett",
            "config.size.default",
            "config.tenants.items",
        ],
        "{}",
        show(&found)
    );
    assert!(found
        .iter()
        .all(|f| f.rule == "structure" && f.resource == "config"));
    let found = added(|p| {
        p.project_file["config"]["aws:region"] = json!({"value": "us-east-1"});
        p.project_file["config"]["tenants"] =
            json!({"type": "array", "items": {"type": "string"}, "default": ["a"]});
    });
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn config_declared_in_both_files() {
    let found = added(|p| {
        p.program["config"] = json!({"owner": {"type": "string"}});
    });
    assert_one(
        found,
        "structure",
        "config",
        "config.owner",
        "declared in both Pulumi.yaml and Main.yaml",
    );
}

#[test]
fn resource_fields() {
    let found = added(|p| {
        let vpc = resource(p, "vpc");
        let properties = vpc.remove("properties").unwrap();
        vpc.insert("propertis".into(), properties);
    });
    assert_one(
        found,
        "structure",
        "vpc",
        "propertis",
        "unknown resource field propertis (did you mean properties?)",
    );
    let found = added(|p| {
        resource(p, "vpc").remove("type");
    });
    assert_one(found, "structure", "vpc", "type", "missing type");
    let found = added(|p| {
        resource(p, "vpc").insert("defaultProvider".into(), json!(true));
    });
    assert_one(
        found,
        "structure",
        "vpc",
        "defaultProvider",
        "only a pulumi:providers:* resource",
    );
}

#[test]
fn logical_names_and_one_namespace() {
    let found = added(|p| {
        let resources = p.program["resources"].as_object_mut().unwrap();
        let vpc = resources["vpc"].clone();
        resources.insert("my.vpc".into(), vpc.clone());
        resources.insert("pulumi".into(), vpc);
        p.program["variables"]["owner"] = json!("x");
    });
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.resource.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(found.len(), 3, "{}", show(&found));
    assert!(
        got.contains(&(
            "my.vpc",
            "resource name \"my.vpc\" must match [A-Za-z0-9_-]+"
        )),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(r, m)| *r == "pulumi" && m.contains("reserved")),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(r, m)| *r == "project"
            && m.contains("owner is declared as both config key and variable")),
        "{got:?}"
    );
}

#[test]
fn project_file_rules() {
    let found = added(|p| {
        let file = p.project_file.as_object_mut().unwrap();
        file.remove("name");
        file.insert("runtime".into(), json!("nodejs"));
        file.insert("resources".into(), json!({}));
        file.insert("tempalte".into(), json!({}));
    });
    let got: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        got,
        ["name", "resources", "runtime", "tempalte"],
        "{}",
        show(&found)
    );
    assert!(found[1]
        .message
        .contains("ignored because Main.yaml is the program"));
    assert!(found[3].message.contains("did you mean template?"));
    let found = added(|p| {
        p.project_file["runtime"] =
            json!({"name": "yaml", "options": {"compiler": "tapgen render"}});
    });
    assert!(found.is_empty(), "{}", show(&found));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn yaml_anchors_and_aliases_in_the_raw_file() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&examples_dir().join("ecs-fargate"), tmp.path());
    let main = tmp.path().join("Main.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    let text = text
        .replacen("      tags:\n        Name: vpc-dev", "      tags: &vpc-tags\n        Name: vpc-dev", 1)
        .replacen("    properties:\n      vpcId: ${vpc.id}\n      tags:\n        Name: igw-dev\n        cost_center: platform\n        environment: dev",
                  "    properties:\n      vpcId: ${vpc.id}\n      tags: *vpc-tags", 1);
    std::fs::write(&main, &text).unwrap();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let project = Project::load(tmp.path()).unwrap();
    let found: Vec<_> = findings(&project)
        .into_iter()
        .filter(|f| f.path.starts_with("Main.yaml:"))
        .collect();
    let got: Vec<(String, bool)> = found
        .iter()
        .map(|f| (f.path.clone(), f.message.starts_with("YAML alias")))
        .collect();
    assert_eq!(
        got,
        [
            (format!("Main.yaml:{}", line("&vpc-tags")), false),
            (format!("Main.yaml:{}", line("*vpc-tags")), true)
        ],
        "{}",
        show(&found)
    );
    assert!(found
        .iter()
        .all(|f| f.rule == "structure" && f.resource == "project"));
}

#[test]
fn pulumi_yaml_alone_is_the_program() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "name: solo\nruntime: yaml\nresources:\n  pw:\n    type: random:RandomPassword\n    properties:\n      length: 16\noutputs:\n  password: ${pw.result}\n";
    std::fs::write(tmp.path().join("Pulumi.yaml"), text).unwrap();
    let found = findings(&Project::load(tmp.path()).unwrap());
    assert!(found.is_empty(), "{}", show(&found));
    // With a Main.yaml next to it, the same resources in Pulumi.yaml would be ignored.
    std::fs::write(tmp.path().join("Main.yaml"), "outputs:\n  x: 1\n").unwrap();
    let found = findings(&Project::load(tmp.path()).unwrap());
    let got: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(got, ["outputs", "resources"], "{}", show(&found));
}
