//! Schema conformance: the rendered examples conform, and each kind of mistake is caught
//! with the exact rule, resource and path.

#[path = "conformance/calls.rs"]
mod calls;
mod common;
#[path = "conformance/outputs.rs"]
mod outputs;

use check::Project;
use common::*;
use serde_json::json;

#[test]
fn rendered_examples_have_no_schema_structure_or_reference_findings() {
    let dirs = example_dirs();
    assert!(
        !dirs.is_empty(),
        "no rendered example found under examples/"
    );
    let mut problems = String::new();
    for dir in dirs {
        let found = findings(&Project::load(&dir).unwrap());
        if !found.is_empty() {
            problems += &format!("{}:\n{}", dir.display(), show(&found));
        }
    }
    assert!(
        problems.is_empty(),
        "rendered examples must be clean:\n{problems}"
    );
}

#[test]
fn renamed_property_is_unknown_with_a_suggestion() {
    let found = added(|p| {
        let vpc = props(p, "vpc");
        let cidr = vpc.remove("cidrBlock").unwrap();
        vpc.insert("cidrBlok".into(), cidr);
    });
    assert_one(
        found,
        "schema",
        "vpc",
        "properties.cidrBlok",
        "unknown property cidrBlok (did you mean cidrBlock?)",
    );
}

#[test]
fn missing_required_input() {
    let found = added(|p| {
        props(p, "acme-corp-task").remove("family");
    });
    assert_one(
        found,
        "schema",
        "acme-corp-task",
        "properties.family",
        "missing required input family",
    );
}

#[test]
fn unknown_nested_property() {
    let found = added(|p| {
        props(p, "acme-corp-target-group")["healthCheck"]["matchr"] = json!("200");
    });
    assert_one(
        found,
        "schema",
        "acme-corp-target-group",
        "properties.healthCheck.matchr",
        "did you mean matcher?",
    );
}

#[test]
fn string_where_a_bool_is_expected() {
    let found = added(|p| {
        props(p, "vpc")["enableDnsSupport"] = json!("yes");
    });
    assert_one(
        found,
        "schema",
        "vpc",
        "properties.enableDnsSupport",
        "expected a boolean, got the string \"yes\"",
    );
}

#[test]
fn quoted_number_where_a_number_is_expected() {
    let found = added(|p| {
        props(p, "http-listener")["port"] = json!("80");
    });
    assert_one(
        found,
        "schema",
        "http-listener",
        "properties.port",
        "expected an integer, got the string \"80\"",
    );
    // The SDK types the port `int`: a fraction is refused, a whole float is the same number.
    let found = added(|p| {
        props(p, "http-listener")["port"] = json!(80.5);
    });
    assert_one(
        found,
        "schema",
        "http-listener",
        "properties.port",
        "expected an integer, got the number 80.5",
    );
    assert!(added(|p| props(p, "http-listener")["port"] = json!(80.0)).is_empty());
    let found = added(|p| {
        props(p, "acme-corp-db-password")["length"] = json!("32");
    });
    assert_one(
        found,
        "schema",
        "acme-corp-db-password",
        "properties.length",
        "expected an integer",
    );
}

#[test]
fn numbers_and_bools_for_strings_are_stringified_but_objects_are_not() {
    let found = added(|p| {
        props(p, "alb-sg")["description"] = json!(42);
        props(p, "vpc")["tags"]["environment"] = json!(true);
    });
    assert!(
        found.is_empty(),
        "Pulumi stringifies these:\n{}",
        show(&found)
    );
    let found = added(|p| {
        props(p, "alb-sg")["description"] = json!({"text": "x"});
    });
    assert_one(
        found,
        "schema",
        "alb-sg",
        "properties.description",
        "expected a string, got an object",
    );
}

#[test]
fn string_where_a_list_is_expected_and_list_where_an_object_is() {
    let found = added(|p| {
        props(p, "load-balancer")["subnets"] = json!("subnet-1");
    });
    assert_one(
        found,
        "schema",
        "load-balancer",
        "properties.subnets",
        "expected a list of strings",
    );
    let found = added(|p| {
        props(p, "acme-corp-target-group")["healthCheck"] = json!([{"path": "/"}]);
    });
    assert_one(
        found,
        "schema",
        "acme-corp-target-group",
        "properties.healthCheck",
        "expected an object",
    );
}

