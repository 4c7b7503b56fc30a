//! References: every `${...}` parses and names a declared config key, variable, resource or
//! `pulumi` built-in; resource options name resources themselves.

use check::Project;
use serde_json::json;

use crate::common::*;

fn set_string(p: &mut Project, res: &str, key: &str, value: &str) {
    props(p, res).insert(key.into(), json!(value));
}

#[test]
fn reference_to_nothing() {
    let found = added(|p| set_string(p, "internet-gateway", "vpcId", "${ghost.id}"));
    assert_one(
        found,
        "reference",
        "internet-gateway",
        "properties.vpcId",
        "ghost is not a declared config key, variable or resource",
    );
}

#[test]
fn interpolating_after_a_resource_is_refused_but_a_join_is_not() {
    let found = added(|p| set_string(p, "internet-gateway", "vpcId", "${vpc.id}/${vpc.arn}"));
    assert_one(
        found,
        "reference",
        "internet-gateway",
        "properties.vpcId",
        "interpolates more after ${vpc...}, which can crash pulumi-yaml",
    );
    let found = added(|p| {
        props(p, "internet-gateway").insert(
            "vpcId".into(),
            json!({"fn::join": ["", ["${vpc.id}", "/", "${vpc.arn}"]]}),
        );
    });
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn malformed_reference() {
    let found = added(|p| set_string(p, "internet-gateway", "vpcId", "${vpc.}"));
    assert_one(
        found,
        "reference",
        "internet-gateway",
        "properties.vpcId",
        "malformed reference",
    );
}

#[test]
fn references_everywhere_are_checked() {
    let found = added(|p| {
        p.program["outputs"]["x"] = json!({"nested": ["${ghost}"]});
        p.program["variables"]["y"] = json!({"fn::join": ["", ["${ghost2.a}"]]});
        resource(p, "vpc").insert("options".into(), json!({"ignoreChanges": ["${ghost3}"]}));
    });
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.resource.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("outputs", "outputs.x.nested[0]"),
            ("variables", "variables.y.fn::join[1][0]"),
            ("vpc", "options.ignoreChanges[0]"),
        ],
        "{}",
        show(&found)
    );
    assert!(found.iter().all(|f| f.rule == "reference"));
}

#[test]
fn builtins_config_and_variables_resolve() {
    let found = added(|p| {
        let tags = props(p, "vpc")["tags"].as_object_mut().unwrap();
        tags.insert(
            "a".into(),
            json!("${pulumi.stack}-${pulumi.project}-${pulumi.organization}"),
        );
        tags.insert("b".into(), json!("${aws:region}"));
        tags.insert("c".into(), json!("${saas-platform:owner} ${owner}"));
        tags.insert("d".into(), json!("${availabilityZones[0]}"));
        tags.insert("e".into(), json!(r#"${vpc["tags"]["Name"]} costs $$5"#));
    });
    assert!(found.is_empty(), "{}", show(&found));
    let found = added(|p| {
        let tags = props(p, "vpc")["tags"].as_object_mut().unwrap();
        tags.insert("a".into(), json!("${pulumi.stak}"));
        tags.insert("b".into(), json!("${saas-platform:ghost}"));
    });
    let got: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        got,
        ["properties.tags.a", "properties.tags.b"],
        "{}",
        show(&found)
    );
}

#[test]
fn depends_on_must_name_resources() {
    let found = added(|p| {
        resource(p, "nat-gateway-az1")["options"]["dependsOn"] =
            json!(["${internet-gateway.id}", "${owner}"]);
    });
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.rule.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("reference", "options.dependsOn[0]"),
            ("reference", "options.dependsOn[1]")
        ],
        "{}",
        show(&found)
    );
    assert!(found[0]
        .message
        .contains("name the resource itself: ${internet-gateway}"));
}
