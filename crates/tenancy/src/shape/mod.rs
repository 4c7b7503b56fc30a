//! Reading `tenants.toml` into the raw structs, reporting every shape error (unknown key,
//! wrong type, missing key) and not only the first.
//!
//! serde stops at the first such error, so reading repairs the document and tries again:
//! an unknown key is removed, a value of the wrong type is removed (or, if the key is
//! required, replaced by a placeholder of another type), a missing key gets a placeholder.
//! The document keeps its original spans, so the validation that follows still points at
//! the user's text; validation errors on a repaired field are dropped, because that field
//! already has its error.

mod message;
mod path;
mod syntax;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::error::ConfigError;
use crate::raw::RawConfig;
use crate::source::Source;
use path::KeyPath;

/// The outcome of reading: the raw config when the document could be repaired into one,
/// the shape errors, and the fields they are about.
pub(crate) struct Read {
    pub raw: Option<RawConfig>,
    pub errors: Vec<ConfigError>,
    pub fields: Vec<String>,
}

impl Read {
    /// Whether a validation error on `field` is about a value reading already reported
    /// (the field itself or anything inside it).
    pub fn covers(&self, field: &str) -> bool {
        covers(&self.fields, field)
    }
}

/// Whether `field` is one of `fields` or inside one of them.
fn covers(fields: &[String], field: &str) -> bool {
    fields.iter().any(|f| {
        field == f
            || field
                .strip_prefix(f.as_str())
                .is_some_and(|rest| rest.starts_with(['.', '[']))
    })
}

/// Repairs done so far, by field: whether the value was removed, and how many placeholders
/// were tried.
#[derive(Default)]
struct Tried {
    removed: HashSet<String>,
    placeholders: HashMap<String, usize>,
}

/// What a repair did.
enum Repair {
    Removed,
    /// A placeholder was put in, with this span.
    Placed(Range<usize>),
    Failed,
}

impl From<bool> for Repair {
    fn from(removed: bool) -> Self {
        if removed {
            Repair::Removed
        } else {
            Repair::Failed
        }
    }
}

/// Values tried, in order, for a required key whose value is missing or of the wrong type.
const PLACEHOLDERS: [&str; 5] = ["\"\"", "0", "false", "[]", "{}"];
/// Repairs tried before giving up on a document (each fixes one error).
const MAX_REPAIRS: usize = 500;

pub(crate) fn read(source: &Source<'_>) -> Read {
    let (doc, syntax_errors) = DeTable::parse_recoverable(source.text());
    if !syntax_errors.is_empty() {
        // A document that is not TOML has no reliable structure to validate.
        let errors = syntax_errors
            .iter()
            .map(|e| syntax::error(source, e))
            .collect();
        return Read {
            raw: None,
            errors,
            fields: Vec::new(),
        };
    }
    let root_span = doc.span();
    let mut doc = doc.into_inner();
    let mut errors = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut tried = Tried::default();
    // Where placeholders were put, by the span they were given.
    let mut placeholders: Vec<(Range<usize>, KeyPath)> = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let de = toml::de::Deserializer::from(toml::Spanned::new(root_span.clone(), doc.clone()));
        let error = match RawConfig::deserialize(de) {
            Ok(raw) => {
                return Read {
                    raw: Some(raw),
                    errors,
                    fields,
                }
            }
            Err(error) => error,
        };
        let span = error.span().unwrap_or(0..0);
        let problem = message::classify(error.message().trim());
        let missing = matches!(problem, message::Problem::Missing(_));
        // An error about a placeholder (its span is borrowed from its table); only a table
        // placeholder can miss keys.
        let placed = placeholders
            .iter()
            .rev()
            .filter(|(s, _)| *s == span)
            .find(|(_, p)| !missing || path::is_table(&mut doc, p))
            .map(|(_, p)| p.clone());
        let at = match placed {
            Some(placed) => placed,
            // An empty span is the document root (a missing top-level key).
            _ if span.is_empty() => KeyPath::default(),
            _ => path::locate(&doc, span.start),
        };
        let target = match &problem {
            message::Problem::Missing(key) => at.child(key),
            _ => at,
        };
        let field = target.field();
        // Inside a reported field (a placeholder table) nothing more is news.
        if !covers(&fields, &field) {
            let text = message::describe(&problem, &target, path::tenant_id(&doc, &target));
            errors.push(source.error(span.clone(), field_or_toml(&field), text));
            fields.push(field.clone());
        }
        match repair(&mut doc, &problem, &target, &mut tried, span.clone()) {
            Repair::Failed => break,
            Repair::Placed(at) => placeholders.push((at, target)),
            Repair::Removed => {}
        }
    }
    Read {
        raw: None,
        errors,
        fields,
    }
}

fn field_or_toml(field: &str) -> &str {
    if field.is_empty() {
        "toml"
    } else {
        field
    }
}

/// Changes the document so the same error cannot recur.
fn repair(
    doc: &mut DeTable<'_>,
    problem: &message::Problem,
    target: &KeyPath,
    tried: &mut Tried,
    span: Range<usize>,
) -> Repair {
    if target.0.is_empty() {
        return Repair::Failed;
    }
    if let message::Problem::Unknown { .. } = problem {
        let Some(value) = path::remove(doc, target) else {
            return Repair::Failed;
        };
        // A misspelt key's value is validated under the key it was meant to be, so its
        // misspelling is one error, not also a "missing field".
        if let Some(meant) = problem.suggestion() {
            let meant = target.parent().child(meant);
            if !path::exists(doc, &meant) {
                let span = value.span();
                path::set(doc, &meant, value.into_inner(), span);
            }
        }
        return Repair::Removed;
    }
    // A wrong-typed key is first removed (enough when it is optional); a missing key, or
    // one that is missing once removed, gets each placeholder in turn.
    let field = target.field();
    let missing = matches!(problem, message::Problem::Missing(_));
    if !missing && target.last_key().is_some() && tried.removed.insert(field.clone()) {
        return path::remove(doc, target).is_some().into();
    }
    let next = tried.placeholders.entry(field).or_default();
    let placeholder = *next;
    *next += 1;
    let value = PLACEHOLDERS
        .get(placeholder)
        .and_then(|text| DeValue::parse(text).ok());
    // An empty span at the error's start: on the right line for messages, and containing no
    // offset, so locating a later error never descends into the placeholder.
    let at = span.start..span.start;
    match value.map(|v| path::set(doc, target, v.into_inner(), at.clone())) {
        Some(true) => Repair::Placed(at),
        _ => Repair::Failed,
    }
}
