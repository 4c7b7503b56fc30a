//! TOML syntax errors, named by key and table: "duplicate key `id` in [[tenants]] #3".

use crate::error::ConfigError;
use crate::source::Source;

pub(super) fn error(source: &Source<'_>, error: &toml::de::Error) -> ConfigError {
    let span = error.span().unwrap_or(0..0);
    let text = source.text();
    let header = enclosing_header(text, span.start);
    let table = header
        .as_ref()
        .map_or("the top level".to_string(), |h| h.describe());
    let message = error.message().trim();
    if message.starts_with("duplicate key") {
        let key = text.get(span.clone()).unwrap_or_default().trim();
        let key = key.trim_matches('"');
        let field = match &header {
            Some(h) => format!("{}.{key}", h.field()),
            None => key.to_string(),
        };
        let message = format!(
            "duplicate key `{key}` in {table}: each key appears once per table (remove one, \
             or start a new table)"
        );
        return source.error(span, field, message);
    }
    source.error(span, "toml", format!("syntax error in {table}: {message}"))
}

/// The `[table]` or `[[array]]` header a byte offset is under.
struct Header {
    name: String,
    /// The `[[array]]` the table belongs to, and which entry of it (1-based).
    array: Option<(String, usize)>,
}

impl Header {
    fn describe(&self) -> String {
        match &self.array {
            Some((a, n)) if *a == self.name => format!("[[{a}]] #{n}"),
            Some((a, n)) => format!("[{}] of [[{a}]] #{n}", self.name),
            None => format!("[{}]", self.name),
        }
    }

    fn field(&self) -> String {
        match &self.array {
            Some((a, n)) => format!("{a}[{}]{}", n - 1, &self.name[a.len()..]),
            None => self.name.clone(),
        }
    }
}

/// The last header line before `offset`, with the entry of the `[[array]]` it belongs to
/// (a header-like line inside a multi-line string would fool this; good enough for
/// messages).
fn enclosing_header(text: &str, offset: usize) -> Option<Header> {
    let before = text.get(..offset.min(text.len()))?;
    let headers: Vec<(String, bool)> = before
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            if let Some(name) = line.strip_prefix("[[").and_then(|l| l.split("]]").next()) {
                Some((name.trim().to_string(), true))
            } else {
                let name = line.strip_prefix('[')?.split(']').next()?;
                Some((name.trim().to_string(), false))
            }
        })
        .collect();
    let (name, _) = headers.last()?.clone();
    // A sub-table such as [tenants.overrides] belongs to the latest [[tenants]] entry.
    let array = headers
        .iter()
        .rev()
        .find(|(n, is_array)| *is_array && (name == *n || name.starts_with(&format!("{n}."))))
        .map(|(a, _)| {
            let entry = headers
                .iter()
                .filter(|(n, is_array)| *is_array && n == a)
                .count();
            (a.clone(), entry)
        });
    Some(Header { name, array })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_duplicate_key_and_its_table() {
        let text =
            "[platform]\nx = 1\n[[tenants]]\nid = \"a\"\n[[tenants]]\nid = \"b\"\nid = \"c\"\n";
        let source = Source::new("t.toml", text);
        let (_, errors) = toml::de::DeTable::parse_recoverable(text);
        let error = error(&source, &errors[0]);
        assert_eq!(error.line, 7);
        assert_eq!(error.field, "tenants[1].id");
        assert!(
            error
                .message
                .contains("duplicate key `id` in [[tenants]] #2"),
            "{}",
            error.message
        );
    }
}
