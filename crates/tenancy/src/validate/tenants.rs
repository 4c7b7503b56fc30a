//! Checks of `[[tenants]]`: ids (syntax, uniqueness, physical-name limits), tiers, domains
//! (syntax and that no host is routed to two tenants) and merged sizing.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::hosts::Claim;
use super::platform::CheckedPlatform;
use super::{enterprise, hosts, sizing, Ctx};
use crate::domain;
use crate::model::{Tenant, Tier};
use crate::names;
use crate::raw::RawTenant;
use crate::tenant_id::TenantId;

/// Which tenant first claimed a domain, and on which line.
struct FirstSeen {
    tenant: String,
    line: usize,
}

#[derive(Default)]
pub(super) struct Seen {
    /// Line of each tenant id's first definition.
    ids: HashMap<String, usize>,
    domains: HashMap<String, FirstSeen>,
    /// Every routed host claimed, for the wildcard cross-check once all are known.
    pub hosts: Vec<Claim>,
    /// Cognito custom domains counted so far (their limit is per account and region).
    pub auth_domains: usize,
}

impl Seen {
    /// Claims host `name` for tenant `tenant`, or records that a tenant (this one or
    /// another) already has it.
    pub fn claim(
        &mut self,
        ctx: &mut Ctx<'_>,
        tenant: &str,
        name: &str,
        span: Range<usize>,
        field: String,
    ) -> Option<()> {
        if let Some(first) = self.domains.get(name) {
            let message = format!(
                "tenant \"{tenant}\": domain \"{name}\" is already routed to tenant \"{}\" (line {})",
                first.tenant, first.line
            );
            ctx.error(span, field, message);
            return None;
        }
        let line = ctx.line(&span);
        let first = FirstSeen {
            tenant: tenant.to_string(),
            line,
        };
        self.domains.insert(name.to_string(), first);
        Some(())
    }
}

pub(super) fn validate(
    ctx: &mut Ctx<'_>,
    checked: &CheckedPlatform,
    raw: Option<Spanned<Vec<Spanned<RawTenant>>>>,
    platform_span: Range<usize>,
) -> Vec<Tenant> {
    let (span, list) = match raw {
        Some(list) => (list.span(), list.into_inner()),
        None => (platform_span, Vec::new()),
    };
    if list.is_empty() {
        ctx.error(
            span,
            "tenants",
            "no tenants: add at least one [[tenants]] entry",
        );
    }
    let mut seen = Seen::default();
    let tenants = list
        .into_iter()
        .enumerate()
        .filter_map(|(i, t)| tenant(ctx, checked, &mut seen, i, t.into_inner()))
        .collect();
    hosts::check_wildcards(ctx, &seen.hosts);
    tenants
}

fn tenant(
    ctx: &mut Ctx<'_>,
    checked: &CheckedPlatform,
    seen: &mut Seen,
    index: usize,
    raw: RawTenant,
) -> Option<Tenant> {
    let prefix = format!("tenants[{index}]");
    let raw_id = raw.id.get_ref().clone();
    let who = format!("tenant \"{raw_id}\": ");
    let id = ctx.check(&raw.id, &format!("{prefix}.id"), TenantId::parse);
    // A duplicate's default domains would only repeat the duplicate-id error.
    let mut unique = false;
    if let Some(id) = &id {
        let line = ctx.line(&raw.id.span());
        if let Some(first_line) = seen.ids.get(id.as_str()) {
            let message =
                format!("duplicate tenant id \"{id}\": first defined on line {first_line}");
            ctx.error(raw.id.span(), format!("{prefix}.id"), message);
        } else {
            seen.ids.insert(id.to_string(), line);
            unique = true;
        }
        if checked.names_ok {
            for message in names::tenant_name_violations(&checked.platform, id) {
                ctx.error(raw.id.span(), format!("{prefix}.id"), message);
            }
        }
    }
    let tier = ctx.check(&raw.tier, &format!("{prefix}.tier"), |t| {
        Tier::from_name(t).ok_or_else(|| {
            let allowed: Vec<&str> = Tier::ALL.iter().map(|t| t.as_str()).collect();
            format!("{who}unknown tier \"{t}\"; allowed: {}", allowed.join(", "))
        })
    });
    let domains = domains(
        ctx,
        checked,
        seen,
        &prefix,
        &raw_id,
        id.as_ref().filter(|_| unique),
        &raw,
    );
    let (dns, auth_domain) =
        enterprise::tenant_dns(ctx, checked, seen, &prefix, &raw_id, &raw, &domains);
    let sizing = sizing::merge(
        ctx,
        checked.platform.defaults,
        raw.overrides.as_ref(),
        &format!("{prefix}.overrides"),
        &who,
    );
    Some(Tenant {
        id: id?,
        tier: tier?,
        domains,
        sizing,
        dns,
        auth_domain,
    })
}

/// A tenant's listener rules use ten consecutive priorities, five host names each.
const MAX_DOMAINS: usize = 50;

/// The tenant's domains, explicit or derived from `base_domain`; errors are recorded at
/// the explicit entry, or at the id for derived ones (derived only when `id` is given).
fn domains(
    ctx: &mut Ctx<'_>,
    checked: &CheckedPlatform,
    seen: &mut Seen,
    prefix: &str,
    raw_id: &str,
    id: Option<&TenantId>,
    raw: &RawTenant,
) -> Vec<String> {
    let who = format!("tenant \"{raw_id}\": ");
    let entries: Vec<(String, Range<usize>, String)> = match &raw.domains {
        Some(list) if list.get_ref().is_empty() => {
            let message = format!("{who}domains is empty; omit it to get the default domains");
            ctx.error(list.span(), format!("{prefix}.domains"), message);
            Vec::new()
        }
        Some(list) if list.get_ref().len() > MAX_DOMAINS => {
            let message = format!(
                "{who}{} domains is too many: at most {MAX_DOMAINS} (ten listener rules of five hosts)",
                list.get_ref().len()
            );
            ctx.error(list.span(), format!("{prefix}.domains"), message);
            Vec::new()
        }
        Some(list) => list
            .get_ref()
            .iter()
            .enumerate()
            .map(|(i, d)| {
                (
                    d.get_ref().clone(),
                    d.span(),
                    format!("{prefix}.domains[{i}]"),
                )
            })
            .collect(),
        None => match id {
            Some(id) if checked.base_domain_ok => {
                let base = &checked.platform.base_domain;
                [format!("{id}.{base}"), format!("*.{id}.{base}")]
                    .into_iter()
                    .map(|d| (d, raw.id.span(), format!("{prefix}.id")))
                    .collect()
            }
            _ => Vec::new(),
        },
    };
    let mut out = Vec::new();
    for (name, span, field) in entries {
        if let Err(e) = domain::check_host(&name, true) {
            let derived = if raw.domains.is_none() {
                "default domain: "
            } else {
                ""
            };
            ctx.error(span, field, format!("{who}{derived}{e}"));
            continue;
        }
        if seen
            .claim(ctx, raw_id, &name, span.clone(), field.clone())
            .is_none()
        {
            continue;
        }
        seen.hosts.push(Claim {
            tenant: raw_id.to_string(),
            host: name.clone(),
            line: ctx.line(&span),
            span,
            field,
            default: raw.domains.is_none(),
        });
        out.push(name);
    }
    out
}
