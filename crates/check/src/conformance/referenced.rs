//! Referenced values against the input they feed (rule `schema`): a property given as one whole
//! `${resource.output}` (or invoke field) must be of the input's kind as far as the schemas
//! tell: a list output passed where a string is wanted is rejected by Pulumi YAML's type checker
//! ("Cannot assign 'List<string>' to 'string'"), however well each side checks on its own.
//! Scalars convert into one another, so only scalar, list and object are told apart.

use serde_json::{Map, Value};

use super::kinds::describe;
use super::outputs::{roots, Root, IMPLICIT};
use super::schema::{Inputs, Kind, Schema};
use crate::structure::path::{index, join};
use crate::structure::reference::{parse, Part, Segment};
use crate::{Finding, Project};

pub fn check(project: &Project) -> Vec<Finding> {
    let schema = Schema::get();
    let roots = roots(project);
    let mut findings = Vec::new();
    let resources = project.program.get("resources").and_then(Value::as_object);
    for (name, resource) in resources.into_iter().flatten() {
        let token = resource.get("type").and_then(Value::as_str).unwrap_or("");
        let (Some(inputs), Some(properties)) = (
            schema.resource(token),
            resource.get("properties").and_then(Value::as_object),
        ) else {
            continue;
        };
        let mut walk = Walk {
            roots: &roots,
            owner: name,
            findings: &mut findings,
        };
        walk.object(properties, inputs, "properties");
    }
    findings
}

struct Walk<'r, 'a> {
    roots: &'r std::collections::BTreeMap<&'a str, Root<'a>>,
    owner: &'r str,
    findings: &'r mut Vec<Finding>,
}

impl Walk<'_, '_> {
    fn object(&mut self, map: &Map<String, Value>, inputs: &Inputs, path: &str) {
        for (key, value) in map {
            if let Some(prop) = inputs.inputs.get(key) {
                self.value(value, &prop.kind, &join(path, key));
            }
        }
    }

    fn value(&mut self, value: &Value, wanted: &Kind, path: &str) {
        match (value, wanted) {
            (Value::String(text), _) => self.reference(text, wanted, path),
            (Value::Array(items), Kind::List { items: kind }) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(item, kind, &index(path, i));
                }
            }
            (Value::Object(map), Kind::Map { items }) if !is_call(map) => {
                for (key, item) in map {
                    self.value(item, items, &join(path, key));
                }
            }
            (Value::Object(map), Kind::Object { reference }) if !is_call(map) => {
                if let Some(inputs) = Schema::get().object(reference) {
                    self.object(map, inputs, path);
                }
            }
            _ => {}
        }
    }

    fn reference(&mut self, text: &str, wanted: &Kind, path: &str) {
        let Ok(parts) = parse(text) else { return };
        let [Part::Ref(access)] = parts.as_slice() else {
            return; // text with references inside is a string
        };
        let Some(found) = self.resolve(&access.root, &access.segments) else {
            return;
        };
        if let (Some(a), Some(b)) = (shape(found), shape(wanted)) {
            if a != b {
                self.findings.push(Finding {
                    rule: "schema".into(),
                    resource: self.owner.into(),
                    path: path.into(),
                    message: format!(
                        "{text:?} is {}, but the input wants {}",
                        describe(found),
                        describe(wanted)
                    ),
                });
            }
        }
    }

    /// The kind a reference evaluates to, as far as the schemas know.
    fn resolve(&self, root: &str, segments: &[Segment]) -> Option<&Kind> {
        static STRING: Kind = Kind::String;
        let found = self.roots.get(root)?;
        let (first, rest) = match found {
            Root::Field(_, kind) => return follow(kind, segments),
            Root::Resource(_, outputs) | Root::Result(_, outputs) => {
                let (first, rest) = segments.split_first()?;
                let (Segment::Name(name) | Segment::Key(name)) = first else {
                    return None;
                };
                if matches!(found, Root::Resource(..)) && IMPLICIT.contains(&name.as_str()) {
                    return rest.is_empty().then_some(&STRING);
                }
                (outputs.get(name)?, rest)
            }
        };
        follow(&first.kind, rest)
    }
}

fn follow<'k>(kind: &'k Kind, segments: &[Segment]) -> Option<&'k Kind> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(kind);
    };
    match (kind, first) {
        (Kind::Object { reference }, Segment::Name(name) | Segment::Key(name)) => follow(
            &Schema::get().object(reference)?.inputs.get(name)?.kind,
            rest,
        ),
        (Kind::List { items }, Segment::Index(_)) => follow(items, rest),
        (Kind::Map { items }, Segment::Name(_) | Segment::Key(_)) => follow(items, rest),
        _ => None,
    }
}

#[derive(PartialEq)]
enum Shape {
    Scalar,
    List,
    Object,
}

fn shape(kind: &Kind) -> Option<Shape> {
    match kind {
        Kind::String | Kind::Integer | Kind::Number | Kind::Bool | Kind::Enum { .. } => {
            Some(Shape::Scalar)
        }
        Kind::List { .. } => Some(Shape::List),
        Kind::Map { .. } | Kind::Object { .. } => Some(Shape::Object),
        Kind::Any { .. } | Kind::Archive | Kind::Asset => None,
    }
}

fn is_call(map: &Map<String, Value>) -> bool {
    map.keys().any(|k| k.starts_with("fn::"))
}
