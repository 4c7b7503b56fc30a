//! `fn::` calls: result kinds, `fn::secret`, `fn::invoke` tokens and arguments, local archives.

use serde_json::json;

use crate::common::*;

#[test]
fn call_results_must_fit_the_input() {
    let found = added(|p| {
        props(p, "http-listener")["port"] = json!({"fn::toJSON": 80});
    });
    assert_one(
        found,
        "schema",
        "http-listener",
        "properties.port",
        "got the result of fn::toJSON",
    );
    let found = added(|p| {
        props(p, "db-init")["code"] = json!({"fn::stringAsset": "x"});
    });
    assert_one(
        found,
        "schema",
        "db-init",
        "properties.code",
        "expected an archive",
    );
    let found = added(|p| {
        props(p, "db-init")["code"] = json!("./lambda/db-init");
    });
    assert_one(
        found,
        "schema",
        "db-init",
        "properties.code",
        "expected an archive",
    );
}

#[test]
fn secret_is_checked_as_its_argument() {
    let found = added(|p| {
        props(p, "vpc")["enableDnsSupport"] = json!({"fn::secret": "yes"});
    });
    assert_one(
        found,
        "schema",
        "vpc",
        "properties.enableDnsSupport.fn::secret",
        "expected a boolean",
    );
    let found = added(|p| {
        props(p, "vpc")["enableDnsSupport"] = json!({"fn::secret": true});
    });
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn expressions_are_not_literals() {
    let found = added(|p| {
        props(p, "vpc")["enableDnsSupport"] = json!("${vpc.enableDnsHostnames}");
        props(p, "http-listener")["port"] = json!("${acme-corp-target-group.port}");
    });
    assert!(found.is_empty(), "{}", show(&found));
    // An escaped `$${` is literal text again.
    let found = added(|p| {
        props(p, "http-listener")["port"] = json!("$${not.a.ref}");
    });
    assert_one(
        found,
        "schema",
        "http-listener",
        "properties.port",
        "expected an integer",
    );
}

#[test]
fn unknown_builtin_and_mixed_call_keys() {
    let found = added(|p| {
        props(p, "db-init-role")["assumeRolePolicy"] =
            json!({"fn::toJson": {"Version": "2012-10-17"}});
    });
    assert_one(
        found,
        "schema",
        "db-init-role",
        "properties.assumeRolePolicy",
        "did you mean fn::toJSON?",
    );
    let found = added(|p| {
        props(p, "alb-sg")["description"] = json!({"fn::join": ["", ["a"]], "extra": 1});
    });
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("must be the only key")),
        "{}",
        show(&found)
    );
}

#[test]
fn invoke_of_an_unknown_function() {
    let found = added(|p| {
        p.program["variables"]["availabilityZones"]["fn::invoke"]["function"] =
            json!("aws:getAvailabilityZone");
    });
    assert_one(
        found,
        "schema",
        "variables",
        "variables.availabilityZones.fn::invoke.function",
        "unknown function aws:getAvailabilityZone (did you mean aws:getAvailabilityZones?)",
    );
}

#[test]
fn invoke_arguments_are_checked_against_the_function() {
    let found = added(|p| {
        p.program["variables"]["availabilityZones"]["fn::invoke"]["arguments"]["stat"] =
            json!("available");
    });
    assert_one(
        found,
        "schema",
        "variables",
        "variables.availabilityZones.fn::invoke.arguments.stat",
        "did you mean state?",
    );
    let found = added(|p| {
        p.program["variables"]["availabilityZones"]["fn::invoke"]["arguments"]
            ["allAvailabilityZones"] = json!("yes");
    });
    assert_one(
        found,
        "schema",
        "variables",
        "variables.availabilityZones.fn::invoke.arguments.allAvailabilityZones",
        "expected a boolean",
    );
}

#[test]
fn invokes_inside_resources_and_outputs_are_checked() {
    let found = added(|p| {
        props(p, "vpc")["tags"]["x"] = json!({"fn::invoke": {"function": "aws:nope:getNothing"}});
        p.program["outputs"]["region"] =
            json!({"fn::invoke": {"function": "aws:getRegion", "argumens": {}}});
    });
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.resource.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("outputs", "outputs.region.fn::invoke.argumens"),
            ("vpc", "properties.tags.x.fn::invoke.function")
        ],
        "{}",
        show(&found)
    );
}

#[test]
fn archive_folder_must_exist_in_the_project() {
    let found = added(|p| {
        props(p, "db-init")["code"] = json!({"fn::fileArchive": "./lambda/x"});
    });
    assert_one(
        found,
        "structure",
        "db-init",
        "properties.code.fn::fileArchive",
        "archive folder ./lambda/x is missing",
    );
    let found = added(|p| {
        props(p, "db-init")["code"] = json!({"fn::fileArchive": "../ecs-fargate/lambda/db-init"});
    });
    assert_one(
        found,
        "structure",
        "db-init",
        "properties.code.fn::fileArchive",
        "outside the project folder",
    );
    let found = added(|p| {
        props(p, "db-init")["code"] = json!({"fn::fileArchive": "./lambda/db-init/index.mjs"});
    });
    assert_one(
        found,
        "structure",
        "db-init",
        "properties.code.fn::fileArchive",
        "is a file, not a folder",
    );
}

#[test]
fn every_builtin_is_known_and_file_paths_resolve() {
    let found = added(|p| {
        let tags = props(p, "vpc")["tags"].as_object_mut().unwrap();
        tags.insert(
            "a".into(),
            json!({"fn::select": [0, "${availabilityZones}"]}),
        );
        tags.insert(
            "b".into(),
            json!({"fn::join": [",", {"fn::split": [",", "a,b"]}]}),
        );
        tags.insert("c".into(), json!({"fn::toBase64": "x"}));
        tags.insert("d".into(), json!({"fn::fromBase64": "eA=="}));
        tags.insert("e".into(), json!({"fn::unsecret": "x"}));
        tags.insert(
            "f".into(),
            json!({"fn::readFile": "./lambda/db-init/tenant.sql"}),
        );
        props(p, "db-init")["code"] = json!({"fn::assetArchive": {
            "index.mjs": {"fn::fileAsset": "./lambda/db-init/index.mjs"},
            "extra.txt": {"fn::stringAsset": "x"},
            "sub": {"fn::fileArchive": "./lambda"},
            "remote": {"fn::remoteAsset": "https://example.com/x"}
        }});
    });
    assert!(found.is_empty(), "{}", show(&found));
    let found = added(|p| {
        let tags = props(p, "vpc")["tags"].as_object_mut().unwrap();
        tags.insert("f".into(), json!({"fn::readFile": "./nope.txt"}));
        props(p, "db-init")["code"] =
            json!({"fn::assetArchive": {"a": {"fn::fileAsset": "./lambda"}, "b": "text"}});
    });
    let got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| (f.rule.as_str(), f.resource.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("schema", "db-init", "properties.code.fn::assetArchive.b"),
            (
                "structure",
                "db-init",
                "properties.code.fn::assetArchive.a.fn::fileAsset"
            ),
            ("structure", "vpc", "properties.tags.f.fn::readFile"),
        ],
        "{}",
        show(&found)
    );
}
