//! Pulumi.yaml and the program's top level.
//!
//! The YAML runtime reads one program file; with a Main.yaml next to it, `resources:` left in
//! Pulumi.yaml are silently ignored, and an unknown top-level key in the program is either an
//! error or dropped. Both are worth a finding before anything is deployed.

use serde_json::Value;

use super::{finding, program_file, suggest_hint};
use crate::{Finding, Project};

/// Keys of a Pulumi project file (Pulumi.yaml) that are not part of a YAML program.
const PROJECT_KEYS: &[&str] = &[
    "name",
    "runtime",
    "description",
    "main",
    "stackConfigDir",
    "backend",
    "options",
    "template",
    "plugins",
    "config",
    "author",
    "website",
    "license",
    "packages",
];

/// Keys of a Pulumi YAML program file.
const PROGRAM_KEYS: &[&str] = &["config", "variables", "resources", "outputs"];

/// Program keys that only make sense when the program is Pulumi.yaml itself.
const PROGRAM_ONLY_KEYS: &[&str] = &["variables", "resources", "outputs", "pulumi"];

pub fn check(project: &Project, out: &mut Vec<Finding>) {
    let separate = program_file(project);
    check_project_file(project, separate, out);
    if let Some(file) = separate {
        check_program_file(&project.program, file, out);
    }
}

fn check_project_file(project: &Project, separate: Option<&str>, out: &mut Vec<Finding>) {
    let Some(map) = project.project_file.as_object() else {
        out.push(finding(
            "structure",
            "project",
            "",
            "Pulumi.yaml must be a mapping".into(),
        ));
        return;
    };
    match map.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => {}
        _ => out.push(finding(
            "structure",
            "project",
            "name",
            "Pulumi.yaml needs a name".into(),
        )),
    }
    check_runtime(map.get("runtime"), out);
    for key in map.keys() {
        let message = match key.as_str() {
            k if PROJECT_KEYS.contains(&k) && k != "main" => continue,
            "main" => "main: moves the program elsewhere; tapgen renders it next to Pulumi.yaml"
                .to_string(),
            "configuration" => "configuration: is deprecated; use config:".to_string(),
            k if PROGRAM_ONLY_KEYS.contains(&k) => match separate {
                None => continue,
                Some(file) => {
                    format!("{k}: in Pulumi.yaml is ignored because {file} is the program")
                }
            },
            k => {
                let known = PROJECT_KEYS.iter().chain(PROGRAM_ONLY_KEYS);
                format!(
                    "unknown key {k} in Pulumi.yaml{}",
                    suggest_hint(k, known.copied())
                )
            }
        };
        out.push(finding("structure", "project", key, message));
    }
    if separate.is_none() {
        check_sections(map, "Pulumi.yaml", out);
    }
}

/// `runtime: yaml` or `runtime: {name: yaml, options: {...}}`.
fn check_runtime(runtime: Option<&Value>, out: &mut Vec<Finding>) {
    let message = match runtime {
        Some(Value::String(name)) if name == "yaml" => return,
        Some(Value::Object(map)) => {
            for key in map
                .keys()
                .filter(|k| !matches!(k.as_str(), "name" | "options"))
            {
                let message = format!("unknown runtime field {key} (allowed: name, options)");
                out.push(finding(
                    "structure",
                    "project",
                    &format!("runtime.{key}"),
                    message,
                ));
            }
            if map.get("options").is_some_and(|o| !o.is_object()) {
                let message = "runtime.options must be a mapping".to_string();
                out.push(finding("structure", "project", "runtime.options", message));
            }
            match map.get("name").and_then(Value::as_str) {
                Some("yaml") => return,
                Some(other) => format!("runtime {other} is not yaml"),
                None => "runtime needs name: yaml".to_string(),
            }
        }
        Some(other) => format!("runtime must be yaml, got {other}"),
        None => "Pulumi.yaml needs runtime: yaml".to_string(),
    };
    out.push(finding("structure", "project", "runtime", message));
}

fn check_program_file(program: &Value, file: &str, out: &mut Vec<Finding>) {
    let Some(map) = program.as_object() else {
        out.push(finding(
            "structure",
            "project",
            "",
            format!("{file} must be a mapping"),
        ));
        return;
    };
    for key in map.keys().filter(|k| !PROGRAM_KEYS.contains(&k.as_str())) {
        let hint = suggest_hint(key, PROGRAM_KEYS.iter().copied());
        let message = format!(
            "unknown top-level key {key} in {file}{hint} (allowed: config, variables, resources, outputs)"
        );
        out.push(finding("structure", "project", key, message));
    }
    check_sections(map, file, out);
}

/// Each program section, when present, is a mapping.
fn check_sections(map: &serde_json::Map<String, Value>, file: &str, out: &mut Vec<Finding>) {
    for key in PROGRAM_KEYS {
        if let Some(value) = map.get(*key) {
            if !value.is_object() && !value.is_null() {
                out.push(finding(
                    "structure",
                    "project",
                    key,
                    format!("{key}: in {file} must be a mapping"),
                ));
            }
        }
    }
}
