//! Checks one value against the input shape the SDK declares for it, at any depth.
//!
//! Literals must have the kind the provider accepts. Pulumi YAML stringifies numbers and
//! booleans given for a string input, so those pass; every other mismatch (a quoted number
//! for a number input, a string for a bool, a list for an object...) would be rejected by the
//! engine or the provider. Strings holding `${...}` and `fn::` calls are expressions whose
//! kind is only known at deploy time, so only their own shape (call arguments) is checked.

use std::path::Path;

use serde_json::{Map, Value};

use super::schema::{Inputs, Kind, Schema};
use super::suggest;
use crate::structure::path::{index, join};
use crate::structure::reference::is_expression;
use crate::Finding;

/// Collects findings for one resource (or `variables` / `outputs`).
pub struct Checker<'a> {
    pub schema: &'static Schema,
    pub resource: &'a str,
    pub dir: &'a Path,
    pub findings: Vec<Finding>,
}

impl<'a> Checker<'a> {
    pub fn new(resource: &'a str, dir: &'a Path) -> Checker<'a> {
        Checker {
            schema: Schema::get(),
            resource,
            dir,
            findings: Vec::new(),
        }
    }

    pub fn report(&mut self, rule: &str, path: &str, message: String) {
        self.findings.push(Finding {
            rule: rule.into(),
            resource: self.resource.into(),
            path: path.into(),
            message,
        });
    }

    /// An empty checker for trying one alternative of a `oneOf`.
    fn scratch(&self) -> Checker<'a> {
        Checker::new(self.resource, self.dir)
    }

    /// `map` against the inputs of a resource, function or object type: unknown names,
    /// deprecated names, missing required names, and each value's kind.
    pub fn object(&mut self, map: &Map<String, Value>, inputs: &Inputs, path: &str) {
        for (key, value) in map {
            let at = join(path, key);
            match inputs.inputs.get(key) {
                None => {
                    let hint = suggest::hint(key, inputs.inputs.keys().map(String::as_str));
                    self.report("schema", &at, format!("unknown property {key}{hint}"));
                    self.any(value, &at);
                }
                Some(prop) => {
                    if prop.deprecated && !value.is_null() {
                        let message = format!(
                            "deprecated property {key}: the provider marks it deprecated; use its replacement"
                        );
                        self.report("schema", &at, message);
                    }
                    self.value(value, &prop.kind, &at);
                }
            }
        }
        for required in &inputs.required {
            if map.get(required).is_none_or(Value::is_null) {
                let message = format!("missing required input {required}");
                self.report("schema", &join(path, required), message);
            }
        }
    }

    /// `value` where the schema expects `kind`.
    pub fn value(&mut self, value: &Value, kind: &Kind, path: &str) {
        match value {
            Value::Null => return,
            Value::String(text) if is_expression(text) => return,
            Value::Object(map) if self.is_call(map, path) => {
                if let Some((name, arg)) = map.iter().next() {
                    self.call(name, arg, path, Some(kind));
                }
                return;
            }
            _ => {}
        }
        match kind {
            Kind::String => {
                if value.is_array() || value.is_object() {
                    self.mismatch(kind, value, path);
                }
            }
            Kind::Integer if !is_integer(value) => self.mismatch(kind, value, path),
            Kind::Number if !value.is_number() => self.mismatch(kind, value, path),
            Kind::Bool if !value.is_boolean() => self.mismatch(kind, value, path),
            Kind::Integer | Kind::Number | Kind::Bool => {}
            Kind::Enum { values, open } => self.enumeration(value, values, *open, path),
            Kind::Any { one_of } if one_of.is_empty() => self.any(value, path),
            Kind::Any { one_of } => self.one_of(value, one_of, path),
            Kind::List { items } => match value {
                Value::Array(list) => {
                    for (i, item) in list.iter().enumerate() {
                        self.value(item, items, &index(path, i));
                    }
                }
                _ => self.mismatch(kind, value, path),
            },
            Kind::Map { items } => match value {
                Value::Object(map) => {
                    for (key, item) in map {
                        self.value(item, items, &join(path, key));
                    }
                }
                _ => self.mismatch(kind, value, path),
            },
            Kind::Object { reference } => match (value, self.schema.object(reference)) {
                (Value::Object(map), Some(inputs)) => self.object(map, inputs, path),
                (Value::Object(_), None) => {
                    let message = format!("schema data has no type {reference}");
                    self.report("schema", path, message);
                }
                _ => self.mismatch(kind, value, path),
            },
            Kind::Archive | Kind::Asset => self.mismatch(kind, value, path),
        }
    }

    /// A value of unknown expected kind: only the calls inside it are checked.
    pub fn any(&mut self, value: &Value, path: &str) {
        match value {
            Value::Object(map) if self.is_call(map, path) => {
                if let Some((name, arg)) = map.iter().next() {
                    self.call(name, arg, path, None);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    self.any(item, &join(path, key));
                }
            }
            Value::Array(list) => {
                for (i, item) in list.iter().enumerate() {
                    self.any(item, &index(path, i));
                }
            }
            _ => {}
        }
    }

    /// True if `map` is a `fn::` call. A `fn::` key next to other keys is reported: Pulumi
    /// would treat the mapping as a malformed call.
    fn is_call(&mut self, map: &Map<String, Value>, path: &str) -> bool {
        let calls = map.keys().filter(|k| k.starts_with("fn::")).count();
        if calls > 0 && map.len() > 1 {
            let message = "a fn:: call must be the only key of its mapping".to_string();
            self.report("schema", path, message);
        }
        calls == 1 && map.len() == 1
    }

    fn enumeration(&mut self, value: &Value, values: &[String], open: bool, path: &str) {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return self.mismatch(&Kind::String, value, path),
        };
        if !open && !values.contains(&text) {
            let hint = suggest::hint(&text, values.iter().map(String::as_str));
            let message = format!(
                "invalid value {text:?}{hint}: expected one of {}",
                values.join(", ")
            );
            self.report("schema", path, message);
        }
    }

    /// Accepted if any alternative accepts it. Otherwise the findings of the one alternative
    /// of the same shape are reported (they say more), else a plain mismatch.
    fn one_of(&mut self, value: &Value, kinds: &[Kind], path: &str) {
        let mut same_shape = Vec::new();
        for kind in kinds {
            let mut trial = self.scratch();
            trial.value(value, kind, path);
            if trial.findings.is_empty() {
                return;
            }
            if same_shape_as(kind, value) {
                same_shape.push(trial.findings);
            }
        }
        match <[Vec<Finding>; 1]>::try_from(same_shape) {
            Ok([findings]) => self.findings.extend(findings),
            Err(_) => {
                let expected: Vec<String> = kinds.iter().map(describe).collect();
                let message = format!("expected {}, got {}", expected.join(" or "), shown(value));
                self.report("schema", path, message);
            }
        }
    }

    pub fn mismatch(&mut self, kind: &Kind, value: &Value, path: &str) {
        let message = format!("expected {}, got {}", describe(kind), shown(value));
        self.report("schema", path, message);
    }
}

