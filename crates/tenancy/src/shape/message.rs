//! What a serde error from the raw structs means, said in the user's terms: the key, the
//! table it is in, the tenant, and for an unknown key the closest known one.

use super::path::{KeyPath, Step};

/// A shape error as reading handles it.
pub(super) enum Problem {
    /// A key the table does not have; `expected` lists the keys it does.
    Unknown { key: String, expected: Vec<String> },
    /// A required key that is not there.
    Missing(String),
    /// Anything else: a wrong type or a value out of the type's range.
    Value(String),
}

pub(super) fn classify(message: &str) -> Problem {
    if let Some(key) = quoted(message, "unknown field `") {
        // The known keys are the backtick-quoted words after "expected".
        let expected = message
            .split_once("expected")
            .map(|(_, list)| {
                list.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        return Problem::Unknown {
            key: key.to_string(),
            expected,
        };
    }
    if let Some(key) = quoted(message, "missing field `") {
        return Problem::Missing(key.to_string());
    }
    // serde names Rust types; say what to write in TOML instead.
    Problem::Value(
        message
            .replace("expected u8", "expected a whole number from 0 to 255")
            .replace(
                "expected u32",
                "expected a whole number from 0 to 4294967295",
            ),
    )
}

impl Problem {
    /// For an unknown key, the known key it is probably a misspelling of.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            Problem::Unknown { key, expected } => closest(key, expected),
            _ => None,
        }
    }
}

/// The message for `problem` at `target`; `tenant` is the id of the tenant it is in.
pub(super) fn describe(problem: &Problem, target: &KeyPath, tenant: Option<&str>) -> String {
    let table = target.parent().table();
    let text = match problem {
        Problem::Unknown { key, expected } => {
            let hint = match problem.suggestion() {
                Some(near) => format!("; did you mean `{near}`?"),
                None => String::new(),
            };
            let known = if expected.is_empty() {
                String::new()
            } else {
                format!(
                    " (known keys: {})",
                    expected
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            format!("unknown field `{key}` in {table}{hint}{known}")
        }
        Problem::Missing(key) => format!("missing field `{key}` in {table}"),
        Problem::Value(message) => match (target.last_key(), target.0.last()) {
            (Some(key), _) => format!("`{key}` in {table}: {message}"),
            (None, Some(Step::Index(i))) => {
                let list = target.parent();
                let name = list.last_key().unwrap_or("list");
                format!(
                    "item {} of `{name}` in {}: {message}",
                    i + 1,
                    list.parent().table()
                )
            }
            _ => format!("{}: {message}", target.table()),
        },
    };
    match tenant {
        Some(id) => format!("tenant \"{id}\": {text}"),
        None => text,
    }
}

/// The known key nearest to `key`, if it is near enough to be a misspelling: edit distance
/// at most a third of the key's length (at least 1), ties going to the first listed.
fn closest<'k>(key: &str, known: &'k [String]) -> Option<&'k str> {
    let limit = (key.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), k))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k.as_str())
}

/// The text between `prefix` and the next backtick in `message`.
fn quoted<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        let known: Vec<String> = ["desired_count", "min_tasks", "max_tasks"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("desird_count", &known), Some("desired_count"));
        assert_eq!(closest("max_task", &known), Some("max_tasks"));
        assert_eq!(closest("colour", &known), None);
    }

    #[test]
    fn reads_serde_messages() {
        let Problem::Unknown { key, expected } =
            classify("unknown field `domain`, expected one of `id`, `tier`, `domains`")
        else {
            panic!("not unknown");
        };
        assert_eq!(key, "domain");
        assert_eq!(expected, ["id", "tier", "domains"]);
        let Problem::Unknown { expected, .. } =
            classify("unknown field `x`, expected `rule` or `reason`")
        else {
            panic!("not unknown");
        };
        assert_eq!(expected, ["rule", "reason"]);
        assert!(matches!(classify("missing field `region`"), Problem::Missing(k) if k == "region"));
    }
}
