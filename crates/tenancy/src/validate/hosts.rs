//! Hosts two tenants would both receive through a wildcard. Exact duplicates are caught as
//! each host is claimed; this pass runs once every tenant's hosts (explicit and default)
//! are known, so file order does not matter.
//!
//! A wildcard covers one label, as in DNS and in ACM certificates: `*.example.com` covers
//! `acme.example.com` (another tenant's default domain) but not `*.acme.example.com` or
//! `a.acme.example.com`. The load balancer's host match would also take deeper names, but
//! no certificate tapgen requests serves them, so no tenant can receive them.

use std::collections::HashMap;
use std::ops::Range;

use super::Ctx;

/// A host claimed by a tenant, and where it is written (or, for a default domain, the id).
pub(super) struct Claim {
    pub tenant: String,
    pub host: String,
    pub span: Range<usize>,
    pub field: String,
    pub line: usize,
    /// Derived from base_domain rather than written in `domains`.
    pub default: bool,
}

/// Reports each host of one tenant that a wildcard of another tenant covers, at whichever
/// of the two comes later in the file.
pub(super) fn check_wildcards(ctx: &mut Ctx<'_>, claims: &[Claim]) {
    let wildcards: HashMap<&str, &Claim> = claims
        .iter()
        .filter_map(|c| c.host.strip_prefix("*.").map(|parent| (parent, c)))
        .collect();
    for host in claims.iter().filter(|c| !c.host.starts_with("*.")) {
        let Some((_, parent)) = host.host.split_once('.') else {
            continue;
        };
        let Some(wildcard) = wildcards.get(parent) else {
            continue;
        };
        if wildcard.tenant == host.tenant {
            continue;
        }
        let (later, earlier) = if (wildcard.line, &wildcard.field) > (host.line, &host.field) {
            (*wildcard, host)
        } else {
            (host, *wildcard)
        };
        let describe = |c: &Claim| {
            let kind = if c.default {
                ", its default domain"
            } else {
                ""
            };
            format!(
                "\"{}\" of tenant \"{}\" (line {}{kind})",
                c.host, c.tenant, c.line
            )
        };
        let message = format!(
            "tenant \"{}\": wildcard \"{}\" covers host \"{}\": both tenants would receive \
             requests for it. {} and {} overlap; give one tenant a narrower domain",
            later.tenant,
            wildcard.host,
            host.host,
            describe(earlier),
            describe(later),
        );
        ctx.error(later.span.clone(), later.field.clone(), message);
    }
}
