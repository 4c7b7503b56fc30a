//! `[platform.auth]`: JWT settings and the JWKS document, read at load time so a missing
//! or unusable key set fails here and not in the deployed authorizer.

use serde_json::Value;
use toml::Spanned;

use super::{secrets, Ctx};
use crate::model::{Auth, DEFAULT_TENANT_CLAIM};
use crate::raw::RawAuth;

pub(super) fn validate(ctx: &mut Ctx<'_>, raw: RawAuth) -> Option<Auth> {
    let issuer = ctx.check(&raw.issuer, "platform.auth.issuer", |i| {
        match i.strip_prefix("https://") {
            Some(host) if !host.is_empty() && !i.contains(char::is_whitespace) => {
                secrets::check_public(i, "issuer")
            }
            _ => Err(format!("issuer \"{i}\" must be an https:// URL")),
        }
    });
    let audience = ctx.check(&raw.audience, "platform.auth.audience", |a| {
        if a.trim().is_empty() {
            Err("audience must not be empty".to_string())
        } else {
            secrets::check_public(a, "audience")
        }
    });
    let tenant_claim = match &raw.tenant_claim {
        Some(claim) => ctx.check(claim, "platform.auth.tenant_claim", |c| {
            if c.is_empty() || c.contains(char::is_whitespace) {
                Err(format!(
                    "tenant_claim \"{c}\" must be a claim name without spaces"
                ))
            } else {
                secrets::check_public(c, "tenant_claim").map(|_| c.to_string())
            }
        }),
        None => Some(DEFAULT_TENANT_CLAIM.to_string()),
    };
    let jwks = jwks(ctx, &raw.jwks);
    Some(Auth {
        issuer: issuer.map(|_| raw.issuer.into_inner())?,
        audience: audience.map(|_| raw.audience.into_inner())?,
        tenant_claim: tenant_claim?,
        jwks: jwks?,
    })
}

/// Reads the JWKS file relative to the config and checks it has a usable RSA key.
fn jwks(ctx: &mut Ctx<'_>, path: &Spanned<String>) -> Option<Value> {
    let full = ctx.base_dir.join(path.get_ref());
    ctx.check(path, "platform.auth.jwks", |p| {
        let text = std::fs::read_to_string(&full)
            .map_err(|e| format!("cannot read JWKS file \"{p}\" ({}): {e}", full.display()))?;
        let doc: Value = serde_json::from_str(&text)
            .map_err(|e| format!("JWKS file \"{p}\" is not valid JSON: {e}"))?;
        let private = secrets::jwks_private_members(&doc);
        if !private.is_empty() {
            let members: Vec<String> = private
                .iter()
                .map(|(i, kid, member)| format!("\"{member}\" of key {i} (kid \"{kid}\")"))
                .collect();
            return Err(format!(
                "JWKS file \"{p}\" holds private key material: {}. The JWKS is published in \
                 the rendered program and the authorizer's environment; keep only the public \
                 members (kty, kid, use, alg, n, e) and the private key with the token issuer",
                members.join(", ")
            ));
        }
        let keys = doc
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("JWKS file \"{p}\" has no \"keys\" array"))?;
        let usable = keys.iter().any(|k| {
            k.get("kty").and_then(Value::as_str) == Some("RSA")
                && ["kid", "n", "e"].iter().all(|f| {
                    k.get(f)
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.is_empty())
                })
        });
        if usable {
            Ok(doc)
        } else {
            Err(format!(
                "JWKS file \"{p}\" has no RSA key with \"kid\", \"n\" and \"e\""
            ))
        }
    })
}
