//! Output references and invoke results: `${resource.attribute...}` against the outputs of the
//! resource's type, `fn::invoke` `return` against the fields the function returns.

use serde_json::json;

use crate::common::*;

#[test]
fn misspelled_output_attribute() {
    let found = added(|p| {
        props(p, "internet-gateway")["vpcId"] = json!("${vpc.vpcid}");
    });
    assert_one(
        found,
        "schema",
        "internet-gateway",
        "properties.vpcId",
        "\"${vpc.vpcid}\": vpc (aws:ec2:Vpc) has no output vpcid",
    );
    // An input the type takes is not necessarily an output it has, and did-you-mean helps.
    let found = added(|p| p.program["outputs"]["albDnsName"] = json!("${load-balancer.dnsNme}"));
    assert_one(
        found,
        "schema",
        "outputs",
        "outputs.albDnsName",
        "load-balancer (aws:lb:LoadBalancer) has no output dnsNme (did you mean dnsName?)",
    );
}

#[test]
fn implicit_and_real_outputs_pass() {
    let found = added(|p| {
        props(p, "internet-gateway")["tags"]["a"] = json!("${vpc.urn}");
        props(p, "internet-gateway")["tags"]["b"] = json!("${vpc.defaultSecurityGroupId}");
        props(p, "internet-gateway")["tags"]["c"] = json!("${vpc[\"arn\"]}");
    });
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn nested_output_paths_follow_the_schema() {
    let path = "properties.environment.variables.ADMIN_SECRET_ARN";
    let found = added(|p| {
        props(p, "db-init")["environment"]["variables"]["ADMIN_SECRET_ARN"] =
            json!("${database-cluster.masterUserSecrets[0].secretArm}");
    });
    assert_one(
        found,
        "schema",
        "db-init",
        path,
        "database-cluster.masterUserSecrets[0] (aws:rds/ClusterMasterUserSecret) has no field secretArm (did you mean secretArn?)",
    );
    let found = added(|p| {
        props(p, "db-init")["environment"]["variables"]["ADMIN_SECRET_ARN"] =
            json!("${database-cluster.masterUserSecrets.secretArn}");
    });
    assert_one(
        found,
        "schema",
        "db-init",
        path,
        "database-cluster.masterUserSecrets is a list: index it before .secretArn",
    );
    let found = added(|p| {
        props(p, "db-init")["environment"]["variables"]["ADMIN_SECRET_ARN"] =
            json!("${database-cluster.endpoint.host}");
    });
    assert_one(
        found,
        "schema",
        "db-init",
        path,
        "database-cluster.endpoint is a string, it has no field host",
    );
}

#[test]
fn invoke_with_a_wrong_return() {
    let found = added(|p| {
        p.program["variables"]["availabilityZones"]["fn::invoke"]["return"] = json!("zoneNames");
    });
    assert_one(
        found,
        "schema",
        "variables",
        "variables.availabilityZones.fn::invoke.return",
        "aws:getAvailabilityZones returns no field zoneNames",
    );
    let found = added(|p| {
        p.program["variables"]["deployerSession"]["fn::invoke"]["return"] = json!("arm");
    });
    assert_one(
        found,
        "schema",
        "variables",
        "variables.deployerSession.fn::invoke.return",
        "aws:getCallerIdentity returns no field arm (did you mean arn?)",
    );
}

#[test]
fn invoke_passes_only_its_inputs() {
    let found = added(|p| {
        p.program["variables"]["availabilityZones"]["fn::invoke"]["arguments"]["names"] =
            json!(["us-east-1a"]);
    });
    assert_one(
        found,
        "schema",
        "variables",
        "variables.availabilityZones.fn::invoke.arguments.names",
        "unknown property names",
    );
}

#[test]
fn fields_of_an_invoke_result() {
    // Without `return` the variable holds the whole result: its fields are checked.
    let found = added(|p| {
        p.program["variables"]["availabilityZones"]["fn::invoke"]
            .as_object_mut()
            .unwrap()
            .remove("return");
        props(p, "public-subnet-az1")["availabilityZone"] = json!("${availabilityZones.names[0]}");
        props(p, "public-subnet-az2")["availabilityZone"] =
            json!("${availabilityZones.zoneNames[1]}");
    });
    // The subnets still indexing the variable as the list it was are reported too.
    let shown: Vec<String> = found
        .iter()
        .map(|f| format!("{}: {}", f.resource, f.message))
        .collect();
    assert_eq!(found.len(), 5, "{}", show(&found));
    assert!(shown.contains(&"private-subnet-az1: \"${availabilityZones[0]}\": availabilityZones (the result of aws:getAvailabilityZones) is an object, not a list: [0]".to_string()), "{}", show(&found));
    let found = found
        .into_iter()
        .filter(|f| f.resource == "public-subnet-az2")
        .collect();
    assert_one(
        found,
        "schema",
        "public-subnet-az2",
        "properties.availabilityZone",
        "availabilityZones (the result of aws:getAvailabilityZones) has no field zoneNames",
    );
    // With `return: names` it is a list of strings.
    let found = added(|p| {
        props(p, "public-subnet-az1")["availabilityZone"] = json!("${availabilityZones.names}");
    });
    assert_one(
        found,
        "schema",
        "public-subnet-az1",
        "properties.availabilityZone",
        "availabilityZones (a field of aws:getAvailabilityZones) is a list: index it before .names",
    );
}

#[test]
fn referenced_value_of_the_wrong_kind_is_caught() {
    // Pulumi YAML's type checker rejects a list output where a string input is wanted
    // ("Cannot assign 'List<string>' to 'string'"); found by scripts/pulumi-engine-check.
    let found = added(|p| props(p, "internet-gateway")["vpcId"] = json!("${availabilityZones}"));
    assert_one(
        found,
        "schema",
        "internet-gateway",
        "properties.vpcId",
        "\"${availabilityZones}\" is a list of strings, but the input wants a string",
    );
    // A list element, and a scalar into a string, pass.
    let found = added(|p| {
        props(p, "internet-gateway")["vpcId"] = json!("${availabilityZones[0]}");
        props(p, "internet-gateway")["tags"]["a"] = json!("${vpc.enableDnsSupport}");
    });
    assert!(found.is_empty(), "{}", show(&found));
}
