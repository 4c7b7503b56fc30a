//! Resource fields and options.
//!
//! pulumi-yaml decodes resources into fixed structs: a misspelt option (`dependOn`) is an
//! error at best and a silently missing dependency at worst, so names and simple value
//! shapes are checked here. Which resource an option names is the `refs` check's job.

use serde_json::{Map, Value};

use super::path::join;
use super::reference::is_expression;
use super::{finding, suggest_hint};
use crate::{Finding, Project};

const FIELDS: &[&str] = &["type", "properties", "options", "get", "defaultProvider"];

/// Resource options pulumi-yaml understands (the last three need a recent pulumi-yaml).
pub const OPTIONS: &[&str] = &[
    "dependsOn",
    "parent",
    "protect",
    "provider",
    "providers",
    "version",
    "pluginDownloadURL",
    "ignoreChanges",
    "replaceOnChanges",
    "deleteBeforeReplace",
    "retainOnDelete",
    "import",
    "customTimeouts",
    "aliases",
    "additionalSecretOutputs",
    "deletedWith",
    "hideDiffs",
    "replacementTrigger",
    "replaceWith",
];

/// How an option's value must look.
enum Shape {
    Bool,
    Text,
    TextList,
    List,
    Timeouts,
    /// A resource reference or a list/map of them; checked by `refs`.
    Resources,
    Anything,
}

fn shape(option: &str) -> Shape {
    match option {
        "protect" | "deleteBeforeReplace" | "retainOnDelete" => Shape::Bool,
        "version" | "pluginDownloadURL" | "import" => Shape::Text,
        "ignoreChanges" | "replaceOnChanges" | "additionalSecretOutputs" | "hideDiffs" => {
            Shape::TextList
        }
        "aliases" => Shape::List,
        "customTimeouts" => Shape::Timeouts,
        "dependsOn" | "parent" | "provider" | "providers" | "deletedWith" | "replaceWith" => {
            Shape::Resources
        }
        _ => Shape::Anything,
    }
}

pub fn check(project: &Project, out: &mut Vec<Finding>) {
    for (name, resource) in &project.resources() {
        let mut report =
            |path: &str, message: String| out.push(finding("structure", name, path, message));
        let Some(map) = resource.as_object() else {
            report("", "a resource must be a mapping with a type".into());
            continue;
        };
        check_fields(map, &mut report);
        match map.get("options") {
            None | Some(Value::Null) => {}
            Some(Value::Object(options)) => check_options(options, &mut report),
            Some(_) => report("options", "options must be a mapping".into()),
        }
    }
}

fn check_fields(map: &Map<String, Value>, report: &mut impl FnMut(&str, String)) {
    for key in map.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        let hint = suggest_hint(key, FIELDS.iter().copied());
        report(
            key,
            format!(
                "unknown resource field {key}{hint} (allowed: {})",
                FIELDS.join(", ")
            ),
        );
    }
    let token = match map.get("type") {
        Some(Value::String(token)) if is_expression(token) => {
            report(
                "type",
                "type must be a literal token, not an expression".into(),
            );
            None
        }
        Some(Value::String(token)) => Some(token.as_str()),
        Some(_) => {
            report("type", "type must be a string".into());
            None
        }
        None => {
            report("type", "missing type".into());
            None
        }
    };
    if map
        .get("properties")
        .is_some_and(|p| !p.is_object() && !p.is_null())
    {
        report("properties", "properties must be a mapping".into());
    }
    match map.get("defaultProvider") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) if token.is_none_or(|t| t.starts_with("pulumi:providers:")) => {}
        Some(Value::Bool(true)) => report(
            "defaultProvider",
            "only a pulumi:providers:* resource can be the default provider".into(),
        ),
        Some(_) => report(
            "defaultProvider",
            "defaultProvider must be true or false".into(),
        ),
    }
    match map.get("get") {
        None => {}
        Some(Value::Object(get)) => {
            for key in get.keys().filter(|k| !matches!(k.as_str(), "id" | "state")) {
                report(
                    &join("get", key),
                    format!("unknown get field {key} (allowed: id, state)"),
                );
            }
            if !get.contains_key("id") {
                report("get.id", "get needs the id of the resource to read".into());
            }
            if get.get("state").is_some_and(|s| !s.is_object()) {
                report("get.state", "get.state must be a mapping".into());
            }
        }
        Some(_) => report("get", "get must be a mapping with id (and state)".into()),
    }
}

fn check_options(options: &Map<String, Value>, report: &mut impl FnMut(&str, String)) {
    for (key, value) in options {
        let path = join("options", key);
        if !OPTIONS.contains(&key.as_str()) {
            let hint = suggest_hint(key, OPTIONS.iter().copied());
            report(&path, format!("unknown resource option {key}{hint}"));
            continue;
        }
        if let Some(problem) = shape_problem(shape(key), value) {
            report(&path, format!("{key} {problem}"));
        }
    }
}

/// What is wrong with `value` for `shape`, if anything. `${...}` is accepted wherever the
/// engine could evaluate it.
fn shape_problem(shape: Shape, value: &Value) -> Option<&'static str> {
    let expression = value.as_str().is_some_and(is_expression);
    let text = |v: &Value| v.is_string();
    match shape {
        Shape::Bool if !(value.is_boolean() || expression) => Some("must be true or false"),
        Shape::Text if !text(value) => Some("must be a string"),
        Shape::TextList => match value {
            Value::Array(items) if items.iter().all(text) => None,
            _ if expression => None,
            _ => Some("must be a list of strings"),
        },
        Shape::List if !(value.is_array() || expression) => Some("must be a list"),
        Shape::Timeouts => match value {
            Value::Object(map) => {
                let known = map
                    .keys()
                    .all(|k| matches!(k.as_str(), "create" | "update" | "delete"));
                (!known || !map.values().all(text))
                    .then_some("takes create/update/delete durations as strings")
            }
            _ => Some("must be a mapping of create/update/delete"),
        },
        Shape::Resources if !(value.is_string() || value.is_array() || value.is_object()) => {
            Some("must reference resources with ${name}")
        }
        _ => None,
    }
}
