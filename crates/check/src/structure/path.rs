//! Property paths for findings: `properties.conditions[0].hostHeader`, `tags["a.b"]`.
//!
//! One spelling for every check, so tests and waivers can match paths exactly.

/// `path.key`, or `path["key"]` when the key would be ambiguous in dotted form.
pub fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '$' | '/'));
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{key:?}]"),
    }
}

/// `path[i]`.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling() {
        assert_eq!(join("", "properties"), "properties");
        assert_eq!(join("properties", "healthCheck"), "properties.healthCheck");
        assert_eq!(
            join("variables.azs", "fn::invoke"),
            "variables.azs.fn::invoke"
        );
        assert_eq!(join("tags", "a.b"), r#"tags["a.b"]"#);
        assert_eq!(join("tags", "with space"), r#"tags["with space"]"#);
        assert_eq!(index("properties.actions", 0), "properties.actions[0]");
    }
}
