//! Output references (rule `schema`): every `${resource.attribute...}` names an output the
//! resource's type has in the pinned provider, and every `${variable.field...}` on a variable
//! that holds an `fn::invoke` result names a field the function returns, following the path
//! through nested object types, lists (`[0]`) and maps (`["key"]`) as far as the schema knows
//! the shape. Pulumi YAML resolves these only at preview time (and the provider only at
//! deploy time); a misspelled attribute is cheaper to find offline.
//!
//! Roots the structure check reports as undeclared, resources of types the schema lacks (that
//! is reported once, on the resource) and values of unknown shape are left alone.

use std::collections::BTreeMap;

use serde_json::Value;

use super::schema::{Kind, Outputs, Schema};
use super::suggest;
use crate::structure::path::{index, join};
use crate::structure::reference::{parse, Part, Segment};
use crate::{Finding, Project};

/// Every resource has these besides its schema outputs.
pub(super) const IMPLICIT: &[&str] = &["id", "urn"];

/// What a root name evaluates to, as far as the schema tells.
pub(super) enum Root<'a> {
    /// A resource: its type token (as the program spells it) and outputs.
    Resource(&'a str, &'a Outputs),
    /// A variable holding a whole `fn::invoke` result: the function and its fields.
    Result(&'a str, &'a Outputs),
    /// A variable holding the one field `return` picked.
    Field(&'a str, &'a Kind),
}

pub fn check(project: &Project) -> Vec<Finding> {
    let section = |key| project.program.get(key).and_then(Value::as_object);
    let roots = roots(project);
    let mut walk = Walk {
        roots: &roots,
        owner: String::new(),
        findings: Vec::new(),
    };
    for (name, resource) in section("resources").into_iter().flatten() {
        walk.owner = name.clone();
        for (key, value) in resource.as_object().into_iter().flatten() {
            if key != "type" {
                walk.value(value, key);
            }
        }
    }
    for name in ["variables", "outputs"] {
        walk.owner = name.into();
        for (key, value) in section(name).into_iter().flatten() {
            walk.value(value, &join(name, key));
        }
    }
    walk.findings
}

/// What each resource and invoke-result variable of the program is, by name.
pub(super) fn roots(project: &Project) -> BTreeMap<&str, Root<'_>> {
    let schema = Schema::get();
    let section = |key| project.program.get(key).and_then(Value::as_object);
    let mut roots = BTreeMap::new();
    for (name, resource) in section("resources").into_iter().flatten() {
        let Some(token) = resource.get("type").and_then(Value::as_str) else {
            continue;
        };
        if let Some(outputs) = schema.resource_outputs(token) {
            roots.insert(name.as_str(), Root::Resource(token, outputs));
        }
    }
    for (name, value) in section("variables").into_iter().flatten() {
        if let Some(root) = invoke_result(schema, value) {
            roots.insert(name.as_str(), root);
        }
    }
    roots
}

/// `{fn::invoke: {function, return?}}` with a literal token the schema knows. A `return`
/// the function lacks is reported by the invoke check; nothing is known past it.
fn invoke_result<'a>(schema: &'a Schema, value: &'a Value) -> Option<Root<'a>> {
    let call = value.get("fn::invoke")?.as_object()?;
    let function = call.get("function")?.as_str()?;
    let outputs = schema.function_outputs(function)?;
    match call.get("return") {
        None => Some(Root::Result(function, outputs)),
        Some(Value::String(field)) => Some(Root::Field(function, &outputs.get(field)?.kind)),
        Some(_) => None,
    }
}

struct Walk<'r, 'a> {
    roots: &'r BTreeMap<&'a str, Root<'a>>,
    owner: String,
    findings: Vec<Finding>,
}

impl Walk<'_, '_> {
    fn report(&mut self, path: &str, message: String) {
        self.findings.push(Finding {
            rule: "schema".into(),
            resource: self.owner.clone(),
            path: path.into(),
            message,
        });
    }

    fn value(&mut self, value: &Value, path: &str) {
        match value {
            Value::String(text) => {
                // malformed references are the structure check's to report
                for part in parse(text).unwrap_or_default() {
                    if let Part::Ref(access) = part {
                        self.access(&access.root, &access.segments, text, path);
                    }
                }
            }
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

    fn access(&mut self, root: &str, segments: &[Segment], text: &str, path: &str) {
        let Some(found) = self.roots.get(root) else {
            return;
        };
        let Some((first, rest)) = segments.split_first() else {
            return;
        };
        let (what, outputs) = match found {
            Root::Resource(token, outputs) => (format!("{root} ({token})"), *outputs),
            Root::Result(function, outputs) => {
                (format!("{root} (the result of {function})"), *outputs)
            }
            Root::Field(function, kind) => {
                let what = format!("{root} (a field of {function})");
                return self.nested(kind, segments, &what, text, path);
            }
        };
        let name = match first {
            Segment::Name(name) | Segment::Key(name) => name,
            Segment::Index(i) => {
                let message = format!("{text:?}: {what} is an object, not a list: [{i}]");
                return self.report(path, message);
            }
        };
        if matches!(found, Root::Resource(..)) && IMPLICIT.contains(&name.as_str()) {
            return;
        }
        match outputs.get(name) {
            Some(prop) => self.nested(&prop.kind, rest, &format!("{root}.{name}"), text, path),
            None => {
                let implicit = matches!(found, Root::Resource(..)).then_some(IMPLICIT);
                let known = outputs.keys().map(String::as_str);
                let hint =
                    suggest::hint(name, known.chain(implicit.into_iter().flatten().copied()));
                let noun = if matches!(found, Root::Resource(..)) {
                    "output"
                } else {
                    "field"
                };
                self.report(path, format!("{text:?}: {what} has no {noun} {name}{hint}"));
            }
        }
    }

    /// The rest of the path into a value of `kind`; `at` spells the value for messages.
    fn nested(&mut self, kind: &Kind, segments: &[Segment], at: &str, text: &str, path: &str) {
        let Some((first, rest)) = segments.split_first() else {
            return;
        };
        let schema = Schema::get();
        let problem = match (kind, first) {
            (Kind::Object { reference }, Segment::Name(name) | Segment::Key(name)) => {
                let Some(object) = schema.object(reference) else {
                    return;
                };
                match object.inputs.get(name) {
                    Some(prop) => {
                        return self.nested(&prop.kind, rest, &format!("{at}.{name}"), text, path)
                    }
                    None => {
                        let hint = suggest::hint(name, object.inputs.keys().map(String::as_str));
                        format!("{at} ({reference}) has no field {name}{hint}")
                    }
                }
            }
            (Kind::List { items }, Segment::Index(i)) => {
                return self.nested(items, rest, &format!("{at}[{i}]"), text, path)
            }
            (Kind::Map { items }, Segment::Name(key) | Segment::Key(key)) => {
                return self.nested(items, rest, &format!("{at}[{key:?}]"), text, path)
            }
            (Kind::Any { .. }, _) => return,
            (Kind::List { .. }, Segment::Name(name) | Segment::Key(name)) => {
                format!("{at} is a list: index it before .{name}")
            }
            (_, step) => format!(
                "{at} is {}, it has no {}",
                super::kinds::describe(kind),
                shown(step)
            ),
        };
        self.report(path, format!("{text:?}: {problem}"));
    }
}

fn shown(segment: &Segment) -> String {
    match segment {
        Segment::Name(name) => format!("field {name}"),
        Segment::Key(key) => format!("key {key:?}"),
        Segment::Index(i) => format!("element [{i}]"),
    }
}