#[test]
fn unknown_resource_type() {
    let found = added(|p| {
        resource(p, "acme-corp-bucket")["type"] = json!("aws:s3:Buckett");
    });
    assert_one(
        found,
        "schema",
        "acme-corp-bucket",
        "type",
        "unknown resource type aws:s3:Buckett (did you mean aws:s3:Bucket?)",
    );
}

#[test]
fn full_type_tokens_are_accepted_too() {
    let found = added(|p| {
        resource(p, "acme-corp-bucket")["type"] = json!("aws:s3/bucket:Bucket");
        resource(p, "acme-corp-db-password")["type"] =
            json!("random:index/randomPassword:RandomPassword");
    });
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn closed_enum_value() {
    let found = added(|p| {
        props(p, "database-writer")["engine"] = json!("oracle");
    });
    assert_one(
        found,
        "schema",
        "database-writer",
        "properties.engine",
        "invalid value \"oracle\"",
    );
}

#[test]
fn open_enum_takes_any_string() {
    // Lambda runtime is Union[str, Runtime] in the SDK: new runtimes need no SDK release.
    let found = added(|p| {
        props(p, "db-init")["runtime"] = json!("nodejs99.x");
    });
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn deprecated_property() {
    let found = added(|p| {
        props(p, "acme-corp-bucket").insert("versioning".into(), json!({"enabled": true}));
    });
    assert_one(
        found,
        "schema",
        "acme-corp-bucket",
        "properties.versioning",
        "deprecated property versioning",
    );
}

#[test]
fn list_item_object_missing_a_required_field() {
    let found = added(|p| {
        props(p, "acme-corp-listener-rule")["actions"][0]
            .as_object_mut()
            .unwrap()
            .remove("type");
    });
    assert_one(
        found,
        "schema",
        "acme-corp-listener-rule",
        "properties.actions[0].type",
        "missing required input type",
    );
}

#[test]
fn policy_document_given_as_an_object_is_checked_as_one() {
    // `policy` is str | PolicyDocument: a literal document is checked field by field.
    let found = added(|p| {
        props(p, "db-init-role-policy")["policy"] = json!({
            "Version": "2012-10-17",
            "Statment": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
        });
    });
    let paths: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        ["properties.policy.Statement", "properties.policy.Statment"],
        "{}",
        show(&found)
    );
    let found = added(|p| {
        props(p, "db-init-role-policy")["policy"] = json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]
        });
    });
    assert!(found.is_empty(), "{}", show(&found));
    let found = added(|p| {
        props(p, "db-init-role-policy")["policy"] = json!(["not", "a", "policy"]);
    });
    assert_one(
        found,
        "schema",
        "db-init-role-policy",
        "properties.policy",
        "expected a string or an object",
    );
}

#[test]
fn provider_must_pin_the_schema_version() {
    let found = added(|p| {
        resource(p, "aws-provider")["options"]["version"] = json!("7.0.0");
    });
    assert_one(
        found,
        "schema",
        "aws-provider",
        "options.version",
        "provider pinned to 7.0.0",
    );
    let found = added(|p| {
        resource(p, "random-provider").remove("options");
    });
    assert_one(
        found,
        "schema",
        "random-provider",
        "options.version",
        "does not pin",
    );
}

#[test]
fn provider_inputs_are_checked() {
    let found = added(|p| {
        props(p, "aws-provider")["defaultTags"]["tag"] = json!({});
    });
    assert_one(
        found,
        "schema",
        "aws-provider",
        "properties.defaultTags.tag",
        "did you mean tags?",
    );
}

#[test]
fn a_read_resource_is_not_checked_for_required_inputs() {
    let found = added(|p| {
        let task = resource(p, "acme-corp-task");
        task.remove("properties");
        task.insert(
            "get".into(),
            json!({"id": "arn:aws:ecs:task-definition/x:1"}),
        );
    });
    assert!(found.is_empty(), "{}", show(&found));
}
