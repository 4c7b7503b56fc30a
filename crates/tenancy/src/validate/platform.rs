//! Checks of `[platform]` and its sub-tables.

use std::ops::Range;

use ipnet::Ipv4Net;
use toml::Spanned;

use super::{auth, database, enterprise, layout, secrets, sizing, Ctx};
use crate::aws;
use crate::domain;
use crate::model::{Platform, System, DEFAULT_AZ_COUNT, DEFAULT_DESCRIPTION};
use crate::names;
use crate::raw::RawPlatform;

const PROJECT_MAX: usize = 24;
const ENVIRONMENT_MAX: usize = 12;
const VPC_PREFIXES: std::ops::RangeInclusive<u8> = 16..=20;
const AZ_COUNTS: std::ops::RangeInclusive<u8> = 2..=3;

/// The platform as far as it could be validated, plus which parts tenant checks may rely
/// on (an invalid project would make every tenant's name checks fail as noise).
pub(super) struct CheckedPlatform {
    /// Invalid fields hold placeholders; only used when no error was recorded.
    pub platform: Platform,
    /// Project and environment are valid, so physical names can be checked.
    pub names_ok: bool,
    /// `base_domain` is valid, so default tenant domains can be derived.
    pub base_domain_ok: bool,
    /// The system, if it is a known one (`platform.system` falls back to a placeholder).
    pub system: Option<System>,
}

pub(super) fn validate(ctx: &mut Ctx<'_>, raw: RawPlatform, span: Range<usize>) -> CheckedPlatform {
    let system = ctx.check(&raw.system, "platform.system", |s| {
        System::from_name(s).ok_or_else(|| {
            let allowed: Vec<&str> = System::ALL.iter().map(|s| s.as_str()).collect();
            format!("unknown system \"{s}\"; allowed: {}", allowed.join(", "))
        })
    });
    let project_ok = ctx
        .check(&raw.project, "platform.project", check_project)
        .is_some();
    let environment_ok = ctx
        .check(&raw.environment, "platform.environment", check_environment)
        .is_some();
    ctx.check(&raw.region, "platform.region", aws::check_region);
    let vpc_cidr = vpc_cidr(ctx, &raw.vpc_cidr);
    let az_count = match raw.az_count {
        Some(n) if !AZ_COUNTS.contains(n.get_ref()) => {
            ctx.error(
                n.span(),
                "platform.az_count",
                format!("az_count is 2 or 3, not {}", n.get_ref()),
            );
            DEFAULT_AZ_COUNT
        }
        Some(n) => n.into_inner(),
        None => DEFAULT_AZ_COUNT,
    };
    let base_domain_ok = ctx
        .check(&raw.base_domain, "platform.base_domain", |d| {
            domain::check_host(d, false)
        })
        .is_some();
    let raw_tags = raw.tags.unwrap_or_default();
    let last_key = raw_tags.keys().max_by_key(|k| k.span().start);
    if let Some(key) = last_key.filter(|_| raw_tags.len() > USER_TAGS_MAX) {
        let message = format!(
            "{} tags is too many: AWS allows {} per resource and tapgen sets {} itself, so at \
             most {USER_TAGS_MAX} here",
            raw_tags.len(),
            aws::TAGS_PER_RESOURCE,
            TAPGEN_TAGS.len()
        );
        ctx.error(key.span(), "platform.tags", message);
    }
    let tags = raw_tags
        .into_iter()
        .filter_map(|(k, v)| {
            let field = format!("platform.tags.{}", k.get_ref());
            let key_ok = ctx.check(&k, &field, |k| {
                check_tag_key(k)?;
                secrets::check_tag_name(k)
            });
            let value_ok = ctx.check(&v, &field, |v| {
                aws::check_tag_text(v, "value", aws::TAG_VALUE_MAX)?;
                secrets::check_public(v, "tag value")
            });
            key_ok
                .and(value_ok)
                .map(|_| (k.into_inner(), v.into_inner()))
        })
        .collect();
    let defaults = sizing::merge(
        ctx,
        Default::default(),
        raw.defaults.as_ref(),
        "platform.defaults",
        "",
    );
    let database = database::validate(ctx, raw.database);
    let fleet = enterprise::fleet(ctx, system, raw.fleet);
    let cache = enterprise::cache(ctx, system, raw.cache);
    let auth = match (raw.auth, system) {
        (Some(a), _) => auth::validate(ctx, a),
        (None, Some(System::Serverless)) => {
            ctx.error(
                span.clone(),
                "platform.auth",
                "the serverless system needs a [platform.auth] table (issuer, audience, jwks) \
                 for its API authorizer",
            );
            None
        }
        (None, _) => None,
    };
    let layout = layout::validate(ctx, raw.layout, raw.cells, system, vpc_cidr, az_count);
    let platform = Platform {
        system: system.unwrap_or(System::EcsFargate),
        project: raw.project.get_ref().clone(),
        description: match raw.description {
            Some(d) => {
                ctx.check(&d, "platform.description", |t| {
                    secrets::check_public(t, "description")
                });
                d.into_inner()
            }
            None => DEFAULT_DESCRIPTION.into(),
        },
        environment: raw.environment.get_ref().clone(),
        region: raw.region.into_inner(),
        vpc_cidr: vpc_cidr.unwrap_or_default(),
        az_count,
        base_domain: raw.base_domain.into_inner(),
        tags,
        defaults,
        database,
        auth,
        layout,
        fleet,
        cache,
    };
    let names_ok = project_ok && environment_ok;
    if names_ok {
        let cell_names = layout::cell_name_violation(&platform);
        for message in names::platform_name_violations(&platform)
            .into_iter()
            .chain(cell_names)
        {
            ctx.error(raw.project.span(), "platform.project", message);
        }
    }
    CheckedPlatform {
        platform,
        names_ok,
        base_domain_ok,
        system,
    }
}

