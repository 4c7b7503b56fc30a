//! Pulumi YAML structure (rule `structure`) and references (rule `reference`): the checks
//! pulumi-yaml itself would run before talking to any provider, plus tapgen's own promises
//! (config types always given, plain logical names, no YAML anchors).
//!
//! - `top`: Pulumi.yaml (name, runtime, keys) and the program's top-level keys;
//! - `config`: config entries (type, items, default, namespacing) in both files;
//! - `resources`: resource fields and option names/shapes;
//! - `names`: logical names and their single namespace;
//! - `refs`: every `${...}` parses and names something declared;
//! - `anchors`: YAML anchors/aliases in the raw files (serde resolves them silently).

mod anchors;
mod config;
mod names;
pub(crate) mod path;
pub(crate) mod reference;
mod refs;
mod resources;
mod top;

use serde_json::Value;

use crate::conformance::suggest::hint as suggest_hint;
use crate::{Finding, Project};

pub fn check(project: &Project) -> Vec<Finding> {
    let mut out = Vec::new();
    top::check(project, &mut out);
    config::check(project, &mut out);
    resources::check(project, &mut out);
    names::check(project, &mut out);
    refs::check(project, &mut out);
    anchors::check(project, &mut out);
    out
}

fn finding(rule: &str, resource: &str, path: &str, message: String) -> Finding {
    Finding {
        rule: rule.into(),
        resource: resource.into(),
        path: path.into(),
        message,
    }
}

/// The program file name when it is not Pulumi.yaml itself (Pulumi prefers Main.json, then
/// Main.yaml), so messages can name the file and Pulumi.yaml-only rules can apply.
fn program_file(project: &Project) -> Option<&'static str> {
    ["Main.json", "Main.yaml"]
        .into_iter()
        .find(|name| project.dir.join(name).exists())
}

/// The project name from Pulumi.yaml, used to strip `<project>:` from config keys.
fn project_name(project: &Project) -> Option<&str> {
    project.project_file.get("name").and_then(Value::as_str)
}

/// Logical names tapgen promises: `[A-Za-z0-9_-]+`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A section (`config`, `variables`, ...) of a file as a mapping, if it is one.
fn section<'a>(file: &'a Value, key: &str) -> Option<&'a serde_json::Map<String, Value>> {
    file.get(key).and_then(Value::as_object)
}
