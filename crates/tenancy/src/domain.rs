//! DNS name syntax, as ALB host-header rules, ACM and Route 53 accept it (lowercase only,
//! so the same host is never spelled two ways in routing rules).

/// Longest DNS name in presentation form.
const MAX_NAME: usize = 253;
/// Longest DNS label.
const MAX_LABEL: usize = 63;

/// Checks a host name; `allow_wildcard` permits one leading `*.` label.
pub(crate) fn check_host(name: &str, allow_wildcard: bool) -> Result<(), String> {
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "domain names are lowercase: use \"{}\"",
            name.to_ascii_lowercase()
        ));
    }
    let (wildcard, rest) = match name.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    if wildcard && !allow_wildcard {
        return Err(format!("\"{name}\": a wildcard is not allowed here"));
    }
    if rest.contains('*') {
        return Err(format!(
            "\"{name}\": only a leading \"*.\" wildcard is allowed"
        ));
    }
    if name.len() > MAX_NAME {
        return Err(format!(
            "\"{name}\" is {} characters (DNS limit {MAX_NAME})",
            name.len()
        ));
    }
    if rest.ends_with('.') {
        return Err(format!("\"{name}\": leave out the trailing '.'"));
    }
    let labels: Vec<&str> = rest.split('.').collect();
    if labels.len() < 2 {
        return Err(format!(
            "\"{name}\" needs at least two labels, like example.com"
        ));
    }
    for label in &labels {
        check_label(label).map_err(|e| format!("\"{name}\": {e}"))?;
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!(
            "\"{name}\": the last label is all digits (an IP address is not a domain)"
        ));
    }
    Ok(())
}

/// Checks one label: 1..=63 of `[a-z0-9-]`, not starting or ending with `-`.
pub(crate) fn check_label(label: &str) -> Result<(), String> {
    if label.is_empty() {
        return Err("empty label (\"..\" or a leading '.')".into());
    }
    if label.len() > MAX_LABEL {
        return Err(format!(
            "label \"{label}\" is {} characters (limit {MAX_LABEL})",
            label.len()
        ));
    }
    if let Some(c) = label
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "label \"{label}\" has {c:?}; labels are lowercase letters, digits and hyphens"
        ));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(format!("label \"{label}\" starts or ends with a hyphen"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hosts_and_leading_wildcards() {
        for name in [
            "acme.io",
            "*.acme.io",
            "a-b.example.co.uk",
            "x1.example.com",
        ] {
            assert_eq!(check_host(name, true), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_bad_hosts() {
        let cases = [
            ("Acme.io", "domain names are lowercase: use \"acme.io\""),
            ("*.acme.io", "a wildcard is not allowed here"),
            ("a.*.io", "only a leading"),
            ("localhost", "at least two labels"),
            ("acme.io.", "trailing"),
            ("a..io", "empty label"),
            ("-a.io", "starts or ends with a hyphen"),
            ("a_b.io", "has '_'"),
            ("10.0.0.1", "all digits"),
        ];
        for (name, expected) in cases {
            let err = check_host(name, false).expect_err(name);
            assert!(err.contains(expected), "{name}: {err}");
        }
        let long = format!("{}.io", "a".repeat(64));
        assert!(check_host(&long, false).is_err());
        let very_long = format!("{}io", "abcdefghi.".repeat(26));
        assert!(check_host(&very_long, false)
            .expect_err("too long")
            .contains("DNS limit 253"));
    }
}
