//! Reports TOML syntax and shape errors (unknown key, wrong type, missing key).
//!
//! serde stops at the first of these, so it is reported alone. toml gives a byte span but
//! no usable key path, so the path is recovered by finding which key or value of the
//! document contains the span.

use toml::de::{DeTable, DeValue};

use crate::error::ConfigError;
use crate::source::Source;

/// Converts a parse error into a located [`ConfigError`].
pub(crate) fn shape_error(source: &Source<'_>, error: &toml::de::Error) -> ConfigError {
    let span = error.span().unwrap_or(0..0);
    // serde names Rust types; say what to write in TOML instead.
    let message = error
        .message()
        .trim()
        .replace("expected u8", "expected a whole number from 0 to 255")
        .replace(
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        );
    // A document that does not even parse as TOML has no key path to offer.
    let Ok(doc) = DeTable::parse(source.text()) else {
        return source.error(span, "toml", format!("syntax error: {message}"));
    };
    let mut path = Path::default();
    // An empty span is toml's way of pointing at the document root (e.g. a missing
    // top-level key); there is nothing to descend into.
    if !span.is_empty() {
        walk(doc.get_ref(), span.start, &mut path);
    }
    if let Some(missing) = quoted(&message, "missing field `") {
        path.push_key(missing);
    }
    let field = if path.text.is_empty() {
        "toml".to_string()
    } else {
        path.text
    };
    let message = match path.tenant {
        Some(id) => format!("tenant \"{id}\": {message}"),
        None => message,
    };
    source.error(span, field, message)
}

/// Dotted key path found so far, and the id of the tenant it is inside, if any.
#[derive(Default)]
struct Path {
    text: String,
    tenant: Option<String>,
}

impl Path {
    fn push_key(&mut self, key: &str) {
        if !self.text.is_empty() {
            self.text.push('.');
        }
        self.text.push_str(key);
    }
}

/// Descends into the innermost key or value whose span contains `offset`.
fn walk(table: &DeTable<'_>, offset: usize, path: &mut Path) {
    for (key, value) in table.iter() {
        let inside = |r: std::ops::Range<usize>| r.contains(&offset);
        let mut child = Path {
            text: path.text.clone(),
            tenant: path.tenant.clone(),
        };
        child.push_key(key.get_ref());
        let before = child.text.len();
        descend(value.get_ref(), offset, &mut child);
        if child.text.len() > before || inside(key.span()) || inside(value.span()) {
            *path = child;
            return;
        }
    }
}

fn descend(value: &DeValue<'_>, offset: usize, path: &mut Path) {
    match value {
        DeValue::Table(table) => walk(table, offset, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mut child = Path {
                    text: format!("{}[{i}]", path.text),
                    tenant: path.tenant.clone(),
                };
                if path.text == "tenants" {
                    if let DeValue::Table(t) = item.get_ref() {
                        child.tenant = t
                            .get("id")
                            .and_then(|id| id.get_ref().as_str())
                            .map(str::to_string);
                    }
                }
                let before = child.text.len();
                descend(item.get_ref(), offset, &mut child);
                let span = item.span();
                if child.text.len() > before || span.contains(&offset) {
                    *path = child;
                    return;
                }
            }
        }
        _ => {}
    }
}

/// The text between `prefix` and the next backtick in `message`.
fn quoted<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    rest.split('`').next()
}
