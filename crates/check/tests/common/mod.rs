//! Shared by the conformance and structure tests: the rendered examples, loading them, and
//! diffing the findings of a mutated project against the untouched one.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use check::{check_project, Finding, Project};
use serde_json::Value;

/// The rules the conformance and structure checks own (policy rules are tested elsewhere).
pub const RULES: &[&str] = &["schema", "structure", "reference"];

pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Every rendered example: each folder under examples/ holding a Main.yaml.
pub fn example_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("Main.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

pub fn ecs_fargate() -> Project {
    Project::load(&examples_dir().join("ecs-fargate")).unwrap()
}

/// Findings of the rules above, sorted.
pub fn findings(project: &Project) -> Vec<Finding> {
    check_project(project, &[])
        .findings
        .into_iter()
        .filter(|f| RULES.contains(&f.rule.as_str()))
        .collect()
}

/// What a mutation adds: findings of `mutate(project)` that the untouched project lacks.
pub fn added(mutate: impl FnOnce(&mut Project)) -> Vec<Finding> {
    let mut project = ecs_fargate();
    let before = findings(&project);
    mutate(&mut project);
    findings(&project)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect()
}

/// Asserts the mutation added exactly one finding, with this rule, resource and path, and a
/// message containing `says`.
pub fn assert_one(found: Vec<Finding>, rule: &str, resource: &str, path: &str, says: &str) {
    let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one new finding, got:\n{}",
        shown.join("\n")
    );
    let f = &found[0];
    assert_eq!(
        (f.rule.as_str(), f.resource.as_str(), f.path.as_str()),
        (rule, resource, path),
        "{f}"
    );
    assert!(
        f.message.contains(says),
        "message {:?} should contain {says:?}",
        f.message
    );
}

/// The properties mapping of a resource in the program.
pub fn props<'a>(
    project: &'a mut Project,
    resource: &str,
) -> &'a mut serde_json::Map<String, Value> {
    project.program["resources"][resource]["properties"]
        .as_object_mut()
        .unwrap()
}

/// A resource's mapping in the program.
pub fn resource<'a>(
    project: &'a mut Project,
    name: &str,
) -> &'a mut serde_json::Map<String, Value> {
    project.program["resources"][name].as_object_mut().unwrap()
}

pub fn show(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("  {f}\n")).collect()
}
