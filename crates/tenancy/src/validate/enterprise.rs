//! Checks of what only the enterprise system (System B) reads: `[platform.fleet]`,
//! `[platform.cache]` and each tenant's `dns` and `auth_domain`.
//!
//! Other systems refuse these keys rather than ignore them: a user who writes
//! `auth_domain` expects a Cognito domain, and silently rendering none would hide that.

use std::ops::Range;

use toml::Spanned;

use super::platform::CheckedPlatform;
use super::tenants::Seen;
use super::Ctx;
use crate::aws;
use crate::domain;
use crate::model::{Cache, Dns, Fleet, System};
use crate::raw::{RawCache, RawFleet, RawTenant};

/// Cognito allows 4 custom domains per account and region, and AWS does not raise it.
pub(super) const MAX_AUTH_DOMAINS: usize = 4;
/// Upper bound of every Auto Scaling group: beyond it a tenant belongs on its own stack.
const MAX_GROUP_SIZE: u32 = 100;
/// gp3 root volumes: the AL2023 AMI's 8 GiB snapshot up to the gp3 maximum.
const VOLUME_GIB: std::ops::RangeInclusive<u32> = 8..=16384;

/// Records an error when an enterprise-only key is set for another system.
fn refuse_outside_enterprise(
    ctx: &mut Ctx<'_>,
    system: Option<System>,
    span: Range<usize>,
    field: &str,
) -> bool {
    match system {
        Some(System::Enterprise) => false,
        Some(other) => {
            let message = format!(
                "{field} is only read by system = \"enterprise\", not \"{other}\"; remove it"
            );
            ctx.error(span, field, message);
            true
        }
        // An unknown system is already reported; do not add noise.
        None => true,
    }
}

pub(super) fn fleet(
    ctx: &mut Ctx<'_>,
    system: Option<System>,
    raw: Option<Spanned<RawFleet>>,
) -> Fleet {
    let mut fleet = Fleet::default();
    let Some(raw) = raw else { return fleet };
    if refuse_outside_enterprise(ctx, system, raw.span(), "platform.fleet") {
        return fleet;
    }
    let raw = raw.into_inner();
    if let Some(t) = raw.instance_type {
        ctx.check(&t, "platform.fleet.instance_type", |t| {
            class_ok(t)
                .then_some(())
                .ok_or_else(|| format!("instance_type \"{t}\" must be an EC2 type like m5.large"))
        });
        fleet.instance_type = t.into_inner();
    }
    let field = |key: &str| format!("platform.fleet.{key}");
    let pool_min = number(raw.pool_min, fleet.pool_min);
    let pool_max = number(raw.pool_max, fleet.pool_max);
    let premium_min = number(raw.premium_min, fleet.premium_min);
    let premium_max = number(raw.premium_max, fleet.premium_max);
    let target = number(raw.cpu_target_percent, fleet.cpu_target_percent);
    let volume = number(raw.volume_size_gib, fleet.volume_size_gib);
    for (group, min, max) in [
        ("pool", &pool_min, &pool_max),
        ("premium", &premium_min, &premium_max),
    ] {
        if let (0, Some(span)) = (min.0, &min.1) {
            ctx.error(
                span.clone(),
                field(&format!("{group}_min")),
                format!("{group}_min is at least 1: a group with no instance serves nobody"),
            );
        } else if min.0 > max.0 {
            let (key, span) = match (&min.1, &max.1) {
                (Some(s), _) => (format!("{group}_min"), s.clone()),
                (None, Some(s)) => (format!("{group}_max"), s.clone()),
                (None, None) => continue,
            };
            ctx.error(
                span,
                field(&key),
                format!(
                    "{group}_min ({}) is greater than {group}_max ({})",
                    min.0, max.0
                ),
            );
        } else if let (true, Some(span)) = (max.0 > MAX_GROUP_SIZE, &max.1) {
            ctx.error(
                span.clone(),
                field(&format!("{group}_max")),
                format!("{group}_max is at most {MAX_GROUP_SIZE}, not {}", max.0),
            );
        }
    }
    if let (false, Some(span)) = ((1..=100).contains(&target.0), &target.1) {
        ctx.error(
            span.clone(),
            field("cpu_target_percent"),
            format!("cpu_target_percent is 1 to 100, not {}", target.0),
        );
    }
    if let (false, Some(span)) = (VOLUME_GIB.contains(&volume.0), &volume.1) {
        ctx.error(
            span.clone(),
            field("volume_size_gib"),
            format!(
                "volume_size_gib is {} (the AMI's root snapshot) to {} (gp3 maximum), not {}",
                VOLUME_GIB.start(),
                VOLUME_GIB.end(),
                volume.0
            ),
        );
    }
    Fleet {
        pool_min: pool_min.0,
        pool_max: pool_max.0,
        premium_min: premium_min.0,
        premium_max: premium_max.0,
        cpu_target_percent: target.0,
        volume_size_gib: volume.0,
        ..fleet
    }
}

/// The value set, or `default`, and where it was set if it was.
fn number(value: Option<Spanned<u32>>, default: u32) -> (u32, Option<Range<usize>>) {
    match value {
        Some(v) => (*v.get_ref(), Some(v.span())),
        None => (default, None),
    }
}