fn same_shape_as(kind: &Kind, value: &Value) -> bool {
    match value {
        Value::Object(_) => matches!(kind, Kind::Object { .. } | Kind::Map { .. }),
        Value::Array(_) => matches!(kind, Kind::List { .. }),
        _ => matches!(
            kind,
            Kind::String | Kind::Integer | Kind::Number | Kind::Bool | Kind::Enum { .. }
        ),
    }
}

/// `3` or `3.0`, not `3.5`: YAML gives whole numbers either way.
fn is_integer(value: &Value) -> bool {
    value.as_f64().is_some_and(|n| n.fract() == 0.0)
}

/// "a number", "an object (aws:lb/TargetGroupHealthCheck)"...
pub fn describe(kind: &Kind) -> String {
    match kind {
        Kind::String => "a string".into(),
        Kind::Integer => "an integer".into(),
        Kind::Number => "a number".into(),
        Kind::Bool => "a boolean".into(),
        Kind::Any { .. } => "any value".into(),
        Kind::List { items } => format!("a list of {}", plural(items)),
        Kind::Map { items } => format!("a map of {}", plural(items)),
        Kind::Object { reference } => format!("an object ({reference})"),
        Kind::Enum { .. } => "a string".into(),
        Kind::Archive => {
            "an archive (fn::fileArchive, fn::remoteArchive or fn::assetArchive)".into()
        }
        Kind::Asset => {
            "an asset or archive (fn::fileAsset, fn::stringAsset, fn::fileArchive...)".into()
        }
    }
}

fn plural(kind: &Kind) -> String {
    match kind {
        Kind::Object { reference } => format!("objects ({reference})"),
        Kind::Any { .. } => "values".into(),
        Kind::Enum { .. } => "strings".into(),
        Kind::List { items } => format!("lists of {}", plural(items)),
        Kind::Map { items } => format!("maps of {}", plural(items)),
        other => {
            let one = describe(other);
            let bare = one
                .strip_prefix("a ")
                .or_else(|| one.strip_prefix("an "))
                .unwrap_or(&one);
            format!("{bare}s")
        }
    }
}

/// How a literal reads in a message.
pub fn shown(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
