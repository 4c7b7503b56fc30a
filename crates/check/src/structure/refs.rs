//! References (rule `reference`): every `${...}` anywhere in the program parses, and its root
//! is a declared config key, variable or resource, or the `pulumi` built-in. Options that
//! take resources (`dependsOn`, `parent`, `provider`...) must name resources themselves.
//!
//! A dangling reference fails the whole deployment at preview time, after the engine has
//! started; finding it offline is cheaper.
//!
//! A string interpolating a resource or variable followed by another reference is refused too:
//! pulumi-yaml v1.38.1 resolves the rest of the string inside that Output's callback, reading
//! its resource map while the main loop may still write it, and a large program can crash
//! with "concurrent map read and map write" (pulumi/pulumi-yaml#1164). `fn::join` over the
//! same references does not; plain values (`pulumi.stack`, config) are read at once.

use std::collections::BTreeSet;

use serde_json::Value;

use super::path::{index, join};
use super::reference::{parse, Access, Part, Segment};
use super::{config, finding, project_name, section, suggest_hint};
use crate::{Finding, Project};

const PULUMI_BUILTINS: &[&str] = &["stack", "project", "organization", "cwd"];

/// Options whose values are resources (or lists / maps of them).
const RESOURCE_OPTIONS: &[&str] = &[
    "dependsOn",
    "parent",
    "provider",
    "providers",
    "deletedWith",
    "replaceWith",
];

/// What a root name may refer to.
struct Scope<'a> {
    project: Option<&'a str>,
    config: BTreeSet<String>,
    variables: BTreeSet<String>,
    resources: BTreeSet<String>,
}

impl Scope<'_> {
    /// A resource's property or a variable may be an Output; config and `pulumi.*` are plain.
    fn may_be_output(&self, access: &Access) -> bool {
        self.resources.contains(&access.root) || self.variables.contains(&access.root)
    }

    /// None if `root` is declared, else why not.
    fn unknown(&self, root: &str, segments: &[Segment]) -> Option<String> {
        if root == "pulumi" {
            return match segments.first() {
                Some(Segment::Name(name)) if PULUMI_BUILTINS.contains(&name.as_str()) => None,
                _ => Some(format!(
                    "the pulumi built-in has only {}",
                    PULUMI_BUILTINS.join(", ")
                )),
            };
        }
        let bare = match (root.split_once(':'), self.project) {
            (Some((namespace, key)), Some(name)) if namespace == name => key,
            // Another package's (or stack-only) config, e.g. aws:region: set per stack.
            (Some(_), _) => return None,
            (None, _) => root,
        };
        if self.config.contains(bare)
            || self.variables.contains(bare)
            || self.resources.contains(bare)
        {
            return None;
        }
        let known = self
            .config
            .iter()
            .chain(&self.variables)
            .chain(&self.resources)
            .map(String::as_str);
        Some(format!(
            "{root} is not a declared config key, variable or resource{}",
            suggest_hint(bare, known)
        ))
    }
}

pub fn check(project: &Project, out: &mut Vec<Finding>) {
    let names = |key| {
        section(&project.program, key)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let scope = Scope {
        project: project_name(project),
        config: config::declared(project),
        variables: names("variables"),
        resources: names("resources"),
    };
    for (name, resource) in &project.resources() {
        let mut walk = Walk {
            scope: &scope,
            resource: name,
            out,
        };
        walk.value(resource, "");
        if let Some(options) = resource.get("options").and_then(Value::as_object) {
            for key in RESOURCE_OPTIONS {
                if let Some(value) = options.get(*key) {
                    walk.resource_option(value, &join("options", key));
                }
            }
        }
    }
    for section_name in ["variables", "outputs"] {
        let Some(entries) = section(&project.program, section_name) else {
            continue;
        };
        let mut walk = Walk {
            scope: &scope,
            resource: section_name,
            out,
        };
        for (name, value) in entries {
            walk.value(value, &join(section_name, name));
        }
    }
}

struct Walk<'a, 'o> {
    scope: &'a Scope<'a>,
    resource: &'a str,
    out: &'o mut Vec<Finding>,
}

impl Walk<'_, '_> {
    fn report(&mut self, path: &str, message: String) {
        self.out
            .push(finding("reference", self.resource, path, message));
    }

    fn value(&mut self, value: &Value, path: &str) {
        match value {
            Value::String(text) => self.string(text, path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(item, &index(path, i));
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    self.value(item, &join(path, key));
                }
            }
            _ => {}
        }
    }

    fn string(&mut self, text: &str, path: &str) {
        match parse(text) {
            Err(error) => self.report(
                path,
                format!("malformed reference in {text:?}: {}", error.message),
            ),
            Ok(parts) => {
                let accesses: Vec<&Access> = parts
                    .iter()
                    .filter_map(|part| match part {
                        Part::Ref(access) => Some(access),
                        Part::Text(_) => None,
                    })
                    .collect();
                for access in &accesses {
                    if let Some(why) = self.scope.unknown(&access.root, &access.segments) {
                        self.report(path, format!("{text:?}: {why}"));
                    }
                }
                let before_last = &accesses[..accesses.len().saturating_sub(1)];
                if let Some(output) = before_last.iter().find(|a| self.scope.may_be_output(a)) {
                    self.report(
                        path,
                        format!(
                            "{text:?} interpolates more after ${{{}...}}, which can crash \
                             pulumi-yaml (pulumi/pulumi-yaml#1164); write it as \
                             fn::join [\"\", [...]]",
                            output.root
                        ),
                    );
                }
            }
        }
    }

    /// `dependsOn: [${a}]`, `provider: ${p}`, `providers: {aws: ${p}}`: each a bare
    /// `${resource}` (or a variable, which may hold resources), not a property of one.
    fn resource_option(&mut self, value: &Value, path: &str) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.resource_option(item, &index(path, i));
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    self.resource_option(item, &join(path, key));
                }
            }
            Value::String(text) => {
                if let Some(problem) = self.resource_problem(text) {
                    self.report(path, problem);
                }
            }
            _ => {}
        }
    }

    /// Why `text` does not name a resource. None when it does, and when the string walk has
    /// already reported it (malformed, or naming nothing declared).
    fn resource_problem(&self, text: &str) -> Option<String> {
        let parts = parse(text).ok()?;
        let not_one = || {
            Some(format!(
                "{text} does not name a resource (expected ${{resource}})"
            ))
        };
        let [Part::Ref(access)] = parts.as_slice() else {
            return not_one();
        };
        if self.scope.unknown(&access.root, &access.segments).is_some() {
            return None;
        }
        let root = &access.root;
        match (
            self.scope.resources.contains(root),
            access.segments.is_empty(),
        ) {
            (true, true) => None,
            (true, false) => Some(format!(
                "{text} is a property of a resource; name the resource itself: ${{{root}}}"
            )),
            (false, true) if self.scope.variables.contains(root) => None,
            _ => not_one(),
        }
    }
}
