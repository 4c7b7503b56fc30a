//! Config entries, in Pulumi.yaml and in the program.
//!
//! tapgen always declares a `type` so `pulumi config set` validates values and the program
//! sees the right kind. Pulumi itself rejects a `type` or `default` on a key namespaced by
//! another package (`aws:region`), and requires `value` there; an array needs `items`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::path::join;
use super::{finding, is_plain_name, program_file, project_name, section, suggest_hint};
use crate::{Finding, Project};

const FIELDS: &[&str] = &["type", "default", "description", "secret", "items", "value"];
const TYPES: &[&str] = &["string", "integer", "boolean", "array"];

pub fn check(project: &Project, out: &mut Vec<Finding>) {
    let project = ProjectConfig::new(project);
    for (file, entries) in &project.sources {
        for (key, entry) in *entries {
            check_entry(key, entry, project.name, file, out);
        }
    }
    if let [(_, first), (second_file, second)] = project.sources.as_slice() {
        for key in first.keys().filter(|k| second.contains_key(*k)) {
            let message = format!("config {key} is declared in both Pulumi.yaml and {second_file}");
            out.push(finding(
                "structure",
                "config",
                &join("config", key),
                message,
            ));
        }
    }
    for (file, _) in project.non_mappings {
        let message = format!("config: in {file} must be a mapping");
        out.push(finding("structure", "config", "config", message));
    }
}

/// The config sections of the project, by file.
struct ProjectConfig<'a> {
    name: Option<&'a str>,
    sources: Vec<(&'static str, &'a Map<String, Value>)>,
    non_mappings: Vec<(&'static str, &'a Value)>,
}

impl<'a> ProjectConfig<'a> {
    fn new(project: &'a Project) -> ProjectConfig<'a> {
        let mut files = vec![("Pulumi.yaml", &project.project_file)];
        if let Some(file) = program_file(project) {
            files.push((file, &project.program));
        }
        let mut config = ProjectConfig {
            name: project_name(project),
            sources: vec![],
            non_mappings: vec![],
        };
        for (file, value) in files {
            match value.get("config") {
                Some(Value::Object(map)) => config.sources.push((file, map)),
                None | Some(Value::Null) => {}
                Some(other) => config.non_mappings.push((file, other)),
            }
        }
        config
    }
}

/// Every config key a `${...}` may name: declared keys, with the `<project>:` prefix removed.
pub fn declared(project: &Project) -> BTreeSet<String> {
    let name = project_name(project);
    let mut files = vec![&project.project_file];
    if program_file(project).is_some() {
        files.push(&project.program);
    }
    files
        .into_iter()
        .filter_map(|file| section(file, "config"))
        .flat_map(|map| map.keys())
        .map(|key| strip_project(key, name).to_string())
        .collect()
}

fn strip_project<'k>(key: &'k str, project: Option<&str>) -> &'k str {
    match (key.split_once(':'), project) {
        (Some((namespace, rest)), Some(name)) if namespace == name => rest,
        _ => key,
    }
}

fn check_entry(
    key: &str,
    entry: &Value,
    project: Option<&str>,
    file: &str,
    out: &mut Vec<Finding>,
) {
    let path = join("config", key);
    let mut report =
        |at: &str, message: String| out.push(finding("structure", "config", at, message));
    let bare = strip_project(key, project);
    let foreign = bare.split_once(':');
    let name_ok = match foreign {
        Some((namespace, rest)) => is_plain_name(namespace) && is_plain_name(rest),
        None => is_plain_name(bare),
    };
    if !name_ok {
        report(
            &path,
            format!("config key {key} must match [A-Za-z0-9_-]+ (optionally namespace:key)"),
        );
    }
    let Some(map) = entry.as_object() else {
        let message = format!("config {key} in {file} must be a mapping with a type");
        return report(&path, message);
    };
    for field in map.keys().filter(|f| !FIELDS.contains(&f.as_str())) {
        let message = format!(
            "unknown config field {field}{}",
            suggest_hint(field, FIELDS.iter().copied())
        );
        report(&join(&path, field), message);
    }
    if foreign.is_some() {
        // Another package's setting: Pulumi wants only a value.
        for field in ["type", "default"]
            .into_iter()
            .filter(|f| map.contains_key(*f))
        {
            let message = format!(
                "config {key} is namespaced by another package and must not define {field}"
            );
            report(&join(&path, field), message);
        }
        if !map.contains_key("value") {
            report(
                &join(&path, "value"),
                format!("config {key} is namespaced and needs a value"),
            );
        }
        return;
    }
    if map.contains_key("default") && map.contains_key("value") {
        report(
            &path,
            format!("config {key} cannot have both default and value"),
        );
    }
    if map.get("secret").is_some_and(|s| !s.is_boolean()) {
        report(
            &join(&path, "secret"),
            "secret must be true or false".into(),
        );
    }
    if map.get("description").is_some_and(|d| !d.is_string()) {
        report(
            &join(&path, "description"),
            "description must be a string".into(),
        );
    }
    check_type(map, &path, out);
}

/// `type` (and `items` for arrays) present and known; `default` of that type.
fn check_type(map: &Map<String, Value>, path: &str, out: &mut Vec<Finding>) {
    let mut report =
        |at: &str, message: String| out.push(finding("structure", "config", at, message));
    let type_path = join(path, "type");
    let Some(kind) = map.get("type") else {
        return report(
            &type_path,
            "missing type (string, integer, boolean or array)".into(),
        );
    };
    let Some(kind) = kind.as_str().filter(|k| TYPES.contains(k)) else {
        return report(
            &type_path,
            format!("type {kind} is not one of string, integer, boolean, array"),
        );
    };
    let items = match (kind, map.get("items")) {
        ("array", Some(Value::Object(items))) => {
            check_type(items, &join(path, "items"), out);
            items.get("type").and_then(Value::as_str)
        }
        ("array", _) => {
            let message = "an array needs items: {type: ...}".to_string();
            out.push(finding(
                "structure",
                "config",
                &join(path, "items"),
                message,
            ));
            return;
        }
        (_, Some(_)) => {
            let message = format!("items only applies to type array, not {kind}");
            out.push(finding(
                "structure",
                "config",
                &join(path, "items"),
                message,
            ));
            None
        }
        (_, None) => None,
    };
    if let Some(default) = map.get("default") {
        if !fits(kind, items, default) {
            let message = format!("default {default} is not of type {kind}");
            out.push(finding(
                "structure",
                "config",
                &join(path, "default"),
                message,
            ));
        }
    }
}

fn fits(kind: &str, items: Option<&str>, value: &Value) -> bool {
    match (kind, value) {
        ("string", Value::String(_)) | ("boolean", Value::Bool(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("array", Value::Array(list)) => match items {
            Some(item) => list.iter().all(|v| fits(item, None, v)),
            None => true,
        },
        _ => false,
    }
}
