//! Secrets never enter the rendered program. The JWKS is published (Main.yaml and the
//! authorizer's environment), so it may hold only public key members; tags, descriptions,
//! waiver texts and the JWT settings end up in files people commit and review, so they must
//! not look like credentials. Both are refused at load time.

use serde_json::Value;

/// JWK members that are private key material (RFC 7518 §6.2.2 for EC, §6.3.2 for RSA;
/// symmetric `oct` keys, §6.4, are checked apart: their `k` is the secret itself).
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/// Every private member in the `keys` of a JWKS document: (key index, kid, member).
pub(super) fn jwks_private_members(doc: &Value) -> Vec<(usize, String, &'static str)> {
    let Some(keys) = doc.get("keys").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let kid = key
            .get("kid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        for member in PRIVATE_MEMBERS {
            if key.get(member).is_some() {
                found.push((i, kid.clone(), member));
            }
        }
        if key.get("kty").and_then(Value::as_str) == Some("oct") && key.get("k").is_some() {
            found.push((i, kid.clone(), "k"));
        }
    }
    found
}

/// Whether a text has one credential shape.
type Looks = fn(&str) -> bool;

/// Well-known credential shapes: (what it is, test). Kept to shapes that do not occur in
/// ordinary text, so descriptions and tags are not refused by accident.
const SHAPES: [(&str, Looks); 6] = [
    ("a PEM private key", |t| {
        t.contains("-----BEGIN") && t.contains("PRIVATE KEY")
    }),
    ("an AWS access key id", |t| {
        words(t).any(|w| {
            w.len() == 20
                && ["AKIA", "ASIA"].iter().any(|p| w.starts_with(p))
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
    }),
    ("a GitHub or GitLab token", |t| {
        words(t).any(|w| {
            ["ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-"]
                .iter()
                .any(|p| w.starts_with(p) && w.len() >= p.len() + 20)
        })
    }),
    ("a Slack or Stripe secret", |t| {
        words(t).any(|w| {
            ["xoxb-", "xoxp-", "xoxa-", "xoxs-", "sk_live_", "rk_live_"]
                .iter()
                .any(|p| w.starts_with(p) && w.len() >= p.len() + 10)
        })
    }),
    ("a JSON Web Token", |t| {
        words(t).any(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() == 3 && w.starts_with("eyJ") && parts.iter().all(|p| p.len() >= 10)
        })
    }),
    ("a URL with a password", |t| {
        words(t).any(|w| {
            w.split_once("://")
                .and_then(|(_, rest)| rest.split(['/', '?', '#']).next())
                .is_some_and(|authority| {
                    authority
                        .split_once('@')
                        .is_some_and(|(user, _)| user.contains(':'))
                })
        })
    }),
];

/// Tag or key names that say the value is a secret.
const SECRET_NAMES: [&str; 7] = [
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
];

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || "\"'`,;()[]{}<>".contains(c))
        .filter(|w| !w.is_empty())
}

/// Why `text` (found at `what`, e.g. "tag value") looks like a secret, if it does.
pub(super) fn check_public(text: &str, what: &str) -> Result<(), String> {
    match SHAPES.iter().find(|(_, looks)| looks(text)) {
        Some((kind, _)) => Err(format!(
            "this {what} looks like {kind}; it would be written into the rendered program, \
             which is committed and readable by everyone who can read the stack. Keep secrets \
             in AWS Secrets Manager, not in tenants.toml"
        )),
        None => Ok(()),
    }
}

/// A tag whose key names a secret (`db_password = "..."`) is refused like a secret value.
pub(super) fn check_tag_name(key: &str) -> Result<(), String> {
    let lower = key.to_ascii_lowercase().replace('-', "_");
    match SECRET_NAMES.iter().find(|n| lower.contains(*n)) {
        Some(name) => Err(format!(
            "tag \"{key}\" is named like a secret (\"{name}\"); tags are readable by anyone who \
             can describe the resource and are written into the rendered program. Keep secrets \
             in AWS Secrets Manager"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_private_jwk_members() {
        let doc = serde_json::json!({"keys": [
            {"kty": "RSA", "kid": "a", "n": "x", "e": "AQAB"},
            {"kty": "RSA", "kid": "b", "n": "x", "e": "AQAB", "d": "s", "qi": "s"},
            {"kty": "oct", "kid": "c", "k": "s"},
        ]});
        assert_eq!(
            jwks_private_members(&doc),
            [
                (1, "b".into(), "d"),
                (1, "b".into(), "qi"),
                (2, "c".into(), "k")
            ]
        );
    }

    #[test]
    fn credential_shapes_are_refused_and_prose_is_not() {
        for secret in [
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE...",
            "key AKIAIOSFODNN7EXAMPLE here",
            "ghp_0123456789abcdefghijABCDEFGHIJ",
            "xoxb-1234567890-abcdef",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
            "postgres://admin:hunter2@db.internal/app",
        ] {
            assert!(check_public(secret, "value").is_err(), "{secret}");
        }
        for prose in [
            "Multi-tenant SaaS platform rendered by tapgen",
            "cost center 42: https://wiki.example.com/team@x",
            "platform-team",
            "arn:aws:iam::123456789012:role/deploy",
        ] {
            assert_eq!(check_public(prose, "value"), Ok(()), "{prose}");
        }
        assert!(check_tag_name("db_password").is_err());
        assert!(check_tag_name("API-Key").is_err());
        assert_eq!(check_tag_name("cost_center"), Ok(()));
    }
}