pub(super) fn cache(
    ctx: &mut Ctx<'_>,
    system: Option<System>,
    raw: Option<Spanned<RawCache>>,
) -> Cache {
    let mut cache = Cache::default();
    let Some(raw) = raw else { return cache };
    if refuse_outside_enterprise(ctx, system, raw.span(), "platform.cache") {
        return cache;
    }
    let raw = raw.into_inner();
    if let Some(t) = raw.node_type {
        ctx.check(&t, "platform.cache.node_type", aws::check_cache_node_type);
        cache.node_type = t.into_inner();
    }
    if let Some(v) = raw.engine_version {
        ctx.check(
            &v,
            "platform.cache.engine_version",
            aws::check_redis_version,
        );
        cache.engine_version = v.into_inner();
    }
    cache
}

/// `FAMILY.SIZE` of lowercase letters and digits.
fn class_ok(text: &str) -> bool {
    text.split_once('.').is_some_and(|(family, size)| {
        [family, size].iter().all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
    })
}

/// The tenant's DNS mode and Cognito custom domain, checked against its `domains`.
pub(super) fn tenant_dns(
    ctx: &mut Ctx<'_>,
    checked: &CheckedPlatform,
    seen: &mut Seen,
    prefix: &str,
    raw_id: &str,
    raw: &RawTenant,
    domains: &[String],
) -> (Dns, Option<String>) {
    let who = format!("tenant \"{raw_id}\": ");
    let who = who.as_str();
    let system = checked.system;
    let explicit = raw.domains.is_some();
    let default = if explicit {
        Dns::Customer
    } else {
        Dns::Platform
    };
    // None: the value was refused, so checks that depend on it would only add noise.
    let dns = match &raw.dns {
        None => Some(default),
        Some(v) => {
            let field = format!("{prefix}.dns");
            if refuse_outside_enterprise(ctx, system, v.span(), &field) {
                None
            } else if !explicit {
                let message = format!(
                    "{who}dns applies to explicit domains; without domains the tenant lives \
                     under base_domain in the platform's zone"
                );
                ctx.error(v.span(), field, message);
                None
            } else {
                ctx.check(v, &field, |d| {
                    Dns::from_name(d).ok_or_else(|| {
                        format!("{who}unknown dns \"{d}\"; allowed: hosted, customer")
                    })
                })
            }
        }
    };
    if system == Some(System::Enterprise) && dns == Some(Dns::Customer) {
        for (i, d) in raw
            .domains
            .iter()
            .flat_map(|l| l.get_ref().iter().enumerate())
        {
            if d.get_ref().starts_with("*.") {
                let message = format!(
                    "{who}wildcard \"{}\" needs dns = \"hosted\": with the customer's DNS the \
                     certificate is CloudFront-managed and HTTP-validated, and those cannot be \
                     wildcards",
                    d.get_ref()
                );
                ctx.error(d.span(), format!("{prefix}.domains[{i}]"), message);
            }
        }
    }
    let auth_domain = match (&raw.auth_domain, dns) {
        (Some(a), Some(dns)) => auth_domain(ctx, seen, prefix, raw_id, system, dns, domains, a),
        (Some(a), None) => {
            // Other systems still hear about it; enterprise already has the dns error.
            let field = format!("{prefix}.auth_domain");
            refuse_outside_enterprise(ctx, system, a.span(), &field);
            None
        }
        (None, _) => None,
    };
    let dns = dns.unwrap_or(default);
    (dns, auth_domain)
}

#[allow(clippy::too_many_arguments)]
fn auth_domain(
    ctx: &mut Ctx<'_>,
    seen: &mut Seen,
    prefix: &str,
    raw_id: &str,
    system: Option<System>,
    dns: Dns,
    domains: &[String],
    raw: &Spanned<String>,
) -> Option<String> {
    let who = format!("tenant \"{raw_id}\": ");
    let field = format!("{prefix}.auth_domain");
    if refuse_outside_enterprise(ctx, system, raw.span(), &field) {
        return None;
    }
    let name = raw.get_ref();
    ctx.check(raw, &field, |d| {
        domain::check_host(d, false).map_err(|e| format!("{who}{e}"))
    })?;
    seen.auth_domains += 1;
    if seen.auth_domains > MAX_AUTH_DOMAINS {
        ctx.error(raw.span(), &field, format!(
            "{who}a {}th auth_domain: Cognito allows {MAX_AUTH_DOMAINS} custom domains per account \
             and region (a hard limit AWS does not raise); leave it out and the pool gets a prefix domain",
            seen.auth_domains
        ));
        return None;
    }
    if dns != Dns::Hosted {
        ctx.error(raw.span(), &field, format!(
            "{who}auth_domain needs dns = \"hosted\": tapgen must create its certificate validation \
             and alias records"
        ));
        return None;
    }
    if domains.iter().any(|d| d == name) {
        ctx.error(
            raw.span(),
            &field,
            format!(
            "{who}auth_domain \"{name}\" is also routed to the application; pick its own host, \
             like auth.{name}"
        ),
        );
        return None;
    }
    let parent = name.split_once('.').map_or("", |(_, p)| p);
    let parent_served = domains.iter().any(|d| match d.strip_prefix("*.") {
        Some(base) => parent.split_once('.').is_some_and(|(_, p)| p == base),
        None => d == parent,
    });
    if !parent_served {
        ctx.error(raw.span(), &field, format!(
            "{who}auth_domain \"{name}\": its parent \"{parent}\" must be one of the tenant's domains \
             (Cognito requires an A record on the parent, and tapgen creates those only for them)"
        ));
        return None;
    }
    seen.claim(ctx, raw_id, name, raw.span(), field)?;
    Some(name.clone())
}
