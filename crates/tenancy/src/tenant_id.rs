//! `TenantId`: the one identifier every per-tenant physical name is derived from, so its
//! syntax is strict enough to be safe in S3, IAM, ECS, DNS and PostgreSQL names at once.

use std::fmt;

/// Shortest accepted tenant id.
pub const MIN_LEN: usize = 2;
/// Longest accepted tenant id before the physical-name limits (see [`crate::names`]) apply.
pub const MAX_LEN: usize = 40;

/// A syntactically valid tenant id: `[a-z][a-z0-9-]*[a-z0-9]`, no `--`, 2..=40 characters.
///
/// Whether it also fits every physical name depends on the platform and is checked by
/// validation, so a `TenantId` inside a [`crate::Config`] always fits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TenantId(String);

impl TenantId {
    /// Checks the syntax of `s`; the error says what is wrong and, when obvious, the fix.
    pub fn parse(s: &str) -> Result<TenantId, String> {
        if s.chars().any(|c| c.is_ascii_uppercase() || c == '_') {
            let hint = s.to_ascii_lowercase().replace('_', "-");
            let suggestion = match TenantId::parse(&hint) {
                Ok(_) => format!("; did you mean \"{hint}\"?"),
                Err(_) => String::new(),
            };
            return Err(format!(
                "tenant ids are lowercase letters, digits and hyphens: \"{s}\" has uppercase \
                 letters or underscores{suggestion}"
            ));
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!(
                "tenant ids are lowercase letters, digits and hyphens: \"{s}\" has {c:?}"
            ));
        }
        let len = s.chars().count();
        if !(MIN_LEN..=MAX_LEN).contains(&len) {
            return Err(format!(
                "tenant ids are {MIN_LEN} to {MAX_LEN} characters: \"{s}\" has {len}"
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(format!("tenant ids start with a letter: \"{s}\""));
        }
        if s.ends_with('-') {
            return Err(format!("tenant ids do not end with a hyphen: \"{s}\""));
        }
        if s.contains("--") {
            return Err(format!("tenant ids do not contain \"--\": \"{s}\""));
        }
        Ok(TenantId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for TenantId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_typical_ids() {
        for id in ["acme-corp", "tenant-001", "ab", "a1"] {
            assert_eq!(
                TenantId::parse(id).map(|t| t.to_string()),
                Ok(id.to_string())
            );
        }
    }

    #[test]
    fn rejects_with_specific_messages() {
        let cases = [
            (
                "Acme_Corp",
                "has uppercase letters or underscores; did you mean \"acme-corp\"?",
            ),
            ("acme.corp", "has '.'"),
            ("a", "2 to 40 characters: \"a\" has 1"),
            ("1acme", "start with a letter"),
            ("acme-", "do not end with a hyphen"),
            ("ac--me", "do not contain \"--\""),
        ];
        for (id, expected) in cases {
            let err = TenantId::parse(id).expect_err(id);
            assert!(err.contains(expected), "{id}: {err}");
        }
        assert!(TenantId::parse(&"a".repeat(41)).is_err());
    }

    proptest! {
        /// Whatever is accepted is safe to embed in DNS labels, S3 and IAM names.
        #[test]
        fn accepted_ids_are_dns_label_safe(s in "[a-z0-9_A-Z-]{0,45}") {
            if let Ok(id) = TenantId::parse(&s) {
                prop_assert!(id.as_str().len() <= MAX_LEN);
                prop_assert!(crate::domain::check_label(id.as_str()).is_ok());
            }
        }
    }
}