/// `[a-z][a-z0-9-]*`, at most 24 characters; no trailing or doubled hyphen because the
/// project starts names (Aurora identifiers) where AWS forbids those.
fn check_project(p: &str) -> Result<(), String> {
    let chars_ok = p.starts_with(|c: char| c.is_ascii_lowercase())
        && p.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !chars_ok {
        return Err(format!(
            "project \"{p}\" must be lowercase letters, digits and hyphens, starting with a letter"
        ));
    }
    if p.len() > PROJECT_MAX {
        return Err(format!(
            "project \"{p}\" is {} characters (limit {PROJECT_MAX})",
            p.len()
        ));
    }
    if p.ends_with('-') || p.contains("--") {
        return Err(format!(
            "project \"{p}\" must not end with '-' or contain \"--\""
        ));
    }
    Ok(())
}

/// `[a-z][a-z0-9]*`, 1..=12: the suffix of every physical name.
fn check_environment(e: &str) -> Result<(), String> {
    let ok = e.starts_with(|c: char| c.is_ascii_lowercase())
        && e.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && e.len() <= ENVIRONMENT_MAX;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "environment \"{e}\" must be 1 to {ENVIRONMENT_MAX} lowercase letters and digits, \
             starting with a letter"
        ))
    }
}

fn check_tag_key(k: &str) -> Result<(), String> {
    if k.is_empty() {
        return Err("tag keys must not be empty".into());
    }
    if k.to_ascii_lowercase().starts_with("aws:") {
        return Err(format!(
            "tag key \"{k}\": the aws: prefix is reserved by AWS"
        ));
    }
    if TAPGEN_TAGS.contains(&k) {
        return Err(format!(
            "tag key \"{k}\" is set by tapgen ({}); a tag of that name here would replace it",
            TAPGEN_TAGS.join(", ")
        ));
    }
    aws::check_tag_text(k, "key", aws::TAG_KEY_MAX)
}

/// Tags tapgen sets itself: `Name` and `tenant_id` on resources, the rest as provider default
/// tags. A resource-level tag of the same key would override them.
const TAPGEN_TAGS: [&str; 5] = ["Name", "tenant_id", "managed_by", "project", "owner"];
/// AWS allows 50 tags per resource; tapgen's own take the rest.
const USER_TAGS_MAX: usize = aws::TAGS_PER_RESOURCE - TAPGEN_TAGS.len();

/// Each problem with the CIDR is reported on its own so one run shows all of them.
fn vpc_cidr(ctx: &mut Ctx<'_>, raw: &Spanned<String>) -> Option<Ipv4Net> {
    let field = "platform.vpc_cidr";
    let text = raw.get_ref();
    let Ok(net) = text.parse::<Ipv4Net>() else {
        ctx.error(
            raw.span(),
            field,
            format!("\"{text}\" is not an IPv4 CIDR like 10.0.0.0/16"),
        );
        return None;
    };
    let mut ok = true;
    let prefix = net.prefix_len();
    if prefix < *VPC_PREFIXES.start() {
        ctx.error(
            raw.span(),
            field,
            format!("/{prefix} is too large: AWS VPCs are at most /16"),
        );
        ok = false;
    } else if prefix > *VPC_PREFIXES.end() {
        ctx.error(raw.span(), field, format!(
            "/{prefix} is too small: subnets per AZ and per tenant need at least a /20 (use /16 to /20)"
        ));
        ok = false;
    }
    if net.addr() != net.network() {
        ctx.error(
            raw.span(),
            field,
            format!(
                "{text} is not a network address; did you mean {}?",
                net.trunc()
            ),
        );
        ok = false;
    }
    ok.then_some(net)
}
