//! Schema conformance (rule `schema`): every resource type and property, at every depth,
//! against the inputs of the pinned pulumi-aws / pulumi-random SDKs, so a rendered program
//! that passes would also pass the provider's own input validation.
//!
//! Covered: type tokens (full or short form), unknown and deprecated properties (with
//! did-you-mean hints), required inputs at every level that is present (each list item of an
//! object list too), literal kinds and closed enums, `fn::` call results and arguments,
//! `fn::invoke` tokens, arguments and `return` fields (in resources, variables and outputs),
//! every `${resource.output...}` against the outputs of the resource's type (`outputs`), and that the
//! provider resources pin the version the schema data was derived from. Local archive paths
//! are checked here too (rule `structure`) because they are found while walking calls.
//! Resource `options` are left to the structure check.

mod calls;
mod kinds;
mod outputs;
mod referenced;
mod schema;
pub(crate) mod suggest;

use serde_json::{Map, Value};

use crate::structure::path::join;
use crate::{Finding, Project};
use kinds::Checker;

pub fn check(project: &Project) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (name, resource) in &project.resources() {
        let mut checker = Checker::new(name, &project.dir);
        check_resource(&mut checker, resource);
        findings.append(&mut checker.findings);
    }
    for section in ["variables", "outputs"] {
        let Some(entries) = project.program.get(section).and_then(Value::as_object) else {
            continue;
        };
        let mut checker = Checker::new(section, &project.dir);
        for (name, value) in entries {
            checker.any(value, &join(section, name));
        }
        findings.append(&mut checker.findings);
    }
    findings.extend(outputs::check(project));
    findings.extend(referenced::check(project));
    findings
}

fn check_resource(checker: &mut Checker<'_>, resource: &Value) {
    // A resource that is not a mapping, has no string type, or whose properties are not a
    // mapping is a structure finding; there is nothing to compare with the schema.
    let Some(token) = resource.get("type").and_then(Value::as_str) else {
        return;
    };
    let Some(inputs) = checker.schema.resource(token) else {
        let hint = suggest::hint(token, checker.schema.resource_names());
        checker.report(
            "schema",
            "type",
            format!("unknown resource type {token}{hint}"),
        );
        if let Some(properties) = resource.get("properties") {
            checker.any(properties, "properties");
        }
        return;
    };
    if let Some(get) = resource.get("get") {
        // A read of an existing resource: `get.state` holds outputs, not inputs.
        checker.any(get, "get");
        return;
    }
    let empty = Map::new();
    match resource.get("properties") {
        None | Some(Value::Null) => checker.object(&empty, inputs, "properties"),
        Some(Value::Object(properties)) => checker.object(properties, inputs, "properties"),
        Some(_) => {}
    }
    if let Some(package) = token.strip_prefix("pulumi:providers:") {
        check_provider_pin(checker, package, resource);
    }
}

/// Conformance is only proven for the provider version the schema data came from, so each
/// provider resource must pin exactly that version.
fn check_provider_pin(checker: &mut Checker<'_>, package: &str, resource: &Value) {
    let Some(expected) = checker.schema.version(package) else {
        return;
    };
    let pinned = resource.get("options").and_then(|o| o.get("version"));
    let message = match pinned.and_then(Value::as_str) {
        Some(version) if version == expected => return,
        Some(version) => {
            format!("provider pinned to {version}, but the schema data (and so this check) is for {expected}")
        }
        None => format!("provider resource does not pin options.version: pin {expected}, the version this check knows"),
    };
    checker.report("schema", "options.version", message);
}
