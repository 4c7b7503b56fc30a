//! Error types: every problem in a config is reported as `file:line:column: field: message`
//! so an editor or CI log can jump straight to it.

use std::fmt;

/// One problem in a config file, located at the offending value.
///
/// `line` and `column` are 1-based; `line == 0` means the problem is not inside the file
/// (for example the file could not be read).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {field}: {message}")]
pub struct ConfigError {
    /// The file name as given to [`crate::parse`] or [`crate::load`].
    pub file: String,
    /// 1-based line of the offending value (0 when there is no position).
    pub line: usize,
    /// 1-based column, counted in characters, of the offending value.
    pub column: usize,
    /// Dotted path of the offending key, e.g. `platform.vpc_cidr` or `tenants[2].id`.
    pub field: String,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

/// All problems found in one run. Never empty when returned as an error.
///
/// Validation collects everything it can find so a user fixes a config in one pass instead
/// of one error per run; the list is sorted by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    /// Wraps `errors`, sorted by line and column (stable, so equal positions keep the order
    /// in which they were found).
    pub fn new(mut errors: Vec<ConfigError>) -> Self {
        errors.sort_by_key(|e| (e.line, e.column));
        ConfigErrors(errors)
    }

    /// The individual errors, sorted by position.
    pub fn errors(&self) -> &[ConfigError] {
        &self.0
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl From<ConfigError> for ConfigErrors {
    fn from(error: ConfigError) -> Self {
        ConfigErrors(vec![error])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize, field: &str) -> ConfigError {
        ConfigError {
            file: "t.toml".into(),
            line,
            column,
            field: field.into(),
            message: "bad".into(),
        }
    }

    #[test]
    fn display_is_one_sorted_error_per_line() {
        let errors = ConfigErrors::new(vec![at(9, 1, "b"), at(2, 5, "a"), at(2, 3, "c")]);
        assert_eq!(
            errors.to_string(),
            "t.toml:2:3: c: bad\nt.toml:2:5: a: bad\nt.toml:9:1: b: bad"
        );
    }
}
